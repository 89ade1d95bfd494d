"""The public vacancy board through the API (`GET /api/v1/vacancies/`): the same cached board and
filters as the page (admissions.selectors.vacancies, bases.forms.plan.PlanFilterForm)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from admissions.api.serializers.vacancies import VacancyBoardSerializer
from admissions.selectors.vacancies import public_board
from bases.forms.plan import PlanFilterForm
from policy.timetable import vacancy_board_state
from portal.api import ERRORS, ApiErrorSerializer


class VacancyBoard(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["空余名额"],
        summary="空余名额（公开）",
        description="每个专业基地的招收计划、拟录取占用、已录取和剩余名额；无需登录，不含任何个人信息。"
        "第一批次考核开始至第二批次拟录取公示结束期间公布（is_open），其他时间 results 为空并说明何时开始。"
        "数据至多一分钟前统计（counted_at）。",
        parameters=[
            OpenApiParameter("province", str, description="省级行政区划代码，如 420000；缺省为本平台默认省份"),
            OpenApiParameter("city", str, description="市州（须为本省培训基地所在市州）"),
            OpenApiParameter("specialty", int, description="培训专业编号（须为本年度计划中的专业）"),
            OpenApiParameter("shortage", bool, description="只看紧缺专业"),
        ],
        responses={
            200: VacancyBoardSerializer,
            400: ERRORS[400],
            404: OpenApiResponse(ApiErrorSerializer, description="本省尚无年度招录"),
        },
    )
    def get(self, request):
        public = public_board(request.query_params.get("province"))
        campaign = public.campaign
        if campaign is None:
            raise NotFound(_("本省尚无年度招录。"))
        state = vacancy_board_state(campaign)
        board = {"year": campaign.year, "is_open": state.is_open, "reason": state.reason, "opens_on": state.opens_on}
        if not state:
            return Response(VacancyBoardSerializer({**board, "counted_at": None, "totals": None, "results": []}).data)

        def as_json():
            cities, specialties = public.filter_choices()
            form = PlanFilterForm(request.query_params, cities=cities, specialties=specialties)
            if not form.is_valid():
                raise ValidationError(form.errors)
            found = public.counts(**form.filters())
            data = {**board, "counted_at": found.counted_at, "totals": found, "results": found.rows}
            return JSONRenderer().render(VacancyBoardSerializer(data).data), found.counted_at

        # Kept with the board for the filters as asked: a call at a deadline costs no serializing either.
        asked = [request.query_params.get(name, "") for name in ("city", "specialty", "shortage")]
        content = public.derived(repr(("json", *asked)), as_json)
        return HttpResponse(content, content_type="application/json")
