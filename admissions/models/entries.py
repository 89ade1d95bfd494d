from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admissions.models.people import IdentityDocumentType
from bases.models import Quota
from policy.choices import ApplicantType
from portal.permissions import scope_via
from portal.uploads import private_storage, stored_name


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    CANCELLED = "cancelled", _("已撤销")


class DirectEntry(models.Model):
    """A resident who takes no part in the rounds and still takes a place of the quota:
    a professional master's student entered by the base (专硕研究生, 二(三)2) or a rural
    order-oriented graduate assigned by the provincial office (农村订单定向, 二(三)3)."""

    TRANSITIONS = {EntryStatus.ACTIVE: {EntryStatus.CANCELLED}}
    KINDS = [ApplicantType.PROFESSIONAL_MASTER, ApplicantType.RURAL_ORDER]

    quota = models.ForeignKey("bases.Quota", models.PROTECT, related_name="direct_entries", verbose_name=_("招收计划"))
    campaign = models.ForeignKey("policy.Campaign", models.PROTECT, related_name="+", verbose_name=_("年度招录"))
    kind = models.CharField(_("类型"), max_length=24, choices=[(k.value, k.label) for k in KINDS])
    status = models.CharField(_("状态"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.ACTIVE)
    full_name = models.CharField(_("姓名"), max_length=60)
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdentityDocumentType.choices, default=IdentityDocumentType.RESIDENT_ID
    )
    id_number = models.CharField(_("证件号码"), max_length=30)
    school = models.CharField(_("毕业或就读院校"), max_length=120)
    school_province = models.CharField(_("院校所在省份"), max_length=30, blank=True)
    school_city = models.CharField(_("院校所在城市"), max_length=30, blank=True)
    approval_document = models.FileField(
        _("省教育厅同意的书面材料"), storage=private_storage, upload_to=stored_name, blank=True
    )
    agreement_region = models.CharField(_("就业协议所属地"), max_length=60, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    cancel_reason = models.TextField(_("撤销原因"), blank=True)

    scope_paths = scope_via("quota", Quota)

    class Meta:
        verbose_name = _("专硕研究生与订单定向录入")
        verbose_name_plural = _("专硕研究生与订单定向录入")
        ordering = ["-entered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "id_type", "id_number"],
                condition=Q(status="active"),
                name="one_active_entry_per_person_and_campaign",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.full_name}"
