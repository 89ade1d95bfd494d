"""Assessment sessions through the API (考核场次): a specialty base's sessions and their seats,
adding a session, seating by hand or evenly, answering move requests; the candidate's own seats and
its one move request. Scoped like the pages: lists are narrowed by `visible`, a single object read
is checked with `require(user, VIEW, obj)`, and each write is one service call
(admissions.services.sessions) that checks the role, scope and window, locks and audits."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.applicant import OwnDataMixin
from admissions.api.rounds import APPLICANT_TAGS, ASSESSMENT_TAGS
from admissions.api.serializers.sessions import (
    AssignInputSerializer,
    BalancedInputSerializer,
    BalancedSerializer,
    MoveDecisionInputSerializer,
    MoveInputSerializer,
    MoveRequestSerializer,
    MySeatSerializer,
    SessionSerializer,
    StaffSeatSerializer,
)
from admissions.models import AssessmentSession, SessionSeat
from admissions.selectors.assessments import assessment_by_pk
from admissions.selectors.rounds import specialty_base_of
from admissions.selectors.sessions import (
    move_request_by_pk,
    seat_rows,
    seats_by_name,
    session_by_pk,
    session_seats,
    session_with_taken,
    staff_sessions,
)
from admissions.services.sessions import assign_balanced, assign_seat, create_session, decide_move, request_move
from policy.selectors import campaign_or_404
from portal.api import ERRORS, LIST_ERRORS, READ_ERRORS, int_param, is_schema_generation, validated
from portal.models import STAFF_ROLES
from portal.permissions import VIEW, require, require_role

SESSION_TAGS = ASSESSMENT_TAGS


def _session_response(session, status=200):
    return Response(SessionSerializer(session_with_taken(session.pk)).data, status=status)


def _session_or_404(user, pk):
    session = session_by_pk(pk)
    if session is None:
        raise NotFound
    require(user, VIEW, session)
    return session


class SessionList(generics.ListCreateAPIView):
    serializer_class = SessionSerializer

    @extend_schema(
        tags=SESSION_TAGS,
        summary="考核场次（本人可见范围）",
        description="本省本年度的考核场次，按开始时间排列：专业基地只见本专业基地的，培训基地招收办公室本基地的，"
        "省级办公室全省的。taken 为已安排人数（不含已取消）。",
        parameters=[
            OpenApiParameter("round", int, enum=[1, 2], description="批次"),
            OpenApiParameter("specialty_base", int, description="专业基地编号"),
        ],
        responses={200: SessionSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if is_schema_generation(self):
            return AssessmentSession.objects.none()
        request = self.request
        require_role(request.user, *STAFF_ROLES)
        return staff_sessions(
            user=request.user,
            campaign=campaign_or_404(province=request.user.province_id),
            round_number=int_param(request, "round", _("批次应为 1 或 2。"), choices=(1, 2)),
            specialty_base_id=int_param(request, "specialty_base", _("专业基地编号应为整数。")),
        )

    @extend_schema(
        tags=SESSION_TAGS,
        summary="添加考核场次",
        description="专业基地或其培训基地招收办公室：场次须在该批次考核时间内、晚于现在；现场考核须有地点，"
        "网络视频考核须有会议链接。",
        request=SessionSerializer,
        responses={201: SessionSerializer, **ERRORS},
    )
    def post(self, request, *args, **kwargs):
        data = validated(SessionSerializer, request)
        specialty_base = specialty_base_of(data["specialty_base_id"])
        if specialty_base is None:
            raise NotFound
        session = create_session(
            actor=request.user,
            campaign=campaign_or_404(province=specialty_base.training_base.province_id),
            round_number=data["round"],
            specialty_base=specialty_base,
            part=data["part"],
            mode=data["mode"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            place=data["place"],
            video_link=data["video_link"],
            note=data["note"],
        )
        return _session_response(session, status=201)


class SessionSeats(generics.ListAPIView):
    serializer_class = StaffSeatSerializer

    @extend_schema(
        tags=SESSION_TAGS,
        summary="一个场次的考生",
        description="已安排、已签到和缺考的考生（不含已取消），按姓名排列；证件号码中间隐去。",
        responses={200: StaffSeatSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if is_schema_generation(self):
            return SessionSeat.objects.none()
        require_role(self.request.user, *STAFF_ROLES)
        return session_seats(_session_or_404(self.request.user, self.kwargs["pk"]))

    @extend_schema(
        tags=SESSION_TAGS,
        summary="手工安排考生",
        description="在考核时间内、场次开始前，把本专业基地本批次资格审核通过的考生安排到该场次：场次已满、"
        "该考生这项考核已有安排，或与其在任何基地已安排的场次时间重叠（code 为 session_clash）时返回 409。"
        "考生收到通知和考核通知的链接。",
        request=AssignInputSerializer,
        responses={201: StaffSeatSerializer, **ERRORS},
    )
    def post(self, request, pk):
        session = session_by_pk(pk)
        if session is None:
            raise NotFound
        data = validated(AssignInputSerializer, request)
        assessment = assessment_by_pk(data["assessment"])
        if assessment is None:
            raise NotFound
        seat = assign_seat(actor=request.user, session=session, assessment=assessment)
        return Response(StaffSeatSerializer(session_seats(session).get(pk=seat.pk)).data, status=201)


class BalancedAssignment(APIView):
    @extend_schema(
        tags=SESSION_TAGS,
        summary="均衡安排",
        description="把本专业基地本批次资格审核通过（含调剂）、尚未安排该项考核的考生，依次安排到该项考核人数最少、"
        "尚未开始且有空位的场次；与考生已安排的其他场次时间重叠者不安排（clashed），没有空位者列入 no_room。"
        "再次调用只安排新出现的考生。",
        request=BalancedInputSerializer,
        responses={200: BalancedSerializer, **ERRORS},
    )
    def post(self, request):
        data = validated(BalancedInputSerializer, request)
        specialty_base = specialty_base_of(data["specialty_base"])
        if specialty_base is None:
            raise NotFound
        result = assign_balanced(
            actor=request.user,
            campaign=campaign_or_404(province=specialty_base.training_base.province_id),
            round_number=data["round"],
            specialty_base=specialty_base,
            part=data["part"],
        )
        return Response(
            BalancedSerializer(
                {
                    "seated": seats_by_name(result.seated),
                    "clashed": [a.pk for a in result.clashed],
                    "no_room": [a.pk for a in result.no_room],
                }
            ).data
        )


class MoveDecision(APIView):
    @extend_schema(
        tags=SESSION_TAGS,
        summary="处理调换场次申请",
        description="同意：考生的安排改到所申请的场次，验证码不变；"
        "该场次已满、已开始或与考生其他场次时间重叠时返回 409。不同意须写明考生能看到的原因（400）。考生收到通知。",
        request=MoveDecisionInputSerializer,
        responses={200: MoveRequestSerializer, **ERRORS},
    )
    def post(self, request, pk):
        move = move_request_by_pk(pk)
        if move is None:
            raise NotFound
        data = validated(MoveDecisionInputSerializer, request)
        move = decide_move(actor=request.user, move_request=move, approve=data["approve"], note=data["note"])
        return Response(MoveRequestSerializer(move).data)


class MySeats(OwnDataMixin, generics.ListAPIView):
    serializer_class = MySeatSerializer

    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="本人的考核安排",
        description="每项考核的场次（时间、现场地点或视频链接）、状态、验证码、考核通知 PDF 的地址和调换申请。",
        responses={200: MySeatSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.own(seat_rows())


class MySeatMove(OwnDataMixin, APIView):
    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="申请调换考核场次",
        description="每项安排只能申请一次，须在本批次考核时间内、原场次开始前；只能调换到本专业基地同一批次同一考核内容、"
        "尚未开始且有空位的场次。他人的安排返回 404。",
        request=MoveInputSerializer,
        responses={201: MoveRequestSerializer, **ERRORS},
    )
    def post(self, request, pk):
        seat = get_object_or_404(self.own(seat_rows()), pk=pk)
        data = validated(MoveInputSerializer, request)
        target = session_by_pk(data["to_session"])
        if target is None:
            raise NotFound
        move = request_move(actor=request.user, seat=seat, to_session=target, reason=data["reason"])
        return Response(MoveRequestSerializer(move).data, status=201)
