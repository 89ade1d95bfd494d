"""Preview, a second pair of eyes, undo: a change that reaches applicants or the public (a publicity
list, a score import, the plan) is prepared by one person with a preview of its difference against
what is live, put live by a second authorised person of the same office, and can be undone within
`settings.RELEASE_UNDO_MINUTES` — never once an applicant has acted on it — restoring exactly what
it replaced and telling everyone it notified that the earlier message is withdrawn.

The feature apps say what each kind means with a `ReleaseKind` registered in their AppConfig.ready;
this module holds the workflow the kinds share, its audit events (naming both people) and reads."""

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from policy.timetable import Window
from portal.audit import record_event
from portal.errors import DomainError
from portal.links import absolute_url
from portal.models import Release, ReleaseStatus, User
from portal.notifications import notify, notify_many
from portal.permissions import visible
from portal.states import advance


@dataclass(frozen=True)
class Applied:
    """What putting a release live changed: `snapshot` is what `ReleaseKind.undo` restores;
    `notified` the ids of the users it told, who are told again if it is undone."""

    snapshot: dict
    notified: list[int]


class ReleaseKind(Protocol):
    """One kind of release, registered by the feature app that owns what it changes."""

    kind: str
    preview_template: str  # renders `release.preview` on the release's page

    def back_url(self, release: Release) -> str:
        """The office page the release's page leads back to."""

    def require_reviewer(self, user: User, release: Release) -> None:
        """Refuse (PermissionDenied) unless `user` may confirm, undo or cancel `release`: the same
        office as its preparer."""

    def reviewers(self, release: Release) -> QuerySet[User]:
        """The users told that `release` waits for a second person."""

    def apply(self, *, release: Release, actor: User) -> Applied:
        """Put `release.payload` live, inside the confirming transaction; refuse (DomainError) when
        what is live changed since the preview was made."""

    def undo_refusal(self, release: Release) -> str:
        """Why `release` can no longer be undone (an applicant acted on it), or ""."""

    def undo(self, *, release: Release, actor: User) -> None:
        """Restore `release.snapshot`, inside the undoing transaction: lock what it restores first,
        then refuse (DomainError) if `undo_refusal` says so."""

    def withdrawal(self, release: Release) -> tuple[str, str]:
        """(subject, body) of the message that withdraws the release's earlier one."""


_KINDS: dict[str, ReleaseKind] = {}


def register(kind: ReleaseKind):
    _KINDS[kind.kind] = kind


def kind_of(release: Release) -> ReleaseKind:
    return _KINDS[release.kind]


def _name(user):
    return user.get_full_name() or user.get_username()


def _people(release):
    """Who prepared, released and undid or cancelled the release, for its audit events."""
    people = {"prepared_by": release.prepared_by.get_username()}
    if release.released_by_id:
        people["released_by"] = release.released_by.get_username()
    if release.closed_by_id:
        people["closed_by"] = release.closed_by.get_username()
    return people


def _locked(release):
    return (
        Release.objects.select_for_update(of=("self",)).select_related("prepared_by", "released_by").get(pk=release.pk)
    )


def do_open_release(
    *,
    actor: User,
    kind: str,
    subject: str,
    title: str,
    payload: dict,
    preview: dict,
    province_id: int,
    training_base_id: int | None = None,
    specialty_base_id: int | None = None,
) -> Release:
    """Record a prepared release and tell the reviewers. Trusts its caller, the kind's prepare
    service, which has checked the role, the scope and the phase; the partial unique constraint on
    (kind, subject) keeps a second pending release of the same subject out."""
    try:
        with transaction.atomic():
            release = Release.objects.create(
                kind=kind,
                subject=subject,
                title=title,
                payload=payload,
                preview=preview,
                province_id=province_id,
                training_base_id=training_base_id,
                specialty_base_id=specialty_base_id,
                prepared_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            _("已有一份待确认的“%(title)s”，请先确认或取消它。") % {"title": title}, code="release_pending"
        ) from None
    record_event(actor=actor, action="release.prepare", obj=release, after={"kind": kind, **_people(release)})
    url = absolute_url("release", release.pk)
    notify_many(
        [
            {
                "recipient": reviewer,
                "kind": "release.pending",
                "subject": _("待您确认：%(title)s") % {"title": title},
                "body": _("%(who)s准备了“%(title)s”，须由本办公室另一名工作人员预览并确认后才发布：%(url)s")
                % {"who": _name(actor), "title": title, "url": url},
            }
            for reviewer in kind_of(release).reviewers(release).filter(is_active=True).exclude(pk=actor.pk)
        ]
    )
    return release


def confirm_release(*, actor: User, release: Release) -> Release:
    """The second person puts the prepared release live; the preparer cannot."""
    kind = kind_of(release)
    kind.require_reviewer(actor, release)
    with transaction.atomic():
        release = _locked(release)
        if release.status != ReleaseStatus.PENDING:
            raise DomainError(
                _("该发布当前状态为“%(status)s”，不能再确认。") % {"status": release.get_status_display()},
                code="release_not_pending",
            )
        if release.prepared_by_id == actor.pk:
            raise DomainError(
                _("发布须由本办公室另一名工作人员确认，准备人不能自己确认。"), status=403, code="same_person"
            )
        applied = kind.apply(release=release, actor=actor)
        now = timezone.now()
        advance(release, ReleaseStatus.RELEASED)
        release.snapshot, release.notified = applied.snapshot, applied.notified
        release.released_by, release.released_at = actor, now
        release.undo_until = now + datetime.timedelta(minutes=settings.RELEASE_UNDO_MINUTES)
        release.save()
        record_event(
            actor=actor,
            action="release.confirm",
            obj=release,
            after={"kind": release.kind, **_people(release), "undo_until": release.undo_until.isoformat()},
        )
        notify(
            recipient=release.prepared_by,
            kind="release.released",
            subject=_("已发布：%(title)s") % {"title": release.title},
            body=_("%(who)s已确认发布您准备的“%(title)s”。") % {"who": _name(actor), "title": release.title},
        )
    return release


def undo_release(*, actor: User, release: Release, reason: str = "") -> Release:
    """Restore what the release replaced, within its window and before any applicant acted on it,
    and tell everyone it notified, once, that the earlier message is withdrawn."""
    kind = kind_of(release)
    kind.require_reviewer(actor, release)
    with transaction.atomic():
        release = _locked(release)
        if release.status != ReleaseStatus.RELEASED:
            raise DomainError(
                _("该发布当前状态为“%(status)s”，不能撤回。") % {"status": release.get_status_display()},
                code="release_not_released",
            )
        late = _too_late(release, timezone.now())
        if late:
            raise DomainError(late, code="undo_window_over")
        kind.undo(release=release, actor=actor)
        advance(release, ReleaseStatus.UNDONE)
        release.closed_by, release.closed_at, release.reason = actor, timezone.now(), reason.strip()
        release.save(update_fields=["status", "closed_by", "closed_at", "reason"])
        record_event(
            actor=actor,
            action="release.undo",
            obj=release,
            after={"kind": release.kind, **_people(release)},
            reason=reason,
        )
        subject, body = kind.withdrawal(release)
        notify_many(
            [
                {
                    "recipient_id": user_id,
                    "kind": "release.withdrawn",
                    "subject": subject,
                    "body": body,
                    "dedupe_key": f"release:{release.pk}:withdrawn:{user_id}",
                }
                for user_id in release.notified
            ]
        )
    return release


def cancel_release(*, actor: User, release: Release, reason: str = "") -> Release:
    """Drop a release still waiting for confirmation (the preparer or a reviewer)."""
    kind = kind_of(release)
    if release.prepared_by_id != actor.pk:
        kind.require_reviewer(actor, release)
    with transaction.atomic():
        release = _locked(release)
        if release.status != ReleaseStatus.PENDING:
            raise DomainError(
                _("该发布当前状态为“%(status)s”，不能取消。") % {"status": release.get_status_display()},
                code="release_not_pending",
            )
        advance(release, ReleaseStatus.CANCELLED)
        release.closed_by, release.closed_at, release.reason = actor, timezone.now(), reason.strip()
        release.save(update_fields=["status", "closed_by", "closed_at", "reason"])
        record_event(
            actor=actor,
            action="release.cancel",
            obj=release,
            after={"kind": release.kind, **_people(release)},
            reason=reason,
        )
    return release


# Reads ----------------------------------------------------------------------------------------------


def release_by_pk(*, user: User, pk: int) -> Release:
    """One release the user may see (404 otherwise)."""
    return get_object_or_404(
        visible(user, Release.objects.select_related("prepared_by", "released_by", "closed_by")), pk=pk
    )


def releases(*, user: User, kinds: tuple[str, ...], specialty_base_id: int | None = None) -> QuerySet[Release]:
    """The releases of `kinds` the user may see (of one specialty base if given), newest first: the
    pending ones, and those prepared in the last week."""
    since = timezone.now() - datetime.timedelta(days=7)
    rows = visible(user, Release.objects.filter(kind__in=kinds)).filter(
        Q(status=ReleaseStatus.PENDING) | Q(prepared_at__gte=since)
    )
    if specialty_base_id is not None:
        rows = rows.filter(specialty_base_id=specialty_base_id)
    return rows.select_related("prepared_by", "released_by", "closed_by").order_by("-prepared_at", "-pk")


def confirm_window(release: Release, user: User) -> Window:
    """Whether `user` may confirm `release` now, with the reason a page shows beside the button."""
    if release.status != ReleaseStatus.PENDING:
        return Window(False, _("该发布当前状态为“%(status)s”。") % {"status": release.get_status_display()})
    if release.prepared_by_id == user.pk:
        return Window(False, _("发布须由本办公室另一名工作人员确认，准备人不能自己确认。"))
    return Window(True)


def undo_window(release: Release, moment: datetime.datetime | None = None) -> Window:
    """Whether `release` can still be undone: released, within its window, and no applicant has
    acted on it; closed with the reason otherwise."""
    if release.status != ReleaseStatus.RELEASED:
        return Window(False, _("只有已发布的可以撤回。"))
    refusal = _too_late(release, moment or timezone.now()) or kind_of(release).undo_refusal(release)
    return Window(False, refusal) if refusal else Window(True)


def _too_late(release, moment):
    if moment <= release.undo_until:
        return ""
    local = timezone.localtime(release.undo_until)
    return _("撤回期限已于%(time)s结束，不能再撤回。") % {"time": f"{local:%Y-%m-%d %H:%M}"}


def minutes_left(release: Release, moment: datetime.datetime | None = None) -> int:
    """Whole minutes (rounded up) left to undo the release, 0 when its window is over."""
    if release.undo_until is None:
        return 0
    seconds = (release.undo_until - (moment or timezone.now())).total_seconds()
    return max(0, -int(-seconds // 60))
