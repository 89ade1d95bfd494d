"""Forms of direct entries: a professional master or an assigned rural order-oriented graduate, and
a cancellation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from admissions.models import IdentityDocumentType
from policy.regions import PROVINCES


class QuotaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, quota):
        return _("%(base)s（计划 %(places)s，已录入 %(taken)s）") % {
            "base": quota.specialty_base,
            "places": quota.places,
            "taken": quota.taken,
        }


class _PersonForm(forms.Form):
    quota = QuotaChoiceField(label=_("专业基地"), queryset=None, empty_label=None)
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdentityDocumentType.choices)
    id_number = forms.CharField(label=_("证件号码"), max_length=30)

    def __init__(self, *args, quotas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quota"].queryset = quotas


class ProfessionalMasterForm(_PersonForm):
    school = forms.CharField(label=_("培养高校"), max_length=120)
    school_province = forms.ChoiceField(label=_("高校所在省份"), choices=[(p, p) for p in PROVINCES])
    school_city = forms.CharField(label=_("高校所在城市"), max_length=30, help_text=_("如：武汉市"))
    approval_document = forms.FileField(
        label=_("省教育厅同意的书面材料"), required=False, help_text=_("省内异地培养时必须上传；PDF、JPEG 或 PNG")
    )


class RuralOrderForm(_PersonForm):
    school = forms.CharField(label=_("毕业院校"), max_length=120)
    agreement_region = forms.CharField(label=_("就业协议所属地"), max_length=60, help_text=_("如：恩施州利川市"))


class CancelEntryForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=500)
