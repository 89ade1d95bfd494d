"""Schemathesis over every operation of the API, through the real WSGI stack (session cookie, CSRF
cookie and header), anonymous and signed in as each kind of user, on a world where the path ids
often name real objects: no input gives a server error, and every answer has a documented status,
content type and body."""

import datetime

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from admissions.models import (
    ApplicantDocument,
    Application,
    Assessment,
    AssessmentSession,
    EducationRecord,
    IdentityCorrection,
    Invitation,
    MoveRequest,
    Objection,
    PublicityEntry,
    PublicityList,
    SessionSeat,
)
from admissions.services.assessments import decide_admission, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.identity import request_identity_correction
from admissions.services.invitations import invite_applicant
from admissions.services.publicity import raise_objection
from bases.models import Brochure, BrochureVersion, QuotaIncrease, SpecialtyBase
from bases.services.brochures import save_brochure_draft, start_brochure_draft, submit_brochure
from bases.services.quotas import request_quota_increase
from portal.models import Release
from tests import factories
from tests.admissions.test_publicity_release import stale_list_release
from tests.applicant_helpers import complete_applicant
from tests.brochure_helpers import complete_sections, give_plan
from tests.round_helpers import SHANGHAI, at, proposed_in_round1

# Round-1 assessment, during the publicity of Xiehe's list: scores, decisions, objections and the
# applicant's confirmation are open (Shanghai time).
FUZZ_MOMENT = (2026, 5, 6, 9)
EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# What a query parameter read by hand must answer with a 4xx rather than choke on: NUL (PostgreSQL
# refuses it), a digit that int() does not take, a number no id column holds.
HOSTILE_QUERY_VALUES = ["\x00", "²", "9" * 25]

# The model each `{id}` path parameter names, by the path segment before it.
RESOURCES = {
    "brochures": Brochure,
    "brochure-versions": BrochureVersion,
    "quota-increases": QuotaIncrease,
    "educations": EducationRecord,
    "documents": ApplicantDocument,
    "applications": Application,
    "assessments": Assessment,
    "publicity-lists": PublicityList,
    "publicity-entries": PublicityEntry,
    "objections": Objection,
    "invitations": Invitation,
    "specialty-bases": SpecialtyBase,
    "identity-corrections": IdentityCorrection,
    "releases": Release,
    "seats": SessionSeat,
    "sessions": AssessmentSession,
    "move-requests": MoveRequest,
}

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
SCHEMA.app = WSGIHandler()
OPERATIONS = sorted((result.ok() for result in SCHEMA.get_all_operations()), key=lambda op: op.label)


def _seed(world, people):
    """A season in progress, built through the services: brochures (a draft, one submitted), a
    pending quota increase, applicant A proposed on Xiehe's public list with an objection against
    them, applicant B not admitted and invited to round 2."""
    campaign = world["hubei_campaign"]
    give_plan(world, "tongji", places=3)
    proposed = proposed_in_round1(world, people)  # gives Xiehe its plan too
    with at(2026, 3, 10, 9):
        start_brochure_draft(actor=people["xiehe_office"], campaign=campaign, training_base=world["xiehe"])
        draft = start_brochure_draft(actor=people["tongji_office"], campaign=campaign, training_base=world["tongji"])
        save_brochure_draft(
            actor=people["tongji_office"],
            version=draft,
            applicant_types=["open_recruitment"],
            sections=complete_sections(),
        )
        submit_brochure(actor=people["tongji_office"], version=draft)
        request_quota_increase(
            actor=people["xiehe_office"], quota=world["xiehe_internal"].quotas.get(), places=1, reason="生源充足"
        )
    other = complete_applicant(2)
    with at(2026, 4, 10, 9):
        choice = submit_choice(
            actor=other.user, applicant=other, campaign=campaign, specialty_base=world["tongji_internal"]
        ).application
    with at(2026, 4, 27, 9):
        assessment = review_qualification(actor=people["tongji_office"], application=choice, passed=True)
        decide_admission(actor=people["tongji_office"], assessment=assessment, admit=False, reason="名额已满")
    with at(*FUZZ_MOMENT):
        raise_objection(
            actor=people["employer"], entry=proposed.publicity_entries.get(), contact="13900000000", text="学历存疑"
        )
    with at(2026, 6, 3, 9):
        invite_applicant(
            actor=people["xiehe_office"],
            applicant=other,
            campaign=campaign,
            specialty_base=world["xiehe_internal"],
            message="6月20日复试",
        )
    stale_list_release(campaign=campaign, training_base=world["xiehe"])
    # A seat of a session on the day the fuzzing happens, so that a check-in can go through.
    session = factories.assessment_session(
        campaign,
        world["tongji_internal"],
        datetime.datetime(*FUZZ_MOMENT[:3], 8, tzinfo=SHANGHAI),
        created_by=people["tongji_office"],
    )
    [seat] = factories.seats(session, [assessment])
    MoveRequest.objects.create(seat=seat, from_session=session, to_session=session, reason="另有安排")
    applicant = proposed.application.applicant
    request_identity_correction(
        actor=applicant.user,
        applicant=applicant,
        full_name="申请人壹",
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        reason="姓名录入错误",
    )
    return applicant.user


def _credentials(user):
    """The cookies and header a browser sends: a session (when signed in) and the CSRF pair."""
    request = HttpRequest()
    header = get_token(request)
    cookies = {settings.CSRF_COOKIE_NAME: request.META["CSRF_COOKIE"]}
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies, {settings.CSRF_HEADER_NAME.removeprefix("HTTP_").replace("_", "-"): header}


def _ids(operation):
    """The ids of the objects an operation's `{id}` names, all of them, whoever may see them."""
    if "{id}" not in operation.path:
        return []
    model = RESOURCES[operation.path.split("/{id}")[0].rsplit("/", 1)[-1]]
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    assert ids, f"no {model.__name__} to aim {operation.label} at"
    return ids


def _strategy(operation, ids):
    """Cases from the schema, positive and negative, and positive ones on a real object."""
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if ids:
        strategies.append(st.sampled_from(ids).flatmap(lambda pk: operation.as_strategy(path_parameters={"id": pk})))
    return st.one_of(strategies)


def _hostile_cases(operation, ids):
    """Each query parameter with each of HOSTILE_QUERY_VALUES, on a real object (a campaign's year
    for the paths named by year)."""
    path_parameters = {
        parameter.name: ids[0] if parameter.name == "id" else FUZZ_MOMENT[0] for parameter in operation.path_parameters
    }
    for parameter in operation.query:
        for value in HOSTILE_QUERY_VALUES:
            yield operation.Case(path_parameters=path_parameters, query={parameter.name: value})


@pytest.fixture
def wsgi_in_test_transaction():
    # Django's test client does this too: the test's transaction is the connection's, so a request
    # must not close it at its end.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("role", ["anonymous", "applicant", "xiehe_office", "xiehe_staff", "province"])
def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    role, world, people, wsgi_in_test_transaction, subtests
):
    applicant_user = _seed(world, people)
    user = {"anonymous": None, "applicant": applicant_user}.get(role, people.get(role))
    with at(*FUZZ_MOMENT):
        cookies, headers = _credentials(user)
        for operation in OPERATIONS:
            with subtests.test(operation=operation.label):
                _fuzz(operation, cookies, headers)


def _fuzz(operation, cookies, headers):
    def call(case):
        # Each case starts from the seeded world; the throttles' counters go with it.
        with transaction.atomic():
            try:
                case.call_and_validate(cookies=cookies, headers=headers, checks=CHECKS)
            finally:
                transaction.set_rollback(True)
                for cache in caches.all():
                    cache.clear()

    ids = _ids(operation)
    hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )(given(case=_strategy(operation, ids))(call))()
    for case in _hostile_cases(operation, ids):
        call(case)
