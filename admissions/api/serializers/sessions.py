"""What the API says about assessment sessions (考核场次) and seats. Parsing and presenting only;
every write is a service call in admissions/api/sessions.py."""

from rest_framework import serializers

from admissions.api.serializers.rounds import AssessmentModeField, choice_field
from admissions.models import MoveStatus, SeatStatus, SessionPart
from portal.links import absolute_url
from portal.privacy import mask_id_number

SessionPartField = choice_field(SessionPart, "SessionPart")
SeatStatusField = choice_field(SeatStatus, "SeatStatus")
MoveStatusField = choice_field(MoveStatus, "MoveStatus")


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    round = serializers.IntegerField(min_value=1, max_value=2, help_text="批次：1 或 2")
    specialty_base = serializers.IntegerField(source="specialty_base_id", help_text="专业基地编号")
    specialty_base_name = serializers.CharField(source="specialty_base.__str__", read_only=True)
    part = SessionPartField(help_text="考核内容")
    mode = AssessmentModeField(help_text="考核形式：现场或网络视频")
    starts_at = serializers.DateTimeField(help_text="开始时间")
    ends_at = serializers.DateTimeField(help_text="结束时间")
    place = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="考核地点（现场）"
    )
    video_link = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default="", help_text="视频会议链接（网络视频）"
    )
    capacity = serializers.IntegerField(min_value=1, max_value=999, help_text="容纳人数")
    taken = serializers.IntegerField(read_only=True, help_text="已安排人数（不含已取消）")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", help_text="考生须知")


class StaffSeatSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id", help_text="考核场次编号")
    assessment = serializers.IntegerField(source="assessment_id", help_text="考核编号")
    full_name = serializers.CharField(source="applicant.full_name", help_text="考生姓名")
    masked_id_number = serializers.SerializerMethodField(help_text="证件号码（中间隐去）")
    part = SessionPartField()
    status = SeatStatusField()
    verification_code = serializers.CharField(help_text="考核通知上的验证码")

    def get_masked_id_number(self, seat) -> str:
        return mask_id_number(seat.applicant.id_number)


class MoveRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seat = serializers.IntegerField(source="seat_id")
    from_session = serializers.IntegerField(source="from_session_id", help_text="原场次编号")
    to_session = serializers.IntegerField(source="to_session_id", help_text="申请调换到的场次编号")
    reason = serializers.CharField()
    status = MoveStatusField()
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField(help_text="处理意见（不同意时写明原因）")


class MySeatSerializer(serializers.Serializer):
    """The candidate's own seat: the session, the code and where to download the notice."""

    id = serializers.IntegerField()
    part = SessionPartField()
    status = SeatStatusField()
    verification_code = serializers.CharField(help_text="考核通知上的验证码")
    session = SessionSerializer()
    notice_url = serializers.SerializerMethodField(help_text="考核通知 PDF 的地址")
    move_request = MoveRequestSerializer(
        allow_null=True, read_only=True, help_text="调换场次申请（每项安排只能申请一次），没有时为 null"
    )

    def get_notice_url(self, seat) -> str:
        return absolute_url("seat-notice", seat.pk)


class AssignInputSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1, help_text="资格审核通过的考核编号")


class BalancedInputSerializer(serializers.Serializer):
    specialty_base = serializers.IntegerField(min_value=1, help_text="专业基地编号")
    round = serializers.ChoiceField(choices=[(1, "第一批次"), (2, "第二批次")], help_text="批次")
    part = SessionPartField(help_text="考核内容")


class BalancedSerializer(serializers.Serializer):
    seated = StaffSeatSerializer(many=True, help_text="本次安排的考生")
    clashed = serializers.ListField(child=serializers.IntegerField(), help_text="因时间冲突未安排的考核编号")
    no_room = serializers.ListField(child=serializers.IntegerField(), help_text="因场次已满未安排的考核编号")


class MoveInputSerializer(serializers.Serializer):
    to_session = serializers.IntegerField(min_value=1, help_text="调换到的场次编号")
    reason = serializers.CharField(max_length=500, help_text="申请理由")


class MoveDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 同意（考生的场次随即调换，验证码不变），false 不同意")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="处理意见")
