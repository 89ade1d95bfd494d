"""Forms of the round pages (staff and training-base office). They parse input only: the scores'
range and precision, the stage rules and the quota are checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from admissions.models import AssessmentMode, Opinion
from policy.choices import DegreeLevel

_SCORE = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6, "class": "score"})


_TEXT = forms.Textarea(attrs={"rows": 3})


class _SheetForm(forms.Form):
    """Labels without the trailing colon: many small forms side by side read better bare."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class QualificationForm(_SheetForm):
    passed = forms.TypedChoiceField(
        label=_("资格审核"),
        choices=[("1", _("通过")), ("0", _("不通过"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择资格审核是否通过。")},
    )
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=1000,
        help_text=_("学员可以看到；不通过时必须写明原因。"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScoreForm(_SheetForm):
    """The score sheet (成绩与评价) of one candidate. The scores stay text here: the service says
    what is wrong with "101", "85.55" or "abc" in the words the import uses too."""

    interview_score = forms.CharField(label=_("面试成绩"), required=False, max_length=20, widget=_SCORE)
    exam_score = forms.CharField(label=_("专业考试成绩"), required=False, max_length=20, widget=_SCORE)
    interview_mode = forms.ChoiceField(label=_("面试形式"), choices=AssessmentMode.choices)
    evaluation_basic = forms.CharField(label=_("基本情况分析"), required=False, max_length=2000, widget=_TEXT)
    evaluation_interview = forms.CharField(label=_("面试评价"), required=False, max_length=2000, widget=_TEXT)
    evaluation_exam = forms.CharField(label=_("专业考核评价"), required=False, max_length=2000, widget=_TEXT)
    evaluation_overall = forms.CharField(label=_("整体意见"), required=False, max_length=2000, widget=_TEXT)
    opinion = forms.ChoiceField(label=_("录取意见"), required=False, choices=[("", _("暂不填写")), *Opinion.choices])

    @classmethod
    def initial_of(cls, assessment):
        return {
            "interview_score": "" if assessment.interview_score is None else str(assessment.interview_score),
            "exam_score": "" if assessment.exam_score is None else str(assessment.exam_score),
            "interview_mode": assessment.interview_mode,
            "evaluation_basic": assessment.evaluation_basic,
            "evaluation_interview": assessment.evaluation_interview,
            "evaluation_exam": assessment.evaluation_exam,
            "evaluation_overall": assessment.evaluation_overall,
            "opinion": assessment.opinion,
        }


class DecisionForm(forms.Form):
    admit = forms.TypedChoiceField(
        choices=[("1", _("拟录取")), ("0", _("不录取"))], coerce=lambda value: value == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)


class ObjectionHandlingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("sustain", _("异议成立（取消拟录取）")), ("dismiss", _("异议不成立"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择异议是否成立。")},
    )
    note = forms.CharField(
        label=_("处理情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明处理情况。")},
    )


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        error_messages={"required": _("请选择要导入的 Excel 文件（.xlsx）。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class InviteSearchForm(forms.Form):
    specialty_base = forms.TypedChoiceField(label=_("邀请专业基地"), coerce=int, required=False, empty_value=None)
    degree_level = forms.TypedChoiceField(
        label=_("学历"),
        choices=[("", _("全部学历")), *DegreeLevel.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    graduation_year = forms.IntegerField(label=_("毕业年份"), required=False, min_value=1950, max_value=2100)
    employer_city = forms.CharField(label=_("工作单位所在市州"), required=False, max_length=30)

    def __init__(self, *args, quotas, **kwargs):
        """`quotas`: the base's quotas, shortage specialties first (the order of the selector)."""
        super().__init__(*args, **kwargs)
        self.specialty_bases = {quota.specialty_base_id: quota.specialty_base for quota in quotas}
        self.fields["specialty_base"].choices = [("", _("请选择（显示是否符合申报条件）"))] + [
            (
                quota.specialty_base_id,
                f"{quota.specialty_base.specialty.name}（{_('紧缺专业')}）"
                if quota.is_shortage
                else quota.specialty_base.specialty.name,
            )
            for quota in quotas
        ]

    def clean_specialty_base(self):
        value = self.cleaned_data.get("specialty_base")
        return None if value is None else self.specialty_bases[value]

    def clean_employer_city(self):
        return self.cleaned_data["employer_city"].strip()


class InviteForm(forms.Form):
    applicant = forms.IntegerField(widget=forms.HiddenInput)
    specialty_base = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("邀请说明"), required=False, max_length=500)


class DuplicateObjectionsForm(forms.Form):
    duplicate = forms.TypedMultipleChoiceField(
        label=_("重复的异议"), coerce=int, error_messages={"required": _("请选择要一并处理的重复异议。")}
    )
    note = forms.CharField(
        label=_("处理情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明处理情况。")},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].choices = [(pk, pk) for pk in choices]
