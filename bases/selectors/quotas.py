"""Reads of quota increase requests (增加招收计划)."""

from django.db.models import Case, QuerySet, When

from bases.models import QuotaIncrease, QuotaIncreaseStatus
from policy.models import Campaign
from portal.models import User
from portal.permissions import visible


def quota_increases(*, user: User, campaign: Campaign, status: str | None = None):
    rows = visible(user, QuotaIncrease.objects.filter(quota__campaign=campaign)).select_related(
        "quota__specialty_base__training_base", "quota__specialty_base__specialty", "requested_by", "decided_by"
    )
    if status:
        rows = rows.filter(status=status)
    pending_first = Case(When(status=QuotaIncreaseStatus.PENDING, then=0), default=1)
    return rows.order_by(pending_first, "-requested_at")


def increase_rows() -> QuerySet[QuotaIncrease]:
    """Quota increase requests with what their rows show."""
    return QuotaIncrease.objects.select_related(
        "quota__campaign",
        "quota__specialty_base__training_base",
        "quota__specialty_base__specialty",
        "requested_by",
        "decided_by",
    )


def visible_increases(*, user: User, status: str = "") -> QuerySet[QuotaIncrease]:
    """The requests `user` may see (with `status` if given), newest first."""
    rows = visible(user, increase_rows()).order_by("-requested_at", "-id")
    return rows.filter(status=status) if status else rows
