"""The assessment day through the API (签到): check a candidate in by the code on the notice, mark
one absent, end a session's check-in. For the staff of the seat's specialty base and its training
base's office; to anyone else a seat does not exist (404), and codes are rate-limited like the
page the notice's QR code opens. Each write is one service call (admissions.services.checkin)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.rounds import ASSESSMENT_TAGS
from admissions.api.serializers.checkin import (
    AbsenteesInputSerializer,
    AbsenteesSerializer,
    CheckInInputSerializer,
    SeatSerializer,
)
from admissions.selectors.checkin import checkable_seat, checkable_session, seat_by_pk
from admissions.services.checkin import check_in, mark_absent, mark_session_absentees
from admissions.views.checkin import SeatCodeThrottle
from portal.api import ApiErrorSerializer, error_responses, validated

ERRORS = error_responses(
    not_found="无此考核安排，或不是本人所在专业基地的考生",
    conflict="不在该场次当天、场次尚未开始（标记缺考），或考核安排已取消",
)


def _seat_response(seat):
    return Response(SeatSerializer(seat_by_pk(seat.pk)).data)


def _no_seat():
    return NotFound(_("无此考核安排。"))


class SeatCheckIn(APIView):
    throttle_classes = [SeatCodeThrottle]

    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="考核签到（按验证码）",
        description="专业基地或培训基地招收办公室在考核当天（北京时间）按考核通知上的验证码为考生签到；"
        "已标记缺考的迟到考生可当天改为签到。其他人一律 404。",
        request=CheckInInputSerializer,
        responses={
            200: SeatSerializer,
            **ERRORS,
            429: OpenApiResponse(ApiErrorSerializer, description="请求过于频繁"),
        },
    )
    def post(self, request):
        data = validated(CheckInInputSerializer, request)
        seat = checkable_seat(user=request.user, code=data["code"])
        if seat is None:
            raise _no_seat()
        return _seat_response(check_in(actor=request.user, seat=seat))


class SeatAbsent(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="标记缺考",
        description="场次开始后、当天之内标记考生缺考；误点的签到也可当天改为缺考。缺考的一项不能录入成绩。",
        request=None,
        responses={200: SeatSerializer, **ERRORS},
    )
    def post(self, request, pk):
        seat = checkable_seat(user=request.user, pk=pk)
        if seat is None:
            raise _no_seat()
        return _seat_response(mark_absent(actor=request.user, seat=seat))


class SessionAbsentees(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="结束签到：未到者记为缺考",
        description="场次开始后、当天之内，把该场次尚未签到的考生全部记为缺考，返回人数（已全部处理时为 0）。",
        request=AbsenteesInputSerializer,
        responses={200: AbsenteesSerializer, **ERRORS},
    )
    def post(self, request):
        data = validated(AbsenteesInputSerializer, request)
        session = checkable_session(user=request.user, pk=data["session"])
        if session is None:
            raise NotFound(_("无此考核场次。"))
        marked = mark_session_absentees(actor=request.user, session=session)
        return Response(AbsenteesSerializer({"marked": marked}).data)
