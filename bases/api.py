"""Public, read-only API of the directory and the plan table; the same selectors as the pages."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny

from bases.selectors import plan_rows, public_province, training_base_directory
from bases.serializers import PlanRowSerializer, TrainingBaseSerializer
from policy.selectors import current_campaign

PROVINCE = OpenApiParameter("province", str, description="省级行政区划代码，如 420000；缺省为本平台默认省份")


def _province(request):
    province = public_province(request.query_params.get("province"))
    if province is None:
        raise NotFound("尚未配置任何省份。")
    return province


@extend_schema(parameters=[PROVINCE])
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
    ]
)
class PlanList(generics.ListAPIView):
    serializer_class = PlanRowSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        campaign = current_campaign(province=_province(self.request))
        if campaign is None:
            raise NotFound("本年度招收计划尚未发布。")
        params = self.request.query_params
        specialty = params.get("specialty", "")
        if specialty and not specialty.isdigit():
            raise ValidationError({"specialty": "培训专业编号应为整数。"})
        return plan_rows(
            campaign=campaign,
            city=params.get("city", ""),
            specialty_id=int(specialty) if specialty else None,
            shortage_only=params.get("shortage", "").lower() in {"1", "true", "yes"},
        )
