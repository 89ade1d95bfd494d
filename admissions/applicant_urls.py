from django.urls import path

from admissions import views_applicant as views
from admissions import views_identity

urlpatterns = [
    path("register/", views.register, name="register"),
    path("me/", views.applicant_home, name="applicant-home"),
    path("me/profile/", views.applicant_profile, name="applicant-profile"),
    path("me/education/", views.applicant_education, name="applicant-education"),
    path("me/education/<int:pk>/remove/", views.applicant_education_remove, name="applicant-education-remove"),
    path("me/documents/", views.applicant_documents, name="applicant-documents"),
    path("me/documents/<int:pk>/delete/", views.applicant_document_delete, name="applicant-document-delete"),
    path("documents/<int:pk>/", views.applicant_document, name="applicant-document"),
    path("me/choose/", views.applicant_choose, name="applicant-choose"),
    path("me/choose/withdraw/", views.applicant_withdraw, name="applicant-withdraw"),
    path("me/status/", views.applicant_status, name="applicant-status"),
    path("me/identity/", views_identity.applicant_identity, name="applicant-identity"),
    path("identity-requests/", views_identity.identity_requests, name="identity-requests"),
    path(
        "identity-requests/corrections/<int:pk>/review/",
        views_identity.identity_correction_review,
        name="identity-correction-review",
    ),
    path(
        "identity-requests/corrections/<int:pk>/document/",
        views_identity.identity_correction_document,
        name="identity-correction-document",
    ),
    path(
        "identity-requests/claims/<int:pk>/handle/", views_identity.identity_claim_handle, name="identity-claim-handle"
    ),
]
