"""Forms of the public pages: an objection to a publicity entry and the check of an admission notice."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=gettext_lazy("异议对象"), coerce=int)
    contact = forms.CharField(
        label=gettext_lazy("联系方式"), max_length=100, help_text=gettext_lazy("手机号码或电子邮箱，便于基地核实后回复")
    )
    text = forms.CharField(
        label=gettext_lazy("异议内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("请写明具体事实，并尽量提供可核实的线索。"),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("请选择")), *((row.entry_id, row.label) for row in rows)]


class VerifyForm(forms.Form):
    notice = forms.CharField(label=gettext_lazy("录取通知书编号"), max_length=32)
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=16)
