from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.models.catalogue import SpecialtyBase
from portal.permissions import scope_via


class QuotaManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        """Each new quota comes with version 1 of its scoring formula, as `Quota.save` gives it."""
        quotas = super().bulk_create(objs, *args, **kwargs)
        formula = self.model._meta.get_field("formulas").related_model
        formula.objects.bulk_create([formula(quota=quota, version=1) for quota in quotas if quota.pk is not None])
        return quotas


class Quota(models.Model):
    """Places of one specialty base in one campaign (招收计划).

    The specialty base's capacity is copied onto the row because a CHECK constraint can only see
    its own row: the database itself then refuses a quota above capacity, whatever code writes it.
    How its candidates are scored is its latest ScoringFormula; a new quota gets version 1.
    """

    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="quotas", verbose_name=_("年度招录"))
    specialty_base = models.ForeignKey(SpecialtyBase, models.PROTECT, related_name="quotas", verbose_name=_("专业基地"))
    places = models.PositiveIntegerField(_("招收计划数"))
    capacity = models.PositiveIntegerField(_("容量"))

    objects = QuotaManager()

    scope_paths = scope_via("specialty_base", SpecialtyBase)

    class Meta:
        verbose_name = _("招收计划")
        verbose_name_plural = _("招收计划")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "specialty_base"], name="unique_quota_per_campaign"),
            models.CheckConstraint(condition=Q(places__lte=F("capacity")), name="quota_within_capacity"),
        ]

    def __str__(self):
        return f"{self.specialty_base}: {self.places}/{self.capacity}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            self.formulas.create(version=1)


class QuotaIncreaseStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class QuotaIncrease(models.Model):
    """A base's request for more places on one specialty base (计划调整, 三(五))."""

    TRANSITIONS = {
        QuotaIncreaseStatus.PENDING: {
            QuotaIncreaseStatus.APPROVED,
            QuotaIncreaseStatus.REJECTED,
            QuotaIncreaseStatus.WITHDRAWN,
        },
    }

    quota = models.ForeignKey(Quota, models.PROTECT, related_name="increases", verbose_name=_("招收计划"))
    requested_places = models.PositiveIntegerField(_("申请增加数"))
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=12, choices=QuotaIncreaseStatus.choices, default=QuotaIncreaseStatus.PENDING
    )
    granted_places = models.PositiveIntegerField(_("批准增加数"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    scope_paths = scope_via("quota", Quota)

    class Meta:
        verbose_name = _("招收计划调整申请")
        verbose_name_plural = _("招收计划调整申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(requested_places__gte=1), name="increase_asks_for_places"),
            models.CheckConstraint(
                condition=Q(granted_places__isnull=True) | Q(granted_places__lte=F("requested_places")),
                name="granted_within_requested",
            ),
        ]

    def __str__(self):
        return f"{self.quota.specialty_base} +{self.requested_places}"
