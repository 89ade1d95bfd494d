from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models.people import Applicant, IdentityDocumentType
from bases.models import TrainingBase
from portal.models import Role
from portal.uploads import private_storage, stored_name

# The facts that name the person on public lists and on the admission notice (issue 11, 9).
IDENTITY_FIELDS = ("full_name", "id_type", "id_number", "sex", "birth_date")


class CorrectionStatus(models.TextChoices):
    PENDING_BASE = "pending_base", _("待培训基地审核")
    PENDING_PROVINCE = "pending_province", _("待省级审核")
    APPROVED = "approved", _("已更正")
    REJECTED = "rejected", _("未通过")


class IdentityCorrection(models.Model):
    """A request to correct the name or identity document of an applicant who has been proposed,
    listed or admitted, when the applicant may no longer change them: the training base holding
    the applicant checks it, then the province decides. The full before and after are kept here,
    seen only by the applicant, that base's office and the province; the audit log keeps them masked."""

    TRANSITIONS = {
        CorrectionStatus.PENDING_BASE: {CorrectionStatus.PENDING_PROVINCE, CorrectionStatus.REJECTED},
        CorrectionStatus.PENDING_PROVINCE: {CorrectionStatus.APPROVED, CorrectionStatus.REJECTED},
    }

    applicant = models.ForeignKey(
        Applicant, models.PROTECT, related_name="identity_corrections", verbose_name=_("学员")
    )
    training_base = models.ForeignKey(TrainingBase, models.PROTECT, related_name="+", verbose_name=_("审核的培训基地"))
    status = models.CharField(
        _("状态"), max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING_BASE
    )
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))
    reason = models.TextField(_("更正理由"))
    document = models.FileField(
        _("证明材料"), storage=private_storage, upload_to=stored_name, blank=True, help_text=_("如身份证件、户籍证明")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    base_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    base_reviewed_at = models.DateTimeField(_("培训基地审核时间"), null=True, blank=True)
    base_note = models.TextField(_("培训基地意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("省级审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("省级意见"), blank=True)

    scope_paths = {
        "owner": "applicant__user_id",
        "province": "training_base__province_id",
        "training_base": "training_base_id",
    }
    # The staff who score do not see identity corrections.
    staff_roles = (Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)

    class Meta:
        verbose_name = _("身份信息更正")
        verbose_name_plural = _("身份信息更正")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=["pending_base", "pending_province"]),
                name="one_open_identity_correction",
            )
        ]

    def __str__(self):
        return f"{self.applicant} {self.get_status_display()}"

    def changed_fields(self):
        return [field for field in IDENTITY_FIELDS if self.before.get(field) != self.after.get(field)]


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    UPHELD = "upheld", _("核验属实，证件号码已转归申诉人")
    REJECTED = "rejected", _("核验不属实")


class IdentityClaim(models.Model):
    """An applicant says another account holds its identity document number (证件号码被占用).
    The office of a training base the claimant chooses checks the document in person; upheld,
    the number moves to the claimant."""

    TRANSITIONS = {ClaimStatus.PENDING: {ClaimStatus.UPHELD, ClaimStatus.REJECTED}}

    claimant = models.ForeignKey(Applicant, models.PROTECT, related_name="identity_claims", verbose_name=_("申诉人"))
    training_base = models.ForeignKey(TrainingBase, models.PROTECT, related_name="+", verbose_name=_("核验的培训基地"))
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdentityDocumentType.choices)
    id_number = models.CharField(_("证件号码"), max_length=30)
    reason = models.TextField(_("情况说明"))
    status = models.CharField(_("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    claimed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    handling_note = models.TextField(_("核验情况"), blank=True)

    scope_paths = {
        "owner": "claimant__user_id",
        "province": "training_base__province_id",
        "training_base": "training_base_id",
    }
    staff_roles = (Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)

    class Meta:
        verbose_name = _("证件号码占用申诉")
        verbose_name_plural = _("证件号码占用申诉")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claimant"], condition=Q(status="pending"), name="one_pending_identity_claim"
            )
        ]

    def __str__(self):
        return f"{self.claimant} {self.get_status_display()}"
