"""Reads of round-2 invitations (第二批次邀请): who may be invited (one rule for the search and the
services), the applicants an office may invite, with the eligibility of one page of them, and the
invitations sent."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from admissions.models import (
    HOLDING_STAGES,
    Applicant,
    Application,
    ApplicationStatus,
    Assessment,
    EducationRecord,
    Invitation,
    InvitationStatus,
)
from admissions.selectors.clock import flag
from admissions.selectors.facts import barred_from_the_rounds, campaign_facts, page_facts, specialty_base_facts
from admissions.selectors.rounds import waiting_adjustments, waiting_choices
from bases.models import SpecialtyBase, TrainingBase
from policy.models import Campaign
from policy.rules.eligibility import decide
from policy.selectors import is_shortage
from policy.timetable import local_date, publicity_deadline
from portal.models import User
from portal.permissions import visible


def _round1_undecided(campaign: Campaign) -> bool:
    """Round 1 is undecided until its lists' deadline (三(三)3) has passed: until then a choice
    still waiting at its base may yet end in a place. Afterwards nothing can decide it any more,
    and its applicant counts as not admitted."""
    return local_date() <= publicity_deadline(campaign, 1)


def _bars(campaign: Campaign) -> list[tuple[Q, str]]:
    """What keeps an applicant (the outer query's row) from a round-2 invitation in `campaign`, each
    with the reason an office reads: a place held in the campaign, an active round-2 choice, an
    accepted invitation and, while round 1 is undecided, a round-1 choice still waiting at its base
    (not yet reviewed, or qualified and not yet decided: admissions.selectors.rounds.WAITING_STAGES)."""
    applicant = OuterRef("pk")
    holding = Assessment.objects.filter(applicant=applicant, campaign=campaign, stage__in=HOLDING_STAGES)
    round2 = Application.objects.filter(
        applicant=applicant, campaign=campaign, round=2, status=ApplicationStatus.ACTIVE
    )
    accepted = Invitation.objects.filter(applicant=applicant, campaign=campaign, status=InvitationStatus.ACCEPTED)
    bars = [
        (Q(Exists(holding)), _("已被拟录取或录取。")),
        (Q(Exists(round2)), _("已主动填报第二批次志愿，不能邀请。")),
        (Q(Exists(accepted)), _("已接受其他基地的邀请。")),
    ]
    if _round1_undecided(campaign):
        choices = waiting_choices(campaign=campaign, round_number=1).filter(applicant=applicant)
        adjustments = waiting_adjustments(campaign=campaign, round_number=1).filter(applicant=applicant)
        bars.append(
            (
                Q(Exists(choices)) | Q(Exists(adjustments)),
                _("第一批次志愿尚无结果（待资格审核或待录取决定），第一批次结束后才能邀请。"),
            )
        )
    return bars


def uninvitable_reason(applicant: Applicant, campaign: Campaign) -> str | None:
    """Why the applicant cannot be invited in `campaign` (the first of `_bars` it meets), or None.
    One query."""
    bars = _bars(campaign)
    flags = {f"bar{n}": flag(condition) for n, (condition, _reason) in enumerate(bars)}
    met = Applicant.objects.filter(pk=applicant.pk).annotate(**flags).values_list(*flags).get()
    return next((reason for (_condition, reason), is_met in zip(bars, met, strict=True) if is_met), None)


def invitable_applicants(
    *, campaign: Campaign, degree_level: str | None = None, graduation_year: int | None = None, employer_city: str = ""
):
    """Applicants of the campaign's round 1 whom an office may invite: none of `_bars` (the rule
    `uninvitable_reason` gives the service) and nothing that bars them from the rounds (a sanction,
    an entry outside them: `barred_from_the_rounds`, as `place_reasons` tells the service)."""
    applicant = OuterRef("pk")
    took_part = Application.objects.filter(applicant=applicant, campaign=campaign, round=1)
    rows = Applicant.objects.filter(Exists(took_part), ~barred_from_the_rounds(campaign))
    for condition, _reason in _bars(campaign):
        rows = rows.filter(~condition)
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


def invite_rows(
    *, applicants: Iterable[Applicant], campaign: Campaign, specialty_base: SpecialtyBase, training_base: TrainingBase
):
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


def sent_invitations(*, user: User, campaign: Campaign):
    return (
        visible(user, Invitation.objects.filter(campaign=campaign))
        .select_related("applicant", "specialty_base__specialty", "invited_by")
        .order_by("-invited_at", "-pk")
    )


def invitation_rows() -> QuerySet[Invitation]:
    """Invitations with what their rows show, shortage specialties first, then the newest."""
    return (
        Invitation.objects.select_related(
            "campaign", "applicant", "specialty_base__training_base", "specialty_base__specialty"
        )
        .annotate(is_shortage=is_shortage(campaign="campaign_id", specialty="specialty_base__specialty_id"))
        .order_by("-is_shortage", "-invited_at", "-id")
    )


def visible_invitations(*, user: User, status: str = "") -> QuerySet[Invitation]:
    """The invitations `user` may see, with `status` if given."""
    rows = visible(user, invitation_rows())
    return rows.filter(status=status) if status else rows


def own_invitations(*, user: User, applicant: Applicant) -> QuerySet[Invitation]:
    """The applicant's own invitations, as its account sees them."""
    return visible(user, invitation_rows().filter(applicant=applicant))


def invitation_by_pk(pk: int) -> Invitation:
    """One invitation (404 when there is none); the services check who may answer it."""
    return get_object_or_404(Invitation.objects.select_related("applicant", "campaign", "specialty_base"), pk=pk)
