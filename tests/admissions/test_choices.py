import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admissions.models import Application, ApplicationStatus
from admissions.services.applicants import upload_document
from admissions.services.choices import NotEligible, WindowClosed, submit_choice, withdraw_choice
from bases.services.quotas import do_set_quota
from portal.errors import DomainError
from portal.models import AuditEvent
from tests import factories
from tests.applicant_helpers import PDF, complete_applicant
from tests.concurrency import run_together

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ROUND1 = datetime.datetime(2026, 4, 10, 9, tzinfo=SHANGHAI)


@pytest.fixture
def plan(world):
    surgery = factories.specialty_base(world["xiehe"], factories.specialty("0900", "外科"), capacity=8)
    gp = factories.specialty_base(world["tongji"], factories.specialty("0700", "全科"), capacity=8)
    for base in (world["xiehe_internal"], surgery, gp):
        do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=base, places=3)
    return {"internal": world["xiehe_internal"], "surgery": surgery, "gp": gp, "campaign": world["hubei_campaign"]}


def choose(applicant, plan, which, at=ROUND1):
    with time_machine.travel(at, tick=False):
        return submit_choice(
            actor=applicant.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan[which]
        ).application


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime.datetime(2026, 4, 7, 23, 59, 59, tzinfo=SHANGHAI), False),
        (datetime.datetime(2026, 4, 8, 0, 0, 0, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 4, 23, 23, 59, 59, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 4, 24, 0, 0, 0, tzinfo=SHANGHAI), False),
        (datetime.datetime(2026, 5, 31, 23, 59, 59, tzinfo=SHANGHAI), False),
        (datetime.datetime(2026, 6, 1, 0, 0, 0, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 6, 15, 23, 59, 59, tzinfo=SHANGHAI), True),
        (datetime.datetime(2026, 6, 16, 0, 0, 0, tzinfo=SHANGHAI), False),
    ],
)
def test_the_window_holds_to_the_second(plan, moment, is_open):
    applicant = complete_applicant()
    if is_open:
        application = choose(applicant, plan, "internal", at=moment)
        assert application.round == (1 if moment.month == 4 else 2)
    else:
        with pytest.raises(WindowClosed, match="24时"):
            choose(applicant, plan, "internal", at=moment)
        assert not Application.objects.exists()


def test_changing_keeps_one_active_choice_and_the_history(plan):
    applicant = complete_applicant()
    first = choose(applicant, plan, "internal")
    assert choose(applicant, plan, "internal").pk == first.pk  # the same choice again changes nothing
    second = choose(applicant, plan, "surgery")
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: ApplicationStatus.CHANGED, second.pk: ApplicationStatus.ACTIVE}
    with time_machine.travel(ROUND1, tick=False):
        withdraw_choice(actor=applicant.user, application=second)
    assert not Application.objects.filter(status=ApplicationStatus.ACTIVE).exists()


def test_withdrawing_after_the_deadline_is_refused(plan):
    applicant = complete_applicant()
    application = choose(applicant, plan, "internal")
    with (
        time_machine.travel(datetime.datetime(2026, 4, 24, 0, 0, tzinfo=SHANGHAI), tick=False),
        pytest.raises(WindowClosed),
    ):
        withdraw_choice(actor=applicant.user, application=application)


def test_an_ineligible_choice_is_refused_with_its_clause(plan):
    old_graduate = complete_applicant(graduated=datetime.date(2023, 6, 30))
    with pytest.raises(NotEligible) as error:
        choose(old_graduate, plan, "internal")
    assert "二(二)3" in error.value.message and "全科" in error.value.message
    assert choose(old_graduate, plan, "gp").specialty_base == plan["gp"]


def test_an_incomplete_profile_is_told_what_is_missing(plan, people):
    from admissions.services.applicants import register_applicant

    bare = register_applicant(login="bare@example.com", password="Residency-2026!", full_name="新用户")
    with pytest.raises(DomainError) as error:
        choose(bare, plan, "internal")
    assert "身份证件信息" in error.value.message and "学历信息" in error.value.message


def test_nobody_chooses_for_someone_else(plan):
    applicant, other = complete_applicant(1), complete_applicant(2)
    with time_machine.travel(ROUND1, tick=False), pytest.raises(PermissionDenied):
        submit_choice(actor=other.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan["internal"])


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_submissions_leave_exactly_one_active_choice(plan):
    applicant = complete_applicant()
    errors = []

    def submit(which):
        try:
            submit_choice(
                actor=applicant.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan[which]
            )
        except Exception as error:
            errors.append(error)

    with time_machine.travel(ROUND1, tick=False):
        run_together([("internal", "surgery")[n % 2] for n in range(50)], submit)
    assert errors == []
    assert Application.objects.filter(applicant=applicant, status=ApplicationStatus.ACTIVE).count() == 1


def _queries_for_a_change(client, plan, to):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/v1/me/applications/", {"specialty_base": plan[to].pk}, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    return len(queries)


def test_a_change_of_choice_costs_the_same_few_queries_however_long_the_history(plan, client):
    applicant = complete_applicant()
    client.force_login(applicant.user)
    with time_machine.travel(ROUND1, tick=False):
        client.post("/api/v1/me/applications/", {"specialty_base": plan["gp"].pk}, content_type="application/json")
        early = _queries_for_a_change(client, plan, "internal")
        for _ in range(5):
            _queries_for_a_change(client, plan, "surgery")
            _queries_for_a_change(client, plan, "internal")
        late = _queries_for_a_change(client, plan, "surgery")
    assert early == late
    # The session, the user with its applicant, the specialty base, the savepoint, the lock with the
    # choice, the two writes, their audit events, the message and its copy, the release; the SMS goes
    # out from a task after the commit.
    assert late <= 11
    assert Application.objects.filter(applicant=applicant, status=ApplicationStatus.ACTIVE).count() == 1


def test_a_change_of_choice_is_eight_statements_with_sessions_in_the_shared_cache(plan, client, settings):
    """Issue 16: as deployed (CACHE_URL set, so sessions are read from the cache), a change of choice
    reads the user with its applicant, the specialty base with its national offers, and the choice
    with the applicant's row locked; then writes the two choices, their audit events in one insert,
    the message and its copies. The test's own transaction makes the service's BEGIN…COMMIT a
    savepoint, which is not counted."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    applicant = complete_applicant()
    client.force_login(applicant.user)
    with time_machine.travel(ROUND1, tick=False):
        client.post("/api/v1/me/applications/", {"specialty_base": plan["gp"].pk}, content_type="application/json")
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/api/v1/me/applications/", {"specialty_base": plan["internal"].pk}, content_type="application/json"
            )
    assert response.status_code == 201, response.content
    statements = [query["sql"].split(None, 1)[0].upper() for query in queries.captured_queries]
    statements = [statement for statement in statements if statement not in {"SAVEPOINT", "RELEASE"}]
    assert len(statements) <= 8, "\n".join(query["sql"][:160] for query in queries.captured_queries)
    assert statements.count("INSERT") == 4 and statements.count("UPDATE") == 1
    choices = Application.objects.filter(applicant=applicant).order_by("pk")
    assert [(c.specialty_base_id, c.status) for c in choices] == [
        (plan["gp"].pk, ApplicationStatus.CHANGED),
        (plan["internal"].pk, ApplicationStatus.ACTIVE),
    ]
    changed = AuditEvent.objects.filter(object_id__in=[str(c.pk) for c in choices]).order_by("pk")
    assert [event.action for event in changed][-2:] == ["application.changed", "application.submit"]


def test_records_changed_after_a_refusal_are_seen_by_the_next_choice(plan):
    """The cached educations are keyed by the applicant's records version: a new degree changes
    the answer at once, however it is saved."""
    applicant = complete_applicant(major_category="stomatology")
    with pytest.raises(NotEligible):
        choose(applicant, plan, "internal")  # 二(二)1: a stomatology graduate may choose stomatology only
    record = applicant.educations.get()
    record.major_category = "clinical"
    record.save()  # as the admin saves it
    applicant.refresh_from_db()
    assert choose(applicant, plan, "internal").status == ApplicationStatus.ACTIVE


def _entrusted(n, *, employer_city, dispatch):
    applicant = complete_applicant(
        n,
        applicant_type="entrusted",
        employer="宜昌市某县医院",
        employer_city=employer_city,
        dispatch_training_base=dispatch.training_base,
        dispatch_specialty=dispatch.specialty,
    )
    upload_document(
        actor=applicant.user, applicant=applicant, kind="dispatch_letter", file=SimpleUploadedFile("letter.pdf", PDF)
    )
    return applicant


def test_an_entrusted_resident_goes_to_the_national_base_of_its_own_city_when_it_offers_the_specialty(world):
    """二(三)1, decided from the database: only the national base offering that specialty in the
    employer's city counts, not the province's other offers."""
    campaign = world["hubei_campaign"]
    yichang = factories.training_base(world["hubei"], "宜昌市中心人民医院", city="宜昌市")
    surgery_spec = factories.specialty("0900", "外科")
    do_set_quota(actor=None, campaign=campaign, specialty_base=factories.specialty_base(yichang), places=2)  # 内科
    wuhan_surgery = factories.specialty_base(world["xiehe"], surgery_spec)
    for base in (world["xiehe_internal"], wuhan_surgery):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)

    wuhan_internal = world["xiehe_internal"]
    internal = _entrusted(1, employer_city="宜昌市", dispatch=wuhan_internal)
    with time_machine.travel(ROUND1, tick=False), pytest.raises(NotEligible, match="所在市州（宜昌市）有开设该专业"):
        submit_choice(
            actor=internal.user, applicant=internal, campaign=campaign, specialty_base=world["xiehe_internal"]
        )
    surgery = _entrusted(2, employer_city="宜昌市", dispatch=wuhan_surgery)
    with time_machine.travel(ROUND1, tick=False):
        chosen = submit_choice(
            actor=surgery.user, applicant=surgery, campaign=campaign, specialty_base=wuhan_surgery
        ).application
    assert chosen.specialty_base == wuhan_surgery


def test_choosing_the_same_base_again_says_nothing_changed_and_records_nothing(plan):
    applicant = complete_applicant()
    with time_machine.travel(ROUND1, tick=False):
        first = submit_choice(
            actor=applicant.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan["internal"]
        )
        again = submit_choice(
            actor=applicant.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan["internal"]
        )
        moved = submit_choice(
            actor=applicant.user, applicant=applicant, campaign=plan["campaign"], specialty_base=plan["surgery"]
        )
    assert (first.changed, again.changed, moved.changed) == (True, False, True)
    assert again.application.pk == first.application.pk != moved.application.pk
    assert AuditEvent.objects.filter(action="application.submit").count() == 2
