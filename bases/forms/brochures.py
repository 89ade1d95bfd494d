"""Forms of the brochure pages: the office's sections and the province's audit. They parse input
only; the completeness rules are in policy.rules.brochures, the writes in bases.services.brochures."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from policy.choices import ApplicantType
from policy.rules.brochures import SECTIONS

SECTION_MAX_CHARS = 5000


NOTE_MAX_CHARS = 2000


# What the province may comment on besides the sections (keys return_brochure accepts).
REVIEW_EXTRA_TARGETS = (("applicant_types", _("招收人员类型")), ("plan", _("招收计划")))


class BrochureForm(forms.Form):
    """The office's draft: applicant types and one text per section. Nothing is required here:
    a draft may be partial; the completeness check runs on submission."""

    applicant_types = forms.MultipleChoiceField(
        label=_("招收人员类型"),
        choices=ApplicantType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.label,
                required=False,
                strip=True,
                max_length=SECTION_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=gettext("%(hint)s。至少 %(min)s 字。") % {"hint": section.hint, "min": section.min_chars},
            )

    @classmethod
    def for_version(cls, version):
        return cls(initial={"applicant_types": version.applicant_types, **version.sections})

    def sections(self):
        return {section.key: self.cleaned_data[section.key] for section in SECTIONS}


def comment_field_name(key):
    return f"comment_{key}"


class BrochureReviewForm(forms.Form):
    """The province's decision: comments per section (for a return) and an overall note."""

    note = forms.CharField(
        label=_("总体意见"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("审核通过时可不填；退回修改时，总体意见或各栏目意见至少填写一条。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        targets = [*REVIEW_EXTRA_TARGETS, *((section.key, section.label) for section in SECTIONS)]
        for key, label in targets:
            self.fields[comment_field_name(key)] = forms.CharField(
                label=gettext("对“%(label)s”的意见") % {"label": label},
                required=False,
                max_length=NOTE_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self):
        prefix = comment_field_name("")
        return {
            name.removeprefix(prefix): value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value
        }
