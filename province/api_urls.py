from django.urls import path

from province.api import calendar, statistics

urlpatterns = [
    path("statistics/<int:campaign_year>/", statistics.CampaignStatisticsDetail.as_view(), name="api-statistics"),
    path("calendar/<int:year>/", calendar.CalendarYearDetail.as_view(), name="api-calendar-year"),
    path("calendar/<int:year>/days/", calendar.CalendarYearDays.as_view(), name="api-calendar-days"),
    path("calendar/<int:year>/complete/", calendar.CalendarYearComplete.as_view(), name="api-calendar-complete"),
    path("calendar/<int:year>/reopen/", calendar.CalendarYearReopen.as_view(), name="api-calendar-reopen"),
]
