"""The form of a new version of a specialty base's scoring formula."""

from django import forms
from django.utils.translation import gettext_lazy as _

from policy.rules.scoring import TieBreak, weights_refusal


class FormulaForm(forms.Form):
    interview_weight = forms.IntegerField(label=_("面试成绩权重（%）"), min_value=0, max_value=100)
    exam_weight = forms.IntegerField(label=_("专业考试成绩权重（%）"), min_value=0, max_value=100)
    tie_break = forms.ChoiceField(label=_("综合成绩相同时"), choices=TieBreak.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("修改理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("已录入考核成绩后的修改必须写明理由"),
    )

    def clean(self):
        data = super().clean()
        interview, exam = data.get("interview_weight"), data.get("exam_weight")
        if interview is not None and exam is not None:
            refusal = weights_refusal(interview, exam)
            if refusal:
                raise forms.ValidationError(refusal)
        return data
