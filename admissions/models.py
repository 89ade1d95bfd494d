from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    HK_MACAO_RESIDENT = "hk_macao_resident", _("港澳居民居住证/来往内地通行证")
    TAIWAN_RESIDENT = "taiwan_resident", _("台湾居民居住证/来往大陆通行证")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Applicant(models.Model):
    """The person who applies (学员); the facts the eligibility rules need join in later."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="applicant", verbose_name=_("账号")
    )
    full_name = models.CharField(_("姓名"), max_length=60)
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdentityDocumentType.choices, default=IdentityDocumentType.RESIDENT_ID
    )
    id_number = models.CharField(_("证件号码"), max_length=30)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)

    scope_paths = {"owner": "user_id"}

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员")
        constraints = [models.UniqueConstraint(fields=["id_type", "id_number"], name="unique_identity_document")]

    def __str__(self):
        return self.full_name
