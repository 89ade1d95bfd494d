"""The score explained to the applicant (成绩说明). Once a publicity list has published the result
of its specialty base in its round, an applicant sees its own interview and exam scores, the
version of the formula the list was ranked with, its composite, its rank and the cut line of that
specialty base — never another candidate's score or name. Before that, nothing.

- The list: the one the applicant's own entry is on, else the first list of the round that
  listed anyone of the specialty base.
- The formula: the version in force when that list was published (bases.selectors.scoring.formula_at),
  whatever was changed after.
- The rank: among the specialty base's candidates of the round with both scores who were in the
  competition then — a candidate who later declined or was removed after an objection still
  counts, so a published rank does not move (PUBLISHED_RANKING_STAGES).
- The cut line: the lowest composite among those the list proposed at the specialty base."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.http import Http404

from admissions.models import Applicant, Assessment, PublicityEntry, PublicityList, Stage
from admissions.selectors.rounds import PUBLISHED_RANKING_STAGES, candidate_sheet, rank
from bases.models import Quota, ScoringFormula
from bases.selectors.scoring import default_formula, formula_at
from policy.rules.scoring import composite

# Stages whose scores were never weighed: nothing to explain.
UNRANKED_STAGES = (Stage.PENDING_REVIEW, Stage.DISQUALIFIED)


@dataclass(frozen=True)
class ScoreBreakdown:
    assessment_id: int
    interview_score: Decimal
    exam_score: Decimal
    formula: ScoringFormula
    composite: Decimal
    rank: int | None  # None: not among the ranked (see the module's docstring)
    ranked: int  # how many were ranked
    proposed: int  # how many the list proposed at the specialty base
    cut_line: Decimal | None  # the lowest composite among them
    published_at: datetime.datetime


def publication_of(assessment: Assessment) -> PublicityList | None:
    """The list that published the result of the assessment's specialty base in its round: the one
    its own entry is on, else the first that listed anyone of the specialty base; None before."""
    here = PublicityEntry.objects.filter(
        publicity_list=OuterRef("pk"), assessment__specialty_base=assessment.specialty_base_id
    )
    return (
        PublicityList.objects.filter(
            Exists(here),
            campaign=assessment.campaign_id,
            training_base=assessment.specialty_base.training_base_id,
            round=assessment.application.round,
        )
        .annotate(own=Exists(here.filter(assessment=assessment.pk)))
        .order_by("-own", "published_at", "pk")
        .first()
    )


def score_breakdown(*, applicant: Applicant, assessment: Assessment) -> ScoreBreakdown | None:
    """The applicant's own assessment explained (see the module's docstring), or None while no list
    has published its specialty base's result or its scores are not both in. Another applicant's
    assessment is not found (404)."""
    if assessment.application.applicant_id != applicant.pk:
        raise Http404
    if assessment.stage in UNRANKED_STAGES or assessment.interview_score is None or assessment.exam_score is None:
        return None
    publicity_list = publication_of(assessment)
    if publicity_list is None:
        return None
    campaign = assessment.application.campaign
    quota = Quota.objects.filter(campaign=campaign, specialty_base=assessment.specialty_base_id).first()
    formula = formula_at(quota=quota, moment=publicity_list.published_at) if quota else default_formula()
    sheet = candidate_sheet(
        campaign=campaign,
        specialty_base=assessment.specialty_base,
        round_number=assessment.application.round,
        formula=formula,
    )
    ranking = [candidate.assessment.pk for candidate in rank(sheet.candidates, formula, PUBLISHED_RANKING_STAGES)]
    listed = PublicityEntry.objects.filter(
        publicity_list=publicity_list, assessment__specialty_base=assessment.specialty_base_id
    ).values_list("assessment__interview_score", "assessment__exam_score")
    composites = [
        composite(interview, exam, formula.interview_weight, formula.exam_weight) for interview, exam in listed
    ]
    composites = [score for score in composites if score is not None]
    return ScoreBreakdown(
        assessment_id=assessment.pk,
        interview_score=assessment.interview_score,
        exam_score=assessment.exam_score,
        formula=formula,
        composite=composite(
            assessment.interview_score, assessment.exam_score, formula.interview_weight, formula.exam_weight
        ),
        rank=ranking.index(assessment.pk) + 1 if assessment.pk in ranking else None,
        ranked=len(ranking),
        proposed=len(composites),
        cut_line=min(composites, default=None),
        published_at=publicity_list.published_at,
    )
