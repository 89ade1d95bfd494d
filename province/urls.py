from django.urls import path

from province.views import calendar

urlpatterns = [
    path("province/calendar/", calendar.calendar, name="province-calendar"),
    path("province/calendar/declare/", calendar.calendar_declare, name="province-calendar-declare"),
    path("province/calendar/reopen/", calendar.calendar_reopen, name="province-calendar-reopen"),
    path("province/calendar/days/<int:pk>/remove/", calendar.calendar_day_remove, name="province-calendar-remove"),
]
