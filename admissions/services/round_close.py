"""Closing a round at a training base (三(三)2-3) in a few set-based queries: the office proposes,
in rank order, every qualified candidate above the cut line of each specialty base, then publishes
its list. The rules are `decide_admission`'s — the TRANSITIONS map, the quota's row lock, one
audit event and one notification per decision — done for a whole base at once, in a constant
number of queries, rather than a transaction per candidate (bench/round_close.py measures both)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import ApplicationStatus, Assessment, PublicityList, Stage
from admissions.selectors.facts import place_facts
from admissions.selectors.places import locked_quotas_with_places_taken
from admissions.selectors.rounds import Candidate, rank
from admissions.services.assessments import _require_assessment_window, decision_message
from admissions.services.publicity import _require_before_deadline, do_publish_list
from bases.models import Quota, SpecialtyBase, TrainingBase
from bases.selectors.scoring import default_formula, formulas_of
from policy.models import Campaign
from policy.rules.eligibility import CampaignFacts, place_reasons
from portal.audit import record_events
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify_many
from portal.permissions import CHANGE, require, require_role
from portal.states import advance

# What the ranking, the decision, its audit event and notification and the publicity list read: a
# national close loads a hundred thousand candidates, and whole rows would cost much more.
CANDIDATE_FIELDS = (
    "stage",
    "is_adjustment",
    "adjustment_consent_at",
    "interview_score",
    "exam_score",
    "application__submitted_at",
    "application__applicant__full_name",
    "application__applicant__id_type",
    "application__applicant__id_number",
    "application__applicant__applicant_type",
    "application__applicant__user__id",
    "specialty_base",
)


@dataclass
class RoundClose:
    proposed: list  # the assessments proposed now, in rank order per specialty base
    publicity_list: PublicityList | None  # the list published now, if anyone was left to publish


def propose_ranked(
    *,
    actor: User,
    campaign: Campaign,
    training_base: TrainingBase,
    round_number: int,
    specialty_base: SpecialtyBase | None = None,
):
    """Propose (拟录取) the qualified candidates of each specialty base of `training_base` (or of
    `specialty_base` only) in rank order, while the quota has places left — what deciding "admit"
    one by one from the top of the ranking would do. Candidates without both scores are not
    ranked and so not proposed; those below the cut line stay qualified (the office may still
    decline them or they may consent to adjustment). Run again, it proposes nobody new."""
    return _propose(
        actor=actor,
        campaign=campaign,
        training_base=training_base,
        round_number=round_number,
        specialty_base=specialty_base,
    )[0]


def _propose(*, actor, campaign, training_base, round_number, specialty_base=None):
    """`propose_ranked`'s work: (the assessments proposed now, in rank order per specialty base; those
    proposed before and on no list yet, in primary-key order — locked and loaded like the first)."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, specialty_base or training_base)
    if specialty_base is not None and specialty_base.training_base_id != training_base.pk:
        raise DomainError(_("专业基地不属于该住培基地。"), status=400, code="invalid")
    _require_assessment_window(campaign, round_number)
    here = Q(specialty_base=specialty_base) if specialty_base else Q(specialty_base__training_base=training_base)
    with transaction.atomic():
        # Locks in `decide_admission`'s order, assessments before quotas, or a close and a single
        # decision could deadlock: the candidates, and the proposals `publish_list` will lock next.
        # In primary-key order, so that two closes of the same base wait rather than deadlock.
        assessments = list(
            Assessment.objects.select_for_update(of=("self",))
            .filter(
                here,
                Q(stage=Stage.PROPOSED, publicity_entries__isnull=True)
                | Q(
                    Q(is_adjustment=True) | Q(application__status=ApplicationStatus.ACTIVE),
                    stage=Stage.QUALIFIED,
                    interview_score__isnull=False,
                    exam_score__isnull=False,
                ),
                application__campaign=campaign,
                application__round=round_number,
            )
            .select_related("application__applicant__user")
            .only(*CANDIDATE_FIELDS)
            .order_by("pk")
        )
        locked = {
            q.pk: q
            for q in Quota.objects.select_for_update(of=("self",))
            .filter(here, campaign=campaign)
            .select_related("specialty_base__training_base", "specialty_base__specialty")
            .order_by("pk")
        }
        # A base's ten or so specialty bases, with their training base and specialty, are loaded once
        # with their quotas rather than with each of their hundred candidates.
        specialty_bases = {quota.specialty_base_id: quota.specialty_base for quota in locked.values()}
        for assessment in assessments:
            if assessment.specialty_base_id in specialty_bases:
                assessment.specialty_base = specialty_bases[assessment.specialty_base_id]
        left = {
            quota.specialty_base_id: locked[quota.pk].places - quota.taken
            for quota in locked_quotas_with_places_taken(Quota.objects.filter(pk__in=locked))
        }
        earlier = [a for a in assessments if a.stage == Stage.PROPOSED]
        waiting = [a for a in assessments if a.stage == Stage.QUALIFIED and left.get(a.specialty_base_id, 0) > 0]
        facts = place_facts([a.application.applicant for a in waiting], campaign)
        rules = CampaignFacts(year=campaign.year, ban_years=campaign.ban_years)
        by_base = {}
        for assessment in waiting:
            # Passed over, not refused: the office sees why on the candidate's row when it decides.
            if not place_reasons(facts[assessment.application.applicant_id], rules):
                by_base.setdefault(assessment.specialty_base_id, []).append(
                    Candidate(assessment.application, assessment)
                )
        formulas = formulas_of(list(locked))
        formula_of_base = {
            quota.specialty_base_id: formulas.get(pk) or default_formula() for pk, quota in locked.items()
        }
        proposed = []
        for base, rows in by_base.items():
            proposed += [candidate.assessment for candidate in rank(rows, formula_of_base[base])[: left[base]]]
        if not proposed:
            return [], earlier
        now = timezone.now()
        for assessment in proposed:
            advance(assessment, Stage.PROPOSED)
            assessment.decided_by, assessment.decided_at = actor, now
        Assessment.objects.filter(pk__in=[a.pk for a in proposed]).update(
            stage=Stage.PROPOSED, decided_by=actor, decided_at=now
        )
        reason = _("按综合成绩排名拟录取（招收计划内）")
        record_events(
            actor=actor,
            action="assessment.decision",
            changes=[
                (
                    a,
                    {"stage": Stage.QUALIFIED},
                    {"stage": a.stage, "formula": formula_of_base[a.specialty_base_id].version},
                )
                for a in proposed
            ],
            reason=reason,
        )
        notify_many([decision_message(a) for a in proposed])
    return proposed, earlier


def close_round(*, actor: User, campaign: Campaign, training_base: TrainingBase, round_number: int):
    """The office's end of a round: `propose_ranked` for all its specialty bases, then `publish_list`
    for every proposal not yet published — all or nothing. The proposals to publish are the ones
    proposing locked and loaded (those of the base on no list yet), so the list is opened from them
    (`do_publish_list`, after `publish_list`'s deadline check) without reading them again."""
    with transaction.atomic():
        proposed, earlier = _propose(
            actor=actor, campaign=campaign, training_base=training_base, round_number=round_number
        )
        listed = None
        if proposed or earlier:
            _require_before_deadline(campaign, round_number)
            listed = do_publish_list(
                actor=actor,
                campaign=campaign,
                training_base=training_base,
                round_number=round_number,
                assessments=proposed + earlier,
            )
    return RoundClose(proposed=proposed, publicity_list=listed)
