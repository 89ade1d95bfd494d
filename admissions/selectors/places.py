"""Places held in a quota (proposals, admissions, direct entries) and the fill of the plan: the
one count the quota rules, the plan pages and the dashboard share."""

from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from admissions.models import (
    HOLDING_STAGES,
    Assessment,
    DirectEntry,
    EntryStatus,
    Stage,
)
from bases.models import Quota, TrainingBase
from policy.models import Campaign


def _holding(campaign_ref, specialty_base_ref):
    return Assessment.objects.filter(
        specialty_base=specialty_base_ref, application__campaign=campaign_ref, stage__in=HOLDING_STAGES
    )


def quotas_with_places_taken(quotas: QuerySet[Quota]):
    """`quotas` annotated with `taken`: places held by entries outside the rounds and by proposed or
    admitted candidates."""
    held = _holding(OuterRef("campaign_id"), OuterRef("specialty_base_id")).values("specialty_base")
    return quotas.annotate(
        entries_taken=Count("direct_entries", filter=Q(direct_entries__status=EntryStatus.ACTIVE), distinct=True),
        held_taken=Coalesce(Subquery(held.annotate(n=Count("pk")).values("n")[:1]), 0),
    ).annotate(taken=F("entries_taken") + F("held_taken"))


def locked_quotas_with_places_taken(quotas: QuerySet[Quota]):
    """`quotas_with_places_taken` for the few quotas of one base whose places left decide a write
    (a round close). The held places are counted among all of a specialty base's candidates
    rather than looked up by stage: PostgreSQL then reads them by specialty base whatever its
    statistics say, where the stage filter lets it choose the partial unique index on held places,
    which statistics from before a national close show as empty — and read every place held in
    the country once per quota."""
    held = (
        Assessment.objects.filter(specialty_base=OuterRef("specialty_base_id"), campaign=OuterRef("campaign_id"))
        .order_by()
        .values("specialty_base")
        .annotate(n=Count("pk", filter=Q(stage__in=HOLDING_STAGES)))
        .values("n")[:1]
    )
    return quotas.annotate(
        entries_taken=Count("direct_entries", filter=Q(direct_entries__status=EntryStatus.ACTIVE), distinct=True),
        held_taken=Coalesce(Subquery(held), 0),
    ).annotate(taken=F("entries_taken") + F("held_taken"))


def quotas_with_vacancies(quotas: QuerySet[Quota]):
    """`quotas_with_places_taken` with the places taken split as the vacancy board shows them:
    `held` by proposed candidates not admitted yet, `admitted` (admitted candidates and entries
    outside the rounds, placed for good), and `left`, never below zero."""
    proposed = (
        _holding(OuterRef("campaign_id"), OuterRef("specialty_base_id"))
        .filter(stage=Stage.PROPOSED)
        .values("specialty_base")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        quotas_with_places_taken(quotas)
        .annotate(held=Coalesce(Subquery(proposed), 0))
        .annotate(
            admitted=F("taken") - F("held"),
            left=Greatest(ExpressionWrapper(F("places") - F("taken"), output_field=IntegerField()), 0),
        )
    )


def held_by_quota(quotas: QuerySet[Quota]):
    """{quota id: places taken} for a queryset of quotas (registered with bases.services.quotas)."""
    return dict(quotas_with_places_taken(quotas.order_by()).values_list("pk", "taken"))


def places_taken(quota: Quota):
    """Call with the quota row locked when the answer decides a write."""
    entries = DirectEntry.objects.filter(quota=quota, status=EntryStatus.ACTIVE).count()
    return entries + _holding(quota.campaign_id, quota.specialty_base_id).count()


def entry_quotas(*, campaign: Campaign, training_base: TrainingBase | None = None):
    quotas = Quota.objects.filter(campaign=campaign, specialty_base__training_base__province=campaign.province)
    if training_base is not None:
        quotas = quotas.filter(specialty_base__training_base=training_base)
    return quotas_with_places_taken(
        quotas.select_related("specialty_base__training_base", "specialty_base__specialty").order_by(
            "specialty_base__training_base__sort_order", "specialty_base__specialty__code"
        )
    )


def fill_by_specialty(*, campaign: Campaign):
    """{specialty id: places filled} across the province: proposed or admitted candidates and
    entries outside the rounds."""
    filled = {}
    held = (
        Assessment.objects.filter(application__campaign=campaign, stage__in=HOLDING_STAGES)
        .values("specialty_base__specialty_id")
        .annotate(n=Count("pk"))
    )
    entries = (
        DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE)
        .values("quota__specialty_base__specialty_id")
        .annotate(n=Count("pk"))
    )
    for row in held:
        filled[row["specialty_base__specialty_id"]] = filled.get(row["specialty_base__specialty_id"], 0) + row["n"]
    for row in entries:
        key = row["quota__specialty_base__specialty_id"]
        filled[key] = filled.get(key, 0) + row["n"]
    return filled
