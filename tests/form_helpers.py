"""Reading a refused form on a page as a user (and a screen reader) meets it: the summary above the
form, and each field's own errors beside it, referenced by the field's aria-describedby."""

import lxml.html


def html_of(response):
    return lxml.html.fromstring(response.content.decode())


def summary_of(doc):
    """The error summary's items, as text (one summary on the page)."""
    (summary,) = doc.xpath('//*[@data-testid="error-summary"]')
    return [" ".join(item.text_content().split()) for item in summary.xpath(".//li")]


def summary_links(doc):
    (summary,) = doc.xpath('//*[@data-testid="error-summary"]')
    return summary.xpath(".//a/@href")


def field_errors(doc, name):
    """The errors shown for the input named `name`, checked to be where they belong: in the same
    field container as the input, with the id the input's aria-describedby names; the input says
    it is invalid."""
    (field,) = doc.xpath(f'//*[@name="{name}"][not(@type="hidden")]')
    assert field.get("aria-invalid") == "true", f"{name} is not marked invalid"
    error_id = f"{field.get('id')}_error"
    assert error_id in (field.get("aria-describedby") or "").split(), f"{name} does not refer to its errors"
    (errors,) = doc.xpath(f'//*[@id="{error_id}"]')
    (container,) = field.xpath('ancestor::div[contains(concat(" ", @class, " "), " field ")][1]')
    assert errors in container.iterdescendants(), f"{name}'s errors are not beside it"
    return [" ".join(item.text_content().split()) for item in errors.xpath(".//li")]
