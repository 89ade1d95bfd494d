from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models.people import Applicant
from bases.models import SpecialtyBase
from portal.permissions import scope_via


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", _("已填报")
    CHANGED = "changed", _("已改报")
    WITHDRAWN = "withdrawn", _("已撤回")


class Application(models.Model):
    """An applicant's choice of one specialty base in one round (志愿). A change ends this row
    and starts a new one, so the rows of an applicant are the history of its choices."""

    TRANSITIONS = {ApplicationStatus.ACTIVE: {ApplicationStatus.CHANGED, ApplicationStatus.WITHDRAWN}}

    applicant = models.ForeignKey(Applicant, models.PROTECT, related_name="applications", verbose_name=_("学员"))
    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="+", verbose_name=_("年度招录"))
    round = models.PositiveSmallIntegerField(_("批次"), choices=[(1, _("第一批次")), (2, _("第二批次"))])
    specialty_base = models.ForeignKey(
        SpecialtyBase, models.PROTECT, related_name="applications", verbose_name=_("专业基地")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.ACTIVE
    )
    submitted_at = models.DateTimeField(_("填报时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_paths = {"owner": "applicant__user_id", **scope_via("specialty_base", SpecialtyBase)}

    class Meta:
        verbose_name = _("志愿")
        verbose_name_plural = _("志愿")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "campaign", "round"],
                condition=Q(status="active"),
                name="one_active_choice_per_round",
            )
        ]

    def __str__(self):
        return f"{self.applicant} 第{self.round}批次 {self.specialty_base}"
