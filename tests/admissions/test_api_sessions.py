"""Assessment sessions through the API: the base's sessions and seats, adding, seating by hand and
evenly, the clash as a 409, answering a move; the candidate's own seats and its one move request;
lists that cost the same queries however many rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admissions.models import MoveRequest, SessionSeat
from admissions.services.sessions import assign_seat, request_move
from tests import factories
from tests.admissions.test_sessions import DAY, ROUND2_DAY, new_session, round2_person
from tests.round_helpers import at, bulk_candidates

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(world, people):
    assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 3, scored=False)
    with at(2026, 4, 25, 9):
        first = new_session(people["xiehe_office"], world)
        second = new_session(people["xiehe_office"], world, starts_at=DAY + datetime.timedelta(days=1))
    return first, second, assessments


def test_staff_list_their_sessions_only(world, people, sessions):
    first, second, _assessments = sessions
    with at(2026, 4, 26, 9):
        tongji = new_session(people["tongji_office"], world, base="tongji_internal")
        mine = factories.api_client(people["xiehe_staff"]).get("/api/v1/sessions/", {"round": 1})
        theirs = factories.api_client(people["tongji_office"]).get("/api/v1/sessions/")
        province = factories.api_client(people["province"]).get("/api/v1/sessions/")
    assert [row["id"] for row in mine.json()["results"]] == [first.pk, second.pk]
    assert mine.json()["results"][0]["taken"] == 0 and mine.json()["results"][0]["place"] == "门诊楼5楼示教室"
    assert [row["id"] for row in theirs.json()["results"]] == [tongji.pk]
    assert province.json()["count"] == 3
    assert factories.api_client(people["applicant"]).get("/api/v1/sessions/").status_code == 403


def test_adding_a_session(world, people):
    payload = {
        "round": 1,
        "specialty_base": world["xiehe_internal"].pk,
        "part": "exam",
        "mode": "video",
        "starts_at": "2026-04-30T14:00:00+08:00",
        "ends_at": "2026-04-30T15:30:00+08:00",
        "video_link": "https://meeting.example/9",
        "capacity": 12,
    }
    with at(2026, 4, 26, 9):
        created = factories.api_client(people["xiehe_office"]).post("/api/v1/sessions/", payload, format="json")
        refused = factories.api_client(people["xiehe_office"]).post(
            "/api/v1/sessions/", payload | {"video_link": ""}, format="json"
        )
        other = factories.api_client(people["tongji_office"]).post("/api/v1/sessions/", payload, format="json")
    assert created.status_code == 201 and created.json()["capacity"] == 12
    assert refused.status_code == 400 and "视频会议链接" in refused.json()["detail"]
    assert other.status_code == 403


def test_seating_by_hand_and_the_seats_list(world, people, sessions):
    first, _second, assessments = sessions
    client = factories.api_client(people["xiehe_office"])
    with at(2026, 4, 26, 9):
        response = client.post(f"/api/v1/sessions/{first.pk}/seats/", {"assessment": assessments[0].pk}, format="json")
        again = client.post(f"/api/v1/sessions/{first.pk}/seats/", {"assessment": assessments[0].pk}, format="json")
        listed = client.get(f"/api/v1/sessions/{first.pk}/seats/")
    assert response.status_code == 201 and len(response.json()["verification_code"]) == 12
    assert again.status_code == 409 and again.json()["code"] == "already_seated"
    assert [row["assessment"] for row in listed.json()["results"]] == [assessments[0].pk]
    assert "*" in listed.json()["results"][0]["masked_id_number"]
    assert factories.api_client(people["tongji_office"]).get(f"/api/v1/sessions/{first.pk}/seats/").status_code == 403


def test_the_clash_is_a_409(world, people):
    at_xiehe, at_tongji = round2_person(world)
    with at(2026, 6, 16, 9):
        xiehe = new_session(people["xiehe_office"], world, starts_at=ROUND2_DAY, round_number=2)
        tongji = new_session(
            people["tongji_office"], world, starts_at=ROUND2_DAY, base="tongji_internal", round_number=2
        )
        assign_seat(actor=people["xiehe_office"], session=xiehe, assessment=at_xiehe)
        response = factories.api_client(people["tongji_office"]).post(
            f"/api/v1/sessions/{tongji.pk}/seats/", {"assessment": at_tongji.pk}, format="json"
        )
    assert response.status_code == 409 and response.json()["code"] == "session_clash"


def test_balanced_assignment(world, people, sessions):
    with at(2026, 4, 26, 9):
        response = factories.api_client(people["xiehe_staff"]).post(
            "/api/v1/sessions/balanced/",
            {"specialty_base": world["xiehe_internal"].pk, "round": 1, "part": "interview"},
            format="json",
        )
    body = response.json()
    assert response.status_code == 200 and len(body["seated"]) == 3 and body["clashed"] == body["no_room"] == []
    assert sorted(SessionSeat.objects.values_list("session", flat=True)) == sorted(
        [sessions[0].pk] * 2 + [sessions[1].pk]
    )


def test_the_candidate_reads_its_seats_and_asks_to_move_once(world, people, sessions):
    first, second, assessments = sessions
    with at(2026, 4, 26, 9):
        seat = assign_seat(actor=people["xiehe_office"], session=first, assessment=assessments[0])
        client = factories.api_client(seat.applicant.user)
        mine = client.get("/api/v1/me/seats/").json()["results"]
        moved = client.post(
            f"/api/v1/me/seats/{seat.pk}/move/", {"to_session": second.pk, "reason": "答辩"}, format="json"
        )
        twice = client.post(
            f"/api/v1/me/seats/{seat.pk}/move/", {"to_session": second.pk, "reason": "再"}, format="json"
        )
        after = client.get("/api/v1/me/seats/").json()["results"][0]
    assert mine[0]["verification_code"] == seat.verification_code and mine[0]["move_request"] is None
    assert mine[0]["notice_url"].endswith(f"/seats/{seat.pk}/notice/")
    assert moved.status_code == 201 and twice.status_code == 409
    assert after["move_request"]["status"] == "pending"
    other = factories.api_client(assessments[1].application.applicant.user)
    with at(2026, 4, 26, 9):
        response = other.post(
            f"/api/v1/me/seats/{seat.pk}/move/", {"to_session": second.pk, "reason": "x"}, format="json"
        )
    assert response.status_code == 404 and other.get("/api/v1/me/seats/").json()["results"] == []


def test_the_base_decides_a_move(world, people, sessions):
    first, second, assessments = sessions
    with at(2026, 4, 26, 9):
        seat = assign_seat(actor=people["xiehe_office"], session=first, assessment=assessments[0])
        move = request_move(actor=seat.applicant.user, seat=seat, to_session=second, reason="答辩")
        refused = factories.api_client(people["xiehe_office"]).post(
            f"/api/v1/move-requests/{move.pk}/decide/", {"approve": False}, format="json"
        )
        stranger = factories.api_client(people["tongji_office"]).post(
            f"/api/v1/move-requests/{move.pk}/decide/", {"approve": True}, format="json"
        )
        approved = factories.api_client(people["xiehe_office"]).post(
            f"/api/v1/move-requests/{move.pk}/decide/", {"approve": True}, format="json"
        )
    assert refused.status_code == 400 and stranger.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert MoveRequest.objects.get().seat.session == second


def _grow(world, people, count):
    assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], count, scored=False)
    with at(2026, 4, 25, 9):
        for n, assessment in enumerate(assessments):
            session = new_session(people["xiehe_office"], world, starts_at=DAY + datetime.timedelta(hours=3 * n))
            seat = assign_seat(actor=people["xiehe_office"], session=session, assessment=assessment)
    return session, seat


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_queries_however_many_rows(world, people):
    office = factories.api_client(people["xiehe_office"])
    session, seat = _grow(world, people, 1)
    few = (_count(office, "/api/v1/sessions/"), _count(factories.api_client(seat.applicant.user), "/api/v1/me/seats/"))
    session, seat = _grow(world, people, 6)
    many = (_count(office, "/api/v1/sessions/"), _count(factories.api_client(seat.applicant.user), "/api/v1/me/seats/"))
    assert few == many
    seats_of = [_count(office, f"/api/v1/sessions/{session.pk}/seats/")]
    extra = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 5, scored=False)
    with at(2026, 4, 25, 9):
        for assessment in extra:
            assign_seat(actor=people["xiehe_office"], session=session, assessment=assessment)
    seats_of.append(_count(office, f"/api/v1/sessions/{session.pk}/seats/"))
    assert seats_of[0] == seats_of[1]
