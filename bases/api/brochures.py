"""Brochures (招生简章) through the API: the office's drafts and versions, their completeness
gaps, submission, and the province's audit (approve, return, publish), with the same services as
the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from bases.api.serializers import (
    BrochureApproveInputSerializer,
    BrochureDetailSerializer,
    BrochureDraftInputSerializer,
    BrochureListSerializer,
    BrochureReturnInputSerializer,
    BrochureVersionSerializer,
)
from bases.models import (
    BrochureStatus,
)
from bases.selectors.brochures import brochure_details, brochure_rows, version_by_pk, version_rows, visible_version
from bases.services.brochures import (
    approve_brochure,
    gaps_of,
    publish_brochure,
    return_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from policy.selectors import campaign_or_404
from portal.api import ERRORS, LIST_ERRORS, READ_ERRORS, GapSerializer, choice_param, validated
from portal.models import Role
from portal.permissions import VIEW, require, require_role


def _version_response(version):
    return Response(BrochureVersionSerializer(version_rows().get(pk=version.pk)).data)


@extend_schema(
    tags=["招生简章"],
    summary="招生简章列表（本人可见范围）",
    parameters=[OpenApiParameter("status", str, enum=BrochureStatus.values, description="按最新版本的状态筛选")],
    responses={200: BrochureListSerializer, **LIST_ERRORS},
)
class BrochureList(generics.ListAPIView):
    serializer_class = BrochureListSerializer

    def get_queryset(self):
        return brochure_rows(
            user=self.request.user,
            status=choice_param(
                self.request, "status", BrochureStatus, invalid=_("无效的状态“%(value)s”，可选：%(values)s")
            ),
        )


@extend_schema(
    tags=["招生简章"],
    summary="招生简章及其全部版本和审核意见",
    responses={200: BrochureDetailSerializer, **READ_ERRORS},
)
class BrochureDetail(generics.RetrieveAPIView):
    serializer_class = BrochureDetailSerializer
    queryset = brochure_details()

    def get_object(self):
        brochure = super().get_object()
        require(self.request.user, VIEW, brochure)
        return brochure


class BrochureDraft(APIView):
    @extend_schema(
        tags=["招生简章"],
        summary="开始编写本基地本年度的招生简章",
        description="培训基地招收办公室：返回正在编写或审核中的版本；若没有，则新建一个版本，内容取自最近一版"
        "（退回修改或已发布的版本）。请求体可省略。",
        request=None,
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        if user.training_base_id is None:
            raise PermissionDenied(_("只有培训基地招收办公室可以编写招生简章。"))
        version = start_brochure_draft(
            actor=user, campaign=campaign_or_404(province=user.province_id), training_base=user.training_base
        )
        return _version_response(version)


class BrochureVersionDetail(APIView):
    @extend_schema(
        tags=["招生简章"], summary="招生简章的一个版本", responses={200: BrochureVersionSerializer, **READ_ERRORS}
    )
    def get(self, request, pk):
        return _version_response(visible_version(user=request.user, pk=pk))

    def _save(self, request, pk, *, partial):
        version = version_by_pk(pk)
        data = validated(BrochureDraftInputSerializer, request, partial=partial)
        sections = data.get("sections", {})
        if partial:
            sections = {**version.sections, **sections}
        version = save_brochure_draft(
            actor=request.user,
            version=version,
            applicant_types=data.get("applicant_types", version.applicant_types),
            sections=sections,
        )
        return _version_response(version)

    @extend_schema(
        tags=["招生简章"],
        summary="保存草稿（整体替换）",
        description="只有草稿可以修改；已提交的版本返回 409。未列出的栏目将被清空。",
        request=BrochureDraftInputSerializer,
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def put(self, request, pk):
        return self._save(request, pk, partial=False)

    @extend_schema(
        tags=["招生简章"],
        summary="保存草稿（部分修改）",
        description="只修改请求中给出的字段；sections 中给出的栏目覆盖原内容，其余栏目不变。",
        request=BrochureDraftInputSerializer(partial=True),
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def patch(self, request, pk):
        return self._save(request, pk, partial=True)


class BrochureVersionGaps(APIView):
    @extend_schema(
        tags=["招生简章"],
        summary="完整性检查",
        description="列出尚未填写或过于简略的栏目；空列表表示可以提交。",
        responses={200: GapSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, pk):
        return Response(GapSerializer(gaps_of(visible_version(user=request.user, pk=pk)), many=True).data)


class BrochureVersionSubmit(APIView):
    @extend_schema(
        tags=["招生简章"],
        summary="提交省级审核",
        description="培训基地招收办公室提交草稿；内容不完整时返回 400，gaps 列出每个缺项。",
        request=None,
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        return _version_response(submit_brochure(actor=request.user, version=version_by_pk(pk)))


class BrochureVersionApprove(APIView):
    @extend_schema(
        tags=["招生简章"],
        summary="审核通过",
        request=BrochureApproveInputSerializer,
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        version = version_by_pk(pk)
        data = validated(BrochureApproveInputSerializer, request)
        return _version_response(approve_brochure(actor=request.user, version=version, note=data["note"]))


class BrochureVersionReturn(APIView):
    @extend_schema(
        tags=["招生简章"],
        summary="退回修改",
        description="省级办公室按栏目填写修改意见后退回；至少需要一条意见。",
        request=BrochureReturnInputSerializer,
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        version = version_by_pk(pk)
        data = validated(BrochureReturnInputSerializer, request)
        version = return_brochure(actor=request.user, version=version, comments=data["comments"], note=data["note"])
        return _version_response(version)


class BrochureVersionPublish(APIView):
    @extend_schema(
        tags=["招生简章"],
        summary="发布",
        description="发布审核通过的版本，原发布版本标记为已替代；未经审核通过返回 409。",
        request=None,
        responses={200: BrochureVersionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        return _version_response(publish_brochure(actor=request.user, version=version_by_pk(pk)))
