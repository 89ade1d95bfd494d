"""Reads of the public pages: the province a page shows, its training bases, its current campaign."""

from django.conf import settings

from bases.models import Province, TrainingBase
from policy.selectors import current_campaign


def public_province(code: str | None = None):
    """The province a public page shows: the one asked for, else the deployment's default."""
    provinces = Province.objects.all()
    return (
        (code and code.isdecimal() and provinces.filter(code=code).first())
        or provinces.filter(code=settings.DEFAULT_PROVINCE_CODE).first()
        or provinces.first()
    )


def training_base_directory(*, province: Province):
    return TrainingBase.objects.filter(province=province).order_by("sort_order", "id")


def public_campaign(code: str | None = None, *, cached: bool = False):
    """The current campaign of the province a public page shows (see `public_province`), or None;
    `cached` as in `current_campaign`."""
    province = public_province(code)
    return current_campaign(province=province, cached=cached) if province else None
