"""The applicant's own data through the API: registration, profile, education, documents, the plan
marked eligible or not, and the choice of a specialty base.

Session-authenticated; every endpoint under me/ is for the applicant role only (403 otherwise) and
works on the caller's own applicant, so there is no id of another applicant to ask for: an object
that is not the caller's is "not found" (404), whether it exists or not. Every write is one service
call (which checks the owner again, locks, audits and notifies); a DomainError becomes
{detail, code[, reasons]} with its status in portal.api.api_exception_handler.
"""

from django.contrib.auth import login
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.serializers.applicant import (
    ApplicationSerializer,
    ChoiceInputSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    EducationSerializer,
    EligibilityRowSerializer,
    ProfileSerializer,
    RegisterSerializer,
)
from admissions.models import Application
from admissions.selectors.applicants import (
    applicant_documents,
    applicant_of,
    application_rows,
    applications_of,
    education_records,
)
from admissions.selectors.facts import eligibility_by_quota
from admissions.services.applicants import (
    add_education,
    delete_document,
    register_applicant,
    remove_education,
    update_profile,
    upload_document,
)
from admissions.services.choices import submit_choice, withdraw_choice
from bases.selectors.directory import public_campaign
from bases.selectors.plan import plan_rows
from policy.selectors import campaign_by_pk, campaign_or_404
from portal.api import (
    READ_ERRORS,
    ApiErrorSerializer,
    error_responses,
    int_param,
    is_schema_generation,
    text_param,
    validated,
)
from portal.models import Role
from portal.permissions import CHANGE, VIEW, require, require_role, visible
from portal.throttling import AddressRateThrottle
from portal.uploads import CONTENT_TYPES, document_response

TAGS = ["学员"]


ERRORS = error_responses(forbidden="未登录，或不是学员账号", not_found="对象不存在（或不属于本人）")


class RegisterThrottle(AddressRateThrottle):
    """Registrations per client address; the rate is the class's own, so no setting is needed."""

    scope = "register"
    rate = "20/hour"


class Register(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [RegisterThrottle]

    @extend_schema(
        tags=TAGS,
        summary="学员注册",
        description="用11位手机号码或电子邮箱和密码注册学员账号；注册成功即已登录（会话），以后用同一登录名登录。"
        "同一来源每小时最多注册20次。",
        request=RegisterSerializer,
        responses={
            201: ProfileSerializer,
            400: ERRORS[400],
            409: OpenApiResponse(ApiErrorSerializer, description="该手机号码或电子邮箱已注册"),
            429: OpenApiResponse(ApiErrorSerializer, description="注册过于频繁，请稍后再试"),
        },
    )
    def post(self, request):
        data = validated(RegisterSerializer, request)
        applicant = register_applicant(login=data["login"], password=data["password"], full_name=data["full_name"])
        login(request._request, applicant.user)
        return Response(ProfileSerializer(applicant_of(applicant.user)).data, status=201)


# The caller's own applicant as `self.applicant`; any other role is refused (403). (A comment, not
# a docstring: the schema would show it as every view's description.)
class OwnDataMixin:
    applicant = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if is_schema_generation(self):
            return
        require_role(request.user, Role.APPLICANT)
        self.applicant = applicant_of(request.user)
        if self.applicant is None:
            raise PermissionDenied(_("此账号没有学员档案。"))

    def own(self, queryset, action=VIEW):
        """`queryset` narrowed to the caller's own rows."""
        if self.applicant is None:  # the schema generator's fake view
            return queryset.none()
        return visible(self.request.user, queryset.filter(applicant=self.applicant), action)

    def own_object(self, queryset, pk, action=VIEW):
        obj = get_object_or_404(self.own(queryset, action), pk=pk)
        require(self.request.user, action, obj)
        return obj


class Me(OwnDataMixin, APIView):
    def _profile(self):
        return Response(ProfileSerializer(self.applicant).data)

    @extend_schema(
        tags=TAGS,
        summary="本人的学员信息",
        description="全部个人信息（证件号码完整显示给本人），以及填报志愿前尚需补充的缺项。",
        responses={200: ProfileSerializer, 403: ERRORS[403]},
    )
    def get(self, request):
        return self._profile()

    @extend_schema(
        tags=TAGS,
        summary="修改本人的学员信息",
        description="只修改请求中给出的字段。身份证件号码按 GB 11643 校验，居民身份证和居住证号码决定出生日期和性别；"
        "号码无法保存时返回 409（不说明原因，可提出占用申诉），一天内换号超过 5 次返回 429；"
        "已被拟录取、公示或录取后修改姓名或证件信息返回 409（identity_frozen），须提交更正申请。",
        request=ProfileSerializer(partial=True),
        responses={
            200: ProfileSerializer,
            400: ERRORS[400],
            403: ERRORS[403],
            409: ERRORS[409],
            429: OpenApiResponse(ApiErrorSerializer, description="一天内更换证件号码的次数过多"),
        },
    )
    def patch(self, request):
        data = validated(ProfileSerializer, request, instance=self.applicant, partial=True)
        update_profile(actor=request.user, applicant=self.applicant, **data)
        self.applicant = applicant_of(request.user, reload=True)
        return self._profile()


class MyEducations(OwnDataMixin, generics.ListAPIView):
    serializer_class = EducationSerializer

    def get_queryset(self):
        return self.own(education_records())

    @extend_schema(tags=TAGS, summary="本人的学历", responses={200: EducationSerializer(many=True), 403: ERRORS[403]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="添加一条学历",
        request=EducationSerializer,
        responses={201: EducationSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def post(self, request):
        data = validated(EducationSerializer, request)
        record = add_education(actor=request.user, applicant=self.applicant, **data)
        return Response(EducationSerializer(record).data, status=201)


class MyEducation(OwnDataMixin, APIView):
    @extend_schema(tags=TAGS, summary="删除一条学历", responses={204: None, **READ_ERRORS})
    def delete(self, request, pk):
        record = self.own_object(education_records(), pk, CHANGE)
        remove_education(actor=request.user, record=record)
        return Response(status=204)


class MyDocuments(OwnDataMixin, generics.ListAPIView):
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return self.own(applicant_documents())

    @extend_schema(
        tags=TAGS, summary="本人上传的材料", responses={200: DocumentSerializer(many=True), 403: ERRORS[403]}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="上传一份材料",
        description="multipart/form-data：kind 与 file。只接受 PDF、JPEG、PNG（按文件内容判断，与文件名无关），"
        "不超过 10 MB；文件名只作显示，不用作存储路径。被拒绝时返回 400 和原因，不保存任何内容。",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def post(self, request):
        data = validated(DocumentUploadSerializer, request)
        document = upload_document(actor=request.user, applicant=self.applicant, kind=data["kind"], file=data["file"])
        return Response(DocumentSerializer(document).data, status=201)


class MyDocument(OwnDataMixin, APIView):
    @extend_schema(tags=TAGS, summary="删除一份材料", responses={204: None, **READ_ERRORS})
    def delete(self, request, pk):
        document = self.own_object(applicant_documents(), pk, CHANGE)
        delete_document(actor=request.user, document=document)
        return Response(status=204)


class MyDocumentFile(OwnDataMixin, APIView):
    def perform_content_negotiation(self, request, force=False):
        # The answer is the file, whatever the client accepts (Accept: application/pdf must not
        # be a 406); an error is still JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        tags=TAGS,
        summary="下载本人的一份材料",
        description="以附件形式返回文件（Content-Type 按文件内容）。培训基地和省级办公室通过网页查看学员材料。",
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()},
            **READ_ERRORS,
        },
    )
    def get(self, request, pk):
        document = self.own_object(applicant_documents(), pk)
        return document_response(
            document.file, download_name=f"{document.get_kind_display()}-{self.applicant.full_name}"
        )


def _plan_campaign(request):
    """The campaign asked for by id, else the current one of the province asked for (or the
    deployment's default province)."""
    campaign_id = int_param(request, "campaign", _("年度招录编号应为整数。"))
    if campaign_id is not None:
        campaign = campaign_by_pk(campaign_id)
    else:
        campaign = public_campaign(request.query_params.get("province"), cached=True)
    if campaign is None:
        raise NotFound(_("本年度招收计划尚未发布。"))
    return campaign


@extend_schema(
    tags=TAGS,
    summary="招收计划表，逐个专业基地标明本人是否符合申报条件",
    description="每行附 eligible 和 reasons（不符合时列出每条理由及所依据的条款）。筛选参数同公开的招收计划表。",
    parameters=[
        OpenApiParameter("campaign", int, description="年度招录编号；缺省为当前年度"),
        OpenApiParameter("province", str, description="省级行政区划代码；未给出 campaign 时使用，缺省为本平台默认省份"),
        OpenApiParameter("city", str, description="市州"),
        OpenApiParameter("specialty", int, description="培训专业编号"),
        OpenApiParameter("shortage", bool, description="只看紧缺专业"),
    ],
    responses={200: EligibilityRowSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
)
class MyEligibility(OwnDataMixin, generics.ListAPIView):
    serializer_class = EligibilityRowSerializer

    def get_queryset(self):
        self.campaign = _plan_campaign(self.request)
        request = self.request
        return plan_rows(
            campaign=self.campaign,
            city=text_param(request, "city"),
            specialty_id=int_param(request, "specialty", _("培训专业编号应为整数。")),
            shortage_only=request.query_params.get("shortage", "").lower() in {"1", "true", "yes"},
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # The rules run for this page's rows only, with the applicant's facts gathered once.
        decisions = eligibility_by_quota(applicant=self.applicant, campaign=self.campaign, quotas=page)
        serializer = self.get_serializer(
            page, many=True, context={**self.get_serializer_context(), "decisions": decisions}
        )
        return self.get_paginated_response(serializer.data)


class MyApplications(OwnDataMixin, generics.ListAPIView):
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        if self.applicant is None:  # the schema generator's fake view
            return Application.objects.none()
        return visible(self.request.user, applications_of(self.applicant))

    @extend_schema(
        tags=TAGS,
        summary="本人的志愿及其历史",
        description="每次填报一行，新的在前；改报后原志愿为“已改报”，撤回为“已撤回”。",
        responses={200: ApplicationSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="填报或改报志愿",
        description="只能在本批次填报时间内（北京时间，截止日24时止）。"
        "选择与当前志愿相同的专业基地时不做改变，返回 200；选择其他专业基地时原志愿变为“已改报”，返回 201。"
        "不符合申报条件时返回 400，reasons 列出每条理由及条款；"
        "信息不全时返回 400 并列出缺项；不在填报时间内返回 409。",
        request=ChoiceInputSerializer,
        responses={
            200: OpenApiResponse(ApplicationSerializer, description="与当前志愿相同，未做改变"),
            201: OpenApiResponse(ApplicationSerializer, description="已填报（或已改报）"),
            400: ERRORS[400],
            403: ERRORS[403],
            404: ERRORS[404],
            409: ERRORS[409],
        },
    )
    def post(self, request):
        specialty_base = validated(ChoiceInputSerializer, request)["specialty_base"]
        campaign = campaign_or_404(province=specialty_base.training_base.province_id, cached=True)
        submitted = submit_choice(
            actor=request.user, applicant=self.applicant, campaign=campaign, specialty_base=specialty_base
        )
        # The new choice already carries what the answer shows; only an unchanged one is read again.
        if not submitted.changed:
            return _application_response(submitted.application)
        return Response(ApplicationSerializer(submitted.application).data, status=201)


def _application_response(application, status=200):
    return Response(
        ApplicationSerializer(applications_of(application.applicant).get(pk=application.pk)).data, status=status
    )


class MyApplicationWithdraw(OwnDataMixin, APIView):
    @extend_schema(
        tags=TAGS,
        summary="撤回志愿",
        description="只能在该批次填报时间内撤回；撤回后可重新填报。",
        request=None,
        responses={200: ApplicationSerializer, **ERRORS},
    )
    def post(self, request, pk):
        application = self.own_object(application_rows(), pk, CHANGE)
        return _application_response(withdraw_choice(actor=request.user, application=application))
