from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bases.models.catalogue import TrainingBase
from policy.choices import ApplicantType
from portal.permissions import scope_via


class Brochure(models.Model):
    """A training base's brochure (招生简章) for one campaign; its text lives in versions."""

    campaign = models.ForeignKey(
        "policy.Campaign", models.PROTECT, related_name="brochures", verbose_name=_("年度招录")
    )
    training_base = models.ForeignKey(
        TrainingBase, models.PROTECT, related_name="brochures", verbose_name=_("住培基地")
    )

    scope_paths = scope_via("training_base", TrainingBase)

    class Meta:
        verbose_name = _("招生简章")
        verbose_name_plural = _("招生简章")
        constraints = [models.UniqueConstraint(fields=["campaign", "training_base"], name="one_brochure_per_base")]

    def __str__(self):
        return f"{self.training_base} {self.campaign.year}年招生简章"


class BrochureStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审核通过")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本替代")


OPEN_STATUSES = [BrochureStatus.DRAFT, BrochureStatus.SUBMITTED, BrochureStatus.APPROVED]


class BrochureVersion(models.Model):
    """One text of a brochure. Only a draft can be edited; once submitted a version is frozen,
    and a revision (after a return, or of a published brochure) is a new version."""

    TRANSITIONS = {
        BrochureStatus.DRAFT: {BrochureStatus.SUBMITTED},
        BrochureStatus.SUBMITTED: {BrochureStatus.RETURNED, BrochureStatus.APPROVED},
        BrochureStatus.APPROVED: {BrochureStatus.PUBLISHED},
        BrochureStatus.PUBLISHED: {BrochureStatus.SUPERSEDED},
    }

    brochure = models.ForeignKey(Brochure, models.CASCADE, related_name="versions", verbose_name=_("招生简章"))
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=12, choices=BrochureStatus.choices, default=BrochureStatus.DRAFT)
    applicant_types = models.JSONField(_("招收人员类型"), default=list)
    sections = models.JSONField(_("简章内容"), default=dict)
    plan_snapshot = models.JSONField(_("提交时的招收计划"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    scope_paths = scope_via("brochure", Brochure)

    class Meta:
        verbose_name = _("招生简章版本")
        verbose_name_plural = _("招生简章版本")
        ordering = ["brochure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["brochure", "number"], name="unique_brochure_version_number"),
            models.UniqueConstraint(
                fields=["brochure"], condition=Q(status__in=OPEN_STATUSES), name="one_open_brochure_version"
            ),
            models.UniqueConstraint(
                fields=["brochure"], condition=Q(status=BrochureStatus.PUBLISHED), name="one_published_brochure_version"
            ),
        ]

    def __str__(self):
        return f"{self.brochure} 第{self.number}版"

    @property
    def is_editable(self):
        return self.status == BrochureStatus.DRAFT

    def applicant_type_labels(self):
        labels = dict(ApplicantType.choices)
        return [labels[code] for code in self.applicant_types if code in labels]


class BrochureComment(models.Model):
    """The province's comment on one section of a submitted version (or on the whole, section "")."""

    version = models.ForeignKey(BrochureVersion, models.CASCADE, related_name="comments", verbose_name=_("版本"))
    section = models.CharField(_("栏目"), max_length=32, blank=True)
    text = models.TextField(_("意见"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("审核人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    scope_paths = scope_via("version", BrochureVersion)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["id"]

    def __str__(self):
        return self.text[:50]
