"""The admission rounds through the API: assessment, decision, publicity, objections, confirmation,
round-2 invitations and the public check of an admission notice.

Session-authenticated and scoped like the pages: staff lists go through `visible`, single objects
through `require(user, VIEW, obj)` (403 when out of scope), and every write is one service call
(which checks the role and scope again, locks, audits and notifies). The applicant's endpoints under
me/ work on the caller's own rows only: another applicant's object is "not found" (404). A
DomainError becomes {detail, code} with its status (an illegal transition is a 409) in
portal.api.api_exception_handler.

The stage shown is the one the clock gives: a candidate whose publicity ended with no open
objection and who accepted is "admitted" even before the Celery sweep has written it.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api import OwnDataMixin
from admissions.models import (
    Applicant,
    Application,
    Assessment,
    Invitation,
    InvitationStatus,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityKind,
    PublicityList,
    Stage,
)
from admissions.offer_selectors import verified_admission
from admissions.round_selectors import RANKED_STAGES
from admissions.round_serializers import (
    AdjustmentInputSerializer,
    AssessmentSerializer,
    CloseDuplicatesInputSerializer,
    ConfirmInputSerializer,
    DecisionInputSerializer,
    HandleObjectionInputSerializer,
    InvitationInputSerializer,
    InvitationSerializer,
    MyAssessmentSerializer,
    ObjectionInputSerializer,
    ObjectionSerializer,
    PublicityListDetailSerializer,
    PublicityListSerializer,
    PublishInputSerializer,
    QualificationInputSerializer,
    ScoresInputSerializer,
    VerificationSerializer,
)
from admissions.services.admission import due_for_admission
from admissions.services.assessments import (
    EVALUATIONS,
    decide_admission,
    record_scores,
    request_adjustment,
    review_qualification,
)
from admissions.services.invitations import accept_invitation, decline_invitation, invite_applicant
from admissions.services.publicity import (
    close_duplicate_objections,
    confirm_offer,
    handle_objection,
    publish_list,
    raise_objection,
)
from admissions.services.round_close import propose_ranked
from bases.models import Quota, SpecialtyBase
from bases.serializers import ApiErrorSerializer
from policy.models import Campaign
from policy.scoring import TIE_BREAK, composite, rank_key
from policy.selectors import current_campaign
from portal.api import int_param, text_param, validated
from portal.models import Role
from portal.permissions import VIEW, require, require_role, visible
from portal.throttling import AddressRateThrottle

STAFF_ROLES = (Role.PROVINCIAL_OFFICE, Role.BASE_OFFICE, Role.SPECIALTY_BASE_STAFF)
ASSESSMENT_TAGS = ["考核与录取"]
PUBLICITY_TAGS = ["拟录取公示"]
INVITATION_TAGS = ["第二批次邀请"]
APPLICANT_TAGS = ["学员"]

ERRORS = {
    400: OpenApiResponse(ApiErrorSerializer, description="输入有误：按字段列出的错误，或规则给出的 {detail, code}"),
    403: OpenApiResponse(ApiErrorSerializer, description="未登录，或无权进行此操作（角色或范围不符）"),
    404: OpenApiResponse(ApiErrorSerializer, description="对象不存在"),
    409: OpenApiResponse(
        ApiErrorSerializer, description="当前状态或时间不允许此操作（如非法的状态变化、名额已满、公示期已结束）"
    ),
}
READ_ERRORS = {code: ERRORS[code] for code in (403, 404)}
LIST_ERRORS = {code: ERRORS[code] for code in (400, 403)}


def _choice_param(request, name, choices):
    value = request.query_params.get(name, "")
    if value and value not in choices.values:
        raise ValidationError(
            {name: _("无效的值“%(value)s”，可选：%(values)s") % {"value": value, "values": "、".join(choices.values)}}
        )
    return value


def _fake(view):
    return getattr(view, "swagger_fake_view", False)


# --- Querysets -----------------------------------------------------------------------------------


def _quota_value(field):
    quota = Quota.objects.filter(campaign=OuterRef("application__campaign"), specialty_base=OuterRef("specialty_base"))
    return Subquery(quota.values(field)[:1])


def assessment_rows():
    """Assessments with what their rows show, in a constant number of queries: the quota's weights
    and places, the proposed list's last day and whether the clock has admitted the candidate."""
    proposed = PublicityEntry.objects.filter(
        assessment=OuterRef("pk"), publicity_list__kind=PublicityKind.PROPOSED
    ).order_by("publicity_list__published_at")
    return Assessment.objects.select_related(
        "application__applicant", "specialty_base__training_base", "specialty_base__specialty", "admission"
    ).annotate(
        interview_weight=Coalesce(_quota_value("interview_weight"), Value(50)),
        exam_weight=Coalesce(_quota_value("exam_weight"), Value(50)),
        quota_places=_quota_value("places"),
        publicity_last_day=Subquery(proposed.values("publicity_list__last_day")[:1]),
        due=Exists(due_for_admission().filter(pk=OuterRef("pk"))),
    )


def _filter_stage(rows, stage):
    """By the stage the clock gives (see round_serializers.effective_stage)."""
    if stage == Stage.ADMITTED:
        return rows.filter(Q(stage=Stage.ADMITTED) | Q(due=True))
    if stage == Stage.PROPOSED:
        return rows.filter(stage=Stage.PROPOSED, due=False)
    return rows.filter(stage=stage)


def _ranked(rows):
    """The primary keys of `rows` grouped by training base, specialty base and round, ranked in
    each group by policy.scoring.rank_key (an adjustment counts from the applicant's consent),
    unranked rows last; and the rank of each ranked row in its group."""
    keys = rows.values_list(
        "pk",
        "specialty_base__training_base__sort_order",
        "specialty_base__training_base_id",
        "specialty_base__specialty__code",
        "specialty_base_id",
        "application__round",
        "stage",
        "interview_score",
        "exam_score",
        "interview_weight",
        "exam_weight",
        "application__submitted_at",
        "adjustment_consent_at",
    )
    ordered = []
    for pk, order, base, code, specialty_base, round_number, stage, interview, exam, i_weight, e_weight, *times in keys:
        chose_at = times[1] or times[0]
        score = composite(interview, exam, i_weight, e_weight)
        ranked = score is not None and stage in RANKED_STAGES
        key = rank_key(composite_score=score, exam=exam, interview=interview, submitted_at=chose_at)
        group = (order, base, code, specialty_base, round_number)
        ordered.append(((*group, not ranked, key if ranked else (chose_at,), pk), pk, group, ranked))
    ordered.sort(key=lambda row: row[0])
    ranks, counters = {}, {}
    for _key, pk, group, ranked in ordered:
        if ranked:
            counters[group] = counters.get(group, 0) + 1
            ranks[pk] = counters[group]
    return [row[1] for row in ordered], ranks


def _assessment(user, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "application__campaign", "application__applicant", "specialty_base__training_base"
        ),
        pk=pk,
    )
    require(user, VIEW, assessment)
    return assessment


def _assessment_response(assessment, status=200):
    return Response(AssessmentSerializer(assessment_rows().get(pk=assessment.pk)).data, status=status)


def _publicity_lists():
    return PublicityList.objects.select_related("campaign", "training_base").annotate(entry_count=Count("entries"))


def _publicity_detail():
    entries = PublicityEntry.objects.select_related(
        "assessment__application__applicant", "assessment__specialty_base__specialty"
    ).order_by("assessment__specialty_base__specialty__code", "id")
    return _publicity_lists().prefetch_related(Prefetch("entries", queryset=entries))


def _objections():
    return Objection.objects.select_related(
        "entry__publicity_list__training_base",
        "entry__assessment__application__applicant",
        "entry__assessment__specialty_base__specialty",
    )


def _invitations():
    shortage = Campaign.shortage_specialties.through.objects.filter(
        campaign_id=OuterRef("campaign_id"), specialty_id=OuterRef("specialty_base__specialty_id")
    )
    return (
        Invitation.objects.select_related(
            "campaign", "applicant", "specialty_base__training_base", "specialty_base__specialty"
        )
        .annotate(is_shortage=Exists(shortage))
        .order_by("-is_shortage", "-invited_at", "-id")
    )


# --- Staff: assessment and decision --------------------------------------------------------------


@extend_schema(
    tags=ASSESSMENT_TAGS,
    summary="考核名单（本人可见范围）",
    description="专业基地：本专业基地的考生；培训基地招收办公室：本基地；省级办公室：全省。"
    "按培训基地、专业基地分组，组内按综合成绩排名（综合成绩按该专业基地的面试、专业考试权重计算，缺省各占50%）。"
    f"{TIE_BREAK}成绩未录入、资格审核未通过、本人放弃或经异议取消者不参加排名（rank 为空），排在组内最后。"
    "同一专业基地同一批次中 rank 小于等于 quota_places 者在录取线以内。",
    parameters=[
        OpenApiParameter("round", int, enum=[1, 2], description="批次"),
        OpenApiParameter("specialty_base", int, description="专业基地编号"),
        OpenApiParameter(
            "stage", str, enum=Stage.values, description="按状态筛选（按时钟，公示结束且已接受者为已录取）"
        ),
    ],
    responses={200: AssessmentSerializer(many=True), **LIST_ERRORS},
)
class AssessmentList(generics.ListAPIView):
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        if _fake(self):
            return Assessment.objects.none()
        request = self.request
        require_role(request.user, *STAFF_ROLES)
        rows = visible(request.user, assessment_rows())
        round_number = int_param(request, "round", _("批次应为 1 或 2。"), choices=(1, 2))
        if round_number:
            rows = rows.filter(application__round=round_number)
        specialty_base = int_param(request, "specialty_base", _("专业基地编号应为整数。"))
        if specialty_base:
            rows = rows.filter(specialty_base_id=specialty_base)
        stage = _choice_param(request, "stage", Stage)
        return _filter_stage(rows, stage) if stage else rows

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        order, ranks = _ranked(rows)
        page = self.paginate_queryset(order)
        by_pk = rows.in_bulk(page)
        serializer = self.get_serializer(
            [by_pk[pk] for pk in page], many=True, context={**self.get_serializer_context(), "ranks": ranks}
        )
        return self.get_paginated_response(serializer.data)


class AssessmentDetail(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="一名考生的考核",
        description="专业基地、培训基地和省级办公室（本人可见范围）；学员请使用 me/assessments/。",
        responses={200: AssessmentSerializer, **READ_ERRORS},
    )
    def get(self, request, pk):
        require_role(request.user, *STAFF_ROLES)  # the applicant reads its own under me/assessments/
        return _assessment_response(_assessment(request.user, pk))


class ApplicationQualification(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="资格审核",
        description="专业基地或培训基地招收办公室审核第一志愿的资格，只能在本批次考核时间内进行。"
        "不通过时必须写明学员能看到的原因；审核不通过者可以改为通过。返回该志愿的考核。",
        request=QualificationInputSerializer,
        responses={200: AssessmentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        application = get_object_or_404(Application.objects.select_related("campaign", "applicant"), pk=pk)
        require(request.user, VIEW, application)
        data = validated(QualificationInputSerializer, request)
        assessment = review_qualification(
            actor=request.user, application=application, passed=data["passed"], note=data["note"]
        )
        return _assessment_response(assessment)


class AssessmentScores(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="录入成绩、评价和录取意见",
        description="面试和专业考试成绩各为 0–100 分、最多一位小数（超出范围返回 400）；面试可现场或网络视频进行。"
        "四项书面评价只修改请求中给出的项。只有资格审核通过、尚未决定录取的考生可以录入（否则 409）。",
        request=ScoresInputSerializer,
        responses={200: AssessmentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        assessment = _assessment(request.user, pk)
        data = validated(ScoresInputSerializer, request)
        assessment = record_scores(
            actor=request.user,
            assessment=assessment,
            interview_score=data["interview_score"],
            exam_score=data["exam_score"],
            interview_mode=data["interview_mode"],
            opinion=data["opinion"],
            **{field: data[field] for field in EVALUATIONS if field in data},
        )
        return _assessment_response(assessment)


class AssessmentDecision(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="培训基地决定拟录取或不录取",
        description="培训基地招收办公室：拟录取占用该专业基地的一个招收计划，名额已满时返回 409（可申请增加计划）；"
        "拟录取需已录入两项成绩。已列入公示名单的考生不能再改变决定（409）。",
        request=DecisionInputSerializer,
        responses={200: AssessmentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        assessment = _assessment(request.user, pk)
        data = validated(DecisionInputSerializer, request)
        assessment = decide_admission(
            actor=request.user, assessment=assessment, admit=data["admit"], reason=data["reason"]
        )
        return _assessment_response(assessment)


class SpecialtyBaseProposeRanked(APIView):
    @extend_schema(
        tags=ASSESSMENT_TAGS,
        summary="按排名拟录取（招收计划内）",
        description="培训基地招收办公室：把本基地该专业基地资格审核通过、两项成绩已录入的考生，按综合成绩排名"
        "（同分依次比较专业考试成绩、面试成绩、志愿填报时间）从高到低拟录取，直到招收计划用完，在招收计划的行锁下检查；"
        "切线以下的考生保持资格审核通过。返回本次拟录取的考生，再次调用不会重复拟录取；考核时间外返回 409。",
        request=PublishInputSerializer,
        responses={200: AssessmentSerializer(many=True), **ERRORS},
    )
    def post(self, request, pk):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        specialty_base = get_object_or_404(SpecialtyBase.objects.select_related("training_base"), pk=pk)
        require(user, VIEW, specialty_base)
        data = validated(PublishInputSerializer, request)
        campaign = current_campaign(province=specialty_base.training_base.province_id)
        if campaign is None:
            raise NotFound(_("本省尚未设置年度招录。"))
        proposed = propose_ranked(
            actor=user,
            campaign=campaign,
            training_base=specialty_base.training_base,
            round_number=data["round"],
            specialty_base=specialty_base,
        )
        rows = assessment_rows().filter(pk__in=[assessment.pk for assessment in proposed]).order_by("pk")
        return Response(AssessmentSerializer(rows, many=True).data)


# --- Publicity and objections --------------------------------------------------------------------


class PublicityLists(generics.ListAPIView):
    serializer_class = PublicityListSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method in SAFE_METHODS else [IsAuthenticated()]

    def get_queryset(self):
        rows = _publicity_lists().order_by("-published_at", "-id")
        training_base = int_param(self.request, "training_base", _("培训基地编号应为整数。"))
        if training_base:
            rows = rows.filter(training_base_id=training_base)
        round_number = int_param(self.request, "round", _("批次应为 1 或 2。"), choices=(1, 2))
        if round_number:
            rows = rows.filter(round=round_number)
        return rows

    @extend_schema(
        tags=PUBLICITY_TAGS,
        summary="拟录取名单公示（公开）",
        description="所有培训基地发布的拟录取名单公示和变更公示，新的在前；无需登录。公示期至截止日24时。",
        parameters=[
            OpenApiParameter("training_base", int, description="培训基地编号"),
            OpenApiParameter("round", int, enum=[1, 2], description="批次"),
        ],
        responses={200: PublicityListSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=PUBLICITY_TAGS,
        summary="发布拟录取名单公示",
        description="培训基地招收办公室：把本基地本批次尚未公示的拟录取考生发布为一份公示，"
        "公示期按工作日计算（节假日和调休按国务院安排），截止日见 last_day；列入名单的考生收到通知。"
        "没有尚未公示的拟录取考生时返回 409。",
        request=PublishInputSerializer,
        responses={201: PublicityListDetailSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        if user.training_base_id is None:
            raise PermissionDenied(_("只有培训基地招收办公室可以发布公示。"))
        data = validated(PublishInputSerializer, request)
        campaign = current_campaign(province=user.training_base.province_id)
        if campaign is None:
            raise NotFound(_("本省尚未设置年度招录。"))
        publicity_list = publish_list(
            actor=user, campaign=campaign, training_base=user.training_base, round_number=data["round"]
        )
        return Response(PublicityListDetailSerializer(_publicity_detail().get(pk=publicity_list.pk)).data, status=201)


@extend_schema(
    tags=PUBLICITY_TAGS,
    summary="一份公示及其名单（公开）",
    description="姓名、部分隐藏的证件号码和专业；无需登录。提出异议时使用名单条目的 id。",
    responses={200: PublicityListDetailSerializer, 404: ERRORS[404]},
)
class PublicityListDetail(generics.RetrieveAPIView):
    serializer_class = PublicityListDetailSerializer
    permission_classes = [AllowAny]
    queryset = _publicity_detail()


class EntryObjections(APIView):
    @extend_schema(
        tags=PUBLICITY_TAGS,
        summary="对公示名单中的考生提出异议",
        description="公示期内任何已登录用户都可以提出，需留联系方式；公示期结束后返回 409。",
        request=ObjectionInputSerializer,
        responses={201: ObjectionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        entry = get_object_or_404(PublicityEntry.objects.select_related("publicity_list"), pk=pk)
        data = validated(ObjectionInputSerializer, request)
        objection = raise_objection(actor=request.user, entry=entry, contact=data["contact"], text=data["text"])
        return Response(ObjectionSerializer(_objections().get(pk=objection.pk)).data, status=201)


@extend_schema(
    tags=PUBLICITY_TAGS,
    summary="异议列表（本人可见范围）",
    description="培训基地：针对本基地公示的异议；省级办公室：全省；其他用户：本人提出的异议。新的在前。",
    parameters=[OpenApiParameter("status", str, enum=ObjectionStatus.values, description="按状态筛选")],
    responses={200: ObjectionSerializer(many=True), **LIST_ERRORS},
)
class ObjectionList(generics.ListAPIView):
    serializer_class = ObjectionSerializer

    def get_queryset(self):
        rows = visible(self.request.user, _objections()).order_by("-raised_at", "-id")
        status = _choice_param(self.request, "status", ObjectionStatus)
        return rows.filter(status=status) if status else rows


class ObjectionHandle(APIView):
    @extend_schema(
        tags=PUBLICITY_TAGS,
        summary="记录异议处理情况",
        description="培训基地招收办公室：异议成立时取消该考生的拟录取（释放名额），并发布一份变更公示，另起公示期；"
        "已处理的异议再次处理返回 409。",
        request=HandleObjectionInputSerializer,
        responses={200: ObjectionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        objection = get_object_or_404(_objections(), pk=pk)
        require(request.user, VIEW, objection)
        data = validated(HandleObjectionInputSerializer, request)
        objection = handle_objection(
            actor=request.user, objection=objection, sustained=data["sustained"], note=data["note"]
        )
        return Response(ObjectionSerializer(_objections().get(pk=objection.pk)).data)


class ObjectionCloseDuplicates(APIView):
    @extend_schema(
        tags=PUBLICITY_TAGS,
        summary="把重复异议作为已处理异议的重复一并关闭",
        description="培训基地招收办公室：所选异议须针对同一考生、尚未处理；它们得到与该异议相同的处理结果和同一处理说明，"
        "每条各记一条审计记录。该异议尚未处理返回 409。",
        request=CloseDuplicatesInputSerializer,
        responses={200: ObjectionSerializer(many=True), **ERRORS},
    )
    def post(self, request, pk):
        original = get_object_or_404(_objections(), pk=pk)
        require(request.user, VIEW, original)
        data = validated(CloseDuplicatesInputSerializer, request)
        duplicates = list(visible(request.user, _objections()).filter(pk__in=data["duplicates"]))
        if len(duplicates) != len(set(data["duplicates"])):
            raise NotFound(_("找不到所选的部分异议。"))
        closed = close_duplicate_objections(
            actor=request.user, original=original, duplicates=duplicates, note=data["note"]
        )
        rows = _objections().filter(pk__in=[o.pk for o in closed]).order_by("pk")
        return Response(ObjectionSerializer(rows, many=True).data)


# --- Round-2 invitations (staff) -----------------------------------------------------------------


class InvitationList(generics.ListAPIView):
    serializer_class = InvitationSerializer

    def get_queryset(self):
        rows = visible(self.request.user, _invitations())
        status = _choice_param(self.request, "status", InvitationStatus)
        return rows.filter(status=status) if status else rows

    @extend_schema(
        tags=INVITATION_TAGS,
        summary="复试邀请列表（本人可见范围）",
        description="紧缺专业在前，其次按邀请时间从新到旧。",
        parameters=[OpenApiParameter("status", str, enum=InvitationStatus.values, description="按状态筛选")],
        responses={200: InvitationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=INVITATION_TAGS,
        summary="邀请考生参加第二批次复试",
        description="培训基地招收办公室，在第二批次填报期间：只能邀请未被拟录取或录取、未主动填报第二批次志愿、"
        "未接受其他邀请且符合该专业申报条件的考生（否则 409 或 400 并说明原因）。",
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        data = validated(InvitationInputSerializer, request)
        applicant = Applicant.objects.filter(pk=data["applicant"]).first()
        if applicant is None:
            raise ValidationError({"applicant": _("学员 %(pk)s 不存在。") % {"pk": data["applicant"]}})
        specialty_base = data["specialty_base"]
        campaign = current_campaign(province=specialty_base.training_base.province_id)
        if campaign is None:
            raise NotFound(_("本省尚未设置年度招录。"))
        invitation = invite_applicant(
            actor=user, applicant=applicant, campaign=campaign, specialty_base=specialty_base, message=data["message"]
        )
        return Response(InvitationSerializer(_invitations().get(pk=invitation.pk)).data, status=201)


# --- The applicant's own assessments and invitations ---------------------------------------------


class _OwnRounds(OwnDataMixin):
    def own_assessments(self):
        if self.applicant is None:  # the schema generator's fake view
            return Assessment.objects.none()
        return visible(self.request.user, assessment_rows().filter(application__applicant=self.applicant))

    def own_assessment(self, pk):
        return get_object_or_404(self.own_assessments(), pk=pk)

    def own_invitations(self):
        if self.applicant is None:
            return Invitation.objects.none()
        return visible(self.request.user, _invitations().filter(applicant=self.applicant))

    def own_invitation(self, pk):
        return get_object_or_404(self.own_invitations(), pk=pk)


def _my_assessment_response(assessment, status=200):
    return Response(MyAssessmentSerializer(assessment_rows().get(pk=assessment.pk)).data, status=status)


def _my_invitation_response(invitation):
    return Response(InvitationSerializer(_invitations().get(pk=invitation.pk)).data)


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


# --- Public check of an admission notice ---------------------------------------------------------


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
        description="按录取通知书编号和验证码核验；无需登录。不对应时只返回 {valid: false}。",
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
            "valid": True,
            "name": assessment.application.applicant.full_name,
            "specialty_base": str(assessment.specialty_base),
            "admitted_at": admission.admitted_at,
        }
        if admission.identity_corrected_at:
            result["identity_corrected_at"] = admission.identity_corrected_at
        return Response(VerificationSerializer(result).data)
