"""Races of the assessment day on PostgreSQL row locks: two phones tap 签到 for the same candidate
at once, and two offices end the same session's check-in at once — each change is made and
audited exactly once."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection

from admissions.models import SeatStatus, SessionSeat
from admissions.services.checkin import check_in, mark_session_absentees
from portal.models import AuditEvent
from tests import factories
from tests.concurrency import run_together
from tests.round_helpers import bulk_candidates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 4, 27, 9, tzinfo=SHANGHAI)
THREADS = 10

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def day(world, people):
    campaign, internal = world["hubei_campaign"], world["xiehe_internal"]
    session = factories.assessment_session(campaign, internal, START, created_by=people["xiehe_office"])
    return session, factories.seats(session, bulk_candidates(campaign, internal, 20, scored=False))


def test_simultaneous_check_ins_of_one_candidate_make_one_change(day, people):
    _session, seats = day
    actors = [people["xiehe_office"], people["xiehe_staff"]] * (THREADS // 2)
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        run_together(actors, lambda actor: check_in(actor=actor, seat=seats[0]))
    assert SessionSeat.objects.get(pk=seats[0].pk).status == SeatStatus.PRESENT
    assert AuditEvent.objects.filter(action="seat.present").count() == 1


def test_simultaneous_ends_of_check_in_mark_each_absentee_once(day, people):
    session, seats = day
    marked = []
    with time_machine.travel(START + datetime.timedelta(minutes=30), tick=False):
        check_in(actor=people["xiehe_office"], seat=seats[0])
        run_together(
            list(range(THREADS)),
            lambda _n: marked.append(mark_session_absentees(actor=people["xiehe_office"], session=session)),
        )
    assert sum(marked) == len(seats) - 1
    assert SessionSeat.objects.filter(session=session, status=SeatStatus.ABSENT).count() == len(seats) - 1
    assert AuditEvent.objects.filter(action="seat.absent").count() == len(seats) - 1
