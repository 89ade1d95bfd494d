"""The open statistics through the API: the same `published_statistics` as the page, small cells
suppressed alike. `version` names the schema of the answer, so a reader can tell when it changes."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from policy.rules.statistics import SMALL_CELL, SUPPRESSED_COUNT, SUPPRESSED_RATE
from portal.api import ApiErrorSerializer
from province.selectors.statistics import published_statistics, statistics_campaign

SCHEMA_VERSION = 1


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": [SUPPRESSED_COUNT]}]})
class PublishedCountField(serializers.Field):
    def to_representation(self, value):
        return value


@extend_schema_field(
    {
        # A pattern, not format "decimal": validators ignore that format, and "*" would match both.
        "oneOf": [{"type": "string", "pattern": r"^\d+(\.\d+)?$"}, {"type": "string", "enum": [SUPPRESSED_RATE]}],
        "nullable": True,
    }
)
class PublishedRateField(serializers.Field):
    def to_representation(self, value):
        return str(value)


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="专业代码、市州名称或人员类型代码")
    label = serializers.CharField()
    is_shortage = serializers.BooleanField(help_text="是否紧缺专业")
    places = serializers.IntegerField(allow_null=True, help_text="招收计划；按人员类型不划分计划，为 null")
    applicants = PublishedCountField(help_text=f'报名人数（不同的人）；少于 {SMALL_CELL} 人为 "{SUPPRESSED_COUNT}"')
    admitted = PublishedCountField(help_text=f'已录取人数；少于 {SMALL_CELL} 人为 "{SUPPRESSED_COUNT}"')
    fill_rate = PublishedRateField(
        allow_null=True,
        help_text=f'完成率（%，一位小数）；已录取人数不公布时为 "{SUPPRESSED_RATE}"；无计划为 null',
    )


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField()


class CampaignStatisticsSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="本响应结构的版本号")
    campaign = CampaignSerializer()
    small_cell = serializers.IntegerField(help_text="少于此人数的单元格不公布")
    by_specialty = StatisticsRowSerializer(many=True)
    by_city = StatisticsRowSerializer(many=True)
    by_applicant_type = StatisticsRowSerializer(many=True)


class CampaignStatisticsDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["公开统计"],
        summary="某年度招录统计",
        description="按专业、市州和人员类型的招收计划、报名人数、已录取人数和完成率，与公开统计页面一致；"
        f"少于 {SMALL_CELL} 人的人数及由其计算的完成率不公布。无需登录。",
        parameters=[
            OpenApiParameter("province", OpenApiTypes.STR, description="省级行政区划代码；缺省为本平台默认省份")
        ],
        responses={
            200: CampaignStatisticsSerializer,
            404: OpenApiResponse(ApiErrorSerializer, description="该年度没有招录统计"),
        },
    )
    def get(self, request, campaign_year):
        campaign = statistics_campaign(province_code=request.query_params.get("province"), year=campaign_year)
        if campaign is None:
            raise NotFound(_("该年度没有招录统计。"))
        published = published_statistics(campaign=campaign)
        return Response(
            CampaignStatisticsSerializer(
                {
                    "version": SCHEMA_VERSION,
                    "campaign": campaign,
                    "small_cell": SMALL_CELL,
                    "by_specialty": published.by_specialty,
                    "by_city": published.by_city,
                    "by_applicant_type": published.by_applicant_type,
                }
            ).data
        )
