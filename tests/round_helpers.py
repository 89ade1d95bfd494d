"""Many candidates at once for the round tests: created in bulk, in setup only, so that a test with
hundreds of candidates stays fast (the services that make one candidate at a time are tested
elsewhere, e.g. tests/admissions/test_season.py)."""

import datetime
import itertools
import zoneinfo
from decimal import Decimal

import time_machine

from admissions.models import Applicant, Application, Assessment, Stage
from admissions.services.assessments import decide_admission, record_scores, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.publicity import publish_list
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from portal.models import Role, User
from tests.applicant_helpers import complete_applicant

_serial = itertools.count(1)


def bulk_candidates(campaign, specialty_base, count, *, stage=Stage.QUALIFIED, round_number=1, scored=True):
    """`count` applicants who chose `specialty_base`, each with an assessment at `stage` and, when
    `scored`, interview and exam scores (distinct, so the ranking is strict)."""
    serials = [next(_serial) for _ in range(count)]
    users = User.objects.bulk_create(
        [User(username=f"bulk{serial}", role=Role.APPLICANT, password="!") for serial in serials]
    )
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(
                user=user,
                full_name=f"考生{serial}",
                id_type="resident_id",
                id_number=make_resident_id(
                    "420102", datetime.date(1995, 1, 1) + datetime.timedelta(days=serial // 900), serial % 900
                ),
            )
            for serial, user in zip(serials, users, strict=True)
        ]
    )
    applications = Application.objects.bulk_create(
        [
            Application(applicant=applicant, campaign=campaign, round=round_number, specialty_base=specialty_base)
            for applicant in applicants
        ]
    )
    return Assessment.objects.bulk_create(
        [
            Assessment(
                application=application,
                specialty_base=specialty_base,
                stage=stage,
                interview_score=Decimal(600 + n % 400) / 10 if scored else None,
                exam_score=Decimal(700 + n % 300) / 10 if scored else None,
            )
            for n, application in enumerate(applications)
        ]
    )


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    """Freeze the clock at a Shanghai date and time."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=SHANGHAI), tick=False)


def proposed_in_round1(world, people):
    """One candidate on Xiehe's round-1 list of proposed admissions, published 29 April 2026 (so
    public until 12 May, across Labour Day), built through the services."""
    campaign = world["hubei_campaign"]
    do_set_quota(actor=None, campaign=campaign, specialty_base=world["xiehe_internal"], places=2)
    applicant = complete_applicant(1)
    with at(2026, 4, 10, 9):
        choice = submit_choice(
            actor=applicant.user, applicant=applicant, campaign=campaign, specialty_base=world["xiehe_internal"]
        ).application
    with at(2026, 4, 27, 9):
        assessment = review_qualification(actor=people["xiehe_staff"], application=choice, passed=True)
        record_scores(
            actor=people["xiehe_staff"],
            assessment=assessment,
            interview_score=90,
            exam_score=90,
            interview_mode="on_site",
            opinion="admit",
        )
        decide_admission(actor=people["xiehe_office"], assessment=assessment, admit=True)
    with at(2026, 4, 29, 9):
        publish_list(actor=people["xiehe_office"], campaign=campaign, training_base=world["xiehe"], round_number=1)
    return Assessment.objects.get(pk=assessment.pk)
