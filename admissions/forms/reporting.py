"""Forms of reporting (报到), withdrawal statements and integrity cases. They parse input only."""

from django import forms
from django.utils.translation import gettext_lazy


class DateForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("日期"))
    reason = forms.CharField(label=gettext_lazy("理由"), required=False, max_length=500)


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=gettext_lazy("放弃原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.FileField(label=gettext_lazy("本人签字的书面放弃声明（PDF、JPEG 或 PNG）"))


class DecisionForm(forms.Form):
    accepted = forms.BooleanField(label=gettext_lazy("认定为不可抗力"), required=False)
    returned = forms.BooleanField(label=gettext_lazy("书面声明不予认可（录取不变）"), required=False)
    reason = forms.CharField(label=gettext_lazy("认定理由"), max_length=1000)


class FraudForm(forms.Form):
    notice_number = forms.CharField(label=gettext_lazy("录取通知书编号"), max_length=32)
    reason = forms.CharField(label=gettext_lazy("弄虚作假的事实"), max_length=1000)
