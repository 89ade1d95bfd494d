"""Races of the rounds on PostgreSQL row locks: many proposals for the last place of a quota, and
one applicant accepting two invitations at the same moment."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection

from admissions.models import Application, Assessment, InvitationStatus, Stage
from admissions.selectors.places import places_taken
from admissions.services.assessments import decide_admission
from admissions.services.entries import QuotaFull
from admissions.services.invitations import accept_invitation, invite_applicant
from bases.models import Quota
from bases.services.quotas import do_set_quota
from portal.errors import DomainError
from tests.applicant_helpers import complete_applicant
from tests.concurrency import run_together
from tests.round_helpers import bulk_candidates

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
ASSESSING = datetime.datetime(2026, 4, 27, 10, tzinfo=SHANGHAI)
ROUND2 = datetime.datetime(2026, 6, 3, 10, tzinfo=SHANGHAI)
ATTEMPTS = 5

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

# 200 candidates race for the last place. The local PostgreSQL allows 100 connections, so instead of
# 200 threads (one connection each) the 200 decisions run in a pool of 40 threads that all start at
# one barrier and take 5 candidates each: 40 transactions at a time contend for the quota's lock.
CANDIDATES = 200
THREADS = 40


def test_200_simultaneous_proposals_for_the_last_place_admit_exactly_one(world, people):
    campaign, base, office = world["hubei_campaign"], world["xiehe_internal"], people["xiehe_office"]
    quota = do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=3)
    bulk_candidates(campaign, base, 2, stage=Stage.PROPOSED)  # two places taken: one left
    candidates = bulk_candidates(campaign, base, CANDIDATES)  # qualified and scored
    batches = [candidates[n::THREADS] for n in range(THREADS)]
    assert {len(batch) for batch in batches} == {CANDIDATES // THREADS}
    ids = [candidate.pk for candidate in candidates]

    for attempt in range(ATTEMPTS):
        Assessment.objects.filter(pk__in=ids).update(stage=Stage.QUALIFIED, decided_by=None, decided_at=None)
        outcomes, errors = [], []

        def decide(batch, outcomes=outcomes, errors=errors):
            for candidate in batch:
                try:
                    decide_admission(actor=office, assessment=candidate, admit=True)
                    outcomes.append("proposed")
                except QuotaFull:
                    outcomes.append("full")
                except Exception as error:
                    errors.append(error)

        with time_machine.travel(ASSESSING, tick=False):
            run_together(batches, decide)

        assert errors == [], attempt
        assert sorted(outcomes) == ["full"] * (CANDIDATES - 1) + ["proposed"], attempt
        assert Assessment.objects.filter(pk__in=ids, stage=Stage.PROPOSED).count() == 1, attempt
        quota = Quota.objects.get(pk=quota.pk)
        assert places_taken(quota) == quota.places == 3, attempt


def test_two_bases_invite_and_the_applicant_accepts_both_at_once_ending_with_one(world, people):
    campaign = world["hubei_campaign"]
    for base in (world["xiehe_internal"], world["tongji_internal"]):
        do_set_quota(actor=None, campaign=campaign, specialty_base=base, places=2)
    offices = {world["xiehe_internal"]: people["xiehe_office"], world["tongji_internal"]: people["tongji_office"]}

    for attempt in range(ATTEMPTS):
        applicant = complete_applicant(attempt + 1)
        with time_machine.travel(ROUND2, tick=False):
            invitations = [
                invite_applicant(actor=office, applicant=applicant, campaign=campaign, specialty_base=base)
                for base, office in offices.items()
            ]
            outcomes, errors = [], []

            def accept(invitation, applicant=applicant, outcomes=outcomes, errors=errors):
                try:
                    accept_invitation(actor=applicant.user, invitation=invitation)
                    outcomes.append("accepted")
                except DomainError:
                    outcomes.append("refused")
                except Exception as error:
                    errors.append(error)

            run_together(invitations, accept)

        assert errors == [], attempt
        assert sorted(outcomes) == ["accepted", "refused"], attempt
        statuses = sorted(applicant.invitations.values_list("status", flat=True))
        assert statuses == [InvitationStatus.ACCEPTED, InvitationStatus.DECLINED], attempt
        round2 = Application.objects.filter(applicant=applicant, campaign=campaign, round=2)
        assert round2.count() == 1, attempt
        accepted = applicant.invitations.get(status=InvitationStatus.ACCEPTED)
        assert round2.get().specialty_base_id == accepted.specialty_base_id, attempt
