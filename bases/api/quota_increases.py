"""Quota increase requests (增加招收计划) through the API: the list the user may see, and the
province's approval or rejection and the office's withdrawal, with the same services as the pages."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from bases.api.serializers import (
    QuotaIncreaseApproveSerializer,
    QuotaIncreaseRejectSerializer,
    QuotaIncreaseRequestSerializer,
    QuotaIncreaseSerializer,
)
from bases.models import (
    QuotaIncreaseStatus,
)
from bases.selectors.plan import changeable_quotas
from bases.selectors.quotas import increase_rows, visible_increases
from bases.services.quotas import (
    approve_quota_increase,
    reject_quota_increase,
    request_quota_increase,
    withdraw_quota_increase,
)
from portal.api import ERRORS, LIST_ERRORS, choice_param, validated
from portal.models import Role
from portal.permissions import require_role


def _increase_response(increase, status=200):
    return Response(QuotaIncreaseSerializer(increase_rows().get(pk=increase.pk)).data, status=status)


class QuotaIncreaseList(generics.ListAPIView):
    serializer_class = QuotaIncreaseSerializer

    def get_queryset(self):
        return visible_increases(
            user=self.request.user,
            status=choice_param(
                self.request, "status", QuotaIncreaseStatus, invalid=_("无效的状态“%(value)s”，可选：%(values)s")
            ),
        )

    @extend_schema(
        tags=["招收计划"],
        summary="招收计划调整申请列表（本人可见范围）",
        parameters=[OpenApiParameter("status", str, enum=QuotaIncreaseStatus.values, description="按状态筛选")],
        responses={200: QuotaIncreaseSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["招收计划"],
        summary="申请增加招收计划",
        description="培训基地招收办公室为本基地的专业基地申请增加计划，不得超过专业基地容量。",
        request=QuotaIncreaseRequestSerializer,
        responses={201: QuotaIncreaseSerializer, **ERRORS},
    )
    def post(self, request):
        user = request.user
        require_role(user, Role.BASE_OFFICE)
        data = validated(QuotaIncreaseRequestSerializer, request, quotas=changeable_quotas(user=user))
        increase = request_quota_increase(actor=user, quota=data["quota"], places=data["places"], reason=data["reason"])
        return _increase_response(increase, status=201)


class QuotaIncreaseApprove(APIView):
    @extend_schema(
        tags=["招收计划"],
        summary="批准计划调整",
        description="省级办公室批准申请，可少于申请数；批准后超过专业基地容量时返回 409。",
        request=QuotaIncreaseApproveSerializer,
        responses={200: QuotaIncreaseSerializer, **ERRORS},
    )
    def post(self, request, pk):
        increase = get_object_or_404(increase_rows(), pk=pk)
        data = validated(QuotaIncreaseApproveSerializer, request)
        increase = approve_quota_increase(
            actor=request.user, increase=increase, places=data["places"], reason=data["reason"]
        )
        return _increase_response(increase)


class QuotaIncreaseReject(APIView):
    @extend_schema(
        tags=["招收计划"],
        summary="不予批准",
        request=QuotaIncreaseRejectSerializer,
        responses={200: QuotaIncreaseSerializer, **ERRORS},
    )
    def post(self, request, pk):
        increase = get_object_or_404(increase_rows(), pk=pk)
        data = validated(QuotaIncreaseRejectSerializer, request)
        return _increase_response(reject_quota_increase(actor=request.user, increase=increase, reason=data["reason"]))


class QuotaIncreaseWithdraw(APIView):
    @extend_schema(
        tags=["招收计划"],
        summary="撤回申请",
        request=None,
        responses={200: QuotaIncreaseSerializer, **ERRORS},
    )
    def post(self, request, pk):
        increase = get_object_or_404(increase_rows(), pk=pk)
        return _increase_response(withdraw_quota_increase(actor=request.user, increase=increase))
