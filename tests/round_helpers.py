"""Many candidates at once for the round tests: created in bulk, in setup only, so that a test with
hundreds of candidates stays fast (the services that make one candidate at a time are tested
elsewhere, e.g. tests/test_season.py)."""

import datetime
import itertools
from decimal import Decimal

from admissions.models import Applicant, Application, Assessment, Stage
from policy.identity import make_resident_id
from portal.models import Role, User

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
