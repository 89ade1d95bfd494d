"""The sessions page of a specialty base's staff and its office, and the candidate's seats page:
what each sees and may do, the notice download, and a page that costs the same queries however
many sessions and seats it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admissions.models import AssessmentSession, MoveRequest, MoveStatus, SessionSeat
from admissions.services.sessions import assign_seat, request_move
from tests.admissions.test_sessions import DAY, new_session
from tests.round_helpers import at, bulk_candidates

pytestmark = pytest.mark.django_db


def board_url(world, round_number=1):
    return reverse("round-sessions", args=[round_number]) + f"?specialty_base={world['xiehe_internal'].pk}"


@pytest.fixture
def board(world, people):
    """Two interviews at Xiehe, three qualified candidates, one of them seated in the first."""
    assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 3, scored=False)
    with at(2026, 4, 25, 9):
        first = new_session(people["xiehe_office"], world)
        second = new_session(people["xiehe_office"], world, starts_at=DAY + datetime.timedelta(days=1))
        seat = assign_seat(actor=people["xiehe_office"], session=first, assessment=assessments[0])
    return first, second, seat, assessments


def test_the_board_shows_sessions_fill_and_seats(client, world, people, board):
    _first, _second, seat, _assessments = board
    client.force_login(people["xiehe_staff"])
    with at(2026, 4, 26, 9):
        response = client.get(board_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已安排 1 / 10" in page and seat.applicant.full_name in page
    assert "均衡安排面试（待安排 2 人）" in page
    assert reverse("seat-notice", args=[seat.pk]) in page


def test_the_candidates_page_links_to_the_board(client, world, people):
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 26, 9):
        page = client.get(reverse("round-candidates", args=[1]) + f"?specialty_base={world['xiehe_internal'].pk}")
    assert reverse("round-sessions", args=[1]) in page.content.decode()


def test_another_bases_office_is_refused(client, world, people, board):
    client.force_login(people["tongji_office"])
    with at(2026, 4, 26, 9):
        assert client.get(board_url(world)).status_code == 403


def test_adding_a_session(client, world, people):
    client.force_login(people["xiehe_office"])
    data = {
        "part": "exam",
        "mode": "video",
        "day": "2026-04-30",
        "start": "14:00",
        "end": "15:30",
        "video_link": "https://meeting.example/555",
        "capacity": "20",
    }
    with at(2026, 4, 26, 9):
        response = client.post(board_url(world), data)
        refused = client.post(board_url(world), data | {"day": "2026-05-30"})
    assert response.status_code == 302
    session = AssessmentSession.objects.get()
    assert session.video_link == "https://meeting.example/555" and session.capacity == 20
    assert refused.status_code == 400 and "考核时间" in refused.content.decode()


def test_balanced_and_by_hand_assignment_from_the_page(client, world, people, board):
    _first, second, _seat, assessments = board
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 26, 9):
        client.post(reverse("session-assign", args=[second.pk]), {"assessment": assessments[1].pk})
        response = client.post(
            reverse("round-sessions-balance", args=[1]) + f"?specialty_base={world['xiehe_internal'].pk}",
            {"part": "interview"},
            follow=True,
        )
    assert "本次安排 1 人" in response.content.decode()
    assert SessionSeat.objects.filter(session=second).count() == 1
    assert SessionSeat.objects.count() == 3


def test_buttons_are_disabled_outside_the_window(client, world, people, board):
    client.force_login(people["xiehe_office"])
    with at(2026, 5, 27, 9):
        page = client.get(board_url(world)).content.decode()
    assert "第一批次考核已于5月26日 24时结束" in page
    assert 'disabled aria-describedby="assessment-closed"' in page


def test_the_board_answers_a_move_request(client, world, people, board):
    _first, second, seat, _assessments = board
    with at(2026, 4, 26, 9):
        move = request_move(actor=seat.applicant.user, seat=seat, to_session=second, reason="与答辩冲突")
    client.force_login(people["xiehe_staff"])
    with at(2026, 4, 26, 10):
        page = client.get(board_url(world)).content.decode()
        assert "与答辩冲突" in page
        client.post(reverse("move-decide", args=[move.pk]), {"approve": "1", "note": ""})
    assert MoveRequest.objects.get().status == MoveStatus.APPROVED
    assert SessionSeat.objects.get(pk=seat.pk).session == second


def _grow(world, people, sessions, seats_each):
    assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], sessions * seats_each, scored=False)
    with at(2026, 4, 25, 9):
        for n in range(sessions):
            session = new_session(
                people["xiehe_office"], world, starts_at=DAY + datetime.timedelta(hours=3 * n), capacity=seats_each
            )
            for assessment in assessments[n * seats_each : (n + 1) * seats_each]:
                assign_seat(actor=people["xiehe_office"], session=session, assessment=assessment)


def _queries(client, world):
    with at(2026, 4, 26, 9), CaptureQueriesContext(connection) as queries:
        assert client.get(board_url(world)).status_code == 200
    return len(queries)


def test_the_board_costs_the_same_queries_however_many_rows(client, world, people):
    client.force_login(people["xiehe_office"])
    _grow(world, people, 1, 2)
    few = _queries(client, world)
    _grow(world, people, 4, 6)
    assert _queries(client, world) == few


# --- the candidate ----------------------------------------------------------------------------


def test_the_candidate_sees_its_seat_and_asks_to_move_once(client, board):
    _first, second, seat, _assessments = board
    client.force_login(seat.applicant.user)
    with at(2026, 4, 26, 9):
        page = client.get(reverse("my-seats")).content.decode()
        assert "门诊楼5楼示教室" in page and reverse("seat-notice", args=[seat.pk]) in page
        client.post(
            reverse("seat-move", args=[seat.pk]), {f"m-{seat.pk}-to_session": second.pk, f"m-{seat.pk}-reason": "答辩"}
        )
        page = client.get(reverse("my-seats")).content.decode()
    assert MoveRequest.objects.get().to_session == second
    assert "调换申请" in page and "待处理" in page and 'data-testid="move-form"' not in page


def test_nobody_moves_someone_elses_seat(client, people, board):
    _first, second, seat, _assessments = board
    other = bulk_candidates(seat.session.campaign, seat.session.specialty_base, 1, scored=False)[0]
    client.force_login(other.application.applicant.user)
    with at(2026, 4, 26, 9):
        response = client.post(
            reverse("seat-move", args=[seat.pk]), {f"m-{seat.pk}-to_session": second.pk, f"m-{seat.pk}-reason": "x"}
        )
    assert response.status_code == 404 and not MoveRequest.objects.exists()


def test_the_notice_for_the_candidate_and_its_base_only(client, people, board):
    _first, _second, seat, assessments = board
    client.force_login(seat.applicant.user)
    response = client.get(reverse("seat-notice", args=[seat.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(people["xiehe_staff"])
    assert client.get(reverse("seat-notice", args=[seat.pk])).status_code == 200
    for other in (assessments[1].application.applicant.user, people["tongji_office"]):
        client.force_login(other)
        assert client.get(reverse("seat-notice", args=[seat.pk])).status_code == 403
