"""The assessment day through the API: check-in by the notice's code, marking one absent, ending a
session's check-in — for the seat's specialty base and its office only; to anyone else a seat
does not exist."""

import datetime

import pytest
from django.core.cache import cache

from admissions.models import SeatStatus, SessionSeat
from tests import factories
from tests.round_helpers import SHANGHAI, at, bulk_candidates

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(world, people):
    campaign, internal = world["hubei_campaign"], world["xiehe_internal"]
    session = factories.assessment_session(
        campaign, internal, datetime.datetime(2026, 4, 27, 9, tzinfo=SHANGHAI), created_by=people["xiehe_office"]
    )
    return session, factories.seats(session, bulk_candidates(campaign, internal, 3, scored=False))


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_check_in_by_code(api, day, people):
    _session, seats = day
    with at(2026, 4, 27, 8, 45):
        response = api(people["xiehe_staff"]).post(
            "/api/v1/seats/check-in/", {"code": seats[0].verification_code.lower()}, format="json"
        )
    assert response.status_code == 200, response.content
    body = response.json()
    applicant = seats[0].applicant
    assert body["status"] == "present" and body["part"] == "interview"
    assert body["full_name"] == applicant.full_name
    assert body["masked_id_number"].endswith(applicant.id_number[-4:]) and applicant.id_number not in str(body)
    assert body["session"]["place"] == "门诊楼5楼示教室"


@pytest.mark.parametrize("who", ["tongji_office", "province", "applicant"])
def test_anyone_else_finds_no_seat(api, day, people, who):
    _session, seats = day
    with at(2026, 4, 27, 8, 45):
        known = api(people[who]).post("/api/v1/seats/check-in/", {"code": seats[0].verification_code}, format="json")
        unknown = api(people[who]).post("/api/v1/seats/check-in/", {"code": "NOSUCHCODE"}, format="json")
        absent = api(people[who]).post(f"/api/v1/seats/{seats[0].pk}/absent/")
    assert known.status_code == unknown.status_code == absent.status_code == 404
    assert known.json()["detail"] == unknown.json()["detail"]
    assert SessionSeat.objects.get(pk=seats[0].pk).status == SeatStatus.ASSIGNED


def test_the_candidate_cannot_check_itself_in(api, day):
    _session, seats = day
    with at(2026, 4, 27, 8, 45):
        response = api(seats[0].applicant.user).post(
            "/api/v1/seats/check-in/", {"code": seats[0].verification_code}, format="json"
        )
    assert response.status_code == 404


def test_anonymous_is_refused(api, day):
    _session, seats = day
    response = api().post("/api/v1/seats/check-in/", {"code": seats[0].verification_code}, format="json")
    assert response.status_code in (401, 403)


def test_rules_come_back_as_409(api, day, people):
    _session, seats = day
    client = api(people["xiehe_office"])
    with at(2026, 4, 26, 9):
        wrong_day = client.post("/api/v1/seats/check-in/", {"code": seats[0].verification_code}, format="json")
    with at(2026, 4, 27, 8, 30):
        too_early = client.post(f"/api/v1/seats/{seats[0].pk}/absent/")
    assert wrong_day.status_code == too_early.status_code == 409
    assert wrong_day.json()["code"] == too_early.json()["code"] == "check_in_closed"


def test_absent_and_absentees(api, day, people):
    session, seats = day
    client = api(people["xiehe_office"])
    with at(2026, 4, 27, 9, 20):
        client.post("/api/v1/seats/check-in/", {"code": seats[0].verification_code}, format="json")
        absent = client.post(f"/api/v1/seats/{seats[1].pk}/absent/")
        swept = client.post("/api/v1/seats/absentees/", {"session": session.pk}, format="json")
        again = client.post("/api/v1/seats/absentees/", {"session": session.pk}, format="json")
        other = api(people["tongji_office"]).post("/api/v1/seats/absentees/", {"session": session.pk}, format="json")
    assert absent.status_code == 200 and absent.json()["status"] == "absent"
    assert swept.json() == {"marked": 1} and again.json() == {"marked": 0}
    assert other.status_code == 404
    assert list(SessionSeat.objects.order_by("pk").values_list("status", flat=True)) == ["present", "absent", "absent"]


def test_guessing_codes_is_throttled(api, day, people):
    client = api(people["tongji_office"])
    with at(2026, 4, 27, 8, 45):
        answers = [
            client.post("/api/v1/seats/check-in/", {"code": f"GUESS{n}"}, format="json").status_code for n in range(31)
        ]
    assert answers[:30] == [404] * 30 and answers[30] == 429


def test_an_absent_part_in_the_assessment_api(api, day, people):
    _session, seats = day
    client = api(people["xiehe_staff"])
    with at(2026, 4, 27, 9, 20):
        client.post(f"/api/v1/seats/{seats[0].pk}/absent/")
        assessment = client.get(f"/api/v1/assessments/{seats[0].assessment_id}/").json()
        refused = client.post(
            f"/api/v1/assessments/{seats[0].assessment_id}/scores/",
            {"interview_score": "80", "exam_score": "70"},
            format="json",
        )
        other = client.get(f"/api/v1/assessments/{seats[1].assessment_id}/").json()
    assert (assessment["interview_absent"], assessment["exam_absent"]) == (True, False)
    assert (other["interview_absent"], other["exam_absent"]) == (False, False)
    assert refused.status_code == 409
    assert refused.json()["code"] == "absent" and "该考生面试缺考，不能录入面试成绩" in refused.json()["detail"]
