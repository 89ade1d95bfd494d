from django.conf import settings
from django.db.models import Exists, OuterRef, Sum

from bases.models import Province, Quota, Specialty, TrainingBase
from policy.models import Campaign


def public_province(code=None):
    """The province a public page shows: the one asked for, else the deployment's default."""
    provinces = Province.objects.all()
    return (
        (code and provinces.filter(code=code).first())
        or provinces.filter(code=settings.DEFAULT_PROVINCE_CODE).first()
        or provinces.first()
    )


def training_base_directory(*, province):
    return TrainingBase.objects.filter(province=province).order_by("sort_order", "id")


def plan_rows(*, campaign, city="", specialty_id=None, shortage_only=False):
    """The plan table (招收计划表): one row per specialty base with its places and capacity."""
    shortage = Campaign.shortage_specialties.through.objects.filter(
        campaign_id=campaign.pk, specialty_id=OuterRef("specialty_base__specialty_id")
    )
    rows = (
        Quota.objects.filter(campaign=campaign)
        .select_related("specialty_base__training_base", "specialty_base__specialty")
        .annotate(is_shortage=Exists(shortage))
        .order_by("specialty_base__training_base__sort_order", "specialty_base__specialty__code")
    )
    if city:
        rows = rows.filter(specialty_base__training_base__city=city)
    if specialty_id:
        rows = rows.filter(specialty_base__specialty_id=specialty_id)
    if shortage_only:
        rows = rows.filter(is_shortage=True)
    return rows


def plan_totals(rows):
    return rows.aggregate(places=Sum("places"), capacity=Sum("capacity"))


def plan_filter_choices(*, campaign):
    cities = (
        TrainingBase.objects.filter(province_id=campaign.province_id)
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
    specialties = Specialty.objects.filter(specialty_bases__quotas__campaign=campaign).distinct().order_by("code")
    return list(cities), specialties
