"""The working-day calendar through the API: the same selector and services as the page."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from policy.selectors import calendar_year_view
from policy.services.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    DayEntry,
    declare_year_complete,
    enter_calendar_days,
    reopen_year,
)
from portal.api import ApiErrorSerializer, validated
from portal.models import Role
from portal.permissions import require_role

TAGS = ["工作日安排"]
NOT_PROVINCE = {403: OpenApiResponse(ApiErrorSerializer, description="不是省级办公室")}


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField(help_text="true：调休上班；false：放假")
    note = serializers.CharField(help_text="如：国庆节、国庆调休上班")
    source = serializers.ChoiceField(
        choices=["state_council", "national", "province"], help_text="国务院办公厅公布、全国录入或本省录入"
    )


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    known = serializers.BooleanField(help_text="是否可据以计算工作日")
    source = serializers.ChoiceField(
        choices=["package", "declared", "unknown"], help_text="国务院已公布 / 已录入并确认完整 / 未知"
    )
    declared_complete_at = serializers.DateTimeField(allow_null=True)
    days = CalendarDaySerializer(many=True)


class DayInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField()
    note = serializers.CharField(max_length=100)


class DaysInputSerializer(serializers.Serializer):
    days = DayInputSerializer(many=True, min_length=1, max_length=120)


class ReopenInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


def _year(year):
    """A year the calendar can hold, else 404: there is no such year to read or write."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NotFound(_("年度应在 %(first)s 至 %(last)s 之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return year


def _view(request, year):
    require_role(request.user, Role.PROVINCIAL_OFFICE)
    view = calendar_year_view(province_id=request.user.province_id, year=year)
    return Response(
        CalendarYearSerializer(
            {
                "year": view.year,
                "known": view.source != "unknown",
                "source": view.source,
                "declared_complete_at": view.declared.declared_complete_at if view.declared else None,
                "days": view.days,
            }
        ).data
    )


class CalendarYearDetail(APIView):
    @extend_schema(
        tags=TAGS,
        summary="本省某年的工作日安排",
        description="省级办公室：国务院办公厅公布的放假与调休（如已公布），以及全国和本省录入的日期；本省录入的优先。",
        responses={200: CalendarYearSerializer, **NOT_PROVINCE},
    )
    def get(self, request, year):
        return _view(request, _year(year))


class CalendarYearDays(APIView):
    @extend_schema(
        tags=TAGS,
        summary="录入本省某年的放假与调休上班日期",
        description="同一天再次录入即更正；已确认完整的年度须先撤销确认（409）。",
        request=DaysInputSerializer,
        responses={200: CalendarYearSerializer, **NOT_PROVINCE},
    )
    def post(self, request, year):
        year = _year(year)
        data = validated(DaysInputSerializer, request)
        enter_calendar_days(
            actor=request.user,
            year=year,
            days=[DayEntry(day["date"], day["is_working_day"], day["note"]) for day in data["days"]],
        )
        return _view(request, year)


class CalendarYearComplete(APIView):
    @extend_schema(
        tags=TAGS,
        summary="确认本省某年的工作日安排已录入完整",
        description="此后该年可据以计算工作日；录入的工作日放假日期少于 7 天返回 409。",
        request=None,
        responses={200: CalendarYearSerializer, **NOT_PROVINCE},
    )
    def post(self, request, year):
        year = _year(year)
        declare_year_complete(actor=request.user, year=year)
        return _view(request, year)


class CalendarYearReopen(APIView):
    @extend_schema(
        tags=TAGS,
        summary="撤销对某年工作日安排的确认",
        request=ReopenInputSerializer,
        responses={200: CalendarYearSerializer, **NOT_PROVINCE},
    )
    def post(self, request, year):
        year = _year(year)
        data = validated(ReopenInputSerializer, request)
        reopen_year(actor=request.user, year=year, reason=data["reason"])
        return _view(request, year)
