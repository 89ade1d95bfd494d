"""Releases through the API (发布确认与撤回): the releases a user's office prepared, one release
with its preview, and confirming, undoing or cancelling it. Preparing one is the feature's own
operation (publishing a publicity list, importing scores or the plan); the writes here are
portal.releases' services."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import ERRORS, LIST_ERRORS, READ_ERRORS, choice_param, is_schema_generation, validated
from portal.models import STAFF_ROLES, Release, ReleaseStatus
from portal.permissions import require_role, visible
from portal.releases import cancel_release, confirm_release, release_by_pk, undo_release, undo_window

RELEASE_TAGS = ["发布确认与撤回"]


class ReleaseSerializer(serializers.ModelSerializer):
    prepared_by = serializers.CharField(source="prepared_by.get_username", help_text="准备人")
    released_by = serializers.CharField(
        source="released_by.get_username", allow_null=True, default=None, help_text="确认发布人（须不同于准备人）"
    )
    closed_by = serializers.CharField(
        source="closed_by.get_username", allow_null=True, default=None, help_text="撤回或取消人"
    )
    status_label = serializers.CharField(source="get_status_display")
    undo_refusal = serializers.SerializerMethodField(help_text="不能撤回的原因；可以撤回时为空")

    class Meta:
        model = Release
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "status_label",
            "preview",
            "prepared_by",
            "prepared_at",
            "released_by",
            "released_at",
            "undo_until",
            "undo_refusal",
            "closed_by",
            "closed_at",
            "reason",
        ]

    def get_undo_refusal(self, release) -> str:
        if release.status != ReleaseStatus.RELEASED:
            return ""
        return undo_window(release).reason


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="原因（可选）")


class ReleaseList(generics.ListAPIView):
    serializer_class = ReleaseSerializer

    def get_queryset(self):
        if is_schema_generation(self):
            return Release.objects.none()
        require_role(self.request.user, *STAFF_ROLES)
        rows = visible(self.request.user, Release.objects.select_related("prepared_by", "released_by", "closed_by"))
        status = choice_param(self.request, "status", ReleaseStatus)
        return rows.filter(status=status) if status else rows

    @extend_schema(
        tags=RELEASE_TAGS,
        summary="发布（本人可见范围）",
        description="拟录取名单公示、成绩导入和年度计划导入先由一人准备（附与现在公开内容相比的预览），"
        "再由同一办公室（计划为省级办公室）的另一人确认发布；发布后在规定时间内、且尚无考生据此操作时可以撤回。",
        parameters=[OpenApiParameter("status", str, enum=ReleaseStatus.values, description="按状态筛选")],
        responses={200: ReleaseSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReleaseDetail(APIView):
    @extend_schema(
        tags=RELEASE_TAGS,
        summary="一次发布及其预览",
        responses={200: ReleaseSerializer, **READ_ERRORS},
    )
    def get(self, request, pk):
        require_role(request.user, *STAFF_ROLES)
        return Response(ReleaseSerializer(release_by_pk(user=request.user, pk=pk)).data)


class ReleaseConfirm(APIView):
    @extend_schema(
        tags=RELEASE_TAGS,
        summary="确认发布",
        description="同一办公室的另一名工作人员确认后才发布；准备人自己确认返回 403（code same_person）。"
        "准备之后公开内容已有变化的返回 409（code release_stale），须取消后重新准备。",
        request=None,
        responses={200: ReleaseSerializer, **ERRORS},
    )
    def post(self, request, pk):
        release = confirm_release(actor=request.user, release=release_by_pk(user=request.user, pk=pk))
        return Response(ReleaseSerializer(release).data)


class ReleaseUndo(APIView):
    @extend_schema(
        tags=RELEASE_TAGS,
        summary="撤回发布",
        description="在撤回期限内（默认发布后30分钟）、且尚无考生据此操作（确认、放弃、提出异议、填报志愿等）时，"
        "恢复到发布前的状态，并通知已收到消息的人此前的消息作废；否则返回 409。",
        request=ReasonInputSerializer,
        responses={200: ReleaseSerializer, **ERRORS},
    )
    def post(self, request, pk):
        release = release_by_pk(user=request.user, pk=pk)
        data = validated(ReasonInputSerializer, request)
        return Response(ReleaseSerializer(undo_release(actor=request.user, release=release, **data)).data)


class ReleaseCancel(APIView):
    @extend_schema(
        tags=RELEASE_TAGS,
        summary="取消待确认的发布",
        description="准备人或同一办公室的工作人员取消尚未确认的发布。",
        request=ReasonInputSerializer,
        responses={200: ReleaseSerializer, **ERRORS},
    )
    def post(self, request, pk):
        release = release_by_pk(user=request.user, pk=pk)
        data = validated(ReasonInputSerializer, request)
        return Response(ReleaseSerializer(cancel_release(actor=request.user, release=release, **data)).data)
