"""Forms of quota increase requests and decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class QuotaIncreaseRequestForm(forms.Form):
    quota = forms.ModelChoiceField(label=_("专业基地"), queryset=None, empty_label=None)
    places = forms.IntegerField(label=_("申请增加数"), min_value=1, max_value=999)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota"].queryset = quotas
        self.fields["quota"].label_from_instance = lambda q: (
            _("%(specialty)s（计划 %(places)s / 容量 %(capacity)s）")
            % {
                "specialty": q.specialty_base.specialty,
                "places": q.places,
                "capacity": q.capacity,
            }
        )


class QuotaDecisionForm(forms.Form):
    places = forms.IntegerField(label=_("批准增加数"), min_value=1, required=False)
    reason = forms.CharField(label=_("审批意见"), max_length=2000, required=False)
