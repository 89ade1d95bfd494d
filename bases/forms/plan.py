"""The plan table's filter form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bases.selectors.plan import plan_filter_choices


class PlanFilterForm(forms.Form):
    city = forms.ChoiceField(label=_("市州"), required=False)
    specialty = forms.TypedChoiceField(label=_("专业"), coerce=int, empty_value=None, required=False)
    shortage = forms.BooleanField(label=_("只看紧缺专业"), required=False)

    def __init__(self, *args, cities, specialties, **kwargs):
        """`cities`: names; `specialties`: (id, name) pairs (see `plan_filter_choices`)."""
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("全部市州"))] + [(city, city) for city in cities]
        self.fields["specialty"].choices = [("", _("全部专业")), *specialties]

    @classmethod
    def for_campaign(cls, campaign, data):
        """The form for `campaign`'s plan, its choices the cities and specialties that plan has."""
        cities, specialties = plan_filter_choices(campaign=campaign)
        return cls(data or None, cities=cities, specialties=specialties)

    def filters(self):
        """`plan_rows`' keyword arguments for what was asked; none when nothing (valid) was."""
        if not (self.is_bound and self.is_valid()):
            return {}
        data = self.cleaned_data
        return {
            "city": data.get("city", ""),
            "specialty_id": data.get("specialty"),
            "shortage_only": data.get("shortage", False),
        }
