"""The figures behind the provincial KPIs: one PlanLine per quota of the campaign, in three queries
whatever the number of bases (the quotas, admitted candidates per specialty base, active entries
per quota); `policy.rules.kpis` does the arithmetic."""

from django.db.models import Count

from admissions.models import Assessment, DirectEntry, EntryStatus, Stage
from bases.models import Quota
from policy.models import Campaign
from policy.rules.kpis import PlanLine
from policy.selectors import is_shortage


def admitted_by_specialty_base(*, campaign: Campaign):
    """{specialty base id: candidates admitted in the campaign's rounds}."""
    rows = (
        Assessment.objects.filter(application__campaign=campaign, stage=Stage.ADMITTED)
        .values("specialty_base_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["specialty_base_id"]: row["n"] for row in rows}


def entries_by_quota(*, campaign: Campaign):
    """{quota id: active entries outside the rounds (professional masters, rural order graduates)}."""
    rows = (
        DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE)
        .values("quota_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["quota_id"]: row["n"] for row in rows}


def plan_lines(*, campaign: Campaign):
    """[PlanLine] for every quota of the campaign in its province, in the plan's order."""
    quotas = (
        Quota.objects.filter(campaign=campaign, specialty_base__training_base__province=campaign.province)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .annotate(is_shortage=is_shortage(campaign=campaign, specialty="specialty_base__specialty_id"))
        .order_by(
            "specialty_base__training_base__sort_order",
            "specialty_base__training_base_id",
            "specialty_base__specialty__code",
        )
    )
    admitted = admitted_by_specialty_base(campaign=campaign)
    entries = entries_by_quota(campaign=campaign)
    lines = []
    for quota in quotas:
        base, specialty = quota.specialty_base.training_base, quota.specialty_base.specialty
        lines.append(
            PlanLine(
                base_id=base.pk,
                base_name=base.name,
                city=base.city,
                specialty_id=specialty.pk,
                specialty_code=specialty.code,
                specialty_name=specialty.name,
                is_shortage=quota.is_shortage,
                places=quota.places,
                admitted=admitted.get(quota.specialty_base_id, 0) + entries.get(quota.pk, 0),
            )
        )
    return lines
