"""The portal's pages of the admissions app, by subject; the API's routes are in api_urls.py."""

from django.urls import path

from admissions.views import (
    applicant,
    checkin,
    entries,
    identity,
    invitations,
    offers,
    public,
    publicity,
    receipts,
    reporting,
    roster,
    rounds,
    sessions,
    vacancies,
)
from policy.choices import ApplicantType

urlpatterns = [
    # Direct entries (professional masters, assigned rural order-oriented graduates).
    path("office/masters/", entries.entry_list, {"kind": ApplicantType.PROFESSIONAL_MASTER}, name="masters"),
    path("province/rural-orders/", entries.entry_list, {"kind": ApplicantType.RURAL_ORDER}, name="rural-orders"),
    path("entries/<int:pk>/cancel/", entries.entry_cancel, name="entry-cancel"),
    path("entries/<int:pk>/document/", entries.entry_document, name="entry-document"),
    # The applicant's own pages (我的报名) and identity after selection.
    path("register/", applicant.register, name="register"),
    path("me/", applicant.applicant_home, name="applicant-home"),
    path("me/profile/", applicant.applicant_profile, name="applicant-profile"),
    path("me/education/", applicant.applicant_education, name="applicant-education"),
    path("me/drafts/<slug:form_key>/", applicant.applicant_form_draft, name="applicant-form-draft"),
    path(
        "me/drafts/<slug:form_key>/discard/",
        applicant.applicant_form_draft_discard,
        name="applicant-form-draft-discard",
    ),
    path("me/education/<int:pk>/remove/", applicant.applicant_education_remove, name="applicant-education-remove"),
    path("me/documents/", applicant.applicant_documents, name="applicant-documents"),
    path("me/documents/<int:pk>/delete/", applicant.applicant_document_delete, name="applicant-document-delete"),
    path("documents/<int:pk>/", applicant.applicant_document, name="applicant-document"),
    path("me/choose/", applicant.applicant_choose, name="applicant-choose"),
    path("me/choose/withdraw/", applicant.applicant_withdraw, name="applicant-withdraw"),
    path("me/status/", applicant.applicant_status, name="applicant-status"),
    path("me/identity/", identity.applicant_identity, name="applicant-identity"),
    path("identity-requests/", identity.identity_requests, name="identity-requests"),
    path(
        "identity-requests/corrections/<int:pk>/review/",
        identity.identity_correction_review,
        name="identity-correction-review",
    ),
    path(
        "identity-requests/corrections/<int:pk>/document/",
        identity.identity_correction_document,
        name="identity-correction-document",
    ),
    path("identity-requests/claims/<int:pk>/handle/", identity.identity_claim_handle, name="identity-claim-handle"),
    # The round pages of the specialty-base staff and the training-base office.
    path("office/rounds/<int:round_number>/", rounds.round_candidates, name="round-candidates"),
    path("office/rounds/<int:round_number>/publish/", rounds.round_publish, name="round-publish"),
    path("office/rounds/<int:round_number>/propose/", rounds.round_propose_ranked, name="round-propose-ranked"),
    path("office/rounds/<int:round_number>/scores/export/", rounds.round_scores_export, name="round-scores-export"),
    path("office/rounds/<int:round_number>/scores/import/", rounds.round_scores_import, name="round-scores-import"),
    path(
        "office/rounds/applications/<int:pk>/qualification/",
        rounds.round_qualification,
        name="round-qualification",
    ),
    path("office/rounds/assessments/<int:pk>/scores/", rounds.round_scores, name="round-scores"),
    # Assessment day: the office's phone check-in page, and the page the notice's QR code opens.
    path("office/rounds/<int:round_number>/check-in/", checkin.round_check_in, name="round-check-in"),
    path("check-in/<str:code>/", checkin.seat_check_in, name="seat-check-in"),
    path("office/rounds/assessments/<int:pk>/decision/", rounds.round_decision, name="round-decision"),
    # Assessment sessions (考核场次): set, seat, move; the candidate's seats and notices.
    path("office/rounds/<int:round_number>/sessions/", sessions.round_sessions, name="round-sessions"),
    path(
        "office/rounds/<int:round_number>/sessions/balance/",
        sessions.round_sessions_balance,
        name="round-sessions-balance",
    ),
    path("office/rounds/sessions/<int:pk>/assign/", sessions.session_assign, name="session-assign"),
    path("office/rounds/sessions/<int:pk>/delete/", sessions.session_delete, name="session-delete"),
    path("office/rounds/sessions/<int:pk>/notices/", sessions.session_notices, name="session-notices"),
    path("office/rounds/seats/<int:pk>/cancel/", sessions.seat_cancel, name="seat-cancel"),
    path("office/rounds/moves/<int:pk>/decide/", sessions.move_decide, name="move-decide"),
    path("me/seats/", sessions.my_seats_page, name="my-seats"),
    path("me/seats/<int:pk>/move/", sessions.seat_move, name="seat-move"),
    path("seats/<int:pk>/notice/", sessions.seat_notice, name="seat-notice"),
    path("office/publicity/", publicity.publicity_manage, name="publicity-manage"),
    path("office/publicity/objections/<int:pk>/handle/", publicity.objection_handle, name="objection-handle"),
    path(
        "office/publicity/objections/<int:pk>/duplicates/", publicity.objection_duplicates, name="objection-duplicates"
    ),
    path("office/round2/invite/", invitations.round2_invite, name="round2-invite"),
    path("office/round2/invite/send/", invitations.round2_invite_send, name="round2-invite-send"),
    # Public pages: publicity lists, the check of an admission notice and the vacancy board.
    path("publicity/", public.publicity_list_public, name="publicity-list-public"),
    path("publicity/<int:pk>/", public.publicity_public, name="publicity-public"),
    path("publicity/<int:pk>/pdf/", public.publicity_pdf, name="publicity-pdf"),
    path("verify/", public.admission_verify, name="admission-verify"),
    path("vacancies/", vacancies.vacancy_board_page, name="vacancy-board"),
    # The applicant's round pages (录取确认).
    path("me/offers/", offers.offers, name="offers"),
    path("me/offers/<int:pk>/confirm/", offers.offer_confirm, name="offer-confirm"),
    path("me/offers/<int:pk>/adjust/", offers.offer_adjust, name="offer-adjust"),
    path("me/invitations/<int:pk>/accept/", offers.invitation_accept, name="offer-invitation-accept"),
    path("me/invitations/<int:pk>/decline/", offers.invitation_decline, name="offer-invitation-decline"),
    path("me/notice/<int:admission_pk>/", offers.admission_notice, name="admission-notice"),
    # Whether the decisive messages reached the base's candidates (回执), and resending them.
    path("office/receipts/", receipts.receipts_list, name="office-receipts"),
    path("office/receipts/<int:pk>/resend/", receipts.receipt_resend, name="office-receipt-resend"),
    # Reporting (报到), withdrawal and integrity cases.
    path("office/reporting/", reporting.reporting_list, name="reporting"),
    path("office/reporting/notices/", reporting.notice_archive, name="notice-archive"),
    path("office/reporting/<int:pk>/reported/", reporting.reporting_record, name="reporting-record"),
    path("office/reporting/<int:pk>/agreement/", reporting.reporting_agreement, name="reporting-agreement"),
    path("office/reporting/<int:pk>/late/", reporting.reporting_late, name="reporting-late"),
    path("office/reporting/<int:pk>/statement/", reporting.reporting_statement, name="reporting-statement"),
    path("province/integrity/", reporting.integrity, name="integrity"),
    path("province/integrity/<int:pk>/decide/", reporting.integrity_decide, name="integrity-decide"),
    path("integrity/cases/<int:pk>/document/", reporting.integrity_document, name="integrity-document"),
    path("me/admission/<int:pk>/withdraw/", reporting.admission_withdraw, name="admission-withdraw"),
    # The provincial office's registration roster (注册名单).
    path("province/roster/", roster.roster, name="roster"),
    path("province/roster/publish/", roster.roster_publish, name="roster-publish"),
    path("province/roster/roster.csv", roster.roster_csv_export, name="roster-csv"),
    path("province/roster/roster.xlsx", roster.roster_xlsx_export, name="roster-xlsx"),
    path("province/roster/roster.pdf", roster.roster_pdf_export, name="roster-pdf"),
    path("province/roster/pdf-job/", roster.roster_pdf_job, name="roster-pdf-job"),
]
