"""What the API says about a seat on the assessment day (签到). Parsing and presenting only; the
writes are service calls in admissions/api/checkin.py."""

from rest_framework import serializers

from admissions.models import SeatStatus, SessionPart
from admissions.selectors.checkin import CODE_LENGTH
from portal.privacy import mask_id_number


class SeatSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    specialty_base = serializers.IntegerField(source="specialty_base_id", help_text="专业基地编号")
    specialty_base_name = serializers.CharField(source="specialty_base.__str__", help_text="培训基地 · 专业")
    starts_at = serializers.DateTimeField(help_text="开始时间")
    ends_at = serializers.DateTimeField(help_text="结束时间")
    place = serializers.CharField(help_text="考核地点（视频考核为空）")
    video_link = serializers.CharField(help_text="视频会议链接（现场考核为空）")


class SeatSerializer(serializers.Serializer):
    """A candidate's seat as the office checking in sees it: the name, the ID number masked."""

    id = serializers.IntegerField()
    verification_code = serializers.CharField(help_text="考核通知上的验证码")
    full_name = serializers.CharField(source="applicant.full_name", help_text="考生姓名")
    masked_id_number = serializers.SerializerMethodField(help_text="证件号码（中间隐去）")
    part = serializers.ChoiceField(choices=SessionPart.choices, help_text="考核内容")
    status = serializers.ChoiceField(choices=SeatStatus.choices, help_text="签到状态")
    attendance_marked_at = serializers.DateTimeField(allow_null=True, help_text="签到或标记缺考的时间")
    session = SeatSessionSerializer()

    def get_masked_id_number(self, seat) -> str:
        return mask_id_number(seat.applicant.id_number)


class CheckInInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64, help_text=f"考核通知上的验证码（不区分大小写，至多 {CODE_LENGTH} 位）")


class AbsenteesInputSerializer(serializers.Serializer):
    session = serializers.IntegerField(min_value=1, help_text="考核场次编号")


class AbsenteesSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次记为缺考的人数")
