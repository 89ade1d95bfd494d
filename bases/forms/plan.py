"""The plan table's filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bases.models import Specialty


class PlanFilterForm(forms.Form):
    city = forms.ChoiceField(label=_("市州"), required=False)
    specialty = forms.ModelChoiceField(
        label=_("专业"), queryset=Specialty.objects.none(), required=False, empty_label=_("全部专业")
    )
    shortage = forms.BooleanField(label=_("只看紧缺专业"), required=False)

    def __init__(self, *args, cities, specialties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("全部市州"))] + [(city, city) for city in cities]
        self.fields["specialty"].queryset = specialties
