from django.urls import path

from admissions import views_reporting as views

urlpatterns = [
    path("office/reporting/", views.reporting_list, name="reporting"),
    path("office/reporting/<int:pk>/reported/", views.reporting_record, name="reporting-record"),
    path("office/reporting/<int:pk>/agreement/", views.reporting_agreement, name="reporting-agreement"),
    path("office/reporting/<int:pk>/late/", views.reporting_late, name="reporting-late"),
    path("office/reporting/<int:pk>/statement/", views.reporting_statement, name="reporting-statement"),
    path("province/integrity/", views.integrity, name="integrity"),
    path("province/integrity/<int:pk>/decide/", views.integrity_decide, name="integrity-decide"),
    path("integrity/cases/<int:pk>/document/", views.integrity_document, name="integrity-document"),
    path("me/admission/<int:pk>/withdraw/", views.admission_withdraw, name="admission-withdraw"),
]
