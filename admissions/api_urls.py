"""The applicant's own data: /api/v1/register/ and /api/v1/me/…"""

from django.urls import path

from admissions import api

urlpatterns = [
    path("register/", api.Register.as_view(), name="api-register"),
    path("me/", api.Me.as_view(), name="api-me"),
    path("me/educations/", api.MyEducations.as_view(), name="api-my-educations"),
    path("me/educations/<int:pk>/", api.MyEducation.as_view(), name="api-my-education"),
    path("me/documents/", api.MyDocuments.as_view(), name="api-my-documents"),
    path("me/documents/<int:pk>/", api.MyDocument.as_view(), name="api-my-document"),
    path("me/documents/<int:pk>/file/", api.MyDocumentFile.as_view(), name="api-my-document-file"),
    path("me/eligibility/", api.MyEligibility.as_view(), name="api-my-eligibility"),
    path("me/applications/", api.MyApplications.as_view(), name="api-my-applications"),
    path("me/applications/<int:pk>/withdraw/", api.MyApplicationWithdraw.as_view(), name="api-my-application-withdraw"),
]
