"""Assessment day (三(三)2): the office of the candidate's specialty base checks the candidate in
on the session's day, marks absentees once the session has started, corrects a mark the same day
and ends the check-in; the page a notice's QR code opens tells anyone else only whether the notice
is genuine."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from admissions.models import Assessment, SeatStatus, SessionSeat
from admissions.services.checkin import check_in, mark_absent, mark_session_absentees
from portal.errors import DomainError
from portal.models import AuditEvent
from tests import factories
from tests.round_helpers import SHANGHAI, at, bulk_candidates

pytestmark = pytest.mark.django_db

SESSION_START = datetime.datetime(2026, 4, 27, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def day(world, people):
    """Xiehe's internal-medicine interview on 27 April, 09:00–11:00, with three candidates."""
    campaign, specialty_base = world["hubei_campaign"], world["xiehe_internal"]
    assessments = bulk_candidates(campaign, specialty_base, 3, scored=False)
    session = factories.assessment_session(campaign, specialty_base, SESSION_START, created_by=people["xiehe_office"])
    return session, factories.seats(session, assessments)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def status_of(seat):
    return SessionSeat.objects.get(pk=seat.pk).status


def test_office_and_staff_of_the_specialty_base_check_in(day, people):
    _session, seats = day
    with at(2026, 4, 27, 8, 40):
        seat = check_in(actor=people["xiehe_staff"], seat=seats[0])
        check_in(actor=people["xiehe_office"], seat=seats[1])
    assert seat.status == SeatStatus.PRESENT
    assert status_of(seats[1]) == SeatStatus.PRESENT
    assert seat.attendance_marked_by == people["xiehe_staff"]
    events = AuditEvent.objects.filter(action="seat.present")
    assert events.count() == 2
    assert events.first().before == {"status": "assigned"} and events.first().after == {"status": "present"}


@pytest.mark.parametrize("who", ["tongji_office", "province", "applicant", "employer"])
def test_anyone_else_is_refused(day, people, who):
    _session, seats = day
    with at(2026, 4, 27, 9, 5), pytest.raises(PermissionDenied):
        check_in(actor=people[who], seat=seats[0])
    assert status_of(seats[0]) == SeatStatus.ASSIGNED


def test_the_candidate_cannot_check_itself_in(day):
    _session, seats = day
    with at(2026, 4, 27, 9, 5), pytest.raises(PermissionDenied):
        check_in(actor=seats[0].applicant.user, seat=seats[0])


@pytest.mark.parametrize("moment", [(2026, 4, 26, 17, 0), (2026, 4, 28, 8, 0)])
def test_only_on_the_sessions_day(day, people, moment):
    _session, seats = day
    with at(*moment), pytest.raises(DomainError, match="只能在当天签到或标记缺考"):
        check_in(actor=people["xiehe_office"], seat=seats[0])
    assert status_of(seats[0]) == SeatStatus.ASSIGNED


def test_the_day_is_shanghais(day, people):
    """09:00 in Shanghai is 01:00 UTC: at 23:30 UTC the day before it is already the 27th there."""
    _session, seats = day
    with time_machine.travel(datetime.datetime(2026, 4, 26, 23, 30, tzinfo=datetime.UTC), tick=False):
        check_in(actor=people["xiehe_office"], seat=seats[0])
    assert status_of(seats[0]) == SeatStatus.PRESENT


def test_absent_only_after_the_start(day, people):
    _session, seats = day
    with at(2026, 4, 27, 8, 59), pytest.raises(DomainError, match="09:00开始，开始后才能标记缺考"):
        mark_absent(actor=people["xiehe_office"], seat=seats[0])
    with at(2026, 4, 27, 9, 1):
        mark_absent(actor=people["xiehe_office"], seat=seats[0])
    assert status_of(seats[0]) == SeatStatus.ABSENT


def test_corrections_the_same_day(day, people):
    """A late arrival marked absent is checked in; a wrong tap is marked absent: one event each."""
    _session, seats = day
    office = people["xiehe_office"]
    with at(2026, 4, 27, 9, 30):
        mark_absent(actor=office, seat=seats[0])
        check_in(actor=office, seat=seats[0])
        check_in(actor=office, seat=seats[1])
        mark_absent(actor=office, seat=seats[1])
    assert status_of(seats[0]) == SeatStatus.PRESENT
    assert status_of(seats[1]) == SeatStatus.ABSENT
    assert AuditEvent.objects.filter(action__startswith="seat.").count() == 4
    with at(2026, 4, 28, 9, 0), pytest.raises(DomainError, match="只能在当天"):
        check_in(actor=office, seat=seats[1])


def test_marking_twice_changes_nothing(day, people):
    _session, seats = day
    with at(2026, 4, 27, 9, 30):
        check_in(actor=people["xiehe_office"], seat=seats[0])
        check_in(actor=people["xiehe_staff"], seat=seats[0])
    assert AuditEvent.objects.filter(action="seat.present").count() == 1
    assert SessionSeat.objects.get(pk=seats[0].pk).attendance_marked_by == people["xiehe_office"]


def test_a_cancelled_seat_is_refused(day, people):
    _session, seats = day
    SessionSeat.objects.filter(pk=seats[0].pk).update(status=SeatStatus.CANCELLED)
    with at(2026, 4, 27, 9, 30), pytest.raises(DomainError, match="考核安排已取消"):
        check_in(actor=people["xiehe_office"], seat=seats[0])
    assert status_of(seats[0]) == SeatStatus.CANCELLED


def test_absentees_sweep(day, people):
    session, seats = day
    office = people["xiehe_office"]
    SessionSeat.objects.filter(pk=seats[2].pk).update(status=SeatStatus.CANCELLED)
    with at(2026, 4, 27, 8, 50):
        check_in(actor=office, seat=seats[0])
        with pytest.raises(DomainError, match="开始后才能标记缺考"):
            mark_session_absentees(actor=office, session=session)
    with at(2026, 4, 27, 11, 5):
        assert mark_session_absentees(actor=office, session=session) == 1
        assert mark_session_absentees(actor=office, session=session) == 0
    assert [status_of(seat) for seat in seats] == [SeatStatus.PRESENT, SeatStatus.ABSENT, SeatStatus.CANCELLED]
    assert AuditEvent.objects.filter(action="seat.absent").count() == 1
    with at(2026, 4, 27, 11, 10), pytest.raises(PermissionDenied):
        mark_session_absentees(actor=people["tongji_office"], session=session)


def test_a_part_with_a_score_is_not_marked_absent(day, people):
    """A score shows the candidate sat the part: a tap on 缺考 is refused, the sweep passes it by."""
    session, seats = day
    office = people["xiehe_office"]
    Assessment.objects.filter(pk=seats[1].assessment_id).update(interview_score=80)
    with at(2026, 4, 27, 11, 5):
        with pytest.raises(DomainError, match="面试成绩已录入，不能记为缺考"):
            mark_absent(actor=office, seat=seats[1])
        assert mark_session_absentees(actor=office, session=session) == 2
    assert [status_of(seat) for seat in seats] == [SeatStatus.ABSENT, SeatStatus.ASSIGNED, SeatStatus.ABSENT]


# The page the notice's QR code opens.


def scan(client, seat, **kwargs):
    return client.get(reverse("seat-check-in", args=[seat.verification_code]), **kwargs)


def test_the_office_sees_the_candidate_and_checks_in(client, day, people):
    _session, seats = day
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 27, 8, 45):
        page = scan(client, seats[0]).content.decode()
        assert seats[0].applicant.full_name in page
        assert seats[0].applicant.id_number not in page
        assert seats[0].applicant.id_number[-4:] in page
        assert "门诊楼5楼示教室" in page and "已安排" in page
        response = client.post(reverse("seat-check-in", args=[seats[0].verification_code]), {"action": "present"})
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
    assert "已签到" in page
    assert status_of(seats[0]) == SeatStatus.PRESENT


def test_a_code_is_read_in_any_case(client, day, people):
    _session, seats = day
    client.force_login(people["xiehe_office"])
    with at(2026, 4, 27, 8, 45):
        response = client.get(reverse("seat-check-in", args=[seats[0].verification_code.lower()]))
    assert seats[0].applicant.full_name in response.content.decode()


@pytest.mark.parametrize("who", [None, "applicant", "tongji_office", "province"])
def test_strangers_learn_only_that_the_notice_is_genuine(client, day, people, who):
    _session, seats = day
    if who:
        client.force_login(people[who])
    with at(2026, 4, 27, 8, 45):
        page = scan(client, seats[0]).content.decode()
        refused = client.post(reverse("seat-check-in", args=[seats[0].verification_code]), {"action": "present"})
    applicant = seats[0].applicant
    assert "有效的考核通知" in page
    assert applicant.full_name[0] + "*" * (len(applicant.full_name) - 1) in page
    assert applicant.full_name not in page
    assert applicant.id_number[-4:] not in page
    assert "门诊楼5楼示教室" not in page
    assert "面试" in page and "2026-04-27 09:00" in page
    assert 'name="action"' not in page
    assert refused.status_code in (302, 403)  # a visitor is sent to sign in
    assert status_of(seats[0]) == SeatStatus.ASSIGNED


def test_the_candidate_itself_sees_the_verification_only(client, day):
    _session, seats = day
    client.force_login(seats[0].applicant.user)
    with at(2026, 4, 27, 8, 45):
        page = scan(client, seats[0]).content.decode()
    assert "有效的考核通知" in page and 'name="action"' not in page


@pytest.mark.parametrize("code", ["NOSUCHCODE", "x" * 40, "S001-C1"])
def test_an_unknown_code(client, day, code):
    response = client.get(reverse("seat-check-in", args=[code]))
    assert response.status_code == 404
    assert "无此考核通知" in response.content.decode()


def test_a_cancelled_notice_is_no_notice(client, day):
    _session, seats = day
    SessionSeat.objects.filter(pk=seats[0].pk).update(status=SeatStatus.CANCELLED)
    response = scan(client, seats[0])
    assert response.status_code == 404
    assert "无此考核通知" in response.content.decode()


def test_guessing_codes_is_throttled(client, day):
    _session, seats = day
    answers = [client.get(reverse("seat-check-in", args=[f"GUESS{n:04d}"])).status_code for n in range(30)]
    assert set(answers) == {404}
    assert scan(client, seats[0]).status_code == 429
    assert "请求过于频繁" in scan(client, seats[0]).content.decode()
    # Another address is not held back by this one.
    assert scan(client, seats[0], REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_visitor_is_offered_the_staff_sign_in(client, day):
    _session, seats = day
    page = scan(client, seats[0]).content.decode()
    path = reverse("seat-check-in", args=[seats[0].verification_code])
    assert f"{reverse('login')}?next={path}" in page
