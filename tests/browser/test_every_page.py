"""Every page a visitor, an applicant, a specialty base's staff, a training base's office and the
provincial office can open, on a phone (390×844) and a desktop (1366×900), in the middle of round 1's
publicity: none scrolls sideways, and no checkbox or radio label is cut off. A screenshot of each page
goes to the screenshots folder as pages-<viewport>-<role>-<page>.png.

The pages are the routes of the urls.py files; `test_every_page_route_is_visited_or_named_as_no_page`
keeps the list whole when a page is added."""

import datetime

import pytest
import time_machine
from django.urls import URLResolver, get_resolver, reverse

from admissions.models import PublicityEntry, PublicityList
from admissions.services.identity import request_identity_correction
from admissions.services.publicity import prepare_list_release, raise_objection
from bases.models import TrainingBase
from bases.services.brochures import (
    approve_brochure,
    publish_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from bases.services.quotas import request_quota_increase
from policy.choices import ApplicantType
from policy.identity import make_resident_id
from portal.models import BulkJob, JobStatus, Role
from portal.releases import confirm_release
from tests import factories
from tests.admissions.test_publicity_pages import build_round1
from tests.brochure_helpers import complete_sections, give_plan
from tests.browser.conftest import DESKTOP, PHONE, save_screenshot
from tests.browser.journeys import log_in, server_clock, shanghai

OFFICE_PASSWORD = "Correct-horse-9"  # tests.factories.user
APPLICANT_PASSWORD = "Residency-2026!"  # tests.applicant_helpers.complete_applicant
# The notice's own names, so that the pages are as long as they are in use.
XIEHE = "华中科技大学同济医学院附属协和医院"
TONGJI = "华中科技大学同济医学院附属同济医院"

# Who sees which pages: (route name, arguments by what `season` built, query string).
PAGES = {
    "visitor": [
        ("home",),
        ("directory",),
        ("plan-table",),
        ("brochure-public-list",),
        ("brochure-public", "brochure"),
        ("publicity-list-public",),
        ("publicity-public", "publicity"),
        ("admission-verify",),
        ("seat-check-in", "seat_code"),
        ("vacancy-board",),
        ("statistics",),
        ("register",),
        ("login",),
        ("password_reset",),
        ("password_reset_done",),
        ("password_reset_confirm", "reset_link"),
        ("password_reset_complete",),
        ("password-reset-sms",),
        ("password-reset-sms-code",),
    ],
    "applicant": [
        ("applicant-home",),
        ("applicant-profile",),
        ("applicant-education",),
        ("applicant-documents",),
        ("applicant-choose",),
        ("vacancy-board",),
        ("applicant-status",),
        ("applicant-identity",),
        ("offers",),
        ("my-seats",),
        ("notifications",),
        ("password_change",),
        ("password_change_done",),
    ],
    "staff": [
        ("workspace",),
        ("round-candidates", "round1"),
        ("round-candidates", "round2"),
        ("round-scores-import", "round1", "specialty_base"),
        ("round-check-in", "round1"),
        ("round-sessions", "round1"),
    ],
    "office": [
        ("workspace",),
        ("office-home",),
        ("brochure-edit",),
        ("quota-increases",),
        ("scoring-formulas",),
        ("scoring-formula", "quota"),
        ("masters",),
        ("round-candidates", "round1"),
        ("round-candidates", "round2"),
        ("round-check-in", "round1"),
        ("round-sessions", "round1", "specialty_base"),
        ("seat-check-in", "seat_code"),
        ("publicity-manage",),
        ("release", "release"),
        ("round2-invite",),
        ("reporting",),
        ("job", "job"),
        ("office-receipts",),
        ("identity-requests",),
        ("notifications",),
    ],
    "province": [
        ("workspace",),
        ("province-dashboard",),
        ("kpi-dashboard",),
        ("audit-events",),
        ("province-calendar",),
        ("brochure-review-list",),
        ("brochure-review", "brochure_version"),
        ("plan-import",),
        ("rural-orders",),
        ("integrity",),
        ("roster",),
        ("quota-increases",),
        ("scoring-formulas",),
        ("scoring-formula", "quota"),
        ("identity-requests",),
    ],
}

# Routes that are no page to look at: actions (POST only), downloads and files.
NOT_PAGES = {
    "logout",
    "round-sessions-balance",
    "session-assign",
    "session-delete",
    "session-notices",
    "seat-cancel",
    "move-decide",
    "seat-move",
    "seat-notice",
    "notifications-read",
    "healthz",
    "quota-increase-approve",
    "quota-increase-reject",
    "quota-increase-withdraw",
    "brochure-pdf",
    "plan-export",
    "statistics-export",
    "entry-cancel",
    "entry-document",
    "applicant-education-remove",
    "applicant-form-draft",
    "applicant-form-draft-discard",
    "applicant-document-delete",
    "applicant-document",
    "applicant-withdraw",
    "identity-correction-review",
    "identity-correction-document",
    "identity-claim-handle",
    "round-publish",
    "release-confirm",
    "release-undo",
    "release-cancel",
    "round-propose-ranked",
    "round-scores-export",
    "round-qualification",
    "round-scores",
    "round-decision",
    "objection-handle",
    "objection-duplicates",
    "round2-invite-send",
    "publicity-pdf",
    "offer-confirm",
    "offer-adjust",
    "offer-invitation-accept",
    "offer-invitation-decline",
    "admission-notice",
    "reporting-record",
    "reporting-agreement",
    "reporting-late",
    "reporting-statement",
    "office-receipt-resend",
    "integrity-decide",
    "integrity-document",
    "admission-withdraw",
    "roster-publish",
    "roster-csv",
    "roster-xlsx",
    "roster-pdf",
    "roster-pdf-job",
    "notice-archive",
    "job-state",
    "job-restart",
    "job-result",
    "kpi-cuts-export",
    "audit-events-csv",
    "province-calendar-declare",
    "province-calendar-reopen",
    "province-calendar-remove",
}

# A checkbox's or radio button's label that does not show whole: its text runs past its own box, or
# the box runs out of the viewport or of an ancestor that hides or scrolls what overflows it.
CLIPPED_LABELS = """() => {
    const visible = box => box.width > 0 && box.height > 0;
    const problems = [];
    for (const input of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
        const labels = new Set(input.labels);
        if (input.closest("label")) labels.add(input.closest("label"));
        for (const label of labels) {
            const box = label.getBoundingClientRect();
            if (!visible(box)) continue;
            const text = label.innerText.trim().slice(0, 40);
            if (label.clientWidth && label.scrollWidth > label.clientWidth + 1) {
                problems.push(`${text}: its text is ${label.scrollWidth}px in ${label.clientWidth}px`);
                continue;
            }
            if (box.left < -1 || box.right > window.innerWidth + 1) {
                problems.push(`${text}: ${Math.round(box.left)}–${Math.round(box.right)}px, outside the viewport`);
                continue;
            }
            for (let parent = label.parentElement; parent; parent = parent.parentElement) {
                if (getComputedStyle(parent).overflowX === "visible") continue;
                const frame = parent.getBoundingClientRect();
                if (box.left < frame.left - 1 || box.right > frame.right + 1) {
                    problems.push(`${text}: cut off by ${parent.tagName.toLowerCase()}.${parent.className}`);
                    break;
                }
            }
        }
    }
    return problems;
}"""

PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def page_routes():
    """The names of the routes of the portal's pages (neither the API, the admin nor i18n)."""
    names = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not pattern.namespace and not route.startswith(("api/", "i18n/")):
                    walk(pattern.url_patterns, route)
            elif pattern.name and not route.startswith("api/"):
                names.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_page_route_is_visited_or_named_as_no_page():
    visited = {name for pages in PAGES.values() for name, *_rest in pages}
    routes = page_routes()
    assert routes - visited - NOT_PAGES == set(), "add the new page to PAGES (or, if it is none, to NOT_PAGES)"
    assert (visited | NOT_PAGES) - routes == set(), "a route named here is gone"


@pytest.fixture
def season(world, people):
    """Hubei's 2026 campaign on 6 May, in round 1's publicity, with something on every page: Xiehe's
    brochure approved and published, and a new version in draft; two candidates proposed on Xiehe's
    published list, one of them asking to correct its identity, an objection to the other; a quota
    increase awaiting the province. Committed for the live server."""
    TrainingBase.objects.filter(pk=world["xiehe"].pk).update(name=XIEHE)
    TrainingBase.objects.filter(pk=world["tongji"].pk).update(name=TONGJI)
    campaign, office, province = world["hubei_campaign"], people["xiehe_office"], people["province"]
    give_plan(world, places=2)
    with time_machine.travel(shanghai(2026, 3, 18, 9), tick=False):
        draft = start_brochure_draft(actor=office, campaign=campaign, training_base=world["xiehe"])
        draft = save_brochure_draft(
            actor=office,
            version=draft,
            applicant_types=[ApplicantType.OWN_STAFF, ApplicantType.ENTRUSTED, ApplicantType.OPEN_RECRUITMENT],
            sections=complete_sections(),
        )
        version = submit_brochure(actor=office, version=draft)
        approve_brochure(actor=province, version=version)
        publish_brochure(actor=office, version=version)
        start_brochure_draft(actor=office, campaign=campaign, training_base=world["xiehe"])
    # The list goes out through its release: prepared by the office, published by a second person.
    round1 = build_round1(world, people, publish=False)
    with time_machine.travel(shanghai(2026, 4, 29, 16), tick=False):
        release = prepare_list_release(actor=office, campaign=campaign, training_base=world["xiehe"], round_number=1)
        confirm_release(actor=factories.user(Role.BASE_OFFICE, training_base=world["xiehe"]), release=release)
    first, second = round1.applicants
    with time_machine.travel(shanghai(2026, 5, 6, 9), tick=False):
        request_identity_correction(
            actor=first.user,
            applicant=first,
            full_name=first.full_name,
            id_type="resident_id",
            id_number=make_resident_id("420102", datetime.date(2001, 3, 2), 7),
            reason="身份证号码录入时把出生日期写错了一天，现按身份证原件更正。",
        )
        raise_objection(
            actor=factories.user(Role.APPLICANT),
            entry=PublicityEntry.objects.get(assessment__application__applicant=second),
            contact="13900001111",
            text="该考生的学历证书取得时间与公示不符，请核实。",
        )
        request_quota_increase(
            actor=office,
            quota=world["xiehe_internal"].quotas.get(campaign=campaign),
            places=2,
            reason="内科床位增加，带教老师充足，申请增加招收名额。",
        )
    # A session on the day the pages are visited, for the check-in pages.
    session = factories.assessment_session(
        campaign, world["xiehe_internal"], shanghai(2026, 5, 6, 9), created_by=office
    )
    seats = factories.seats(session, round1.assessments)
    # A bulk job of the office's, half done: its page has the progress bar.
    job = BulkJob.objects.create(
        key="admission-notices:pages",
        title=f"{XIEHE}录取通知书",
        task="admissions.tasks.build_notice_archive",
        province=world["hubei"],
        training_base=world["xiehe"],
        started_by=office,
        status=JobStatus.RUNNING,
        total=40,
        done=20,
    )
    return {
        "logins": {
            "applicant": (first.user.username, APPLICANT_PASSWORD),
            "staff": (people["xiehe_staff"].username, OFFICE_PASSWORD),
            "office": (office.username, OFFICE_PASSWORD),
            "province": (province.username, OFFICE_PASSWORD),
        },
        "arguments": {
            "brochure": [version.brochure_id],
            "brochure_version": [version.pk],
            "publicity": [PublicityList.objects.get().pk],
            "quota": [world["xiehe_internal"].quotas.get(campaign=campaign).pk],
            "release": [release.pk],
            "job": [job.pk],
            "reset_link": ["MQ", "no-such-token"],
            "round1": [1],
            "round2": [2],
            "seat_code": [seats[0].verification_code],
        },
        "queries": {"specialty_base": f"?specialty_base={world['xiehe_internal'].pk}"},
    }


def url_of(season, name, *keys):
    arguments = [value for key in keys if key in season["arguments"] for value in season["arguments"][key]]
    query = "".join(season["queries"][key] for key in keys if key in season["queries"])
    return reverse(name, args=arguments) + query


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_no_page_scrolls_sideways_or_cuts_off_a_label(viewport, season, browser_cookies, live_server, new_page):
    options = {"phone": PHONE, "desktop": DESKTOP}[viewport]
    problems = []
    with server_clock(2026, 5, 6, 10, 0):
        for role, pages in PAGES.items():
            page = new_page(options)
            if role in season["logins"]:
                log_in(page, live_server.url + reverse("notifications"), *season["logins"][role])
            for name, *keys in pages:
                path = url_of(season, name, *keys)
                response = page.goto(live_server.url + path)
                where = f"{role} {path}"
                if not response.ok:
                    problems.append(f"{where}: HTTP {response.status}")
                width, viewport_width = page.evaluate(PAGE_WIDTH)
                if width > viewport_width + 1:
                    problems.append(f"{where}: {width}px wide in a {viewport_width}px viewport")
                problems += [f"{where}: {problem}" for problem in page.evaluate(CLIPPED_LABELS)]
                save_screenshot(page, f"pages-{viewport}-{role}-{'-'.join([name, *keys])}")
    assert problems == [], "\n".join(problems)
