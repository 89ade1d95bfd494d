"""The applicant's own data (/api/v1/register/ and /api/v1/me/…) and the admission rounds."""

from django.urls import path

from admissions import api, api_identity, api_rounds

urlpatterns = [
    path("register/", api.Register.as_view(), name="api-register"),
    path("me/", api.Me.as_view(), name="api-me"),
    path(
        "me/identity-corrections/",
        api_identity.MyIdentityCorrections.as_view(),
        name="api-my-identity-corrections",
    ),
    path("identity-corrections/", api_identity.IdentityCorrectionList.as_view(), name="api-identity-corrections"),
    path(
        "identity-corrections/<int:pk>/review/",
        api_identity.IdentityCorrectionReview.as_view(),
        name="api-identity-correction-review",
    ),
    path("me/educations/", api.MyEducations.as_view(), name="api-my-educations"),
    path("me/educations/<int:pk>/", api.MyEducation.as_view(), name="api-my-education"),
    path("me/documents/", api.MyDocuments.as_view(), name="api-my-documents"),
    path("me/documents/<int:pk>/", api.MyDocument.as_view(), name="api-my-document"),
    path("me/documents/<int:pk>/file/", api.MyDocumentFile.as_view(), name="api-my-document-file"),
    path("me/eligibility/", api.MyEligibility.as_view(), name="api-my-eligibility"),
    path("me/applications/", api.MyApplications.as_view(), name="api-my-applications"),
    path("me/applications/<int:pk>/withdraw/", api.MyApplicationWithdraw.as_view(), name="api-my-application-withdraw"),
]

# The admission rounds: assessment, decision, publicity, objections, invitations, confirmation.
urlpatterns += [
    path("assessments/", api_rounds.AssessmentList.as_view(), name="api-assessments"),
    path("assessments/<int:pk>/", api_rounds.AssessmentDetail.as_view(), name="api-assessment"),
    path("assessments/<int:pk>/scores/", api_rounds.AssessmentScores.as_view(), name="api-assessment-scores"),
    path("assessments/<int:pk>/decision/", api_rounds.AssessmentDecision.as_view(), name="api-assessment-decision"),
    path(
        "specialty-bases/<int:pk>/propose-ranked/",
        api_rounds.SpecialtyBaseProposeRanked.as_view(),
        name="api-specialty-base-propose-ranked",
    ),
    path(
        "applications/<int:pk>/qualification/",
        api_rounds.ApplicationQualification.as_view(),
        name="api-application-qualification",
    ),
    path("publicity-lists/", api_rounds.PublicityLists.as_view(), name="api-publicity-lists"),
    path("publicity-lists/<int:pk>/", api_rounds.PublicityListDetail.as_view(), name="api-publicity-list"),
    path(
        "publicity-entries/<int:pk>/objections/",
        api_rounds.EntryObjections.as_view(),
        name="api-publicity-entry-objections",
    ),
    path("objections/", api_rounds.ObjectionList.as_view(), name="api-objections"),
    path("objections/<int:pk>/handle/", api_rounds.ObjectionHandle.as_view(), name="api-objection-handle"),
    path(
        "objections/<int:pk>/close-duplicates/",
        api_rounds.ObjectionCloseDuplicates.as_view(),
        name="api-objection-close-duplicates",
    ),
    path("invitations/", api_rounds.InvitationList.as_view(), name="api-invitations"),
    path("me/assessments/", api_rounds.MyAssessments.as_view(), name="api-my-assessments"),
    path(
        "me/assessments/<int:pk>/confirm/", api_rounds.MyAssessmentConfirm.as_view(), name="api-my-assessment-confirm"
    ),
    path(
        "me/assessments/<int:pk>/adjustment/",
        api_rounds.MyAssessmentAdjustment.as_view(),
        name="api-my-assessment-adjustment",
    ),
    path("me/invitations/", api_rounds.MyInvitations.as_view(), name="api-my-invitations"),
    path("me/invitations/<int:pk>/accept/", api_rounds.MyInvitationAccept.as_view(), name="api-my-invitation-accept"),
    path(
        "me/invitations/<int:pk>/decline/", api_rounds.MyInvitationDecline.as_view(), name="api-my-invitation-decline"
    ),
    path("admissions/verify/", api_rounds.AdmissionVerify.as_view(), name="api-admission-verify"),
]
