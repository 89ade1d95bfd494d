"""Reads of quota increase requests (增加招收计划)."""

from django.db.models import Case, When

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
