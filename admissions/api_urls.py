"""The applicant's own data (/api/v1/register/ and /api/v1/me/…) and the admission rounds."""

from django.urls import path

from admissions.api import applicant, checkin, identity, invitations, offers, publicity, rounds, sessions, vacancies

urlpatterns = [
    path("register/", applicant.Register.as_view(), name="api-register"),
    path("me/", applicant.Me.as_view(), name="api-me"),
    path(
        "me/identity-corrections/",
        identity.MyIdentityCorrections.as_view(),
        name="api-my-identity-corrections",
    ),
    path("identity-corrections/", identity.IdentityCorrectionList.as_view(), name="api-identity-corrections"),
    path(
        "identity-corrections/<int:pk>/review/",
        identity.IdentityCorrectionReview.as_view(),
        name="api-identity-correction-review",
    ),
    path("me/educations/", applicant.MyEducations.as_view(), name="api-my-educations"),
    path("me/educations/<int:pk>/", applicant.MyEducation.as_view(), name="api-my-education"),
    path("me/documents/", applicant.MyDocuments.as_view(), name="api-my-documents"),
    path("me/documents/<int:pk>/", applicant.MyDocument.as_view(), name="api-my-document"),
    path("me/documents/<int:pk>/file/", applicant.MyDocumentFile.as_view(), name="api-my-document-file"),
    path("me/eligibility/", applicant.MyEligibility.as_view(), name="api-my-eligibility"),
    path("me/applications/", applicant.MyApplications.as_view(), name="api-my-applications"),
    path(
        "me/applications/<int:pk>/withdraw/",
        applicant.MyApplicationWithdraw.as_view(),
        name="api-my-application-withdraw",
    ),
]

# The admission rounds: assessment, decision, publicity, objections, invitations, confirmation, and
# the public vacancy board.
urlpatterns += [
    path("assessments/", rounds.AssessmentList.as_view(), name="api-assessments"),
    path("assessments/<int:pk>/", rounds.AssessmentDetail.as_view(), name="api-assessment"),
    path("assessments/<int:pk>/scores/", rounds.AssessmentScores.as_view(), name="api-assessment-scores"),
    path("assessments/<int:pk>/decision/", rounds.AssessmentDecision.as_view(), name="api-assessment-decision"),
    path(
        "specialty-bases/<int:pk>/propose-ranked/",
        rounds.SpecialtyBaseProposeRanked.as_view(),
        name="api-specialty-base-propose-ranked",
    ),
    path(
        "applications/<int:pk>/qualification/",
        rounds.ApplicationQualification.as_view(),
        name="api-application-qualification",
    ),
    path("publicity-lists/", publicity.PublicityLists.as_view(), name="api-publicity-lists"),
    path("publicity-lists/<int:pk>/", publicity.PublicityListDetail.as_view(), name="api-publicity-list"),
    path(
        "publicity-entries/<int:pk>/objections/",
        publicity.EntryObjections.as_view(),
        name="api-publicity-entry-objections",
    ),
    path("objections/", publicity.ObjectionList.as_view(), name="api-objections"),
    path("objections/<int:pk>/handle/", publicity.ObjectionHandle.as_view(), name="api-objection-handle"),
    path(
        "objections/<int:pk>/close-duplicates/",
        publicity.ObjectionCloseDuplicates.as_view(),
        name="api-objection-close-duplicates",
    ),
    # Assessment sessions (考核场次) and the candidate's seats.
    path("sessions/", sessions.SessionList.as_view(), name="api-sessions"),
    path("sessions/<int:pk>/seats/", sessions.SessionSeats.as_view(), name="api-session-seats"),
    path("sessions/balanced/", sessions.BalancedAssignment.as_view(), name="api-sessions-balanced"),
    path("move-requests/<int:pk>/decide/", sessions.MoveDecision.as_view(), name="api-move-request-decide"),
    path("me/seats/", sessions.MySeats.as_view(), name="api-my-seats"),
    path("me/seats/<int:pk>/move/", sessions.MySeatMove.as_view(), name="api-my-seat-move"),
    path("seats/check-in/", checkin.SeatCheckIn.as_view(), name="api-seat-check-in"),
    path("seats/<int:pk>/absent/", checkin.SeatAbsent.as_view(), name="api-seat-absent"),
    path("seats/absentees/", checkin.SessionAbsentees.as_view(), name="api-session-absentees"),
    path("invitations/", invitations.InvitationList.as_view(), name="api-invitations"),
    path("me/assessments/", offers.MyAssessments.as_view(), name="api-my-assessments"),
    path("me/assessments/<int:pk>/score/", offers.MyAssessmentScore.as_view(), name="api-my-assessment-score"),
    path("me/assessments/<int:pk>/confirm/", offers.MyAssessmentConfirm.as_view(), name="api-my-assessment-confirm"),
    path(
        "me/assessments/<int:pk>/adjustment/",
        offers.MyAssessmentAdjustment.as_view(),
        name="api-my-assessment-adjustment",
    ),
    path("me/invitations/", offers.MyInvitations.as_view(), name="api-my-invitations"),
    path("me/invitations/<int:pk>/accept/", offers.MyInvitationAccept.as_view(), name="api-my-invitation-accept"),
    path("me/invitations/<int:pk>/decline/", offers.MyInvitationDecline.as_view(), name="api-my-invitation-decline"),
    path("admissions/verify/", offers.AdmissionVerify.as_view(), name="api-admission-verify"),
    path("vacancies/", vacancies.VacancyBoard.as_view(), name="api-vacancies"),
]
