"""The figures behind the open statistics (公开统计) of a campaign: the plan and the admitted of the
KPIs (`plan_lines`), the applicants counted as distinct people per group, in eight queries whatever
the number of quotas and people; `policy.rules.statistics` decides what may be published."""

from dataclasses import dataclass

from django.db.models import Count

from admissions.models import Application, Assessment, DirectEntry, EntryStatus, Stage
from bases.selectors.directory import public_province
from policy.choices import ApplicantType
from policy.models import Campaign
from policy.rules import kpis
from policy.rules.statistics import GroupFigures, PublicRow, public_rows
from province.selectors.kpis import plan_lines


@dataclass(frozen=True)
class CampaignStatistics:
    campaign: Campaign
    by_specialty: list[GroupFigures]
    by_city: list[GroupFigures]
    by_applicant_type: list[GroupFigures]


def statistics_campaigns(*, province_code: str | None = None):
    """The campaigns of the province a public page shows (`public_province`), latest first."""
    province = public_province(province_code)
    return list(Campaign.objects.filter(province=province).order_by("-year")) if province else []


def statistics_campaign(*, province_code: str | None = None, year: int | None = None) -> Campaign | None:
    """The campaign of `year` of the public province (its latest when no year is asked), or None."""
    campaigns = statistics_campaigns(province_code=province_code)
    if year is None:
        return campaigns[0] if campaigns else None
    return next((campaign for campaign in campaigns if campaign.year == year), None)


def _applicants_by(campaign, field):
    rows = (
        Application.objects.filter(campaign=campaign)
        .values(field)
        .annotate(n=Count("applicant", distinct=True))
        .order_by()
    )
    return {row[field]: row["n"] for row in rows}


def admitted_by_applicant_type(*, campaign: Campaign):
    """{applicant type: admitted}, admitted as the KPIs count them (rounds and active entries)."""
    admitted = {}
    rounds = (
        Assessment.objects.filter(application__campaign=campaign, stage=Stage.ADMITTED)
        .values_list("application__applicant__applicant_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    entries = (
        DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kind, n in [*rounds, *entries]:
        admitted[kind] = admitted.get(kind, 0) + n
    return admitted


def campaign_statistics(*, campaign: Campaign) -> CampaignStatistics:
    lines = plan_lines(campaign=campaign)
    shortage = {line.specialty_id for line in lines if line.is_shortage}
    codes = {line.specialty_id: line.specialty_code for line in lines}
    by_specialty = _applicants_by(campaign, "specialty_base__specialty_id")
    by_city = _applicants_by(campaign, "specialty_base__training_base__city")
    by_type = _applicants_by(campaign, "applicant__applicant_type")
    admitted_by_type = admitted_by_applicant_type(campaign=campaign)
    return CampaignStatistics(
        campaign=campaign,
        by_specialty=[
            GroupFigures(
                key=codes[row.key],
                label=row.label,
                is_shortage=row.key in shortage,
                places=row.places,
                applicants=by_specialty.get(row.key, 0),
                admitted=row.admitted,
            )
            for row in kpis.completion_by_specialty(lines)
        ],
        by_city=[
            GroupFigures(
                key=row.key,
                label=row.label,
                is_shortage=False,
                places=row.places,
                applicants=by_city.get(row.key, 0),
                admitted=row.admitted,
            )
            for row in kpis.completion_by_city(lines)
        ],
        by_applicant_type=[
            GroupFigures(
                key=kind.value,
                label=str(kind.label),
                is_shortage=False,
                places=None,
                applicants=by_type.get(kind.value, 0),
                admitted=admitted_by_type.get(kind.value, 0),
            )
            for kind in ApplicantType
        ],
    )


@dataclass(frozen=True)
class PublishedStatistics:
    campaign: Campaign
    by_specialty: list[PublicRow]
    by_city: list[PublicRow]
    by_applicant_type: list[PublicRow]


def published_statistics(*, campaign: Campaign) -> PublishedStatistics:
    """`campaign_statistics` with small cells suppressed: what the page, the exports and the API show."""
    figures = campaign_statistics(campaign=campaign)
    return PublishedStatistics(
        campaign=campaign,
        by_specialty=public_rows(figures.by_specialty),
        by_city=public_rows(figures.by_city),
        by_applicant_type=public_rows(figures.by_applicant_type),
    )
