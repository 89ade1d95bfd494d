"""Reads of the round pages of the specialty-base staff and the training-base office: a specialty
base's candidates with their composite score, rank and cut line; the office's publicity lists;
the applicants it may invite in round 2, with the eligibility of the rows of one page."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.functional import cached_property

from admissions.models import (
    HOLDING_STAGES,
    Applicant,
    Application,
    ApplicationStatus,
    Assessment,
    EducationRecord,
    Invitation,
    InvitationStatus,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityList,
    Stage,
)
from admissions.selectors.facts import campaign_facts, page_facts, specialty_base_facts
from admissions.selectors.places import places_taken
from bases.models import Quota, SpecialtyBase
from policy.models import Campaign
from policy.rules.eligibility import decide
from policy.rules.scoring import composite, rank_key
from portal.permissions import CHANGE, visible

# Stages of candidates still in the competition: they are ranked once both scores are in.
RANKED_STAGES = (Stage.QUALIFIED, Stage.PROPOSED, Stage.NOT_ADMITTED, Stage.ADMITTED)


def _shortage(campaign, specialty_ref):
    return Exists(
        Campaign.shortage_specialties.through.objects.filter(
            campaign_id=campaign.pk, specialty_id=OuterRef(specialty_ref)
        )
    )


def office_quotas(*, campaign, training_base):
    """The quotas of a training base in the campaign, shortage specialties first."""
    return (
        Quota.objects.filter(campaign=campaign, specialty_base__training_base=training_base)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .annotate(is_shortage=_shortage(campaign, "specialty_base__specialty_id"))
        .order_by("-is_shortage", "specialty_base__specialty__code")
    )


def specialty_base_of(pk):
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
    taken: int
    candidates: list = field(default_factory=list)

    @property
    def places(self):
        return self.quota.places if self.quota else 0

    @property
    def interview_weight(self):
        return self.quota.interview_weight if self.quota else 50

    @property
    def exam_weight(self):
        return self.quota.exam_weight if self.quota else 50

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


def rank(candidates, quota):
    """The candidates still in the competition with both scores, best first (policy.rules.scoring's
    order and tie-break), each given its composite score under the quota's weights."""
    interview_weight = quota.interview_weight if quota else 50
    exam_weight = quota.exam_weight if quota else 50
    for candidate in candidates:
        if candidate.assessment is not None:
            candidate.composite = composite(
                candidate.assessment.interview_score, candidate.assessment.exam_score, interview_weight, exam_weight
            )

    def key(candidate):
        assessment = candidate.assessment
        return rank_key(
            composite_score=candidate.composite,
            exam=assessment.exam_score if assessment else None,
            interview=assessment.interview_score if assessment else None,
            submitted_at=candidate.chose_at,
        )

    return sorted((c for c in candidates if c.composite is not None and c.stage in RANKED_STAGES), key=key)


def _published():
    return Exists(PublicityEntry.objects.filter(assessment=OuterRef("pk")))


def candidate_sheet(*, campaign, specialty_base, round_number):
    """Every candidate of `specialty_base` in the round — active choices and adjustment
    assessments — with composite score (the quota's weights) and rank (policy.rules.scoring.rank_key);
    a constant number of queries whatever the number of candidates."""
    quota = Quota.objects.filter(campaign=campaign, specialty_base=specialty_base).first()
    here = Assessment.objects.filter(specialty_base=specialty_base).annotate(published=_published())
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
        .annotate(published=_published())
        .select_related("application__applicant", "application__specialty_base__specialty")
    )
    candidates = [
        Candidate(application, next((a for a in application.assessments_here if not a.is_adjustment), None))
        for application in applications
    ]
    candidates += [Candidate(assessment.application, assessment) for assessment in adjustments]
    ranked = rank(candidates, quota)
    for position, candidate in enumerate(ranked, start=1):
        candidate.rank = position
    others = sorted((c for c in candidates if c.rank is None), key=lambda c: (c.chose_at, c.application.pk))
    return CandidateSheet(
        campaign=campaign,
        specialty_base=specialty_base,
        round_number=round_number,
        quota=quota,
        taken=places_taken(quota) if quota else 0,
        candidates=ranked + others,
    )


def unpublished_proposals(*, campaign, training_base, round_number):
    """How many candidates the base proposed in the round that no list has published yet."""
    return Assessment.objects.filter(
        application__campaign=campaign,
        application__round=round_number,
        specialty_base__training_base=training_base,
        stage=Stage.PROPOSED,
        publicity_entries__isnull=True,
    ).count()


def office_publicity_lists(*, user, campaign):
    """The publicity lists the user may see in the campaign, newest first, with their entries
    and every entry's objections."""
    entries = PublicityEntry.objects.select_related(
        "assessment__application__applicant", "assessment__specialty_base__specialty"
    ).prefetch_related(
        Prefetch(
            "objections", queryset=Objection.objects.select_related("raised_by", "handled_by").order_by("raised_at")
        )
    )
    return (
        visible(user, PublicityList.objects.filter(campaign=campaign))
        .select_related("training_base", "published_by")
        .prefetch_related(Prefetch("entries", queryset=entries.order_by("assessment__specialty_base__specialty__code")))
        .order_by("-published_at", "-pk")
    )


def open_objections_of_entry(*, user, objection):
    """The open objections, other than `objection`, about the same listed candidate (on any of its
    lists) that `user` may handle: those that may be closed as its repeats."""
    return list(
        visible(
            user,
            Objection.objects.filter(entry__assessment_id=objection.entry.assessment_id, status=ObjectionStatus.OPEN),
            CHANGE,
        )
        .exclude(pk=objection.pk)
        .order_by("raised_at", "pk")
    )


def invitable_applicants(*, campaign, degree_level=None, graduation_year=None, employer_city=""):
    """Applicants of the campaign's round 1 who may be invited: not proposed or admitted in the
    campaign, no active round-2 choice, no accepted invitation (as `uninvitable_reason` says)."""
    applicant = OuterRef("pk")
    took_part = Application.objects.filter(applicant=applicant, campaign=campaign, round=1)
    holding = Assessment.objects.filter(
        application__applicant=applicant, application__campaign=campaign, stage__in=HOLDING_STAGES
    )
    round2 = Application.objects.filter(
        applicant=applicant, campaign=campaign, round=2, status=ApplicationStatus.ACTIVE
    )
    accepted = Invitation.objects.filter(applicant=applicant, campaign=campaign, status=InvitationStatus.ACCEPTED)
    rows = Applicant.objects.filter(Exists(took_part), ~Exists(holding), ~Exists(round2), ~Exists(accepted))
    education = Q()
    if degree_level:
        education &= Q(degree_level=degree_level)
    if graduation_year:
        education &= Q(graduation_date__year=graduation_year)
    if degree_level or graduation_year:
        rows = rows.filter(Exists(EducationRecord.objects.filter(education, applicant=applicant)))
    if employer_city:
        rows = rows.filter(employer_city=employer_city)
    return rows.select_related("dispatch_specialty").order_by("full_name", "pk")


@dataclass
class InviteRow:
    applicant: Applicant
    decision: object  # policy.decisions.Decision, or None without a specialty base
    pending: Invitation | None  # this base's invitation awaiting an answer

    @cached_property
    def latest_education(self):
        educations = self.applicant.educations.all()
        return max(educations, key=lambda e: (e.graduation_date, e.degree_level)) if educations else None


def invite_rows(*, applicants, campaign, specialty_base, training_base):
    """The rows of one page of the search: each applicant's eligibility for `specialty_base`
    (evaluated for these rows only) and the base's pending invitation, if any."""
    applicants = list(applicants)
    facts = page_facts(applicants, campaign)
    decisions = {}
    if specialty_base is not None:
        base_facts, context = specialty_base_facts(specialty_base), campaign_facts(campaign)
        decisions = {pk: decide(applicant_facts, base_facts, context) for pk, applicant_facts in facts.items()}
    pending = {}
    for invitation in Invitation.objects.filter(
        campaign=campaign,
        applicant__in=[a.pk for a in applicants],
        specialty_base__training_base=training_base,
        status=InvitationStatus.PENDING,
    ).select_related("specialty_base__specialty"):
        if specialty_base is None or invitation.specialty_base_id == specialty_base.pk:
            pending.setdefault(invitation.applicant_id, invitation)
    return [InviteRow(a, decisions.get(a.pk), pending.get(a.pk)) for a in applicants]


def sent_invitations(*, user, campaign):
    return (
        visible(user, Invitation.objects.filter(campaign=campaign))
        .select_related("applicant", "specialty_base__specialty", "invited_by")
        .order_by("-invited_at", "-pk")
    )
