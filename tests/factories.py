import datetime
import itertools

from rest_framework.test import APIClient

from bases.demo.data import TIMETABLE
from bases.models import Province, Quota, ScoringFormula, Specialty, SpecialtyBase, TrainingBase
from policy.models import Campaign
from policy.rules.scoring import DEFAULT_TIE_BREAK
from portal.models import Role, User

_counter = itertools.count(1)


def province(code="420000", name="湖北省"):
    return Province.objects.get_or_create(code=code, defaults={"name": name})[0]


def training_base(prov, name=None, city="武汉市", level="national"):
    n = next(_counter)
    return TrainingBase.objects.create(province=prov, name=name or f"测试医院{n}", city=city, level=level, sort_order=n)


def specialty(code="0100", name=None, category="clinical"):
    return Specialty.objects.get_or_create(code=code, defaults={"name": name or f"专业{code}", "category": category})[0]


def specialty_base(base, spec=None, capacity=10):
    return SpecialtyBase.objects.create(training_base=base, specialty=spec or specialty(), capacity=capacity)


def campaign(prov, year=2026):
    dates = {field: datetime.date(year, month, day) for field, (month, day) in TIMETABLE.items()}
    return Campaign.objects.create(province=prov, year=year, title=f"{year}年度{prov.name}招录", **dates)


def user(role=Role.APPLICANT, username=None, **scope):
    if "specialty_base" in scope:
        scope.setdefault("training_base", scope["specialty_base"].training_base)
    if "training_base" in scope:
        scope.setdefault("province", scope["training_base"].province)
    return User.objects.create_user(
        username=username or f"user{next(_counter)}",
        password="Correct-horse-9",
        email="u@example.com",
        role=role,
        **scope,
    )


def grow_plan(campaign, count):
    """Add training bases with 10 specialty bases each, until the plan has `count` more rows."""
    specialties = [specialty(f"9{n:03d}") for n in range(10)]
    first = TrainingBase.objects.count()
    bases = TrainingBase.objects.bulk_create(
        [
            TrainingBase(province=campaign.province, name=f"扩展医院{n}", city=f"市{n % 5}", sort_order=100 + n)
            for n in range(first, first + count // 10)
        ]
    )
    specialty_bases = SpecialtyBase.objects.bulk_create(
        [SpecialtyBase(training_base=b, specialty=s, capacity=9) for b in bases for s in specialties]
    )
    Quota.objects.bulk_create(
        [Quota(campaign=campaign, specialty_base=sb, places=5, capacity=9) for sb in specialty_bases]
    )
    return specialty_bases


def formula(specialty_base, interview_weight, exam_weight, tie_break=DEFAULT_TIE_BREAK, **fields):
    """A new version of the scoring formula of the specialty base's only quota, as a base office
    saves it before the first score (bases.services.scoring.change_formula checks the rule)."""
    quota = Quota.objects.get(specialty_base=specialty_base)
    latest = quota.formulas.order_by("-version").first()
    return ScoringFormula.objects.create(
        quota=quota,
        version=latest.version + 1,
        interview_weight=interview_weight,
        exam_weight=exam_weight,
        tie_break=tie_break,
        **fields,
    )


def api_client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def assessment_session(campaign, specialty_base, starts_at, *, part="interview", round_number=1, hours=2, **fields):
    """A session of `specialty_base` made directly (the sessions' own services are tested elsewhere)."""
    from admissions.models import AssessmentSession

    fields.setdefault("place", "门诊楼5楼示教室")
    fields.setdefault("capacity", 30)
    if "created_by" not in fields:
        fields["created_by"] = user(Role.BASE_OFFICE, training_base=specialty_base.training_base)
    return AssessmentSession.objects.create(
        campaign=campaign,
        round=round_number,
        specialty_base=specialty_base,
        part=part,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **fields,
    )


def seats(session, assessments, **fields):
    """One seat of `session` for each assessment, with a code of its own (bulk: no save())."""
    from admissions.models import SessionSeat

    return SessionSeat.objects.bulk_create(
        [
            SessionSeat(
                session=session,
                assessment=assessment,
                applicant_id=assessment.application.applicant_id,
                part=session.part,
                verification_code=f"S{session.pk:03d}C{next(_counter):06d}",
                assigned_by=session.created_by,
                **fields,
            )
            for assessment in assessments
        ]
    )
