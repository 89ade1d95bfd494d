"""The applicant's side of the rounds through the API (me/assessments/, me/invitations/):
its assessments with the stage the clock gives, acceptance or refusal during publicity, consent to
adjustment (调剂), answering round-2 invitations; and the public check of an admission notice.
Another applicant's object is "not found" (404)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.applicant import OwnDataMixin
from admissions.api.rounds import APPLICANT_TAGS, ASSESSMENT_TAGS
from admissions.api.serializers.offers import (
    AdjustmentInputSerializer,
    ConfirmInputSerializer,
    InvitationSerializer,
    MyAssessmentSerializer,
    ScoreBreakdownSerializer,
    VerificationSerializer,
)
from admissions.models import (
    Assessment,
    Invitation,
)
from admissions.selectors.assessments import assessment_rows, own_assessments
from admissions.selectors.invitations import invitation_rows, own_invitations
from admissions.selectors.offers import verified_admission
from admissions.selectors.scores import score_breakdown
from admissions.services.assessments import (
    request_adjustment,
)
from admissions.services.invitations import accept_invitation, decline_invitation
from admissions.services.publicity import (
    confirm_offer,
)
from portal.api import ERRORS, READ_ERRORS, ApiErrorSerializer, text_param, validated
from portal.errors import DomainError
from portal.throttling import AddressRateThrottle


class _OwnRounds(OwnDataMixin):
    def own_assessments(self):
        if self.applicant is None:  # the schema generator's fake view
            return Assessment.objects.none()
        return own_assessments(user=self.request.user, applicant=self.applicant)

    def own_assessment(self, pk):
        return get_object_or_404(self.own_assessments(), pk=pk)

    def own_invitations(self):
        if self.applicant is None:
            return Invitation.objects.none()
        return own_invitations(user=self.request.user, applicant=self.applicant)

    def own_invitation(self, pk):
        return get_object_or_404(self.own_invitations(), pk=pk)


def _my_assessment_response(assessment, status=200):
    return Response(MyAssessmentSerializer(assessment_rows().get(pk=assessment.pk)).data, status=status)


def _my_invitation_response(invitation):
    return Response(InvitationSerializer(invitation_rows().get(pk=invitation.pk)).data)


@extend_schema(
    tags=APPLICANT_TAGS,
    summary="本人的考核与录取",
    description="每个考核一行（第一志愿、调剂、第二批次），新的在前：资格审核意见、成绩、拟录取、公示期、确认和录取。"
    "公示结束、无待处理异议且已接受者即显示为已录取。",
    responses={200: MyAssessmentSerializer(many=True), 403: ERRORS[403]},
)
class MyAssessments(_OwnRounds, generics.ListAPIView):
    serializer_class = MyAssessmentSerializer

    def get_queryset(self):
        return self.own_assessments().order_by("-created_at", "-id")


class MyAssessmentScore(_OwnRounds, APIView):
    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="本人的成绩说明",
        description="专业基地的考核结果公示后：本人的面试、专业考试成绩，公示时所用计分公式的版本和权重，综合成绩，"
        "在本专业基地本批次的排名和录取线（该公示名单在本专业基地拟录取者的最低综合成绩）。"
        "不含其他考生的成绩或姓名。公示前或成绩未录全时返回 404（code 为 not_published）；他人的考核返回 404。",
        responses={200: ScoreBreakdownSerializer, **READ_ERRORS},
    )
    def get(self, request, pk):
        assessment = self.own_assessment(pk)
        breakdown = score_breakdown(applicant=self.applicant, assessment=assessment)
        if breakdown is None:
            raise DomainError(_("本专业基地的考核结果公示后，才能查看成绩说明。"), status=404, code="not_published")
        return Response(ScoreBreakdownSerializer(breakdown).data)


class MyAssessmentConfirm(_OwnRounds, APIView):
    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="确认接受或放弃拟录取",
        description="只能在拟录取名单公示期内（截止日24时前）；放弃后名额随即释放，不能撤销（409）。",
        request=ConfirmInputSerializer,
        responses={200: MyAssessmentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        assessment = self.own_assessment(pk)
        data = validated(ConfirmInputSerializer, request)
        return _my_assessment_response(confirm_offer(actor=request.user, assessment=assessment, accept=data["accept"]))


class MyAssessmentAdjustment(_OwnRounds, APIView):
    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="申请调剂",
        description="第一批次第一志愿未被录取时，同意调剂到同一培训基地仍有名额的另一个专业基地；"
        "同意的时间被记录，并重新检查申报条件（不符合时 400，名额已满时 409）。返回新的考核。",
        request=AdjustmentInputSerializer,
        responses={201: MyAssessmentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        assessment = self.own_assessment(pk)
        data = validated(AdjustmentInputSerializer, request)
        adjustment = request_adjustment(
            actor=request.user, assessment=assessment, specialty_base=data["specialty_base"]
        )
        return _my_assessment_response(adjustment, status=201)


@extend_schema(
    tags=APPLICANT_TAGS,
    summary="本人收到的复试邀请",
    description="紧缺专业在前，其次按邀请时间从新到旧；只能接受其中一个。",
    responses={200: InvitationSerializer(many=True), 403: ERRORS[403]},
)
class MyInvitations(_OwnRounds, generics.ListAPIView):
    serializer_class = InvitationSerializer

    def get_queryset(self):
        return self.own_invitations()


class MyInvitationAccept(_OwnRounds, APIView):
    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="接受复试邀请",
        description="在第二批次填报期间；接受后即成为本人的第二批次志愿，其他待回复的邀请自动谢绝。"
        "已接受过其他邀请或已填报第二批次志愿时返回 409。",
        request=None,
        responses={200: InvitationSerializer, **ERRORS},
    )
    def post(self, request, pk):
        invitation = self.own_invitation(pk)
        return _my_invitation_response(accept_invitation(actor=request.user, invitation=invitation))


class MyInvitationDecline(_OwnRounds, APIView):
    @extend_schema(
        tags=APPLICANT_TAGS,
        summary="谢绝复试邀请",
        request=None,
        responses={200: InvitationSerializer, **ERRORS},
    )
    def post(self, request, pk):
        invitation = self.own_invitation(pk)
        return _my_invitation_response(decline_invitation(actor=request.user, invitation=invitation))


class VerifyThrottle(AddressRateThrottle):
    """Checks per client address; the rate is the class's own, so no setting is needed."""

    scope = "verify_admission"
    rate = "60/minute"


class AdmissionVerify(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="核验录取通知书（公开）",
        description=(
            "按录取通知书编号和验证码核验；无需登录。不对应时只返回 {valid: false}；"
            "此前版本通知书的验证码返回 valid: false 和被新版本取代的时间 superseded_at。"
        ),
        parameters=[
            OpenApiParameter("notice_number", str, required=True, description="录取通知书编号"),
            OpenApiParameter("code", str, required=True, description="通知书上的验证码（不区分大小写）"),
        ],
        responses={
            200: VerificationSerializer,
            400: ERRORS[400],
            429: OpenApiResponse(ApiErrorSerializer, description="请求过于频繁"),
        },
    )
    def get(self, request):
        admission = verified_admission(
            notice_number=text_param(request, "notice_number"), verification_code=text_param(request, "code")
        )
        if admission is None:
            return Response(VerificationSerializer({"valid": False}).data)
        assessment = admission.assessment
        result = {
            "valid": admission.superseded_at is None,
            "name": assessment.application.applicant.full_name,
            "specialty_base": str(assessment.specialty_base),
            "admitted_at": admission.admitted_at,
        }
        if admission.superseded_at:
            result["superseded_at"] = admission.superseded_at
        if admission.identity_corrected_at:
            result["identity_corrected_at"] = admission.identity_corrected_at
        return Response(VerificationSerializer(result).data)
