"""Demo and load-test people: synthetic applicants with valid resident-ID numbers, the demo
applicant, and a round-1 season that has already happened."""

import datetime
import os
import random
import zoneinfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from admissions.models import Applicant, Assessment, IdentityDocumentType
from bases.models import Quota
from policy.identity import make_resident_id
from portal.audit import record_event
from portal.models import Role, User
from portal.pdf import blank_pdf

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "子浩宇轩欣怡一诺梓涵思雨博文佳琪俊杰雅静明哲晓婷志强丽娜文静建华"
HUBEI_REGIONS = ["420102", "420103", "420106", "420111", "420202", "420302", "420502", "420602", "420802", "421002"]
USERNAME_PREFIX = "synthetic-"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Zhupei-demo-2026")
_SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def generate_applicants(*, count, password, seed=2024, batch_size=1000):
    """Create applicants synthetic-000001 … up to `count`; running again adds only what is missing."""
    rng = random.Random(seed)  # noqa: S311 - made-up people, not secrets
    existing = set(User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", flat=True))
    password_hash = make_password(password)
    created = 0
    for start in range(0, count, batch_size):
        people = []
        for number in range(start + 1, min(start + batch_size, count) + 1):
            # Draw for every number, so applicant N is the same person however the run is batched.
            person = _person(rng, number)
            if person["username"] not in existing:
                people.append(person)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(username=p["username"], password=password_hash, role=Role.APPLICANT) for p in people]
            )
            if not users or users[0].pk is None:
                by_name = dict(
                    User.objects.filter(username__in=[p["username"] for p in people]).values_list("username", "pk")
                )
                for user in users:
                    user.pk = by_name[user.username]
            Applicant.objects.bulk_create(
                [
                    Applicant(
                        user=user,
                        full_name=p["full_name"],
                        id_type=IdentityDocumentType.RESIDENT_ID,
                        id_number=p["id_number"],
                        birth_date=p["birth_date"],
                        sex=p["sex"],
                        mobile=p["mobile"],
                    )
                    for user, p in zip(users, people, strict=True)
                ]
            )
        created += len(people)
    if created:
        record_event(
            actor=None,
            action="applicant.generate",
            obj=Applicant.objects.order_by("-pk").first(),
            after={"created": created},
            reason="synthetic applicants for load tests",
        )
    return created


def _person(rng, number):
    # Birth date and sequence follow from the number, so no two synthetic applicants share an ID.
    birth_date = datetime.date(1995, 1, 1) + datetime.timedelta(days=number // 1000)
    sequence = number % 1000
    return {
        "username": f"{USERNAME_PREFIX}{number:06d}",
        "full_name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        "id_number": make_resident_id(rng.choice(HUBEI_REGIONS), birth_date, sequence),
        "birth_date": birth_date,
        "sex": "male" if sequence % 2 else "female",
        "mobile": f"13{rng.randrange(10**9):09d}",
    }


DEMO_PDF = blank_pdf()


def complete_demo_applicant(user, *, full_name="张明", number=357, mobile="13871234567"):
    """A demo applicant's profile, education and documents, so it can choose at once.
    Runs once: an applicant with an identity number is left as it is."""
    from django.core.files.base import ContentFile

    from admissions.services import applicants

    applicant = Applicant.objects.filter(user=user).first() or Applicant.objects.create(user=user, full_name=full_name)
    if applicant.id_number:
        return applicant
    applicants.update_profile(
        actor=user,
        applicant=applicant,
        full_name=full_name,
        id_number=make_resident_id("420106", datetime.date(2001, 9, 12), number),
        mobile=mobile,
        declares_fit=True,
    )
    applicants.add_education(
        actor=user,
        applicant=applicant,
        school="武汉大学",
        major="临床医学",
        major_category="clinical",
        degree_level=2,
        full_time=True,
        graduation_date=datetime.date(timezone.localdate().year, 6, 30),
    )
    for kind in ("id_front", "id_back", "diploma"):
        applicants.upload_document(
            actor=user, applicant=applicant, kind=kind, file=ContentFile(DEMO_PDF, name=f"{kind}.pdf")
        )
    return applicant


SEASON_CANDIDATES = ["李华", "王芳", "陈静", "刘洋", "赵磊", "孙悦"]


def load_demo_season(*, campaign, office, staff):
    """Round 1 of a season that has already happened at the demo office's specialty base: choices,
    qualification review, scores, decisions, a publicity list across Labour Day, confirmations and
    admissions — all through the services, on the dates they would have happened.

    Moving the clock needs the time-machine package (installed with the development requirements);
    without it, or before the season has happened, nothing is loaded. Runs once per campaign."""
    if Assessment.objects.filter(application__campaign=campaign).exists():
        return "exists"
    if timezone.localdate() <= campaign.round2_opens:
        return "season not over yet"
    try:
        import time_machine
    except ImportError:
        return "time-machine not installed"
    from admissions.services import admission, assessments, choices, publicity
    from admissions.services.applicants import register_applicant

    def on(day, hour):
        moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=_SHANGHAI)
        return time_machine.travel(moment, tick=False)

    base = staff.specialty_base
    places = Quota.objects.get(campaign=campaign, specialty_base=base).places
    with on(campaign.round1_opens + datetime.timedelta(days=2), 10):
        applications = []
        for n, name in enumerate(SEASON_CANDIDATES, start=1):
            mobile = f"139000000{n:02d}"
            user = User.objects.filter(username=mobile).first()
            applicant = (
                user.applicant if user else register_applicant(login=mobile, password=DEMO_PASSWORD, full_name=name)
            )
            complete_demo_applicant(applicant.user, full_name=name, number=500 + n, mobile=mobile)
            applications.append(
                choices.submit_choice(
                    actor=applicant.user, applicant=applicant, campaign=campaign, specialty_base=base
                ).application
            )
    admitted = min(4, places)
    with on(campaign.round1_assessment_starts + datetime.timedelta(days=3), 10):
        for rank, application in enumerate(applications):
            assessment = assessments.review_qualification(actor=staff, application=application, passed=True)
            assessments.record_scores(
                actor=staff,
                assessment=assessment,
                interview_score=92 - 3 * rank,
                exam_score=90 - 2 * rank,
                interview_mode="on_site",
                opinion="admit" if rank < admitted else "reserve",
                evaluation_overall="基础扎实，临床思维清晰。",
            )
            assessments.decide_admission(actor=office, assessment=assessment, admit=rank < admitted)
    with on(campaign.round1_assessment_starts + datetime.timedelta(days=5), 16):
        listed = publicity.publish_list(
            actor=office, campaign=campaign, training_base=base.training_base, round_number=1
        )
    proposed = list(Assessment.objects.filter(application__campaign=campaign, stage="proposed").order_by("pk"))
    with on(listed.last_day - datetime.timedelta(days=2), 9):
        for n, assessment in enumerate(proposed):
            publicity.confirm_offer(
                actor=assessment.application.applicant.user, assessment=assessment, accept=n < len(proposed) - 1
            )
    with on(listed.last_day + datetime.timedelta(days=1), 1):
        admission.admit_due()
    return "loaded"
