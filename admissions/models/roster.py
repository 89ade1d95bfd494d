from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegistrationRoster(models.Model):
    """注册名单 (三(七)): once every admitted resident has reported or been disqualified, the
    provincial office reviews the residents to register and publishes the roster, once per campaign."""

    campaign = models.OneToOneField(
        "policy.Campaign", models.PROTECT, related_name="registration_roster", verbose_name=_("年度招录")
    )
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    resident_count = models.PositiveIntegerField(_("注册人数"))

    scope_paths = {"province": "campaign__province_id"}

    class Meta:
        verbose_name = _("注册名单")
        verbose_name_plural = _("注册名单")

    def __str__(self):
        return f"{self.campaign} {self._meta.verbose_name}"
