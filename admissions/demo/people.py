"""Demo and load-test people: synthetic applicants with valid resident-ID numbers, and the demo
applicants' completed profiles."""

import datetime
import os
import random
import zoneinfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from admissions.models import Applicant, IdentityDocumentType
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
    """A demo applicant's profile, education and documents, so it can choose at once. What is
    already there (a synthetic applicant's identity, an uploaded document) is left as it is."""
    from django.core.files.base import ContentFile

    from admissions.services import applicants

    applicant = Applicant.objects.filter(user=user).first() or Applicant.objects.create(user=user, full_name=full_name)
    if not applicant.id_number or not applicant.declares_fit:
        applicants.update_profile(
            actor=user,
            applicant=applicant,
            full_name=applicant.full_name or full_name,
            id_number=applicant.id_number or make_resident_id("420106", datetime.date(2001, 9, 12), number),
            mobile=applicant.mobile or mobile,
            declares_fit=True,
        )
    if not applicant.educations.exists():
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
    uploaded = set(applicant.documents.values_list("kind", flat=True))
    for kind in ("id_front", "id_back", "diploma"):
        if kind not in uploaded:
            applicants.upload_document(
                actor=user, applicant=applicant, kind=kind, file=ContentFile(DEMO_PDF, name=f"{kind}.pdf")
            )
    return applicant
