"""Who may reach each route of the portal, for tests/portal/test_access_matrix.py.

One entry per URL name: the personas that must get through (any answer but 401, 403, 404 or a
redirect to a login page), the method when the route takes no GET, a minimal body that reaches the
permission check, the world object its `pk` stands for and any query string. The personas live in
one world (see the test module): "applicant" owns every applicant object, which belongs to Xiehe's
internal-medicine specialty base in Hubei; "other_base_office" is Tongji's office (Hubei too);
"other_province" is Hunan's office. Decided from DESIGN.md's actors and portal/permissions.py:
an applicant sees its own data only, a base office its training base, specialty-base staff its
specialty base, a province its province; public pages are public. A list scoped by `visible`
answers every signed-in user with its own part (possibly empty), so it is reachable by all.
"""

from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
APPLICANT = "applicant"
OTHER_APPLICANT = "other_applicant"
SPECIALTY_STAFF = "specialty_staff"
BASE_OFFICE = "base_office"
OTHER_BASE_OFFICE = "other_base_office"
PROVINCE = "province"
OTHER_PROVINCE = "other_province"
PERSONAS = (
    ANONYMOUS,
    APPLICANT,
    OTHER_APPLICANT,
    SPECIALTY_STAFF,
    BASE_OFFICE,
    OTHER_BASE_OFFICE,
    PROVINCE,
    OTHER_PROVINCE,
)

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
NOBODY = frozenset()
OWNER = frozenset({APPLICANT})
APPLICANTS = frozenset({APPLICANT, OTHER_APPLICANT})
OFFICES = frozenset({BASE_OFFICE, OTHER_BASE_OFFICE})  # each for its own training base
PROVINCES = frozenset({PROVINCE, OTHER_PROVINCE})  # each for its own province
ROUND_STAFF = OFFICES | {SPECIALTY_STAFF}  # the rounds' pages, each for its own base
ALL_STAFF = ROUND_STAFF | PROVINCES
# Above the object in its own chain: its specialty base, its training base, its province.
OBJECT_STAFF = frozenset({SPECIALTY_STAFF, BASE_OFFICE, PROVINCE})
ASSESSORS = frozenset({SPECIALTY_STAFF, BASE_OFFICE})  # who scores the object's candidates
OWNER_AND_STAFF = OWNER | OBJECT_STAFF


@dataclass(frozen=True)
class Expect:
    allowed: frozenset
    method: str = "GET"
    data: dict = field(default_factory=dict)  # values naming a world object are "@name" (its pk)
    pk: str | None = None  # the world object the route's `pk` is
    query: dict = field(default_factory=dict)
    format: str = "json"  # of an API request's body


def post(allowed, pk=None, **data):
    return Expect(allowed, method="POST", data=data, pk=pk)


# The crawl happens during round 2, after applicant A's round-1 admission (Shanghai time).
CRAWL_MOMENT = (2026, 6, 5, 10)
TODAY = "{:04d}-{:02d}-{:02d}".format(*CRAWL_MOMENT[:3])

EXPECTATIONS = {
    # Public pages and the API's public reads.
    "home": Expect(EVERYONE),
    "directory": Expect(EVERYONE),
    "plan-table": Expect(EVERYONE),
    "brochure-public-list": Expect(EVERYONE),
    "brochure-public": Expect(EVERYONE),
    "brochure-pdf": Expect(EVERYONE),
    "publicity-list-public": Expect(EVERYONE),
    "publicity-public": Expect(EVERYONE, pk="publicity_list"),
    "publicity-pdf": Expect(EVERYONE, pk="publicity_list"),
    "admission-verify": Expect(EVERYONE, query={"notice": "@notice_number", "code": "@verification_code"}),
    "vacancy-board": Expect(EVERYONE),
    "statistics": Expect(EVERYONE),
    "statistics-export": Expect(EVERYONE),
    "register": Expect(EVERYONE),
    "healthz": Expect(EVERYONE),
    "password-reset-sms": Expect(EVERYONE),
    "password-reset-sms-code": Expect(EVERYONE),
    "api-schema": Expect(EVERYONE),
    "api-docs": Expect(EVERYONE),
    "api-training-bases": Expect(EVERYONE),
    "api-plan": Expect(EVERYONE),
    "api-publicity-list": Expect(EVERYONE, pk="publicity_list"),
    "api-admission-verify": Expect(EVERYONE, query={"notice_number": "@notice_number", "code": "@verification_code"}),
    "api-vacancies": Expect(EVERYONE),
    "api-statistics": Expect(EVERYONE),
    "api-register": post(EVERYONE),
    # Accounts and language.
    "login": Expect(EVERYONE),
    "logout": post(EVERYONE),
    "password_change": Expect(SIGNED_IN),
    "password_change_done": Expect(SIGNED_IN),
    "password_reset": Expect(EVERYONE),
    "password_reset_done": Expect(EVERYONE),
    "password_reset_confirm": Expect(EVERYONE),
    "password_reset_complete": Expect(EVERYONE),
    "set_language": post(EVERYONE, language="en"),
    "workspace": Expect(SIGNED_IN),
    "notifications": Expect(SIGNED_IN),
    "notifications-read": post(SIGNED_IN),
    # The applicant's own pages: every applicant has its own; another's objects are refused.
    "applicant-home": Expect(APPLICANTS),
    "applicant-profile": Expect(APPLICANTS),
    "applicant-education": Expect(APPLICANTS),
    "applicant-documents": Expect(APPLICANTS),
    "applicant-choose": Expect(APPLICANTS),
    "applicant-status": Expect(APPLICANTS),
    "offers": Expect(APPLICANTS),
    "applicant-identity": Expect(APPLICANTS),
    "applicant-education-remove": post(OWNER, pk="education"),
    "applicant-form-draft": post(APPLICANTS, school="武汉大学"),
    "applicant-form-draft-discard": post(APPLICANTS),
    "applicant-document-delete": post(OWNER, pk="document"),
    "applicant-withdraw": post(OWNER, application="@application"),
    "offer-confirm": post(OWNER, pk="assessment", decision="accept"),
    "offer-adjust": post(OWNER, pk="assessment", specialty_base="@xiehe_surgery"),
    "offer-invitation-accept": post(OWNER, pk="invitation"),
    "offer-invitation-decline": post(OWNER, pk="invitation"),
    # Giving up a place is the applicant's own act; an office files a signed statement instead.
    "admission-withdraw": post(OWNER, pk="admission", reason="另有安排"),
    # The applicant's files and notice: also the staff of the base it chose and its province.
    "applicant-document": Expect(OWNER_AND_STAFF, pk="document"),
    "admission-notice": Expect(OWNER_AND_STAFF),
    "entry-document": Expect(OBJECT_STAFF, pk="entry"),
    # The training-base office (and specialty-base staff on the rounds' pages).
    "office-home": Expect(OFFICES),
    # The scoring formulas: the offices of the quota (the province's list is of its own province).
    "scoring-formulas": Expect(OFFICES | PROVINCES),
    "scoring-formula": Expect({BASE_OFFICE, PROVINCE}, pk="quota"),
    "brochure-edit": Expect(OFFICES),
    "masters": Expect(OFFICES),
    "entry-cancel": post({BASE_OFFICE, PROVINCE}, pk="entry", reason="录入有误"),
    "round-candidates": Expect(ROUND_STAFF),
    "round-check-in": Expect(ROUND_STAFF),
    # The page an assessment notice's QR code opens: anyone may verify the notice; only the
    # candidate's specialty base checks in (with a POST the others are refused).
    "seat-check-in": Expect(EVERYONE),
    "api-seat-check-in": post(ASSESSORS, code="@seat_code"),
    "api-seat-absent": post(ASSESSORS, pk="seat"),
    "api-session-absentees": post(ASSESSORS, session="@assessment_session"),
    # Assessment sessions: the specialty base's staff and its office set them and seat candidates;
    # the candidate reads its own seats and notice (so do the staff above it) and asks to move.
    "round-sessions": Expect(ROUND_STAFF),
    "round-sessions-balance": Expect(
        ASSESSORS, method="POST", data={"part": "interview"}, query={"specialty_base": "@xiehe_internal"}
    ),
    "session-assign": post(ASSESSORS, pk="assessment_session", assessment="@assessment"),
    "session-delete": post(ASSESSORS, pk="assessment_session"),
    "session-notices": post({BASE_OFFICE}, pk="assessment_session"),
    "seat-cancel": post(ASSESSORS, pk="seat"),
    "move-decide": post(ASSESSORS, pk="move_request", approve="1"),
    "my-seats": Expect(APPLICANTS),
    "seat-move": post(OWNER, pk="seat"),
    "seat-notice": Expect(OWNER_AND_STAFF, pk="seat"),
    "api-sessions": Expect(ALL_STAFF),
    "api-session-seats": Expect(OBJECT_STAFF, pk="assessment_session"),
    "api-sessions-balanced": post(ASSESSORS, specialty_base="@xiehe_internal", round=1, part="interview"),
    "api-move-request-decide": post(ASSESSORS, pk="move_request", approve=True),
    "api-my-seats": Expect(APPLICANTS),
    "api-my-seat-move": post(OWNER, pk="seat", to_session="@assessment_session", reason="另有安排"),
    "round-scores-export": Expect(ROUND_STAFF),
    "round-scores-import": Expect(ROUND_STAFF),
    "round-publish": post(OFFICES),
    "round-qualification": post(ASSESSORS, pk="application", key="a", **{"q-a-passed": "1", "q-a-note": ""}),
    "round-scores": post(ASSESSORS, pk="assessment"),
    "round-decision": post({BASE_OFFICE}, pk="assessment", admit="1", reason=""),
    "round-propose-ranked": post({BASE_OFFICE}, specialty_base="@xiehe_internal"),
    "publicity-manage": Expect(OFFICES),
    "objection-handle": post({BASE_OFFICE}, pk="objection", outcome="dismiss", note="经核实不成立"),
    "objection-duplicates": post({BASE_OFFICE}, pk="objection", duplicate="@objection", note="重复"),
    "round2-invite": Expect(OFFICES),
    "round2-invite-send": post({BASE_OFFICE}, applicant="@other_applicant_record", specialty_base="@xiehe_internal"),
    "reporting": Expect(OFFICES),
    "reporting-record": post({BASE_OFFICE}, pk="admission", day=TODAY),
    "reporting-agreement": post({BASE_OFFICE}, pk="admission", day=TODAY),
    "reporting-late": post({BASE_OFFICE}, pk="admission", day=TODAY, reason="因病"),
    "identity-requests": Expect(OFFICES | PROVINCES),
    "identity-correction-review": post({BASE_OFFICE, PROVINCE}, pk="identity_correction", approve="0", note="无"),
    "identity-correction-document": Expect(OWNER | {BASE_OFFICE, PROVINCE}, pk="identity_correction"),
    "identity-claim-handle": post({BASE_OFFICE}, pk="identity_claim", approve="0", note="不属实"),
    "reporting-statement": post({BASE_OFFICE}, pk="admission", statement="学员书面放弃"),
    "integrity-document": Expect({BASE_OFFICE, PROVINCE}, pk="integrity_case"),
    "quota-increases": Expect(OFFICES | PROVINCES),
    "quota-increase-withdraw": post({BASE_OFFICE}, pk="increase"),
    # A release prepared by another user of Xiehe's office, for its office to confirm (refused as
    # stale, a 409), undo (refused, not released) or cancel.
    "notice-archive": post(OFFICES),
    "job": Expect({BASE_OFFICE}, pk="bulk_job"),  # Xiehe's office started it
    "job-state": Expect({BASE_OFFICE}, pk="bulk_job"),
    "job-restart": post({BASE_OFFICE}, pk="bulk_job"),
    "job-result": Expect({BASE_OFFICE}, pk="bulk_job"),
    "release": Expect({BASE_OFFICE}, pk="release"),
    "release-confirm": post({BASE_OFFICE}, pk="release"),
    "release-undo": post({BASE_OFFICE}, pk="release"),
    "release-cancel": post({BASE_OFFICE}, pk="release"),
    # The provincial office.
    "province-dashboard": Expect(PROVINCES),
    "kpi-dashboard": Expect(PROVINCES),
    "kpi-cuts-export": Expect(PROVINCES),
    "audit-events": Expect(PROVINCES),
    "audit-events-csv": Expect(PROVINCES),
    "brochure-review-list": Expect(PROVINCES),
    "brochure-review": Expect({PROVINCE}),
    "plan-export": Expect(PROVINCES),
    "plan-import": Expect(PROVINCES),
    "rural-orders": Expect(PROVINCES),
    "integrity": Expect(PROVINCES),
    "province-calendar": Expect(PROVINCES),
    "province-calendar-declare": post(PROVINCES, year=2027),
    "province-calendar-reopen": post(PROVINCES, year=2027, reason="补录"),
    "province-calendar-remove": post({PROVINCE}, pk="calendar_day"),
    "integrity-decide": post({PROVINCE}, pk="admission", reason="经查属实", accepted="1"),
    "roster": Expect(PROVINCES),
    "roster-publish": post(PROVINCES),
    "roster-csv": Expect(PROVINCES),
    "roster-xlsx": Expect(PROVINCES),
    "roster-pdf": Expect(PROVINCES),
    "roster-pdf-job": post(PROVINCES),
    "quota-increase-approve": post({PROVINCE}, pk="increase", places=1, reason="同意"),
    "quota-increase-reject": post({PROVINCE}, pk="increase", reason="容量不足"),
    # API: scoped lists answer every signed-in user with its own part.
    "api-brochures": Expect(SIGNED_IN),
    "api-quota-increases": Expect(SIGNED_IN),
    "api-objections": Expect(SIGNED_IN),
    "api-invitations": Expect(SIGNED_IN),
    "api-publicity-lists": Expect(EVERYONE),
    "api-plan-mine": Expect(ALL_STAFF),
    "api-assessments": Expect(ALL_STAFF),
    "api-plan-export": Expect(PROVINCES),
    "api-plan-import": Expect(PROVINCES, method="POST", format="multipart"),
    # API: brochures and quota increases.
    "api-brochure-draft": post(OFFICES),
    "api-brochure": Expect(OBJECT_STAFF, pk="brochure"),
    "api-brochure-version": Expect(OBJECT_STAFF, pk="version"),
    "api-brochure-version-gaps": Expect(OBJECT_STAFF, pk="version"),
    "api-brochure-version-submit": post({BASE_OFFICE}, pk="version"),
    "api-brochure-version-approve": post({PROVINCE}, pk="version", note="同意"),
    "api-brochure-version-return": post({PROVINCE}, pk="version", comments={"": "请修改"}, note=""),
    # publish_brochure lets the province publish an approved version as well as the base.
    "api-brochure-version-publish": post({BASE_OFFICE, PROVINCE}, pk="version"),
    "api-quota-increase-approve": post({PROVINCE}, pk="increase", places=1, reason="同意"),
    "api-quota-increase-reject": post({PROVINCE}, pk="increase", reason="容量不足"),
    "api-quota-increase-withdraw": post({BASE_OFFICE}, pk="increase"),
    # API: the applicant's own data.
    "api-me": Expect(APPLICANTS),
    "api-my-educations": Expect(APPLICANTS),
    "api-my-documents": Expect(APPLICANTS),
    "api-my-eligibility": Expect(APPLICANTS),
    "api-my-applications": Expect(APPLICANTS),
    "api-my-assessments": Expect(APPLICANTS),
    "api-my-invitations": Expect(APPLICANTS),
    "api-my-education": Expect(OWNER, method="DELETE", pk="education"),
    "api-my-document": Expect(OWNER, method="DELETE", pk="document"),
    "api-my-document-file": Expect(OWNER, pk="document"),
    "api-my-application-withdraw": post(OWNER, pk="application"),
    "api-my-assessment-score": Expect(OWNER, pk="assessment"),
    "api-my-assessment-confirm": post(OWNER, pk="assessment", accept=True),
    "api-my-assessment-adjustment": post(OWNER, pk="assessment", specialty_base="@xiehe_surgery"),
    "api-my-invitation-accept": post(OWNER, pk="invitation"),
    "api-my-invitation-decline": post(OWNER, pk="invitation"),
    # API: the rounds.
    "api-assessment": Expect(OBJECT_STAFF, pk="assessment"),
    "api-assessment-scores": post(ASSESSORS, pk="assessment", interview_score="80.0", exam_score="80.0"),
    "api-assessment-decision": post({BASE_OFFICE}, pk="assessment", admit=True),
    "api-specialty-base-propose-ranked": post({BASE_OFFICE}, pk="xiehe_internal", round=1),
    "api-application-qualification": post(ASSESSORS, pk="application", passed=True),
    "api-publicity-entry-objections": post(SIGNED_IN, pk="publicity_entry", contact="13900001111", text="学历存疑"),
    "api-objection-handle": post({BASE_OFFICE}, pk="objection", sustained=False, note="经核实不成立"),
    "api-my-identity-corrections": post(
        APPLICANTS, full_name="申请人壹", id_type="resident_id", id_number="420102200103090771", reason="更名"
    ),
    "api-identity-corrections": Expect(SIGNED_IN),
    "api-identity-correction-review": post({BASE_OFFICE, PROVINCE}, pk="identity_correction", approve=False, note="无"),
    "api-calendar-year": Expect(PROVINCES),
    "api-calendar-days": post(PROVINCES, days=[{"date": "2027-10-01", "is_working_day": False, "note": "国庆节"}]),
    "api-calendar-complete": post(PROVINCES),
    "api-calendar-reopen": post(PROVINCES, reason="补录"),
    "api-objection-close-duplicates": post({BASE_OFFICE}, pk="objection", duplicates=["@objection"], note="重复"),
    "api-releases": Expect(ALL_STAFF),
    "api-release": Expect({BASE_OFFICE, PROVINCE}, pk="release"),
    "api-release-confirm": post({BASE_OFFICE}, pk="release"),
    "api-release-undo": post({BASE_OFFICE}, pk="release"),
    "api-release-cancel": post({BASE_OFFICE}, pk="release"),
    # Receipts: a base office its own candidates' messages; one's own messages; the SMS gateway's reports
    # need its signature, which no persona has.
    "office-receipts": Expect(OFFICES),
    "office-receipt-resend": post({BASE_OFFICE}, pk="admission_message"),
    "api-my-messages": Expect(SIGNED_IN),
    "api-sms-receipts": post(NOBODY, message_id="x", status="delivered"),
}


def admin_expectation(route_id):
    """The admin is for superusers only (portal.admin_site): none of the personas gets past it.
    Its login page is open to all, and its logout sends whoever is not a superuser to its index
    (which then turns them away)."""
    return Expect(EVERYONE if route_id in ("admin:login", "admin:logout") else NOBODY)
