"""Publicity of proposed admissions through the API (拟录取名单公示): the lists (public while
they run), publishing one, raising an objection, and the office's handling of objections and their
duplicates. Reads come from admissions.selectors.publicity; writes are admissions.services.publicity."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.rounds import PUBLICITY_TAGS
from admissions.api.serializers.publicity import (
    CloseDuplicatesInputSerializer,
    HandleObjectionInputSerializer,
    ObjectionInputSerializer,
    ObjectionSerializer,
    PublicityListDetailSerializer,
    PublicityListSerializer,
    PublishInputSerializer,
)
from admissions.models import (
    ObjectionStatus,
)
from admissions.selectors.publicity import (
    objection_rows,
    publicity_entry_by_pk,
    publicity_list_details,
    published_lists,
    visible_objections,
)
from admissions.services.publicity import (
    close_duplicate_objections,
    handle_objection,
    prepare_list_release,
    raise_objection,
)
from policy.selectors import campaign_or_404
from portal.api import ERRORS, LIST_ERRORS, choice_param, int_param, validated
from portal.models import Role
from portal.permissions import require_role, visible
from portal.release_api import ReleaseSerializer


class PublicityLists(generics.ListAPIView):
    serializer_class = PublicityListSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method in SAFE_METHODS else [IsAuthenticated()]

    def get_queryset(self):
        return published_lists(
            training_base_id=int_param(self.request, "training_base", _("培训基地编号应为整数。")),
            round_number=int_param(self.request, "round", _("批次应为 1 或 2。"), choices=(1, 2)),
        )

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
        summary="准备发布拟录取名单公示",
        description="培训基地招收办公室：准备把本基地本批次尚未公示的拟录取考生发布为一份公示，返回待确认的发布（202），"
        "其预览列出列入公示的考生（排名、综合成绩）和各专业基地公示人数的变化；须由本办公室另一名工作人员通过 "
        "releases/{id}/confirm/ 确认后才发布，公示期按工作日计算，列入名单的考生收到通知；发布后在规定时间内可撤回。"
        "没有尚未公示的拟录取考生时返回 409，已有一份待确认的发布时也返回 409。",
        request=PublishInputSerializer,
        responses={202: ReleaseSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        if user.training_base_id is None:
            raise PermissionDenied(_("只有培训基地招收办公室可以发布公示。"))
        data = validated(PublishInputSerializer, request)
        campaign = campaign_or_404(province=user.training_base.province_id)
        release = prepare_list_release(
            actor=user, campaign=campaign, training_base=user.training_base, round_number=data["round"]
        )
        return Response(ReleaseSerializer(release).data, status=202)


@extend_schema(
    tags=PUBLICITY_TAGS,
    summary="一份公示及其名单（公开）",
    description="姓名、部分隐藏的证件号码和专业；无需登录。提出异议时使用名单条目的 id。",
    responses={200: PublicityListDetailSerializer, 404: ERRORS[404]},
)
class PublicityListDetail(generics.RetrieveAPIView):
    serializer_class = PublicityListDetailSerializer
    permission_classes = [AllowAny]
    queryset = publicity_list_details()


class EntryObjections(APIView):
    @extend_schema(
        tags=PUBLICITY_TAGS,
        summary="对公示名单中的考生提出异议",
        description="公示期内任何已登录用户都可以提出，需留联系方式；公示期结束后返回 409。",
        request=ObjectionInputSerializer,
        responses={201: ObjectionSerializer, **ERRORS},
    )
    def post(self, request, pk):
        entry = publicity_entry_by_pk(pk)
        data = validated(ObjectionInputSerializer, request)
        objection = raise_objection(actor=request.user, entry=entry, contact=data["contact"], text=data["text"])
        return Response(ObjectionSerializer(objection_rows().get(pk=objection.pk)).data, status=201)


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
        return visible_objections(user=self.request.user, status=choice_param(self.request, "status", ObjectionStatus))


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
        objection = get_object_or_404(objection_rows(), pk=pk)
        data = validated(HandleObjectionInputSerializer, request)
        objection = handle_objection(
            actor=request.user, objection=objection, sustained=data["sustained"], note=data["note"]
        )
        return Response(ObjectionSerializer(objection_rows().get(pk=objection.pk)).data)


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
        original = get_object_or_404(objection_rows(), pk=pk)
        data = validated(CloseDuplicatesInputSerializer, request)
        duplicates = list(visible(request.user, objection_rows()).filter(pk__in=data["duplicates"]))
        if len(duplicates) != len(set(data["duplicates"])):
            raise NotFound(_("找不到所选的部分异议。"))
        closed = close_duplicate_objections(
            actor=request.user, original=original, duplicates=duplicates, note=data["note"]
        )
        rows = objection_rows().filter(pk__in=[o.pk for o in closed]).order_by("pk")
        return Response(ObjectionSerializer(rows, many=True).data)
