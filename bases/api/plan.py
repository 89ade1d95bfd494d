"""The annual plan through the API: the same Excel layout and import service as the page; an import
is a release that another person of the provincial office confirms (releases/{id}/confirm/)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bases.selectors.campaigns import provincial_campaign
from bases.services.plan_excel import PlanImportError, export_plan, prepare_plan_release
from portal.api import ApiErrorSerializer
from portal.permissions import CHANGE, VIEW
from portal.release_api import ReleaseSerializer
from portal.spreadsheets import XLSX_CONTENT_TYPE
from portal.web import download_response

CAMPAIGN = OpenApiParameter("campaign", int, description="年度招录编号；缺省为本省当前年度")


CAMPAIGN_ERRORS = {
    403: OpenApiResponse(ApiErrorSerializer, description="不是省级办公室，或不是本省的年度招录"),
    404: OpenApiResponse(ApiErrorSerializer, description="年度招录不存在，或本省尚未设立年度招录"),
}


class PlanImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="招收计划 Excel 文件（.xlsx），列为：住培基地、培训专业、招收计划数、容量")


class PlanImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="文件的数据行数")
    changed = serializers.IntegerField(help_text="改变招收计划的行数")
    release = ReleaseSerializer(allow_null=True, help_text="待确认的发布（含预览）；文件与现有计划相同时为空")


class PlanExport(APIView):
    @extend_schema(
        parameters=[CAMPAIGN],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiResponse(description="xlsx"), **CAMPAIGN_ERRORS},
        summary="导出年度招收计划（省级）",
    )
    def get(self, request):
        campaign = provincial_campaign(
            user=request.user, campaign_id=request.query_params.get("campaign", ""), action=VIEW
        )
        return download_response(
            export_plan(campaign=campaign), filename=f"{campaign.year}年度招收计划.xlsx", content_type=XLSX_CONTENT_TYPE
        )


class PlanImport(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        parameters=[CAMPAIGN],
        request={"multipart/form-data": PlanImportInputSerializer},
        responses={
            202: PlanImportResultSerializer,
            200: OpenApiResponse(PlanImportResultSerializer, description="文件与现有计划相同，没有需要导入的更改"),
            400: OpenApiResponse(ApiErrorSerializer, description="文件有误：errors 列出每一处错误，不导入任何内容"),
            **CAMPAIGN_ERRORS,
        },
        summary="导入年度招收计划（省级，全部成功或全部不导入）",
        description="检查文件并准备发布：返回待确认的发布（202），其预览列出各专业基地招收计划和容量的变化；"
        "须由省级办公室另一名工作人员通过 releases/{id}/confirm/ 确认后才写入，发布后在规定时间内、"
        "尚无考生填报志愿时可以撤回。",
    )
    def post(self, request):
        campaign = provincial_campaign(
            user=request.user, campaign_id=request.query_params.get("campaign", ""), action=CHANGE
        )
        serializer = PlanImportInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise PlanImportError("请上传要导入的 Excel 文件（.xlsx）。")
        prepared = prepare_plan_release(actor=request.user, campaign=campaign, file=serializer.validated_data["file"])
        return Response(PlanImportResultSerializer(prepared).data, status=202 if prepared.release else 200)
