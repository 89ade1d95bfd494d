from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models.assessments import Admission
from portal.models import Role
from portal.permissions import scope_via
from portal.uploads import private_storage, stored_name


class IntegrityCaseKind(models.TextChoices):
    FORCE_MAJEURE_CLAIM = "claim", _("放弃录取或退出培训，申报不可抗力")
    NO_SHOW = "no_show", _("无故逾期未报到，已取消培训资格")
    WITHDRAWAL_STATEMENT = "statement", _("培训基地登记的本人书面放弃声明")


class IntegrityCaseStatus(models.TextChoices):
    PENDING = "pending", _("待省级认定")
    FORCE_MAJEURE = "force_majeure", _("认定为不可抗力，不作处理")
    BANNED = "banned", _("非不可抗力，3年内不得报名")
    RETURNED = "returned", _("书面声明不予认可，录取不变")


class IntegrityCase(models.Model):
    """A question the provincial office must answer under 四(四): did the resident who gave up the
    place, or never reported, have force majeure? Until it decides nothing is recorded against
    the person; "no" records the ban. A statement an office uploads also waits here, because
    giving up a place is the applicant's act or the province's decision, never the office's."""

    TRANSITIONS = {
        IntegrityCaseStatus.PENDING: {
            IntegrityCaseStatus.FORCE_MAJEURE,
            IntegrityCaseStatus.BANNED,
            IntegrityCaseStatus.RETURNED,
        }
    }

    admission = models.ForeignKey(Admission, models.PROTECT, related_name="integrity_cases", verbose_name=_("录取"))
    kind = models.CharField(_("类型"), max_length=10, choices=IntegrityCaseKind.choices)
    status = models.CharField(
        _("状态"), max_length=14, choices=IntegrityCaseStatus.choices, default=IntegrityCaseStatus.PENDING
    )
    statement = models.TextField(_("情况说明"))
    document = models.FileField(_("本人签字的书面声明"), storage=private_storage, upload_to=stored_name, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("提交人")
    )
    opened_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("认定人")
    )
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("认定理由"), blank=True)

    scope_paths = {
        "owner": "admission__assessment__application__applicant__user_id",
        **scope_via("admission", Admission),
    }
    staff_roles = (Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)

    class Meta:
        verbose_name = _("诚信认定")
        verbose_name_plural = _("诚信认定")
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["admission"], condition=Q(status="pending"), name="one_pending_integrity_case"
            )
        ]

    def __str__(self):
        return f"{self.admission} {self.get_kind_display()}"
