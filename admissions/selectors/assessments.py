"""Reads of assessments for the staff API: every row with what it shows (the quota's current
scoring formula and places, the proposed list's last day, the stage the clock gives), narrowed to
what the user may see, and ranked per specialty base and round, in a constant number of queries."""

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from admissions.models import Applicant, Assessment, PublicityEntry, PublicityKind, Stage
from admissions.selectors.checkin import absence_flags
from admissions.selectors.clock import admitted_by_clock, flag
from admissions.selectors.rounds import standing
from bases.models import Quota
from bases.selectors.scoring import latest_formula
from policy.rules.scoring import DEFAULT_TIE_BREAK, DEFAULT_WEIGHTS
from portal.models import User
from portal.permissions import VIEW, require, visible


def quota_field(field: str) -> Subquery:
    """An annotation on Assessment: `field` of the quota its specialty base has in its campaign."""
    quota = Quota.objects.filter(campaign=OuterRef("application__campaign"), specialty_base=OuterRef("specialty_base"))
    return Subquery(quota.values(field)[:1])


def formula_field(field: str) -> Subquery:
    """An annotation on Assessment: `field` of its quota's current scoring formula."""
    return latest_formula(field, campaign="application__campaign", specialty_base="specialty_base")


def assessment_rows() -> QuerySet[Assessment]:
    """Assessments with what their rows show: the quota's current formula (`formula_version`,
    the weights and `tie_break`; the notice's default without a quota) and places, the proposed
    list's last day and `admitted_now` (by the clock)."""
    proposed = PublicityEntry.objects.filter(
        assessment=OuterRef("pk"), publicity_list__kind=PublicityKind.PROPOSED
    ).order_by("publicity_list__published_at")
    return Assessment.objects.select_related(
        "application__applicant", "specialty_base__training_base", "specialty_base__specialty", "admission"
    ).annotate(
        formula_version=formula_field("version"),
        interview_weight=Coalesce(formula_field("interview_weight"), Value(DEFAULT_WEIGHTS[0])),
        exam_weight=Coalesce(formula_field("exam_weight"), Value(DEFAULT_WEIGHTS[1])),
        tie_break=Coalesce(formula_field("tie_break"), Value(DEFAULT_TIE_BREAK.value)),
        quota_places=quota_field("places"),
        publicity_last_day=Subquery(proposed.values("publicity_list__last_day")[:1]),
        admitted_now=flag(admitted_by_clock()),
        **absence_flags(),
    )


def staff_assessments(
    *, user: User, round_number: int | None = None, specialty_base_id: int | None = None, stage: str = ""
) -> QuerySet[Assessment]:
    """The rows `user` may see, narrowed by round, specialty base and the stage the clock gives."""
    rows = visible(user, assessment_rows())
    if round_number:
        rows = rows.filter(application__round=round_number)
    if specialty_base_id:
        rows = rows.filter(specialty_base_id=specialty_base_id)
    if stage == Stage.ADMITTED:
        rows = rows.filter(admitted_now=True)
    elif stage == Stage.PROPOSED:
        rows = rows.filter(stage=Stage.PROPOSED, admitted_now=False)
    elif stage:
        rows = rows.filter(stage=stage)
    return rows


def ranked_order(rows: QuerySet[Assessment]) -> tuple[list[int], dict[int, int]]:
    """The primary keys of `rows` grouped by training base, specialty base and round, ranked in
    each group (see `standing`; an adjustment counts from the applicant's consent), unranked rows
    last; and the rank of each ranked row in its group."""
    keys = rows.values_list(
        "pk",
        "specialty_base__training_base__sort_order",
        "specialty_base__training_base_id",
        "specialty_base__specialty__code",
        "specialty_base_id",
        "application__round",
        "stage",
        "interview_score",
        "exam_score",
        "interview_weight",
        "exam_weight",
        "tie_break",
        "application__submitted_at",
        "adjustment_consent_at",
    )
    ordered = []
    for (
        pk,
        order,
        base,
        code,
        specialty_base,
        round_number,
        stage,
        interview,
        exam,
        *formula,
        chosen,
        consented,
    ) in keys:
        chose_at = consented or chosen
        i_weight, e_weight, tie_break = formula
        _score, key = standing(
            stage=stage,
            interview=interview,
            exam=exam,
            interview_weight=i_weight,
            exam_weight=e_weight,
            tie_break=tie_break,
            chose_at=chose_at,
        )
        group = (order, base, code, specialty_base, round_number)
        ranked = key is not None
        ordered.append(((*group, not ranked, key if ranked else (chose_at,), pk), pk, group, ranked))
    ordered.sort(key=lambda row: row[0])
    ranks, counters = {}, {}
    for _key, pk, group, ranked in ordered:
        if ranked:
            counters[group] = counters.get(group, 0) + 1
            ranks[pk] = counters[group]
    return [row[1] for row in ordered], ranks


def has_scores(quota: Quota) -> bool:
    """Whether a score (either) of the quota's specialty base is in, in the quota's campaign."""
    return Assessment.objects.filter(
        Q(interview_score__isnull=False) | Q(exam_score__isnull=False),
        campaign=quota.campaign_id,
        specialty_base=quota.specialty_base_id,
    ).exists()


def assessment_by_pk(pk: int) -> Assessment:
    """One assessment (404 when there is none); the write services check who may change it."""
    return get_object_or_404(
        Assessment.objects.select_related(
            "application__campaign",
            "application__applicant",
            "specialty_base__training_base",
            "specialty_base__specialty",
        ),
        pk=pk,
    )


def staff_assessment(*, user: User, pk: int) -> Assessment:
    """One assessment `user` may see (404 when there is none, 403 out of scope)."""
    assessment = assessment_by_pk(pk)
    require(user, VIEW, assessment)
    return assessment


def own_assessments(*, user: User, applicant: Applicant) -> QuerySet[Assessment]:
    """The applicant's own assessments, as its account sees them."""
    return visible(user, assessment_rows().filter(application__applicant=applicant))
