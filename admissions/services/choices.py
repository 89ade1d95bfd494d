"""Choosing a specialty base (志愿): exactly one active choice per applicant and round, only while
the round's window is open (三(二), 三(四)1), and only where the rules allow it."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import Applicant, Application, ApplicationStatus
from admissions.selectors.checklist import missing_items
from admissions.selectors.facts import check_eligibility, person_annotations
from admissions.services.applicants import require_owner
from bases.models import Quota, SpecialtyBase
from policy.models import Campaign
from policy.timetable import open_choice_round
from portal.audit import Event, record_each
from portal.errors import DomainError
from portal.models import User
from portal.notifications import notify
from portal.states import advance


class WindowClosed(DomainError):
    code = "window_closed"


class NotEligible(DomainError):
    status = 400
    code = "not_eligible"

    def __init__(self, decision):
        self.reasons = decision.reasons
        super().__init__(_("不符合该专业基地的申报条件：") + str(decision))


def _open_round(campaign):
    round_number = open_choice_round(campaign)
    if round_number is None:
        raise WindowClosed(
            _("现在不在志愿填报时间内。第一批次：%(r1)s；第二批次：%(r2)s（北京时间，截止日24时止）。")
            % {
                "r1": f"{campaign.round1_opens:%m月%d日}0时至{campaign.round1_closes:%m月%d日}24时",
                "r2": f"{campaign.round2_opens:%m月%d日}0时至{campaign.round2_closes:%m月%d日}24时",
            }
        )
    return round_number


def do_end_choice(application: Application, status: str, actor: User, reason: str = ""):
    """End an active choice (changed or withdrawn). The caller holds the lock on the applicant's row."""
    record_each(actor=actor, events=[do_mark_ended(application, status, reason)])


def do_mark_ended(application: Application, status: str, reason: str = "") -> Event:
    """`do_end_choice` leaving its audit event to the caller, to be recorded with the others of the
    same change. The caller holds the lock on the applicant's row."""
    advance(application, status)
    application.ended_at = timezone.now()
    application.save(update_fields=["status", "ended_at"])
    return Event(f"application.{status}", application, {"status": ApplicationStatus.ACTIVE}, {"status": status}, reason)


def _locked_for_choice(*, applicant, campaign, round_number, specialty_base):
    """(the applicant's row locked, its active choice in the round or None), with everything the
    checks read besides the cached records: the plan, and what is recorded about the person.

    One query when the applicant has a choice (the usual change of choice: the choice and the
    applicant's row locked together); else the applicant's row is locked first and its choice read
    after, so a choice filed while this one waited is seen."""
    annotations = {
        "has_plan": Exists(Quota.objects.filter(campaign=campaign, specialty_base=specialty_base.pk, places__gt=0)),
    }
    person = person_annotations(campaign, path="applicant__")
    choices = Application.objects.filter(
        campaign=campaign, round=round_number, status=ApplicationStatus.ACTIVE
    ).select_related("specialty_base__training_base", "specialty_base__specialty")
    current = (
        # PostgreSQL locks in the order named: the applicant's row first, as every other writer of
        # its choices does (the fallback below, withdraw_choice), so two submissions cannot deadlock.
        choices.select_for_update(of=("applicant", "self"))
        .select_related("applicant__user", "applicant__dispatch_specialty")
        .annotate(**annotations, **person)
        .filter(applicant=applicant.pk)
        .first()
    )
    if current is not None:
        locked = current.applicant
        for name in [*annotations, *person]:
            setattr(locked, name, getattr(current, name))
        return locked, current
    locked = (
        Applicant.objects.select_for_update(of=("self",))
        .select_related("user", "dispatch_specialty")
        .annotate(**annotations, **person_annotations(campaign))
        .get(pk=applicant.pk)
    )
    return locked, choices.filter(applicant=locked).first()


@dataclass(frozen=True)
class ChoiceSubmitted:
    application: Application  # the active choice now
    changed: bool  # False when the same specialty base was chosen again


def submit_choice(
    *, actor: User, applicant: Applicant, campaign: Campaign, specialty_base: SpecialtyBase
) -> ChoiceSubmitted:
    """File or change the applicant's choice for the open round. Choosing the same specialty base
    again changes nothing, so a repeated click or request is harmless. `specialty_base` comes with
    its training base and specialty (and, to save a query, `with_national_cities`)."""
    require_owner(actor, applicant)
    round_number = _open_round(campaign)
    with transaction.atomic():
        # One applicant's submissions queue up on its row, so two at once cannot both pass the
        # "no active choice yet" check; the partial unique constraint holds even if one did.
        applicant, current = _locked_for_choice(
            applicant=applicant, campaign=campaign, round_number=round_number, specialty_base=specialty_base
        )
        if not applicant.has_plan:
            raise DomainError(_("该专业基地在本年度没有招收计划。"), status=400, code="no_plan")
        missing = missing_items(applicant)
        if missing:
            raise DomainError(
                _("请先完善以下信息：") + "、".join(str(item.label) for item in missing),
                status=400,
                code="incomplete_profile",
            )
        decision = check_eligibility(applicant=applicant, specialty_base=specialty_base, campaign=campaign)
        if not decision:
            raise NotEligible(decision)
        if current and current.specialty_base_id == specialty_base.pk:
            return ChoiceSubmitted(current, changed=False)
        events = []
        if current:
            current.applicant = applicant
            events.append(do_mark_ended(current, ApplicationStatus.CHANGED))
        application = Application.objects.create(
            applicant=applicant, campaign=campaign, round=round_number, specialty_base=specialty_base
        )
        events.append(
            Event(
                "application.submit",
                application,
                after={"round": round_number, "specialty_base": str(specialty_base)},
            )
        )
        record_each(actor=actor, events=events)
        notify(
            recipient=applicant.user,
            kind="application.submitted",
            subject=_("志愿填报成功"),
            body=_("您已填报第%(round)s批次志愿：%(base)s。在填报截止前可以修改或撤回。")
            % {"round": round_number, "base": specialty_base},
        )
    return ChoiceSubmitted(application, changed=True)


def withdraw_choice(*, actor: User, application: Application):
    require_owner(actor, application.applicant)
    if open_choice_round(application.campaign) != application.round:
        raise WindowClosed(_("第%(round)s批次填报已截止，不能再撤回志愿。") % {"round": application.round})
    with transaction.atomic():
        Applicant.objects.select_for_update().get(pk=application.applicant_id)
        application = Application.objects.select_for_update().get(pk=application.pk)
        do_end_choice(application, ApplicationStatus.WITHDRAWN, actor)
    return application
