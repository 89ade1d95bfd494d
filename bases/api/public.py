"""The public directory and plan table through the API (the same selectors as the pages), and the
staff's own plan."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from bases.api.serializers import MyQuotaSerializer, PlanRowSerializer, TrainingBaseSerializer
from bases.models import (
    Quota,
)
from bases.selectors.directory import public_province, training_base_directory
from bases.selectors.plan import plan_rows, staff_plan
from policy.selectors import campaign_or_404, current_campaign
from portal.api import ERRORS, READ_ERRORS, ApiErrorSerializer, int_param, is_schema_generation, text_param
from portal.models import STAFF_ROLES
from portal.permissions import require_role

PROVINCE = OpenApiParameter("province", str, description="省级行政区划代码，如 420000；缺省为本平台默认省份")


def _province(request):
    province = public_province(request.query_params.get("province"))
    if province is None:
        raise NotFound("尚未配置任何省份。")
    return province


@extend_schema(
    parameters=[PROVINCE],
    responses={200: TrainingBaseSerializer, 404: OpenApiResponse(ApiErrorSerializer, description="尚未配置任何省份")},
)
class TrainingBaseList(generics.ListAPIView):
    serializer_class = TrainingBaseSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return training_base_directory(province=_province(self.request))


@extend_schema(
    parameters=[
        PROVINCE,
        OpenApiParameter("city", str, description="市州"),
        OpenApiParameter("specialty", int, description="培训专业编号"),
        OpenApiParameter("shortage", bool, description="只看紧缺专业"),
    ],
    responses={
        200: PlanRowSerializer,
        400: ERRORS[400],
        404: OpenApiResponse(ApiErrorSerializer, description="本年度招收计划尚未发布"),
    },
)
class PlanList(generics.ListAPIView):
    serializer_class = PlanRowSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        campaign = current_campaign(province=_province(self.request))
        if campaign is None:
            raise NotFound("本年度招收计划尚未发布。")
        request = self.request
        return plan_rows(
            campaign=campaign,
            city=text_param(request, "city"),
            specialty_id=int_param(request, "specialty", "培训专业编号应为整数。"),
            shortage_only=request.query_params.get("shortage", "").lower() in {"1", "true", "yes"},
        )


@extend_schema(
    tags=["招收计划"],
    summary="本人范围内本年度的招收计划",
    description="省级办公室：全省；培训基地招收办公室：本基地；专业基地：本专业基地。附待审批的计划调整申请数。",
    responses={200: MyQuotaSerializer, **READ_ERRORS},
)
class MyPlan(generics.ListAPIView):
    serializer_class = MyQuotaSerializer

    def get_queryset(self):
        user = self.request.user
        if is_schema_generation(self):
            return Quota.objects.none()
        require_role(user, *STAFF_ROLES)
        return staff_plan(user=user, campaign=campaign_or_404(province=user.province_id))
