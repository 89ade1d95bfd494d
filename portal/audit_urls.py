from django.urls import path

from portal import audit_views

urlpatterns = [
    path("province/audit/", audit_views.audit_event_list, name="audit-events"),
    path("province/audit/export.csv", audit_views.audit_event_csv, name="audit-events-csv"),
]
