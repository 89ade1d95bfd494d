"""Reads of the assessment pages: a specialty base's candidates with their composite score, rank
and cut line (`standing` and `rank`, the one ranking the pages, the API and proposing by rank use),
and the office's quotas."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from admissions.models import (
    Application,
    ApplicationStatus,
    Assessment,
    PublicityEntry,
    Stage,
)
from admissions.selectors.checkin import absence_flags
from admissions.selectors.places import places_taken
from bases.models import Quota, ScoringFormula, SpecialtyBase, TrainingBase
from bases.selectors.scoring import formula_of
from policy.models import Campaign
from policy.rules.scoring import composite, rank_key
from policy.selectors import is_shortage

# Stages of candidates still in the competition: they are ranked once both scores are in.
RANKED_STAGES = (Stage.QUALIFIED, Stage.PROPOSED, Stage.NOT_ADMITTED, Stage.ADMITTED)

# Stages of candidates a published list was ranked among: also those proposed then, who later
# declined or were removed after an objection, so that a published rank does not move.
PUBLISHED_RANKING_STAGES = (*RANKED_STAGES, Stage.DECLINED, Stage.REMOVED)

# Stages of candidates who wait for the assessors: the qualification review, then the scores and
# the office's decision. Every other stage is an outcome (proposed, not admitted, disqualified …).
WAITING_STAGES = (Stage.PENDING_REVIEW, Stage.QUALIFIED)


def office_quotas(*, campaign: Campaign, training_base: TrainingBase):
    """The quotas of a training base in the campaign, shortage specialties first."""
    return (
        Quota.objects.filter(campaign=campaign, specialty_base__training_base=training_base)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .annotate(is_shortage=is_shortage(campaign=campaign, specialty="specialty_base__specialty_id"))
        .order_by("-is_shortage", "specialty_base__specialty__code")
    )


def waiting_choices(*, campaign: Campaign, round_number: int) -> QuerySet[Application]:
    """The round's active choices still waiting at their specialty base: never reviewed, or
    reviewed into a stage of WAITING_STAGES (qualified, with scores to enter or a decision to make)."""
    decided = Assessment.objects.filter(application=OuterRef("pk"), is_adjustment=False).exclude(
        stage__in=WAITING_STAGES
    )
    return Application.objects.filter(campaign=campaign, round=round_number, status=ApplicationStatus.ACTIVE).filter(
        ~Exists(decided)
    )


def waiting_adjustments(*, campaign: Campaign, round_number: int) -> QuerySet[Assessment]:
    """The round's adjustment assessments (调剂) still waiting for scores or a decision."""
    return Assessment.objects.filter(
        campaign=campaign, application__round=round_number, is_adjustment=True, stage__in=WAITING_STAGES
    )


def _count_per_specialty_base(rows: QuerySet):
    """The number of `rows`, narrowed to the outer query's specialty base, as a subquery."""
    counted = rows.order_by().values("specialty_base").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def round_quotas(*, campaign: Campaign, training_base: TrainingBase, round_number: int) -> QuerySet[Quota]:
    """The office's quotas (as `office_quotas` orders them), each with `waiting`: how many of its
    specialty base's candidates in the round wait for the assessors — the candidate sheet's rows in
    WAITING_STAGES, i.e. a first choice not yet reviewed, or a first choice or adjustment qualified
    and not yet decided. One query, whatever the number of specialty bases and candidates."""
    here = OuterRef("specialty_base_id")
    choices = waiting_choices(campaign=campaign, round_number=round_number).filter(specialty_base=here)
    adjustments = waiting_adjustments(campaign=campaign, round_number=round_number).filter(specialty_base=here)
    return office_quotas(campaign=campaign, training_base=training_base).annotate(
        waiting=_count_per_specialty_base(choices) + _count_per_specialty_base(adjustments)
    )


def opening_specialty_base(quotas: list[Quota]) -> SpecialtyBase | None:
    """The specialty base the office's round page opens on when none is asked for: the first of
    `round_quotas` with candidates waiting, else the first; None without a plan."""
    waiting = next((quota for quota in quotas if quota.waiting), None)
    first = waiting or (quotas[0] if quotas else None)
    return first.specialty_base if first else None


def specialty_base_of(pk: int):
    return SpecialtyBase.objects.select_related("training_base", "specialty").filter(pk=pk).first()


@dataclass
class Candidate:
    """One row of a specialty base's score sheet: a first choice (with its assessment once the
    qualification was reviewed) or an adjustment assessment."""

    application: Application
    assessment: Assessment | None
    composite: object = None  # Decimal, one decimal, or None until both scores are in
    rank: int | None = None

    @property
    def key(self):
        return f"a{self.assessment.pk}" if self.assessment else f"p{self.application.pk}"

    @property
    def applicant(self):
        return self.application.applicant

    @property
    def is_adjustment(self):
        return bool(self.assessment and self.assessment.is_adjustment)

    @property
    def stage(self):
        return self.assessment.stage if self.assessment else Stage.PENDING_REVIEW

    @property
    def stage_label(self):
        return Stage(self.stage).label

    @property
    def published(self):
        return bool(self.assessment and self.assessment.published)

    @property
    def chose_at(self):
        if self.is_adjustment:
            return self.assessment.adjustment_consent_at or self.application.submitted_at
        return self.application.submitted_at

    @property
    def can_review(self):
        """The qualification review is made on first choices not yet decided."""
        return not self.is_adjustment and self.stage in (Stage.PENDING_REVIEW, Stage.QUALIFIED, Stage.DISQUALIFIED)

    @property
    def can_score(self):
        return self.stage == Stage.QUALIFIED

    @property
    def can_decide(self):
        return self.stage in (Stage.QUALIFIED, Stage.PROPOSED, Stage.NOT_ADMITTED) and not self.published


@dataclass
class CandidateSheet:
    campaign: Campaign
    specialty_base: SpecialtyBase
    round_number: int
    quota: Quota | None
    formula: ScoringFormula  # the version the ranking used
    taken: int
    candidates: list = field(default_factory=list)

    @property
    def places(self):
        return self.quota.places if self.quota else 0

    @cached_property
    def ranking(self):
        return [candidate for candidate in self.candidates if candidate.rank is not None]

    @cached_property
    def unranked(self):
        return [candidate for candidate in self.candidates if candidate.rank is None]

    @property
    def oversubscribed(self):
        return len(self.ranking) > self.places

    @property
    def cut_after(self):
        """The rank after which the cut line is drawn: the quota's places, when more are ranked."""
        return self.places if self.oversubscribed else None


def standing(
    *,
    stage: str,
    interview: Decimal | None,
    exam: Decimal | None,
    interview_weight: int,
    exam_weight: int,
    tie_break: str,
    chose_at: datetime.datetime,
    stages=RANKED_STAGES,
):
    """A candidate's place in its specialty base's ranking: (composite score, sort key). The score
    is under the formula's weights; the key (policy.rules.scoring's order and the formula's
    tie-break) is None for a candidate out of the ranking: a score missing, or a stage not among
    `stages` (by default those still in the competition)."""
    score = composite(interview, exam, interview_weight, exam_weight)
    if score is None or stage not in stages:
        return score, None
    return score, rank_key(
        composite_score=score, exam=exam, interview=interview, submitted_at=chose_at, tie_break=tie_break
    )


def rank(candidates: list[Candidate], formula: ScoringFormula, stages=RANKED_STAGES):
    """The candidates at `stages` (by default still in the competition) with both scores, best
    first, each given its composite score under `formula` (see `standing`)."""
    ranked = []
    for candidate in candidates:
        assessment = candidate.assessment
        candidate.composite, key = standing(
            stage=candidate.stage,
            interview=assessment.interview_score if assessment else None,
            exam=assessment.exam_score if assessment else None,
            interview_weight=formula.interview_weight,
            exam_weight=formula.exam_weight,
            tie_break=formula.tie_break,
            chose_at=candidate.chose_at,
            stages=stages,
        )
        if key is not None:
            ranked.append((key, candidate))
    return [candidate for _key, candidate in sorted(ranked, key=itemgetter(0))]


def _published():
    return Exists(PublicityEntry.objects.filter(assessment=OuterRef("pk")))


def candidate_sheet(
    *,
    campaign: Campaign,
    specialty_base: SpecialtyBase,
    round_number: int,
    formula: ScoringFormula | None = None,
):
    """Every candidate of `specialty_base` in the round — active choices and adjustment
    assessments — with composite score and rank (policy.rules.scoring.rank_key) under `formula`,
    by default the quota's current version; a constant number of queries whatever the number of
    candidates."""
    quota = Quota.objects.filter(campaign=campaign, specialty_base=specialty_base).first()
    formula = formula or formula_of(quota)
    here = Assessment.objects.filter(specialty_base=specialty_base).annotate(published=_published(), **absence_flags())
    applications = (
        Application.objects.filter(
            campaign=campaign, round=round_number, specialty_base=specialty_base, status=ApplicationStatus.ACTIVE
        )
        .select_related("applicant", "specialty_base__specialty")
        .prefetch_related(Prefetch("assessments", queryset=here, to_attr="assessments_here"))
    )
    adjustments = (
        Assessment.objects.filter(
            specialty_base=specialty_base,
            is_adjustment=True,
            application__campaign=campaign,
            application__round=round_number,
        )
        .annotate(published=_published(), **absence_flags())
        .select_related("application__applicant", "application__specialty_base__specialty")
    )
    candidates = [
        Candidate(application, next((a for a in application.assessments_here if not a.is_adjustment), None))
        for application in applications
    ]
    candidates += [Candidate(assessment.application, assessment) for assessment in adjustments]
    ranked = rank(candidates, formula)
    for position, candidate in enumerate(ranked, start=1):
        candidate.rank = position
    others = sorted((c for c in candidates if c.rank is None), key=lambda c: (c.chose_at, c.application.pk))
    return CandidateSheet(
        campaign=campaign,
        specialty_base=specialty_base,
        round_number=round_number,
        quota=quota,
        formula=formula,
        taken=places_taken(quota) if quota else 0,
        candidates=ranked + others,
    )


def unpublished_proposals(*, campaign: Campaign, training_base: TrainingBase, round_number: int):
    """How many candidates the base proposed in the round that no list has published yet."""
    return Assessment.objects.filter(
        application__campaign=campaign,
        application__round=round_number,
        specialty_base__training_base=training_base,
        stage=Stage.PROPOSED,
        publicity_entries__isnull=True,
    ).count()
