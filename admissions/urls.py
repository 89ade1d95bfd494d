from django.urls import include, path

from admissions import views
from policy.choices import ApplicantType

urlpatterns = [
    path("office/masters/", views.entry_list, {"kind": ApplicantType.PROFESSIONAL_MASTER}, name="masters"),
    path("province/rural-orders/", views.entry_list, {"kind": ApplicantType.RURAL_ORDER}, name="rural-orders"),
    path("entries/<int:pk>/cancel/", views.entry_cancel, name="entry-cancel"),
    path("entries/<int:pk>/document/", views.entry_document, name="entry-document"),
    path("", include("admissions.applicant_urls")),
    path("", include("admissions.round_urls")),
    path("", include("admissions.public_urls")),
    path("", include("admissions.offer_urls")),
    path("", include("admissions.reporting_urls")),
    path("", include("admissions.roster_urls")),
]
