"""The audit browser's filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bases.models import TrainingBase

# What each kind of action is called on the page; a kind not listed shows its own name.
KIND_LABELS = {
    "applicant": _("学员信息"),
    "application": _("志愿"),
    "assessment": _("考核与录取"),
    "brochure": _("招生简章"),
    "campaign": _("年度招录"),
    "entry": _("报名"),
    "invitation": _("复试邀请"),
    "objection": _("公示异议"),
    "plan": _("年度计划"),
    "publicity": _("公示"),
    "quota": _("招收计划"),
    "quota_increase": _("计划调整申请"),
    "specialty_base": _("专业基地"),
    "user": _("用户"),
}


def kind_choices(actions):
    """The kinds (the part of each action before the first dot) and the exact actions, grouped."""
    kinds = sorted({action.split(".", 1)[0] for action in actions})
    return [
        ("", _("全部操作")),
        (_("类别"), [(kind, f"{KIND_LABELS[kind]}（{kind}）" if kind in KIND_LABELS else kind) for kind in kinds]),
        (_("具体操作"), [(action, action) for action in actions if "." in action]),
    ]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    training_base = forms.ModelChoiceField(
        label=_("住培基地"), queryset=TrainingBase.objects.none(), required=False, empty_label=_("全部基地")
    )
    kind = forms.ChoiceField(label=_("操作类别"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, training_bases, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_base"].queryset = training_bases
        self.fields["kind"].choices = kind_choices(actions)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def filters(self):
        """The keyword arguments of `audit_events`; call after `is_valid()` returned True."""
        data = self.cleaned_data
        return {
            "actor": data["actor"].strip(),
            "training_base": data["training_base"],
            "kind": data["kind"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
