"""The provincial office's own pages: the dashboard, KPIs, the audit browser and the working-day
calendar; and the open statistics, public."""

from django.urls import path

from province.views import audit, calendar, dashboard, kpis, statistics

urlpatterns = [
    path("province/", dashboard.province_dashboard, name="province-dashboard"),
    path("province/kpis/", kpis.kpi_dashboard, name="kpi-dashboard"),
    path("province/kpis/cuts/", kpis.kpi_cuts_export, name="kpi-cuts-export"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/export/", statistics.statistics_export, name="statistics-export"),
    path("province/audit/", audit.audit_event_list, name="audit-events"),
    path("province/audit/export.csv", audit.audit_event_csv, name="audit-events-csv"),
    path("province/calendar/", calendar.calendar, name="province-calendar"),
    path("province/calendar/declare/", calendar.calendar_declare, name="province-calendar-declare"),
    path("province/calendar/reopen/", calendar.calendar_reopen, name="province-calendar-reopen"),
    path("province/calendar/days/<int:pk>/remove/", calendar.calendar_day_remove, name="province-calendar-remove"),
]
