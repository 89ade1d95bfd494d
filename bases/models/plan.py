from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bases.models.catalogue import SpecialtyBase


class Quota(models.Model):
    """Places of one specialty base in one campaign (招收计划).

    The specialty base's capacity is copied onto the row because a CHECK constraint can only see
    its own row: the database itself then refuses a quota above capacity, whatever code writes it.
    """

    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="quotas", verbose_name=_("年度招录"))
    specialty_base = models.ForeignKey(SpecialtyBase, models.PROTECT, related_name="quotas", verbose_name=_("专业基地"))
    places = models.PositiveIntegerField(_("招收计划数"))
    capacity = models.PositiveIntegerField(_("容量"))

    scope_paths = {
        "province": "specialty_base__training_base__province_id",
        "training_base": "specialty_base__training_base_id",
        "specialty_base": "specialty_base_id",
    }

    class Meta:
        verbose_name = _("招收计划")
        verbose_name_plural = _("招收计划")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "specialty_base"], name="unique_quota_per_campaign"),
            models.CheckConstraint(condition=Q(places__lte=F("capacity")), name="quota_within_capacity"),
        ]

    def __str__(self):
        return f"{self.specialty_base}: {self.places}/{self.capacity}"
