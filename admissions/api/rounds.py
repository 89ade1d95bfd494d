"""The assessment through the API (考核与录取): the staff's ranked list of assessments, the
qualification review, scores, the decision and proposing by rank.

Session-authenticated and scoped like the pages: lists come from admissions.selectors (narrowed by
`visible`), a single object read is checked with `require(user, VIEW, obj)` (403 out of scope), and
a write is one service call that checks the role and the scope once (CHANGE), locks, audits and
notifies. A DomainError becomes {detail, code} with its status in
portal.api.api_exception_handler. The stage
shown is the one the clock gives (admissions.selectors.clock)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.serializers.publicity import PublishInputSerializer
from admissions.api.serializers.rounds import (
    AssessmentSerializer,
    DecisionInputSerializer,
    QualificationInputSerializer,
    ScoresInputSerializer,
)
from admissions.models import (
    Assessment,
    Stage,
)
from admissions.selectors.applicants import application_by_pk
from admissions.selectors.assessments import (
    assessment_by_pk,
    assessment_rows,
    ranked_order,
    staff_assessment,
    staff_assessments,
)
from admissions.selectors.rounds import specialty_base_of
from admissions.services.assessments import (
    EVALUATIONS,
    decide_admission,
    record_scores,
    review_qualification,
)
from admissions.services.round_close import propose_ranked
from policy.selectors import campaign_or_404
from portal.api import ERRORS, LIST_ERRORS, READ_ERRORS, choice_param, int_param, is_schema_generation, validated
from portal.models import STAFF_ROLES
from portal.permissions import require_role

ASSESSMENT_TAGS = ["考核与录取"]


PUBLICITY_TAGS = ["拟录取公示"]


INVITATION_TAGS = ["第二批次邀请"]


APPLICANT_TAGS = ["学员"]


def _assessment_response(assessment, status=200):
    return Response(AssessmentSerializer(assessment_rows().get(pk=assessment.pk)).data, status=status)


@extend_schema(
    tags=ASSESSMENT_TAGS,
    summary="考核名单（本人可见范围）",
    description="专业基地：本专业基地的考生；培训基地招收办公室：本基地；省级办公室：全省。"
    "按培训基地、专业基地分组，组内按综合成绩排名：综合成绩按该专业基地现行计分公式（formula_version）的面试、"
    "专业考试权重计算（缺省各占50%），并列时按公式的 tie_break 先比专业考试成绩或面试成绩，仍相同者按志愿填报时间先后。"
    "成绩未录入、资格审核未通过、本人放弃或经异议取消者不参加排名（rank 为空），排在组内最后。"
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
        if is_schema_generation(self):
            return Assessment.objects.none()
        request = self.request
        require_role(request.user, *STAFF_ROLES)
        return staff_assessments(
            user=request.user,
            round_number=int_param(request, "round", _("批次应为 1 或 2。"), choices=(1, 2)),
            specialty_base_id=int_param(request, "specialty_base", _("专业基地编号应为整数。")),
            stage=choice_param(request, "stage", Stage),
        )

    def list(self, request, *args, **kwargs):
        rows = self.get_queryset()
        order, ranks = ranked_order(rows)
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
        return _assessment_response(staff_assessment(user=request.user, pk=pk))


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
        application = application_by_pk(pk)
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
        assessment = assessment_by_pk(pk)
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
        assessment = assessment_by_pk(pk)
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
        specialty_base = specialty_base_of(pk)
        if specialty_base is None:
            raise NotFound
        data = validated(PublishInputSerializer, request)
        campaign = campaign_or_404(province=specialty_base.training_base.province_id)
        proposed = propose_ranked(
            actor=user,
            campaign=campaign,
            training_base=specialty_base.training_base,
            round_number=data["round"],
            specialty_base=specialty_base,
        )
        rows = assessment_rows().filter(pk__in=[assessment.pk for assessment in proposed]).order_by("pk")
        return Response(AssessmentSerializer(rows, many=True).data)
