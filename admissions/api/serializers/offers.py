"""What the applicant reads and sends about its assessments and invitations in the API, the
offices' invitation rows, and the public check of an admission notice. Serializers only parse and
present; every write is a service call in admissions/api/offers.py or invitations.py."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _l
from rest_framework import serializers

from admissions.api.serializers.rounds import InvitationStatusField, TieBreakField, _AssessmentBase, _ends_at
from admissions.models import (
    Admission,
    Assessment,
    Invitation,
    Stage,
)
from bases.models import SpecialtyBase


class MyAssessmentSerializer(_AssessmentBase):
    """The applicant's own assessment: the review note, scores, the offer and its confirmation."""

    can_confirm = serializers.SerializerMethodField(help_text="现在能否确认接受或放弃（拟录取且在公示期内）")
    notice_number = serializers.SerializerMethodField(help_text="录取通知书编号（录取后生成）")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "round",
            "specialty_base",
            "training_base",
            "training_base_name",
            "specialty",
            "specialty_code",
            "is_adjustment",
            "stage",
            "stage_label",
            "qualification_note",
            "interview_score",
            "exam_score",
            "interview_absent",
            "exam_absent",
            "composite",
            "confirmation",
            "confirmed_at",
            "can_confirm",
            "publicity_last_day",
            "publicity_ends_at",
            "notice_number",
        ]
        read_only_fields = fields

    def get_can_confirm(self, assessment) -> bool:
        ends_at = _ends_at(assessment.publicity_last_day)
        return assessment.stage == Stage.PROPOSED and ends_at is not None and timezone.now() < ends_at

    def get_notice_number(self, assessment) -> str | None:
        try:
            return assessment.admission.notice_number
        except Admission.DoesNotExist:
            return None


def _score(**kwargs):
    return serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True, **kwargs)


class ScoreBreakdownSerializer(serializers.Serializer):
    """The applicant's own score explained once its specialty base's result is published: its
    components, the formula version the list was ranked with, its rank and the cut line — no other
    candidate's score or name."""

    assessment = serializers.IntegerField(source="assessment_id")
    interview_score = _score(help_text="面试成绩")
    exam_score = _score(help_text="专业考试成绩")
    formula_version = serializers.IntegerField(
        source="formula.version", allow_null=True, help_text="公示发布时该专业基地现行计分公式的版本"
    )
    formula = serializers.CharField(source="formula.label", help_text="如“计分公式第2版（面试60%，专业考试40%）”")
    interview_weight = serializers.IntegerField(source="formula.interview_weight", help_text="面试成绩权重（%）")
    exam_weight = serializers.IntegerField(source="formula.exam_weight", help_text="专业考试成绩权重（%）")
    tie_break = TieBreakField(source="formula.tie_break", help_text="综合成绩相同时先比的成绩")
    tie_break_rule = serializers.CharField(source="formula.tie_break_rule", help_text="排名规则")
    composite = _score(help_text="综合成绩：按该版本计分公式加权，一位小数")
    rank = serializers.IntegerField(
        allow_null=True, help_text="在本专业基地本批次的排名（含公示后本人放弃或经异议取消者）；未参加排名为空"
    )
    ranked = serializers.IntegerField(help_text="参加排名的人数")
    proposed = serializers.IntegerField(help_text="该公示名单在本专业基地拟录取的人数")
    cut_line = _score(allow_null=True, help_text="录取线：该公示名单在本专业基地拟录取者的最低综合成绩")
    published_at = serializers.DateTimeField(help_text="公示发布时间")


class ConfirmInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true：接受录取；false：放弃录取（名额随即释放）")


class AdjustmentInputSerializer(serializers.Serializer):
    specialty_base = serializers.PrimaryKeyRelatedField(
        queryset=SpecialtyBase.objects.select_related("training_base", "specialty"),
        help_text="同一培训基地中仍有名额的另一个专业基地",
        error_messages={
            "does_not_exist": _l("专业基地 {pk_value} 不存在。"),
            "incorrect_type": _l("专业基地编号应为整数。"),
        },
    )


class InvitationSerializer(serializers.ModelSerializer):
    campaign_year = serializers.IntegerField(source="campaign.year")
    applicant_name = serializers.CharField(source="applicant.full_name")
    training_base = serializers.IntegerField(source="specialty_base.training_base_id")
    training_base_name = serializers.CharField(source="specialty_base.training_base.name")
    specialty = serializers.CharField(source="specialty_base.specialty.name")
    specialty_code = serializers.CharField(source="specialty_base.specialty.code")
    is_shortage = serializers.BooleanField(read_only=True, help_text="是否紧缺专业（紧缺专业排在前面）")
    status = InvitationStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "campaign_year",
            "applicant",
            "applicant_name",
            "specialty_base",
            "training_base",
            "training_base_name",
            "specialty",
            "specialty_code",
            "is_shortage",
            "message",
            "status",
            "status_label",
            "invited_at",
            "responded_at",
        ]
        read_only_fields = fields


class InvitationInputSerializer(serializers.Serializer):
    applicant = serializers.IntegerField(min_value=1, help_text="学员编号")
    specialty_base = serializers.PrimaryKeyRelatedField(
        queryset=SpecialtyBase.objects.select_related("training_base", "specialty"),
        help_text="本基地的专业基地编号",
        error_messages={
            "does_not_exist": _l("专业基地 {pk_value} 不存在。"),
            "incorrect_type": _l("专业基地编号应为整数。"),
        },
    )
    message = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="邀请说明（复试时间、地点等）"
    )


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="编号与验证码是否对应一份有效的录取通知书")
    name = serializers.CharField(required=False, help_text="被录取人姓名")
    specialty_base = serializers.CharField(required=False, help_text="录取的培训基地和专业")
    admitted_at = serializers.DateTimeField(required=False, help_text="录取时间")
    identity_corrected_at = serializers.DateTimeField(
        required=False, help_text="姓名或证件号码经审核更正的时间（从未更正时没有此项）"
    )
    superseded_at = serializers.DateTimeField(
        required=False, help_text="验证码属于此前版本的通知书时，该版本被新版本取代的时间（当前版本没有此项）"
    )
