"""Races of the assessment sessions on PostgreSQL row locks: two bases' offices seat one person at
overlapping sessions at the same moment in round 2 (the applicant's row decides: exactly one seat,
the other office is told of the clash), and many candidates seated at once into a session's last
places (the session's row decides: never over capacity)."""

import datetime

import pytest
import time_machine
from django.db import connection

from admissions.models import SessionPart, SessionSeat
from admissions.services.sessions import SessionClash, SessionFull, assign_balanced, assign_seat
from tests.admissions.test_sessions import DAY, ROUND2_DAY, new_session, round2_person
from tests.concurrency import run_together
from tests.round_helpers import SHANGHAI, bulk_candidates

ATTEMPTS = 5
ROUND2_ASSESSING = datetime.datetime(2026, 6, 16, 10, tzinfo=SHANGHAI)
ASSESSING = datetime.datetime(2026, 4, 26, 10, tzinfo=SHANGHAI)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_offices_seat_one_person_at_overlapping_sessions_at_once(world, people):
    offices = {"xiehe_internal": people["xiehe_office"], "tongji_internal": people["tongji_office"]}
    for attempt in range(ATTEMPTS):
        at_xiehe, at_tongji = round2_person(world)
        start = ROUND2_DAY + datetime.timedelta(days=attempt)
        with time_machine.travel(ROUND2_ASSESSING, tick=False):
            work = [
                (offices[base], new_session(offices[base], world, starts_at=start, base=base, round_number=2), mine)
                for base, mine in (("xiehe_internal", at_xiehe), ("tongji_internal", at_tongji))
            ]
            outcomes, errors = [], []

            def seat(item, outcomes=outcomes, errors=errors):
                office, session, assessment = item
                try:
                    assign_seat(actor=office, session=session, assessment=assessment)
                    outcomes.append("seated")
                except SessionClash as refusal:
                    outcomes.append("clash")
                    assert "一人不能同时参加两个场次" in refusal.message
                except Exception as error:
                    errors.append(error)

            run_together(work, seat)

        assert errors == [], attempt
        assert sorted(outcomes) == ["clash", "seated"], attempt
        assert SessionSeat.objects.filter(applicant_id=at_xiehe.applicant_id).count() == 1, attempt


CANDIDATES = 30
CAPACITY = 4


def test_many_seated_at_once_never_overfill_a_session(world, people):
    office = people["xiehe_office"]
    for attempt in range(ATTEMPTS):
        assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], CANDIDATES, scored=False)
        with time_machine.travel(ASSESSING, tick=False):
            session = new_session(
                office, world, starts_at=DAY + datetime.timedelta(hours=3 * attempt), capacity=CAPACITY
            )
            outcomes, errors = [], []

            def seat(assessment, session=session, outcomes=outcomes, errors=errors):
                try:
                    assign_seat(actor=office, session=session, assessment=assessment)
                    outcomes.append("seated")
                except SessionFull:
                    outcomes.append("full")
                except Exception as error:
                    errors.append(error)

            run_together(assessments, seat)

        assert errors == [], attempt
        assert sorted(outcomes) == ["full"] * (CANDIDATES - CAPACITY) + ["seated"] * CAPACITY, attempt
        assert SessionSeat.objects.filter(session=session).count() == CAPACITY, attempt


def test_two_balanced_assignments_at_once_seat_each_candidate_once(world, people):
    staff = [people["xiehe_office"], people["xiehe_office"]]
    for attempt in range(ATTEMPTS):
        assessments = bulk_candidates(world["hubei_campaign"], world["xiehe_internal"], 6, scored=False)
        with time_machine.travel(ASSESSING, tick=False):
            start = DAY + datetime.timedelta(hours=3 * attempt)
            for offset in (0, 1):
                new_session(staff[0], world, starts_at=start + datetime.timedelta(minutes=30 * offset), capacity=6)
            seated, errors = [], []

            def balance(office, seated=seated, errors=errors):
                try:
                    result = assign_balanced(
                        actor=office,
                        campaign=world["hubei_campaign"],
                        round_number=1,
                        specialty_base=world["xiehe_internal"],
                        part=SessionPart.INTERVIEW,
                    )
                    seated.append(len(result.seated))
                except Exception as error:
                    errors.append(error)

            run_together(staff, balance)

        assert errors == [], attempt
        assert sorted(seated) == [0, 6], attempt
        for assessment in assessments:
            assert SessionSeat.objects.filter(assessment=assessment).count() == 1, attempt
