"""Reads for the provincial audit browser: the events a user may see, narrowed by the filters, and
the choices the filters offer. The page and the CSV export share them, so both list the same rows."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q

from bases.models import TrainingBase
from portal.models import AuditEvent, User
from portal.permissions import visible

# Audit dates are the province's calendar days, whatever the server's clock zone.
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def kind_filter(kind: str):
    """`quota` is every action of that kind (`quota`, `quota.set`, … but not `quota_increase.…`);
    a kind with a dot (`quota.set`) is that exact action."""
    if "." in kind:
        return Q(action=kind)
    return Q(action=kind) | Q(action__startswith=f"{kind}.")


def audit_events(
    *,
    user: User,
    actor: User = "",
    training_base: TrainingBase | None = None,
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """The events `user` may see, newest first, with what the list and the export print."""
    events = visible(user, AuditEvent.objects.select_related("content_type", "training_base"))
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if training_base is not None:
        events = events.filter(training_base=training_base)
    if kind:
        events = events.filter(kind_filter(kind))
    if date_from:
        events = events.filter(occurred_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def audit_actions(*, user: User):
    """The distinct actions among the events `user` may see, sorted (one query)."""
    return list(visible(user, AuditEvent.objects.all()).order_by("action").values_list("action", flat=True).distinct())


def audit_training_bases(*, user: User):
    """The training bases the filter offers: those of the user's province (all of them for a
    superuser without one)."""
    bases = TrainingBase.objects.order_by("sort_order", "name")
    if user.province_id is not None:
        return bases.filter(province_id=user.province_id)
    return bases if user.is_superuser else bases.none()
