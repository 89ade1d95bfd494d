"""Publicity of proposed admissions (三(三)3, 三(四)3): at least N working days, objections and
their handling, and the applicant's acceptance or refusal during publicity."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import (
    Assessment,
    Confirmation,
    Objection,
    ObjectionStatus,
    PublicityEntry,
    PublicityKind,
    PublicityList,
    Stage,
)
from admissions.services.applicants import require_owner
from policy.calendar import publicity_last_day
from policy.timetable import end_of_day, local_date, publicity_deadline
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role
from portal.notifications import notify, notify_many
from portal.permissions import CHANGE, require, require_role
from portal.states import advance


def is_public(publicity_list, moment=None):
    return (moment or timezone.now()) < end_of_day(publicity_list.last_day)


def _open_list(campaign, training_base, round_number, kind, actor, assessments, note=""):
    today = local_date()
    publicity_list = PublicityList.objects.create(
        campaign=campaign,
        training_base=training_base,
        round=round_number,
        kind=kind,
        published_by=actor,
        last_day=publicity_last_day(today, campaign.publicity_working_days),
        note=note,
    )
    PublicityEntry.objects.bulk_create(
        [PublicityEntry(publicity_list=publicity_list, assessment=assessment) for assessment in assessments]
    )
    record_event(
        actor=actor,
        action=f"publicity.{kind}",
        obj=publicity_list,
        after={"entries": len(assessments), "last_day": publicity_list.last_day.isoformat()},
        reason=note,
    )
    return publicity_list


def publish_list(*, actor, campaign, training_base, round_number, just_proposed=()):
    """Publish the base's proposed admissions not yet published, ending N working days later.

    `just_proposed`: assessments the caller proposed in the same transaction (so locked, and loaded
    with their applicant's user, specialty base, training base and specialty); they are listed
    without being read again."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, training_base)
    deadline = publicity_deadline(campaign, round_number)
    if local_date() > deadline:
        raise DomainError(
            _("第%(round)s批次拟录取名单须于%(day)s 24时前公示，现已逾期，不能再发布；请联系省级管理部门。")
            % {"round": round_number, "day": f"{deadline:%Y年%m月%d日}"},
            code="publicity_deadline_passed",
        )
    with transaction.atomic():
        assessments = list(just_proposed) + list(
            # of=self: the filter's outer join to the entries cannot be locked (PostgreSQL refuses).
            Assessment.objects.select_for_update(of=("self",))
            .filter(
                application__campaign=campaign,
                application__round=round_number,
                specialty_base__training_base=training_base,
                stage=Stage.PROPOSED,
                publicity_entries__isnull=True,
            )
            .exclude(pk__in=[assessment.pk for assessment in just_proposed])
            .select_related(
                "application__applicant__user", "specialty_base__training_base", "specialty_base__specialty"
            )
        )
        if not assessments:
            raise DomainError(_("没有尚未公示的拟录取考生。"), code="nothing_to_publish")
        publicity_list = _open_list(campaign, training_base, round_number, PublicityKind.PROPOSED, actor, assessments)
        notify_many(
            [
                {
                    "recipient": assessment.application.applicant.user,
                    "kind": "publicity.started",
                    "subject": _("您已列入拟录取名单公示，请确认是否接受录取"),
                    "body": _("%(base)s拟录取名单公示至%(day)s 24时。请在公示期内登录平台确认接受或放弃录取。")
                    % {"base": assessment.specialty_base, "day": f"{publicity_list.last_day:%Y年%m月%d日}"},
                }
                for assessment in assessments
            ]
        )
    return publicity_list


def raise_objection(*, actor, entry, contact, text):
    """Anyone signed in may object to a listed candidate while the list is public."""
    if not actor.is_authenticated:
        raise DomainError(_("请登录后提出异议。"), status=403, code="login")
    if not contact.strip() or not text.strip():
        raise DomainError(_("请填写联系方式和异议内容。"), status=400, code="invalid")
    if not is_public(entry.publicity_list):
        raise DomainError(_("公示期已结束，不能再提出异议。"), code="publicity_ended")
    objection = Objection.objects.create(entry=entry, raised_by=actor, contact=contact.strip(), text=text.strip())
    record_event(actor=actor, action="objection.raise", obj=objection, after={"entry": entry.pk})
    return objection


def handle_objection(*, actor, objection, sustained, note):
    """The base records how it handled the objection; a sustained one withdraws the proposal and
    the change is published with its own publicity period."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, objection)
    if not note.strip():
        raise DomainError(_("请写明处理情况。"), status=400, code="invalid")
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("entry__publicity_list")
            .get(pk=objection.pk)
        )
        advance(objection, ObjectionStatus.SUSTAINED if sustained else ObjectionStatus.DISMISSED)
        objection.handled_by, objection.handled_at, objection.handling_note = actor, timezone.now(), note.strip()
        objection.save()
        record_event(actor=actor, action=f"objection.{objection.status}", obj=objection, reason=note)
        if sustained:
            assessment = (
                Assessment.objects.select_for_update(of=("self",))
                .select_related(
                    "application__applicant__user", "application__campaign", "specialty_base__training_base"
                )
                .get(pk=objection.entry.assessment_id)
            )
            if assessment.stage == Stage.PROPOSED:
                advance(assessment, Stage.REMOVED)
                assessment.save(update_fields=["stage"])
                record_event(actor=actor, action="assessment.removed", obj=assessment, reason=note)
                source = objection.entry.publicity_list
                _open_list(
                    source.campaign,
                    source.training_base,
                    source.round,
                    PublicityKind.CHANGE,
                    actor,
                    [assessment],
                    note=_("经核实异议成立，取消拟录取：%(note)s") % {"note": note.strip()},
                )
                notify(
                    recipient=assessment.application.applicant.user,
                    kind="assessment.removed",
                    subject=_("拟录取资格已取消"),
                    body=note.strip(),
                )
    return objection


def confirm_offer(*, actor, assessment, accept):
    """During publicity the applicant accepts the proposed admission or declines it; a decline
    frees the place at once."""
    require_owner(actor, assessment.application.applicant)
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        entry = (
            assessment.publicity_entries.filter(publicity_list__kind=PublicityKind.PROPOSED)
            .select_related("publicity_list")
            .first()
        )
        if assessment.stage != Stage.PROPOSED or entry is None:
            raise DomainError(_("只有列入拟录取名单公示的考生可以确认。"), code="not_proposed")
        if not is_public(entry.publicity_list):
            raise DomainError(_("公示期已结束，不能再更改确认。"), code="publicity_ended")
        before = assessment.confirmation
        assessment.confirmation = Confirmation.ACCEPTED if accept else Confirmation.DECLINED
        assessment.confirmed_at = timezone.now()
        if not accept:
            advance(assessment, Stage.DECLINED)
        assessment.save(update_fields=["confirmation", "confirmed_at", "stage"])
        record_event(
            actor=actor,
            action="assessment.confirmation",
            obj=assessment,
            before={"confirmation": before},
            after={"confirmation": assessment.confirmation},
        )
    return assessment
