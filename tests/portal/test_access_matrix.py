"""The access matrix: every route of the live URL configuration, asked by eight personas.

The routes come from `get_resolver()` itself, so a new route without an entry in
tests/access_matrix_expectations.py fails here by its name, and an entry whose route is gone fails
too. One world is built per module, in which every URL argument is a real object of applicant A,
Xiehe's internal-medicine specialty base and Hubei; each request runs in a savepoint that is rolled
back, so a write by one persona never changes what the next one sees. The same crawl checks that
applicant A's full ID and mobile numbers reach nobody who is not entitled to them, and that its
name reaches no one outside its base and province except on public pages."""

import copy
import datetime
import io
import re
import traceback
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pypdf.errors import PdfReadError

from admissions.models import Admission, Invitation, MoveRequest, Objection
from admissions.services.admission import admit_due
from admissions.services.entries import enter_professional_master
from admissions.services.identity import claim_identity_number, request_identity_correction
from admissions.services.publicity import confirm_offer, handle_objection, raise_objection
from admissions.services.reporting import record_withdrawal_statement
from bases.services.brochures import (
    approve_brochure,
    publish_brochure,
    save_brochure_draft,
    start_brochure_draft,
    submit_brochure,
)
from bases.services.quotas import do_set_quota, request_quota_increase
from policy.identity import make_resident_id
from policy.services.calendar import DayEntry, enter_calendar_days
from portal.models import BulkJob, JobStatus, Notification, Role
from portal.privacy import mask_id_number, mask_phone
from tests import factories
from tests.access_matrix_expectations import (
    ANONYMOUS,
    APPLICANT,
    BASE_OFFICE,
    CRAWL_MOMENT,
    EXPECTATIONS,
    OTHER_APPLICANT,
    OTHER_BASE_OFFICE,
    OTHER_PROVINCE,
    PERSONAS,
    PROVINCE,
    SPECIALTY_STAFF,
    admin_expectation,
)
from tests.admissions.test_publicity_pages import pdf_text
from tests.admissions.test_publicity_release import stale_list_release
from tests.applicant_helpers import PDF, complete_applicant
from tests.brochure_helpers import complete_sections
from tests.round_helpers import SHANGHAI, at, proposed_in_round1

# Who may ever see applicant A's full ID and mobile numbers: A, and the staff of the base A chose
# and its province — never on public pages, nor in the audit log (portal/privacy.py).
ENTITLED_TO_NUMBERS = frozenset({APPLICANT, SPECIALTY_STAFF, BASE_OFFICE, PROVINCE})
AUDIT_LOG = frozenset({"audit-events", "audit-events-csv"})
REDIRECTS = (301, 302, 303, 307, 308)

pytestmark = pytest.mark.django_db


# --- the routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    id: str
    path: str  # the pattern as written, e.g. "api/v1/me/documents/<int:pk>/"
    kwargs: tuple

    @property
    def is_api(self):
        return self.path.startswith("api/v1/")

    @property
    def is_admin(self):
        return self.path.startswith("admin/")


def _walk(resolver, prefix="", namespace="", kwargs=()):
    for pattern in resolver.url_patterns:
        names = kwargs + tuple(pattern.pattern.regex.groupindex)
        path = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern, path, inner, names)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name or path, path, names)


def live_routes():
    """Every route, keyed by URL name (the pattern when unnamed). A route of the same name and
    pattern as an earlier one can never be reached (Django's auth URLs repeat our login)."""
    routes = {}
    for route in _walk(get_resolver()):
        if route.id in routes and routes[route.id].path != route.path:
            route = Route(f"{route.id} ({route.path})", route.path, route.kwargs)
        routes.setdefault(route.id, route)
    return routes


ROUTES = live_routes()


def expectation(route):
    return admin_expectation(route.id) if route.is_admin else EXPECTATIONS.get(route.id)


# The routes with an expectation (test_access names any other), and those of them not public.
COVERED = [route for route in ROUTES.values() if expectation(route) is not None]
NOT_PUBLIC = [route for route in COVERED if ANONYMOUS not in expectation(route).allowed]


# --- the world ---------------------------------------------------------------------------------


def build_world():
    """Hubei with Xiehe (internal medicine, surgery) and Tongji, Hunan; applicant A admitted to
    Xiehe's internal medicine in round 1 after an objection that was dismissed, then invited in
    round 2; a published brochure, a pending quota increase and a professional master at Xiehe."""
    hubei, hunan = factories.province(), factories.province(code="430000", name="湖南省")
    internal, surgery = factories.specialty("0100", "内科"), factories.specialty("0900", "外科")
    xiehe = factories.training_base(hubei, "协和医院")
    tongji = factories.training_base(hubei, "同济医院")
    xiehe_internal = factories.specialty_base(xiehe, internal)
    xiehe_surgery = factories.specialty_base(xiehe, surgery, capacity=5)
    tongji_internal = factories.specialty_base(tongji, internal)
    campaign = factories.campaign(hubei)
    factories.campaign(hunan)
    staff = {
        SPECIALTY_STAFF: factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=xiehe_internal),
        BASE_OFFICE: factories.user(Role.BASE_OFFICE, training_base=xiehe),
        OTHER_BASE_OFFICE: factories.user(Role.BASE_OFFICE, training_base=tongji),
        PROVINCE: factories.user(Role.PROVINCIAL_OFFICE, province=hubei),
        OTHER_PROVINCE: factories.user(Role.PROVINCIAL_OFFICE, province=hunan),
    }
    world = {"xiehe_internal": xiehe_internal, "xiehe_surgery": xiehe_surgery}
    # proposed_in_round1 takes conftest's `world` and `people` shape.
    assessment = proposed_in_round1(
        {"hubei_campaign": campaign, "xiehe_internal": xiehe_internal, "xiehe": xiehe},
        {"xiehe_staff": staff[SPECIALTY_STAFF], "xiehe_office": staff[BASE_OFFICE]},
    )
    office = staff[BASE_OFFICE]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=xiehe_internal, places=3)
    do_set_quota(actor=None, campaign=campaign, specialty_base=xiehe_surgery, places=1)
    do_set_quota(actor=None, campaign=campaign, specialty_base=tongji_internal, places=2)
    applicant = assessment.application.applicant
    other = complete_applicant(2)
    entry = assessment.publicity_entries.get()
    with at(2026, 5, 6, 9):
        raise_objection(actor=other.user, entry=entry, contact="13900001111", text="学历存疑")
        confirm_offer(actor=applicant.user, assessment=assessment, accept=True)
    with at(2026, 5, 7, 9):
        objection = handle_objection(actor=office, objection=Objection.objects.get(), sustained=False, note="不成立")
    with at(2026, 5, 13, 0, 30):
        admit_due()
    admission = Admission.objects.get(assessment=assessment)
    with at(2026, 5, 20, 9):
        identity_correction = request_identity_correction(
            actor=applicant.user,
            applicant=applicant,
            full_name="申请人壹",
            id_type=applicant.id_type,
            id_number=applicant.id_number,
            reason="更名",
            document=SimpleUploadedFile("证明.pdf", PDF),
        )
        identity_claim = claim_identity_number(
            actor=other.user,
            applicant=other,
            training_base=xiehe,
            id_type="resident_id",
            id_number=make_resident_id("420502", datetime.date(1999, 9, 9), 3),
            reason="被占用",
        )
    calendar_day = enter_calendar_days(
        actor=staff[PROVINCE], year=2027, days=[DayEntry(datetime.date(2027, 10, 1), False, "国庆节")]
    )[0]
    with at(2026, 5, 20, 9):
        integrity_case = record_withdrawal_statement(
            actor=office, admission=admission, statement="学员书面放弃", document=SimpleUploadedFile("声明.pdf", PDF)
        )
    with at(2026, 6, 2, 9):
        invitation = Invitation.objects.create(
            campaign=campaign, specialty_base=xiehe_surgery, applicant=applicant, invited_by=office
        )
    with at(2026, 3, 10, 9):
        version = start_brochure_draft(actor=office, campaign=campaign, training_base=xiehe)
        save_brochure_draft(
            actor=office, version=version, applicant_types=["open_recruitment"], sections=complete_sections()
        )
        submit_brochure(actor=office, version=version)
        approve_brochure(actor=staff[PROVINCE], version=version)
        publish_brochure(actor=office, version=version)
        increase = request_quota_increase(actor=office, quota=quota, places=1, reason="生源充足")
    with at(2026, 4, 1, 9):
        master = enter_professional_master(
            actor=office,
            quota=quota,
            full_name="专硕甲",
            id_type="resident_id",
            id_number=make_resident_id("420502", datetime.date(2000, 5, 5), 7),
            school="三峡大学",
            school_province="湖北省",
            school_city="宜昌市",
            approval_document=SimpleUploadedFile("同意书.pdf", PDF),
        )
    release = stale_list_release(campaign=campaign, training_base=xiehe)
    bulk_job = BulkJob.objects.create(
        key="admission-notices:test",
        title="协和医院录取通知书",
        task="admissions.tasks.build_notice_archive",
        province=hubei,
        training_base=xiehe,
        started_by=office,
        status=JobStatus.DONE,
    )
    bulk_job.result.save("job.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    session = factories.assessment_session(
        campaign, xiehe_internal, datetime.datetime(2026, 4, 27, 9, tzinfo=SHANGHAI), created_by=office
    )
    seat = factories.seats(session, [assessment])[0]
    move_request = MoveRequest.objects.create(seat=seat, from_session=session, to_session=session, reason="另有安排")
    world.update(
        people={ANONYMOUS: None, APPLICANT: applicant.user, OTHER_APPLICANT: other.user, **staff},
        applicant=applicant,
        other_applicant_record=other,
        quota=quota,
        brochure=version.brochure,
        version=version,
        increase=increase,
        entry=master,
        education=applicant.educations.first(),
        document=applicant.documents.first(),
        application=assessment.application,
        assessment=assessment,
        publicity_list=entry.publicity_list,
        publicity_entry=entry,
        objection=objection,
        admission=admission,
        integrity_case=integrity_case,
        calendar_day=calendar_day,
        identity_correction=identity_correction,
        identity_claim=identity_claim,
        invitation=invitation,
        release=release,
        bulk_job=bulk_job,
        seat=seat,
        seat_code=seat.verification_code,
        assessment_session=session,
        move_request=move_request,
        notice_number=admission.notice_number,
        verification_code=admission.verification_code,
        admission_message=Notification.objects.get(recipient=applicant.user, kind="admission.admitted"),
    )
    return world


# Values of URL arguments other than `pk` (which names a world object per route).
def _argument(world, name):
    return {
        "brochure_pk": world["brochure"].pk,
        "version_pk": world["version"].pk,
        "admission_pk": world["admission"].pk,
        "round_number": 1,
        "code": world["seat"].verification_code,
        "year": 2027,
        "campaign_year": 2026,
        "form_key": "education",
        "uidb64": urlsafe_base64_encode(force_bytes(world["applicant"].user.pk)),
        "token": "set-password",
        # The admin's arguments: it turns away every persona before looking at them.
        "app_label": "admissions",
        "object_id": world["applicant"].pk,
        "content_type_id": 1,
        "id": world["applicant"].user.pk,
        "url": "no-such-page/",
    }[name]


def _value(world, value):
    if isinstance(value, list):
        return [_value(world, item) for item in value]
    if isinstance(value, str) and value.startswith("@"):
        found = world[value[1:]]
        return found if isinstance(found, str) else found.pk
    return value


def url_of(route, expect, world):
    values = {name: world[expect.pk].pk if name == "pk" else _argument(world, name) for name in route.kwargs}
    path = re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m[1] or m[2]]), route.path)
    url = "/" + path.replace("^", "").replace("$", "")
    query = {key: _value(world, value) for key, value in expect.query.items()}
    return url + ("?" + urlencode(query) if query else "")


# --- the crawl ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str
    text: str

    @property
    def denied(self):
        login_pages = {reverse("login"), reverse("admin:login")}
        return self.status in (401, 403, 404) or (
            self.status in REDIRECTS and urlsplit(self.location).path in login_pages
        )


def _text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        try:
            return pdf_text(content)
        except PdfReadError:  # the tests' stand-in upload, no real PDF: searched as it is
            pass
    if "spreadsheetml" in response.get("Content-Type", ""):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return content.decode("utf-8", "replace")


def ask(client, route, expect, world):
    url = url_of(route, expect, world)
    data = {key: _value(world, value) for key, value in expect.data.items()}
    method = expect.method.lower()
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(url)
            elif route.is_api:
                response = getattr(client, method)(url, data, format=expect.format)
            else:
                response = getattr(client, method)(url, data)
            outcome = Outcome(response.status_code, response.get("Location", ""), _text(response))
            transaction.set_rollback(True)
    except Exception:
        return Outcome(500, "", traceback.format_exc())
    return outcome


class Crawl:
    """Each route asked once by every persona, whichever test needs it first."""

    def __init__(self, world):
        self.world = world
        self.outcomes = {}
        # One signed-in client per persona and kind, made once: a new client loads the middleware
        # again, and WhiteNoise's scan of the static files would cost more than the whole crawl.
        self.clients = {}
        for persona, user in world["people"].items():
            page_client = Client()
            if user is not None:
                page_client.force_login(user)
            for is_api, client in ((False, page_client), (True, factories.api_client(user))):
                self.clients[persona, is_api] = (client, copy.deepcopy(client.cookies))

    def client(self, persona, route):
        """The persona's client with the cookies it signed in with (a route may sign it out)."""
        client, cookies = self.clients[persona, route.is_api]
        client.cookies = copy.deepcopy(cookies)
        return client

    def of(self, route):
        if route.id not in self.outcomes:
            expect = expectation(route)
            url = url_of(route, expect, self.world)
            reached = resolve(urlsplit(url).path).route
            assert reached.replace("^", "") == route.path.replace("^", ""), f"{url} is {reached}, not {route.path}"
            with at(*CRAWL_MOMENT):
                self.outcomes[route.id] = {
                    persona: ask(self.client(persona, route), route, expect, self.world) for persona in PERSONAS
                }
        return self.outcomes[route.id]


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory):
    # The world lives for the module inside one transaction, rolled back at its end; each test's
    # transaction and each request's savepoint nest inside it.
    private = tmp_path_factory.mktemp("private")
    settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], PRIVATE_MEDIA_ROOT=private
    )
    with django_db_blocker.unblock(), settings, transaction.atomic():
        yield Crawl(build_world())
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def private_files(crawl):
    """Replaces conftest's fresh folder per test: the world's uploads stay where it put them."""


# --- the tests ---------------------------------------------------------------------------------


def test_every_expectation_names_a_live_route():
    stale = sorted(set(EXPECTATIONS) - set(ROUTES))
    assert not stale, f"expectations for routes that no longer exist: {stale}"


def _route_ids(route):
    return route.id


@pytest.mark.parametrize("route", ROUTES.values(), ids=_route_ids)
def test_access(route, crawl):
    expect = expectation(route)
    assert expect is not None, (
        f"route {route.id!r} ({route.path}) has no entry in tests/access_matrix_expectations.py: "
        "say which personas may reach it"
    )
    outcomes = crawl.of(route)
    errors = {persona: o.text[-2000:] for persona, o in outcomes.items() if o.status >= 500}
    assert not errors, f"{route.id}: server error for {sorted(errors)}:\n" + "\n".join(errors.values())
    unexercised = sorted(persona for persona, o in outcomes.items() if o.status == 405)
    assert not unexercised, f"{route.id}: {expect.method} answered 405 for {unexercised}; give its method"
    reached = {persona for persona, o in outcomes.items() if not o.denied}
    statuses = {persona: outcomes[persona].status for persona in PERSONAS}
    assert reached == set(expect.allowed), (
        f"{route.id}: let in {sorted(reached - expect.allowed)} wrongly, "
        f"turned away {sorted(expect.allowed - reached)} wrongly; statuses {statuses}"
    )


def _numbers(world):
    applicant = world["applicant"]
    return {"ID number": applicant.id_number, "mobile": applicant.mobile}


@pytest.mark.parametrize("route", COVERED, ids=_route_ids)
def test_personal_numbers_reach_only_those_entitled(route, crawl):
    masked_for_all = ANONYMOUS in expectation(route).allowed or route.id in AUDIT_LOG
    for persona, outcome in crawl.of(route).items():
        entitled = persona in ENTITLED_TO_NUMBERS and not masked_for_all
        for label, number in _numbers(crawl.world).items():
            # Applicant A's mobile is its login, shown to A on every page it is signed in on.
            own_login = label == "mobile" and persona == APPLICANT
            assert entitled or own_login or number not in outcome.text, (
                f"{route.id}: applicant A's full {label} shown to {persona}"
            )


# Who must not read applicant A's name off any page that is not public: it did not choose their
# base or province. The other applicant reads it on the objection it raised against A.
STRANGERS = frozenset({ANONYMOUS, OTHER_APPLICANT, OTHER_BASE_OFFICE, OTHER_PROVINCE})
OWN_OBJECTION = ("api-objections", OTHER_APPLICANT)


@pytest.mark.parametrize("route", NOT_PUBLIC, ids=_route_ids)
def test_strangers_learn_nothing_of_the_applicant_off_public_pages(route, crawl):
    name = crawl.world["applicant"].full_name
    told = sorted(
        persona
        for persona, outcome in crawl.of(route).items()
        if persona in STRANGERS and (route.id, persona) != OWN_OBJECTION and name in outcome.text
    )
    assert not told, f"{route.id}: applicant A's name shown to {told}"


def test_the_crawl_finds_the_numbers_where_they_belong(crawl):
    numbers = _numbers(crawl.world)
    profile = crawl.of(ROUTES["applicant-profile"])[APPLICANT].text
    candidates = crawl.of(ROUTES["round-candidates"])[SPECIALTY_STAFF].text
    publicity = crawl.of(ROUTES["publicity-public"])[ANONYMOUS].text
    notice = crawl.of(ROUTES["admission-notice"])[PROVINCE].text
    audit_log = crawl.of(ROUTES["audit-events"])[PROVINCE].text
    assert numbers["ID number"] in profile and numbers["mobile"] in profile
    assert numbers["ID number"] in candidates and numbers["ID number"] in notice
    assert mask_id_number(numbers["ID number"]) in publicity and crawl.world["applicant"].full_name in publicity
    assert mask_phone(numbers["mobile"]) in audit_log, "A's own actions are on record under its masked login"
