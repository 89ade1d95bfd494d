from django.conf import settings

from bases.models import Province, TrainingBase


def public_province(code=None):
    """The province a public page shows: the one asked for, else the deployment's default."""
    provinces = Province.objects.all()
    return (
        (code and code.isdecimal() and provinces.filter(code=code).first())
        or provinces.filter(code=settings.DEFAULT_PROVINCE_CODE).first()
        or provinces.first()
    )


def training_base_directory(*, province):
    return TrainingBase.objects.filter(province=province).order_by("sort_order", "id")
