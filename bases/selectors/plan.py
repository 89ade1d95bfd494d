"""Reads of the annual plan (招收计划): the plan table with its filters and totals, the plan by
specialty and by city for the dashboard, and a training base's own plan."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from bases.models import Quota, QuotaIncrease, QuotaIncreaseStatus, Specialty, TrainingBase
from policy.models import Campaign
from policy.selectors import is_shortage
from portal.models import User
from portal.permissions import CHANGE, visible


def plan_rows(*, campaign: Campaign, city: str = "", specialty_id: int | None = None, shortage_only: bool = False):
    """The plan table (招收计划表): one row per specialty base with its places and capacity."""
    rows = (
        Quota.objects.filter(campaign=campaign)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .annotate(is_shortage=is_shortage(campaign=campaign, specialty="specialty_base__specialty_id"))
        .order_by("specialty_base__training_base__sort_order", "specialty_base__specialty__code")
    )
    if city:
        rows = rows.filter(specialty_base__training_base__city=city)
    if specialty_id:
        rows = rows.filter(specialty_base__specialty_id=specialty_id)
    if shortage_only:
        rows = rows.filter(is_shortage=True)
    return rows


def plan_totals(rows: QuerySet[Quota]):
    return rows.aggregate(places=Sum("places"), capacity=Sum("capacity"))


def plan_filter_choices(*, campaign: Campaign):
    """The plan filter's choices: the cities of the province's training bases and (id, name) of the
    specialties the plan has — plain values, so that the cached vacancy board can keep them."""
    cities = (
        TrainingBase.objects.filter(province_id=campaign.province_id)
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
    specialties = (
        Specialty.objects.filter(specialty_bases__quotas__campaign=campaign)
        .distinct()
        .order_by("code")
        .values_list("pk", "name")
    )
    return list(cities), list(specialties)


def plan_by_specialty(*, campaign: Campaign):
    """Plan totals per specialty across the province, shortage specialties first."""
    return (
        Specialty.objects.filter(specialty_bases__quotas__campaign=campaign)
        .annotate(
            total_places=Sum("specialty_bases__quotas__places"),
            total_capacity=Sum("specialty_bases__quotas__capacity"),
            bases=Count("specialty_bases", distinct=True),
            is_shortage=is_shortage(campaign=campaign, specialty="pk"),
        )
        .order_by("-is_shortage", "code")
    )


def plan_by_city(*, campaign: Campaign):
    shortage = Q(specialty_base__specialty__in=campaign.shortage_specialties.values("pk"))
    return (
        Quota.objects.filter(campaign=campaign)
        .values("specialty_base__training_base__city")
        .annotate(
            total_places=Sum("places"),
            total_capacity=Sum("capacity"),
            shortage_places=Coalesce(Sum("places", filter=shortage), 0),
            bases=Count("specialty_base__training_base", distinct=True),
        )
        .order_by("-total_places")
    )


def base_plan(*, campaign: Campaign, training_base: TrainingBase):
    pending = QuotaIncrease.objects.filter(quota=OuterRef("pk"), status=QuotaIncreaseStatus.PENDING)
    return (
        Quota.objects.filter(campaign=campaign, specialty_base__training_base=training_base)
        .select_related("specialty_base__specialty")
        .annotate(
            is_shortage=is_shortage(campaign=campaign, specialty="specialty_base__specialty_id"),
            has_pending=Exists(pending),
        )
        .order_by("specialty_base__specialty__code")
    )


def quota_by_pk(pk: int) -> Quota | None:
    """One quota with its campaign and specialty base, or None."""
    return (
        Quota.objects.select_related("campaign", "specialty_base__training_base", "specialty_base__specialty")
        .filter(pk=pk)
        .first()
    )


def staff_plan(*, user: User, campaign: Campaign) -> QuerySet[Quota]:
    """The quotas of `campaign` that `user` may see, with their pending increase requests."""
    pending = Count("increases", filter=Q(increases__status=QuotaIncreaseStatus.PENDING))
    return (
        visible(user, Quota.objects.filter(campaign=campaign))
        .select_related("campaign", "specialty_base__training_base", "specialty_base__specialty")
        .annotate(pending_increases=pending)
        .order_by("specialty_base__training_base__sort_order", "specialty_base__specialty__code", "id")
    )


def changeable_quotas(*, user: User) -> QuerySet[Quota]:
    """The quotas `user` may change (an office: its own)."""
    return visible(user, Quota.objects.all(), CHANGE)
