"""An action button the clock does not allow yet (or any more) stays on the page, disabled, and
says why: `<button{% disabled_unless window "why-id" %}>` with a Window-like object (`is_open`,
`reason`) and the id of the element that shows the reason next to it."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def disabled_unless(window, described_by=""):
    if window:
        return ""
    reason = getattr(window, "reason", "") or ""
    if described_by:
        return format_html(' disabled aria-describedby="{}" title="{}"', described_by, reason)
    return format_html(' disabled title="{}"', reason)
