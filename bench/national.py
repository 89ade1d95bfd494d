#!/usr/bin/env python
"""A national-size season on PostgreSQL: provinces, training and specialty bases, quotas and
applicants at the end of round-1 assessment.

    .venv/bin/python bench/national.py --database-url postgres://postgres@127.0.0.1:5432/portal_national
    .venv/bin/python bench/national.py --database-url postgres://…/NAME --applicants 2000 \\
        --training-bases 20 --specialty-bases 200 --provinces 3 --recreate-db

The database is created (refused when it exists, unless --reuse-db or --recreate-db) and kept:
its purpose is to be used by the other bench scripts. Prints the seconds of each step.

API (other bench scripts import it)::

    from bench.national import build

    season = build(
        "postgres://postgres@127.0.0.1:5432/NAME",
        applicants=100_000,        # each with a user, a complete profile and one active round-1 choice
        training_bases=1_000,      # spread over the provinces, each with a base-office user
        specialty_bases=10_000,    # clinical specialties, a quota each in its province's campaign
        provinces=31,              # one campaign each, this year, round-1 assessment open today
        stage="scored",            # or "admitted"
        existing="refuse",         # "reuse": keep what is there (same sizes), bring it to `stage`;
                                   # "recreate": drop the database first
        keep=True,                 # False: season.database.drop() removes it
    )
    season.campaign_ids, season.office_usernames, season.timings, season.database.url

Django is set up against the database by `build` (once per process: settings cannot switch).

Stages:

- "scored": every applicant's active round-1 choice has an assessment that passed the
  qualification review (`qualified`) with interview and exam scores (one decimal, so composite
  scores tie and the tie-break matters), as the base offices find it when they close round 1.
  Applicants choose unevenly: some specialty bases are oversubscribed, others are not filled.
- "admitted": round 1 closed by every base office (`admissions.services.round_close.close_round`:
  proposals up to each quota, one publicity list per training base), the lists' publicity over,
  every proposed candidate accepted and admitted with a notice number and verification code
  (`Admission`), and reported (报到) with the agreement signed. `reset_to_scored()` goes back.

Usernames: applicants `synthetic-000001`…, base offices `national-office-0001`…, provincial
offices `national-province-<code>`; all with `--password` (default $DEMO_PASSWORD or the demo one).
"""

import argparse
import bisect
import datetime
import math
import os
import random
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402 - needs the project root on the path when run as a script
    Database,
    Timer,
    complete_profiles,
    insert_rows,
    migrate,
    next_pk,
    open_database,
    setup_django,
    shift_timetable,
)

STAGES = ("scored", "admitted")
OFFICE_PREFIX = "national-office-"
PROVINCE_OFFICE_PREFIX = "national-province-"
TITLE_MARK = "（全国基准数据）"

# The 31 provincial-level divisions of the mainland (code, name).
PROVINCES = [
    ("110000", "北京市"),
    ("120000", "天津市"),
    ("130000", "河北省"),
    ("140000", "山西省"),
    ("150000", "内蒙古自治区"),
    ("210000", "辽宁省"),
    ("220000", "吉林省"),
    ("230000", "黑龙江省"),
    ("310000", "上海市"),
    ("320000", "江苏省"),
    ("330000", "浙江省"),
    ("340000", "安徽省"),
    ("350000", "福建省"),
    ("360000", "江西省"),
    ("370000", "山东省"),
    ("410000", "河南省"),
    ("420000", "湖北省"),
    ("430000", "湖南省"),
    ("440000", "广东省"),
    ("450000", "广西壮族自治区"),
    ("460000", "海南省"),
    ("500000", "重庆市"),
    ("510000", "四川省"),
    ("520000", "贵州省"),
    ("530000", "云南省"),
    ("540000", "西藏自治区"),
    ("610000", "陕西省"),
    ("620000", "甘肃省"),
    ("630000", "青海省"),
    ("640000", "宁夏回族自治区"),
    ("650000", "新疆维吾尔自治区"),
]


@dataclass
class Season:
    database: Database
    campaign_ids: list
    stage: str
    applicants: int
    training_bases: int
    specialty_bases: int
    office_usernames: dict = field(default_factory=dict)  # training base id -> base-office username
    timings: dict = field(default_factory=dict)  # step -> seconds


def build(
    database_url,
    *,
    applicants=100_000,
    training_bases=1_000,
    specialty_bases=10_000,
    provinces=31,
    stage="scored",
    existing="refuse",
    keep=True,
    password=None,
    seed=2026,
    out=print,
):
    """Build (or, with existing="reuse", find) the national season and bring it to `stage`; see
    the module's docstring."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {STAGES}")
    if existing not in ("refuse", "reuse", "recreate"):
        raise ValueError("existing must be refuse, reuse or recreate")
    if not 1 <= provinces <= len(PROVINCES):
        raise ValueError(f"provinces must be between 1 and {len(PROVINCES)}")
    if not provinces <= training_bases <= specialty_bases:
        raise ValueError("need provinces <= training bases <= specialty bases")
    password = password or os.environ.get("DEMO_PASSWORD", "Zhupei-demo-2026")
    timer = Timer(out=out)
    database = open_database(
        database_url,
        tempfile.gettempdir(),
        reuse=existing == "reuse",
        recreate=existing == "recreate",
        keep=keep,
    )
    # The e-mail and SMS copies of the notifications go to a queue in memory that nobody reads.
    setup_django(database.url, CELERY_BROKER_URL="memory://")
    with timer.step("migrate"):
        migrate()
    from policy.models import Campaign

    campaigns = Campaign.objects.filter(title__endswith=TITLE_MARK)
    if not campaigns.exists():
        _generate(
            applicants=applicants,
            training_bases=training_bases,
            specialty_bases=specialty_bases,
            provinces=provinces,
            password=password,
            seed=seed,
            timer=timer,
        )
    season = Season(
        database=database,
        campaign_ids=list(campaigns.order_by("pk").values_list("pk", flat=True)),
        stage=stage,
        applicants=applicants,
        training_bases=training_bases,
        specialty_bases=specialty_bases,
        timings=timer.steps,
    )
    _check_sizes(season)
    current = current_stage()
    if current != stage:
        with timer.step(f"stage {current} -> {stage}"):
            if stage == "admitted":
                admit_everyone(out=out)
            else:
                reset_to_scored()
    season.office_usernames = office_usernames()
    return season


def _check_sizes(season):
    from admissions.models import Applicant
    from bases.models import SpecialtyBase, TrainingBase

    found = (
        Applicant.objects.count(),
        TrainingBase.objects.count(),
        SpecialtyBase.objects.count(),
    )
    wanted = (season.applicants, season.training_bases, season.specialty_bases)
    if found != wanted:
        sys.exit(
            f"the database holds {found[0]} applicants, {found[1]} training bases, {found[2]} specialty bases, "
            f"not {wanted[0]}, {wanted[1]}, {wanted[2]}: pass the same sizes, or --recreate-db"
        )


def office_usernames():
    from portal.models import Role, User

    return dict(
        User.objects.filter(role=Role.BASE_OFFICE, username__startswith=OFFICE_PREFIX).values_list(
            "training_base_id", "username"
        )
    )


# --- generation --------------------------------------------------------------------------------


def _generate(*, applicants, training_bases, specialty_bases, provinces, password, seed, timer):
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from admissions.demo.people import USERNAME_PREFIX, generate_applicants
    from admissions.models import Applicant, Application, Assessment, Opinion, Stage
    from bases.demo import data as demo_data
    from bases.models import Province, Quota, ScoringFormula, Specialty, SpecialtyBase, TrainingBase
    from policy.models import Campaign
    from policy.timetable import local_date
    from portal.models import Role, User

    rng = random.Random(seed)
    today = local_date()
    clinical = [code for code, _name, category in demo_data.SPECIALTIES if category == "clinical"]
    per_base, extra = divmod(specialty_bases, training_bases)
    if per_base + (extra > 0) > len(clinical):
        sys.exit(f"at most {len(clinical)} specialty bases per training base (the clinical specialties)")

    with timer.step("provinces, campaigns, bases, quotas, offices"), transaction.atomic():
        chosen = PROVINCES[:provinces]
        province_rows = [Province.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in chosen]
        specialties = {
            code: Specialty.objects.get_or_create(code=code, defaults={"name": name, "category": category})[0]
            for code, name, category in demo_data.SPECIALTIES
        }
        shortage = [specialties[code] for code in demo_data.SHORTAGE_SPECIALTY_CODES]
        campaigns = {}
        for province in province_rows:
            campaign = Campaign.objects.create(
                province=province,
                year=today.year,
                title=f"{today.year}年度{province.name}住院医师规范化培训招录{TITLE_MARK}",
                **{name: datetime.date(today.year, month, day) for name, (month, day) in demo_data.TIMETABLE.items()},
            )
            campaign.shortage_specialties.set(shortage)
            campaigns[province.pk] = campaign
        # Round 1's assessment began yesterday (Asia/Shanghai): choices are in, offices decide today.
        shift_timetable(campaigns.values(), anchor="round1_assessment_starts", on=today - datetime.timedelta(days=1))
        for campaign in campaigns.values():
            campaign.refresh_from_db()

        # Bigger provinces get more bases: weights 3, 2, 1 in turn.
        weights = [3 - index % 3 for index in range(len(province_rows))]
        first = next_pk(TrainingBase)
        bases = []
        for number in range(training_bases):
            province = province_rows[number % len(province_rows)] if number < len(province_rows) else None
            province = province or rng.choices(province_rows, weights)[0]
            bases.append(
                TrainingBase(
                    pk=first + number,
                    province=province,
                    name=f"{province.name}第{number + 1:04d}基准医院",
                    city=f"{province.name[:2]}{number % 13 + 1}市",
                    sort_order=number + 1,
                )
            )
        insert_rows(TrainingBase, bases, with_pk=True)

        # Capacities around the applicants per specialty base, places 55-90 % of them: about 0.8
        # places per applicant in all, as nationally.
        mean = max(applicants / specialty_bases, 1)
        low, high = math.ceil(0.6 * mean), math.ceil(1.6 * mean)
        first, first_quota = next_pk(SpecialtyBase), next_pk(Quota)
        specialty_rows, quota_rows, formula_rows = [], [], []
        for index, base in enumerate(bases):
            codes = rng.sample(clinical, per_base + (index < extra))
            for code in codes:
                capacity = rng.randint(low, high)
                specialty_base = SpecialtyBase(
                    pk=first + len(specialty_rows), training_base=base, specialty=specialties[code], capacity=capacity
                )
                specialty_rows.append(specialty_base)
                quota = Quota(
                    pk=first_quota + len(quota_rows),
                    campaign=campaigns[base.province_id],
                    specialty_base=specialty_base,
                    places=max(1, capacity * rng.randint(55, 90) // 100),
                    capacity=capacity,
                )
                quota_rows.append(quota)
                interview_weight = rng.choice([50, 50, 40, 60, 30])
                formula_rows.append(
                    ScoringFormula(
                        quota=quota, version=1, interview_weight=interview_weight, exam_weight=100 - interview_weight
                    )
                )
        insert_rows(SpecialtyBase, specialty_rows, with_pk=True)
        # COPY bypasses the manager that gives a new quota its first formula, bulk_create (SQLite)
        # does not: the bench gives its own in place of any the manager gave.
        insert_rows(Quota, quota_rows, with_pk=True)
        ScoringFormula.objects.filter(quota_id__gte=first_quota).delete()
        insert_rows(ScoringFormula, formula_rows)

        password_hash = make_password(password)
        insert_rows(
            User,
            [
                User(
                    username=f"{OFFICE_PREFIX}{base.pk:04d}",
                    password=password_hash,
                    role=Role.BASE_OFFICE,
                    province_id=base.province_id,
                    training_base_id=base.pk,
                )
                for base in bases
            ]
            + [
                User(
                    username=f"{PROVINCE_OFFICE_PREFIX}{province.code}",
                    password=password_hash,
                    role=Role.PROVINCIAL_OFFICE,
                    province_id=province.pk,
                )
                for province in province_rows
            ],
        )

    with timer.step(f"{applicants} applicants and users"):
        generate_applicants(count=applicants, password=password)
    people = Applicant.objects.filter(user__username__startswith=USERNAME_PREFIX)
    with timer.step("complete profiles (education, 3 documents each)"):
        complete_profiles(people, year=today.year)

    with timer.step("round-1 choices and scored assessments"), transaction.atomic():
        # Demand is uneven: a specialty base's pull is its places times a factor from 0.2 to 3.
        pull = [quota.places * rng.uniform(0.2, 3.0) for quota in quota_rows]
        total = sum(pull)
        cumulative, running = [], 0.0
        for weight in pull:
            running += weight
            cumulative.append(running)
        campaign_of_base = {quota.specialty_base.pk: quota.campaign for quota in quota_rows}
        applicant_ids = list(people.order_by("pk").values_list("pk", flat=True))
        first = next_pk(Application)
        for start in range(0, len(applicant_ids), 20_000):  # in chunks: bounded memory
            applications, assessments = [], []
            for offset, applicant_id in enumerate(applicant_ids[start : start + 20_000], start=start):
                specialty_base = specialty_rows[_pick(cumulative, rng.random() * total)]
                campaign = campaign_of_base[specialty_base.pk]
                opened = datetime.datetime.combine(campaign.round1_opens, datetime.time(0), tzinfo=datetime.UTC)
                # Whole minutes over the two-week window: some applicants chose in the same minute.
                submitted_at = opened + datetime.timedelta(minutes=rng.randrange(14 * 24 * 60))
                application = Application(
                    pk=first + offset,
                    applicant_id=applicant_id,
                    campaign=campaign,
                    round=1,
                    specialty_base=specialty_base,
                    submitted_at=submitted_at,
                )
                applications.append(application)
                assessments.append(
                    Assessment(
                        application=application,
                        applicant_id=applicant_id,  # COPY bypasses the manager that copies these
                        campaign=campaign,
                        specialty_base=specialty_base,
                        stage=Stage.QUALIFIED,
                        interview_score=Decimal(rng.randint(600, 990)) / 10,
                        exam_score=Decimal(rng.randint(550, 990)) / 10,
                        opinion=Opinion.ADMIT,
                        created_at=submitted_at,
                    )
                )
            insert_rows(Application, applications, with_pk=True)
            insert_rows(Assessment, assessments)

    with timer.step("analyze"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _pick(cumulative, value):
    return min(bisect.bisect_right(cumulative, value), len(cumulative) - 1)


# --- stages ------------------------------------------------------------------------------------


def current_stage():
    from admissions.models import Admission

    return "admitted" if Admission.objects.exists() else "scored"


def close_all_rounds(*, training_base_ids=None, out=None):
    """Round 1 closed by every base office (or those of `training_base_ids`) in turn, as each
    would from its page: returns (bases closed, candidates proposed)."""
    from django.db.models import Prefetch

    from admissions.services.round_close import close_round
    from bases.models import TrainingBase
    from policy.models import Campaign
    from portal.models import Role, User

    campaigns = {c.province_id: c for c in Campaign.objects.filter(title__endswith=TITLE_MARK)}
    offices = User.objects.filter(role=Role.BASE_OFFICE, username__startswith=OFFICE_PREFIX)
    bases = TrainingBase.objects.filter(province_id__in=campaigns).prefetch_related(
        Prefetch("staff", queryset=offices, to_attr="offices")
    )
    if training_base_ids is not None:
        bases = bases.filter(pk__in=training_base_ids)
    closed = proposed = 0
    for base in bases.order_by("pk"):
        result = close_round(
            actor=base.offices[0], campaign=campaigns[base.province_id], training_base=base, round_number=1
        )
        closed += 1
        proposed += len(result.proposed)
    if out is not None:
        out(f"  closed round 1 at {closed} training bases: {proposed} candidates proposed and published")
    return closed, proposed


def admit_everyone(*, out=None):
    """From "scored" to "admitted": close round 1 everywhere, end the lists' publicity, and admit
    and report every proposed candidate, in bulk."""
    import secrets

    from django.db import transaction
    from django.utils import timezone

    from admissions.models import Admission, AdmissionStatus, Assessment, Confirmation, PublicityList, Stage
    from admissions.services.admission import _notice_number
    from policy.timetable import local_date

    close_all_rounds(out=out)
    today = local_date()
    with transaction.atomic():
        # Publicity ran its course: published a fortnight ago, over yesterday.
        PublicityList.objects.update(
            published_at=timezone.now() - datetime.timedelta(days=14), last_day=today - datetime.timedelta(days=1)
        )
        proposed = Assessment.objects.filter(stage=Stage.PROPOSED).select_related(
            "application__campaign", "specialty_base"
        )
        admissions = []
        codes = set()
        for assessment in proposed.iterator(chunk_size=5000):
            code = secrets.token_hex(6).upper()
            while code in codes:
                code = secrets.token_hex(6).upper()
            codes.add(code)
            admissions.append(
                Admission(
                    assessment_id=assessment.pk,
                    notice_number=_notice_number(assessment),
                    verification_code=code,
                    status=AdmissionStatus.REPORTED,
                    reported_on=today,
                    agreement_signed_on=today,
                )
            )
        proposed.update(
            stage=Stage.ADMITTED,
            confirmation=Confirmation.ACCEPTED,
            confirmed_at=timezone.now() - datetime.timedelta(days=10),
        )
        insert_rows(Admission, admissions)
    if out is not None:
        out(f"  {len(admissions)} admitted, reported, agreements signed")


def reset_to_scored():
    """Undo everything a round close (and admission) did on the national data: publicity lists and
    entries, admissions, the decisions, their audit events and notifications with their copies. Raw deletes: audit
    events are append-only for the application, not for a bench that rewinds its own data."""
    from django.db import connection, transaction

    from admissions.models import Admission, Assessment, PublicityEntry, PublicityList, Stage
    from portal.models import AuditEvent, Delivery, Notification

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(Admission)}")  # noqa: S608 - table names from the models
        cursor.execute(f"DELETE FROM {table(PublicityEntry)}")  # noqa: S608
        cursor.execute(f"DELETE FROM {table(PublicityList)}")  # noqa: S608
        cursor.execute(
            f"DELETE FROM {table(AuditEvent)} WHERE action LIKE 'assessment.%%' OR action LIKE 'publicity.%%'"  # noqa: S608
        )
        cursor.execute(f"DELETE FROM {table(Delivery)}")  # noqa: S608
        cursor.execute(f"DELETE FROM {table(Notification)}")  # noqa: S608
        Assessment.objects.exclude(stage=Stage.QUALIFIED).update(
            stage=Stage.QUALIFIED, decided_by=None, decided_at=None, confirmation="pending", confirmed_at=None
        )
    if connection.vendor == "postgresql":
        # Dead rows and statistics from the rewound run would make the next one slower than the first.
        with connection.cursor() as cursor:
            for model in (Assessment, PublicityList, PublicityEntry, Admission, AuditEvent, Notification, Delivery):
                cursor.execute(f"VACUUM ANALYZE {table(model)}")


# --- command line ------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://…/NAME (created unless it exists)")
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--training-bases", type=int, default=1_000)
    parser.add_argument("--specialty-bases", type=int, default=10_000)
    parser.add_argument("--provinces", type=int, default=len(PROVINCES), help="how many of the 31 provinces")
    parser.add_argument("--stage", choices=STAGES, default="scored")
    parser.add_argument("--reuse-db", action="store_true", help="use an existing database (same sizes)")
    parser.add_argument("--recreate-db", action="store_true", help="drop an existing database first")
    parser.add_argument("--password", default=None, help="of every generated account (default $DEMO_PASSWORD)")
    args = parser.parse_args(argv)
    if args.reuse_db and args.recreate_db:
        parser.error("--reuse-db and --recreate-db exclude each other")
    return args


def main(argv=None):
    args = parse_args(argv)
    print(
        f"national season: {args.applicants} applicants, {args.training_bases} training bases, "
        f"{args.specialty_bases} specialty bases, {args.provinces} provinces, stage {args.stage}"
    )
    season = build(
        args.database_url,
        applicants=args.applicants,
        training_bases=args.training_bases,
        specialty_bases=args.specialty_bases,
        provinces=args.provinces,
        stage=args.stage,
        existing="reuse" if args.reuse_db else "recreate" if args.recreate_db else "refuse",
        password=args.password,
    )
    print(
        f"{season.database.label}: {len(season.campaign_ids)} campaigns, stage {season.stage}, "
        f"{sum(season.timings.values()):.1f} s in all"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
