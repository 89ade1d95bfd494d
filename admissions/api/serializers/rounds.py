"""What the staff read and send about assessments (考核与录取) in the API. Serializers only parse
and present; every write is a service call in admissions/api/rounds.py. Rows come from
admissions.selectors.assessments, annotated with the quota's current scoring formula and places
and the stage the clock gives."""

from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from admissions.models import (
    Assessment,
    AssessmentMode,
    Confirmation,
    InvitationStatus,
    ObjectionStatus,
    Opinion,
    PublicityKind,
    Stage,
)
from policy.rules.scoring import TieBreak, composite
from policy.timetable import end_of_day


def _enum_schema(choices, blank):
    labels = "\n".join(f"* `{value}` - {label}" for value, label in choices.choices)
    if blank:
        return {"type": "string", "enum": [*choices.values, ""], "description": f"{labels}\n* 空字符串 - 尚未给出"}
    return {"type": "string", "enum": list(choices.values), "description": labels}


def choice_field(choices, component_name, invalid_message=None, blank=False):
    """A ChoiceField documented as its own named enum (several models have a "status"); `blank`
    when the model field may be left empty, so the empty string is one of its values."""

    @extend_schema_field(_enum_schema(choices, blank), component_name=component_name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            if invalid_message:
                kwargs.setdefault("error_messages", {"invalid_choice": invalid_message})
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = f"{component_name}Field"
    return Field


StageField = choice_field(Stage, "AssessmentStage")


ConfirmationField = choice_field(Confirmation, "Confirmation")


OpinionField = choice_field(Opinion, "Opinion", _l("“{input}”不是有效的录取意见。"), blank=True)


AssessmentModeField = choice_field(AssessmentMode, "AssessmentMode", _l("“{input}”不是有效的面试形式。"))


PublicityKindField = choice_field(PublicityKind, "PublicityKind")


ObjectionStatusField = choice_field(ObjectionStatus, "ObjectionStatus")


InvitationStatusField = choice_field(InvitationStatus, "InvitationStatus")


TieBreakField = choice_field(TieBreak, "TieBreak")


SCORE = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, read_only=True)


def effective_stage(assessment):
    """The stage the clock gives: a proposed candidate whose publicity ended with no open objection
    and who accepted is admitted, whether or not the sweep has run yet."""
    return Stage.ADMITTED if getattr(assessment, "admitted_now", False) else Stage(assessment.stage)


def _ends_at(last_day):
    return None if last_day is None else end_of_day(last_day)


class _AssessmentBase(serializers.ModelSerializer):
    round = serializers.IntegerField(source="application.round", help_text="批次")
    training_base = serializers.IntegerField(source="specialty_base.training_base_id")
    training_base_name = serializers.CharField(source="specialty_base.training_base.name")
    specialty = serializers.CharField(source="specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="specialty_base.specialty.code")
    stage = serializers.SerializerMethodField(help_text="当前状态（按时钟：公示结束且已接受者即为已录取）")
    stage_label = serializers.SerializerMethodField()
    composite = serializers.SerializerMethodField(help_text="综合成绩：按该专业基地的权重加权，一位小数")
    confirmation = ConfirmationField(read_only=True)
    publicity_last_day = serializers.DateField(
        read_only=True, allow_null=True, help_text="拟录取名单公示截止日（当日24时结束）；未公示为空"
    )
    publicity_ends_at = serializers.SerializerMethodField(help_text="公示结束时刻")
    interview_absent = serializers.BooleanField(read_only=True, help_text="面试缺考（此项不能录入成绩）")
    exam_absent = serializers.BooleanField(read_only=True, help_text="专业考试缺考（此项不能录入成绩）")

    @extend_schema_field(StageField())
    def get_stage(self, assessment):
        return effective_stage(assessment).value

    def get_stage_label(self, assessment) -> str:
        return str(effective_stage(assessment).label)

    @extend_schema_field(SCORE)
    def get_composite(self, assessment):
        score = composite(
            assessment.interview_score, assessment.exam_score, assessment.interview_weight, assessment.exam_weight
        )
        return None if score is None else str(score)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_publicity_ends_at(self, assessment):
        ends_at = _ends_at(assessment.publicity_last_day)
        return None if ends_at is None else serializers.DateTimeField().to_representation(ends_at)


class AssessmentSerializer(_AssessmentBase):
    """A candidate as the specialty base and the training-base office see it."""

    application = serializers.IntegerField(source="application_id")
    applicant = serializers.IntegerField(source="application.applicant_id")
    applicant_name = serializers.CharField(source="application.applicant.full_name")
    submitted_at = serializers.DateTimeField(
        source="application.submitted_at", help_text="志愿填报时间（并列时排序用）"
    )
    interview_mode = AssessmentModeField(read_only=True)
    opinion = OpinionField(read_only=True)
    formula_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="排名所用计分公式的版本（该专业基地现行版本）；无招收计划为空"
    )
    interview_weight = serializers.IntegerField(read_only=True, help_text="面试成绩权重（%）")
    exam_weight = serializers.IntegerField(read_only=True, help_text="专业考试成绩权重（%）")
    tie_break = TieBreakField(read_only=True, help_text="综合成绩相同时先比的成绩，仍相同者按志愿填报时间先后")
    quota_places = serializers.IntegerField(read_only=True, allow_null=True, help_text="该专业基地的招收计划数")
    rank = serializers.SerializerMethodField(
        help_text="在本专业基地（本次筛选范围内）的排名：综合成绩从高到低，并列规则见接口说明；成绩未录入为空"
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "application",
            "round",
            "applicant",
            "applicant_name",
            "submitted_at",
            "specialty_base",
            "training_base",
            "training_base_name",
            "specialty",
            "specialty_code",
            "is_adjustment",
            "adjustment_consent_at",
            "stage",
            "stage_label",
            "qualification_note",
            "interview_score",
            "exam_score",
            "interview_absent",
            "exam_absent",
            "interview_mode",
            "evaluation_basic",
            "evaluation_interview",
            "evaluation_exam",
            "evaluation_overall",
            "opinion",
            "formula_version",
            "interview_weight",
            "exam_weight",
            "tie_break",
            "composite",
            "rank",
            "quota_places",
            "decided_at",
            "confirmation",
            "confirmed_at",
            "publicity_last_day",
            "publicity_ends_at",
        ]
        read_only_fields = fields

    def get_rank(self, assessment) -> int | None:
        return self.context.get("ranks", {}).get(assessment.pk)


class QualificationInputSerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text="资格审核是否通过")
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="审核意见，学员可以看到；不通过时必填"
    )


def _score_field(label, message):
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=100,
        allow_null=True,
        help_text=f"{label}，0–100，一位小数；尚未考核为 null",
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value", "max_digits", "max_decimal_places", "max_whole_digits"), message
        ),
    )


class ScoresInputSerializer(serializers.Serializer):
    interview_score = _score_field("面试成绩", _l("面试成绩应在 0 到 100 之间，最多一位小数。"))
    exam_score = _score_field("专业考试成绩", _l("专业考试成绩应在 0 到 100 之间，最多一位小数。"))
    interview_mode = AssessmentModeField(required=False, default=AssessmentMode.ON_SITE, help_text="面试形式")
    opinion = OpinionField(required=False, allow_blank=True, default="", help_text="专业基地录取意见")
    evaluation_basic = serializers.CharField(required=False, allow_blank=True, help_text="基本情况分析")
    evaluation_interview = serializers.CharField(required=False, allow_blank=True, help_text="面试评价")
    evaluation_exam = serializers.CharField(required=False, allow_blank=True, help_text="专业考核评价")
    evaluation_overall = serializers.CharField(required=False, allow_blank=True, help_text="整体意见")


class DecisionInputSerializer(serializers.Serializer):
    admit = serializers.BooleanField(help_text="true：拟录取（占用一个招收计划）；false：不录取")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="说明")
