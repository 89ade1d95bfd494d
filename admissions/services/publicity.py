"""Publicity of proposed admissions (三(三)3, 三(四)3): at least N working days, objections and
their handling, and the applicant's acceptance or refusal during publicity."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
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
from admissions.selectors.clock import is_public
from admissions.selectors.publicity import list_release_preview
from admissions.services.applicants import require_owner
from bases.models import TrainingBase
from policy.calendar import UnknownCalendarYear, publicity_last_day
from policy.models import Campaign
from policy.rules.objections import normalized, objection_refusal
from policy.timetable import local_date, publicity_deadline, start_of_day
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify, notify_many
from portal.permissions import CHANGE, require, require_role
from portal.releases import Applied, do_open_release
from portal.states import advance


def _last_day(campaign):
    try:
        return publicity_last_day(local_date(), campaign.publicity_working_days, province_id=campaign.province_id)
    except UnknownCalendarYear as error:
        # The period would run into a year whose holidays nobody has entered: refuse rather than
        # guess a last day that might come a working day early.
        raise DomainError(
            _("不能确定公示截止日：%(reason)s 录入并确认后即可发布。") % {"reason": error}, code="calendar_unknown"
        ) from None


def _open_list(campaign, training_base, round_number, kind, actor, assessments, note=""):
    publicity_list = PublicityList.objects.create(
        campaign=campaign,
        training_base=training_base,
        round=round_number,
        kind=kind,
        published_by=actor,
        last_day=_last_day(campaign),
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


def _require_before_deadline(campaign, round_number):
    deadline = publicity_deadline(campaign, round_number)
    if local_date() > deadline:
        raise DomainError(
            _("第%(round)s批次拟录取名单须于%(day)s 24时前公示，现已逾期，不能再发布；请联系省级管理部门。")
            % {"round": round_number, "day": f"{deadline:%Y年%m月%d日}"},
            code="publicity_deadline_passed",
        )


def _unpublished_proposals(campaign, training_base, round_number, *, lock=True):
    """The base's proposals of the round on no list yet, with what the list and its messages show."""
    rows = Assessment.objects.filter(
        application__campaign=campaign,
        application__round=round_number,
        specialty_base__training_base=training_base,
        stage=Stage.PROPOSED,
        publicity_entries__isnull=True,
    ).select_related("application__applicant__user", "specialty_base__training_base", "specialty_base__specialty")
    # of=self: the filter's outer join to the entries cannot be locked (PostgreSQL refuses).
    return rows.select_for_update(of=("self",)) if lock else rows


def publish_list(
    *,
    actor: User,
    campaign: Campaign,
    training_base: TrainingBase,
    round_number: int,
    just_proposed: Sequence[Assessment] = (),
):
    """Publish the base's proposed admissions not yet published, ending N working days later, in one
    step: for the round's close (`close_round`) and the demo's replay. The office's pages and API
    prepare a release instead (`prepare_list_release`), which a second person of the office puts
    live after its preview (portal.releases.confirm_release) and may undo.

    `just_proposed`: assessments the caller proposed in the same transaction (so locked, and loaded
    with their applicant's user, specialty base, training base and specialty); they are listed
    without being read again."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, training_base)
    _require_before_deadline(campaign, round_number)
    with transaction.atomic():
        assessments = list(just_proposed) + list(
            _unpublished_proposals(campaign, training_base, round_number).exclude(
                pk__in=[assessment.pk for assessment in just_proposed]
            )
        )
        if not assessments:
            raise DomainError(_("没有尚未公示的拟录取考生。"), code="nothing_to_publish")
        publicity_list = do_publish_list(
            actor=actor,
            campaign=campaign,
            training_base=training_base,
            round_number=round_number,
            assessments=assessments,
        )
    return publicity_list


def do_publish_list(
    *, actor: User, campaign: Campaign, training_base: TrainingBase, round_number: int, assessments: list[Assessment]
):
    """Open the list of `assessments` and tell each candidate. Trusts its caller: the assessments
    are locked (select_for_update), proposed and on no list yet, and the deadline was checked."""
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


# The two-person release of a list (portal.releases) ---------------------------------------------------

LIST_RELEASE = "publicity_list"


def prepare_list_release(*, actor: User, campaign: Campaign, training_base: TrainingBase, round_number: int):
    """The office prepares the publication of its proposals not yet published, with a preview of
    who enters the list and the places listed per specialty base; another person of the office
    confirms it (portal.releases.confirm_release), which publishes exactly the previewed list."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, training_base)
    _require_before_deadline(campaign, round_number)
    last_day = _last_day(campaign)
    with transaction.atomic():
        assessments = list(_unpublished_proposals(campaign, training_base, round_number, lock=False))
        if not assessments:
            raise DomainError(_("没有尚未公示的拟录取考生。"), code="nothing_to_publish")
        return do_open_release(
            actor=actor,
            kind=LIST_RELEASE,
            subject=f"campaign:{campaign.pk}:training_base:{training_base.pk}:round:{round_number}",
            title=_("%(base)s第%(round)s批次拟录取名单公示") % {"base": training_base.name, "round": round_number},
            payload={
                "campaign": campaign.pk,
                "training_base": training_base.pk,
                "round": round_number,
                "assessments": sorted(assessment.pk for assessment in assessments),
            },
            preview=list_release_preview(
                campaign=campaign, round_number=round_number, assessments=assessments, last_day=last_day
            ),
            province_id=training_base.province_id,
            training_base_id=training_base.pk,
        )


class PublicityListRelease:
    """The publication of a base's list of proposed admissions as a release (portal.releases)."""

    kind = LIST_RELEASE
    preview_template = "admissions/releases/publicity_list.html"

    def back_url(self, release):
        return reverse("publicity-manage")

    def require_reviewer(self, user, release):
        require_role(user, Role.BASE_OFFICE)
        require(user, CHANGE, release)

    def reviewers(self, release):
        return User.objects.filter(role=Role.BASE_OFFICE, training_base_id=release.training_base_id)

    def apply(self, *, release, actor):
        payload = release.payload
        campaign = Campaign.objects.get(pk=payload["campaign"])
        training_base = TrainingBase.objects.get(pk=payload["training_base"])
        _require_before_deadline(campaign, payload["round"])
        assessments = list(_unpublished_proposals(campaign, training_base, payload["round"]).order_by("pk"))
        if [assessment.pk for assessment in assessments] != payload["assessments"]:
            raise DomainError(
                _("准备发布之后拟录取名单已有变化，请取消这次发布，重新预览后再发布。"), code="release_stale"
            )
        publicity_list = do_publish_list(
            actor=actor,
            campaign=campaign,
            training_base=training_base,
            round_number=payload["round"],
            assessments=assessments,
        )
        return Applied(
            snapshot={"publicity_list": publicity_list.pk},
            notified=[assessment.application.applicant.user.pk for assessment in assessments],
        )

    def undo_refusal(self, release):
        entries = PublicityEntry.objects.filter(publicity_list_id=release.snapshot["publicity_list"])
        if Objection.objects.filter(entry__in=entries).exists():
            return _("已有人对名单中的考生提出异议，不能再撤回。")
        acted = Assessment.objects.filter(publicity_entries__in=entries).filter(
            ~Q(stage=Stage.PROPOSED) | ~Q(confirmation=Confirmation.PENDING)
        )
        if acted.exists():
            return _("已有考生确认或放弃录取，不能再撤回。")
        return ""

    def undo(self, *, release, actor):
        publicity_list = PublicityList.objects.select_for_update().get(pk=release.snapshot["publicity_list"])
        # The candidates' rows, then the entries, before looking: an acceptance or a refusal waits on
        # the first, an objection being raised on the second; either then finds no list.
        listed = list(Assessment.objects.select_for_update().filter(publicity_entries__publicity_list=publicity_list))
        list(PublicityEntry.objects.select_for_update().filter(publicity_list=publicity_list))
        refusal = self.undo_refusal(release)
        if refusal:
            raise DomainError(refusal, code="release_acted_on")
        record_event(
            actor=actor,
            action="publicity.withdrawn",
            obj=publicity_list,
            before={"entries": len(listed), "last_day": publicity_list.last_day.isoformat()},
            reason=release.reason,
        )
        publicity_list.delete()

    def withdrawal(self, release):
        return (
            _("撤回通知：%(title)s已撤回") % {"title": release.title},
            _("%(title)s已撤回，此前关于您列入拟录取名单公示的通知作废；重新发布时将另行通知。")
            % {"title": release.title},
        )


def raise_objection(*, actor: User, entry: PublicityEntry, contact: str, text: str):
    """Anyone signed in may object to a listed candidate while the list is public, within the
    limits of policy.rules.objections: a few per candidate, a score a day, no identical repeats."""
    if not actor.is_authenticated:
        raise DomainError(_("请登录后提出异议。"), status=403, code="login")
    if not contact.strip() or not text.strip():
        raise DomainError(_("请填写联系方式和异议内容。"), status=400, code="invalid")
    if not is_public(entry.publicity_list):
        raise DomainError(_("公示期已结束，不能再提出异议。"), code="publicity_ended")
    text = text.strip()
    with transaction.atomic():
        # One user's objections queue on its row, so two at once cannot both pass the limits.
        User.objects.select_for_update().get(pk=actor.pk)
        mine = Objection.objects.filter(raised_by=actor)
        on_entry = [normalized(earlier) for earlier in mine.filter(entry=entry).values_list("text", flat=True)]
        refusal = objection_refusal(
            on_entry=len(on_entry),
            today=mine.filter(raised_at__gte=start_of_day(local_date())).count(),
            repeats=normalized(text) in on_entry,
        )
        if refusal:
            code = "duplicate" if normalized(text) in on_entry else "objection_limit"
            raise DomainError(refusal, status=409 if code == "duplicate" else 429, code=code)
        objection = Objection.objects.create(entry=entry, raised_by=actor, contact=contact.strip(), text=text)
        record_event(actor=actor, action="objection.raise", obj=objection, after={"entry": entry.pk})
    return objection


def close_duplicate_objections(*, actor: User, original: Objection, duplicates: list[Objection], note: str):
    """The base office closes open objections that repeat one it has handled, with the same
    outcome and one note: one audit event per objection closed."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, original)
    if not note.strip():
        raise DomainError(_("请写明处理情况。"), status=400, code="invalid")
    if not duplicates:
        raise DomainError(_("请选择要一并处理的重复异议。"), status=400, code="invalid")
    for duplicate in duplicates:
        require(actor, CHANGE, duplicate)
    with transaction.atomic():
        original = Objection.objects.select_for_update(of=("self",)).select_related("entry").get(pk=original.pk)
        if original.status == ObjectionStatus.OPEN:
            raise DomainError(_("请先处理作为依据的那条异议。"), code="original_open")
        locked = list(
            Objection.objects.select_for_update(of=("self",))
            .select_related("entry")
            .filter(pk__in=[d.pk for d in duplicates])
            .exclude(pk=original.pk)
        )
        if len(locked) != len({d.pk for d in duplicates} - {original.pk}):
            raise DomainError(_("不能把一条异议作为其自身的重复处理。"), status=400, code="invalid")
        now = timezone.now()
        reason = _("与第%(number)s号异议重复：%(note)s") % {"number": original.pk, "note": note.strip()}
        for objection in locked:
            if objection.status != ObjectionStatus.OPEN:
                raise DomainError(
                    _("第%(number)s号异议已处理，不能再作为重复异议关闭。") % {"number": objection.pk}, code="handled"
                )
            # The outcome is the original's, so it must be about the same candidate.
            if objection.entry.assessment_id != original.entry.assessment_id:
                raise DomainError(
                    _("第%(number)s号异议针对的是其他考生，不能作为重复异议关闭。") % {"number": objection.pk},
                    status=400,
                    code="invalid",
                )
            advance(objection, original.status)
            objection.handled_by, objection.handled_at, objection.handling_note = actor, now, reason
            objection.duplicate_of = original
            objection.save(update_fields=["status", "handled_by", "handled_at", "handling_note", "duplicate_of"])
            record_event(
                actor=actor,
                action=f"objection.{objection.status}",
                obj=objection,
                after={"duplicate_of": original.pk},
                reason=reason,
            )
    return locked


def handle_objection(*, actor: User, objection: Objection, sustained: bool, note: str):
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


def confirm_offer(*, actor: User, assessment: Assessment, accept: bool):
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
