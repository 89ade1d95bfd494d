from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.permissions import scope_via


class Province(models.Model):
    """The tenant: every campaign, training base and staff user belongs to one."""

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)

    scope_paths = {"province": "id"}

    class Meta:
        verbose_name = _("省份")
        verbose_name_plural = _("省份")
        ordering = ["code"]

    def __str__(self):
        return self.name


class BaseLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")


class TrainingBase(models.Model):
    province = models.ForeignKey(Province, models.PROTECT, related_name="training_bases", verbose_name=_("省份"))
    name = models.CharField(_("基地医院名称"), max_length=120)
    city = models.CharField(_("所在市州"), max_length=30)
    level = models.CharField(_("基地级别"), max_length=12, choices=BaseLevel.choices, default=BaseLevel.NATIONAL)
    contact_person = models.CharField(_("招收办公室联系人"), max_length=60, blank=True)
    phone_numbers = models.CharField(_("办公电话"), max_length=120, blank=True)
    qq_groups = models.CharField(_("QQ群号"), max_length=120, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    scope_paths = {"province": "province_id", "training_base": "id"}

    class Meta:
        verbose_name = _("住培基地")
        verbose_name_plural = _("住培基地")
        ordering = ["province", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["province", "name"], name="unique_training_base_name")]

    def __str__(self):
        return self.name


class SpecialtyCategory(models.TextChoices):
    CLINICAL = "clinical", _("临床")
    STOMATOLOGY = "stomatology", _("口腔")


class Specialty(models.Model):
    """An entry of the national catalogue of residency training specialties."""

    code = models.CharField(_("专业代码"), max_length=8, unique=True)
    name = models.CharField(_("专业名称"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=12, choices=SpecialtyCategory.choices)

    class Meta:
        verbose_name = _("培训专业")
        verbose_name_plural = _("培训专业")
        ordering = ["code"]

    def __str__(self):
        return self.name


class SpecialtyBase(models.Model):
    training_base = models.ForeignKey(
        TrainingBase, models.PROTECT, related_name="specialty_bases", verbose_name=_("住培基地")
    )
    specialty = models.ForeignKey(Specialty, models.PROTECT, related_name="specialty_bases", verbose_name=_("培训专业"))
    capacity = models.PositiveIntegerField(_("容量"))

    scope_paths = {**scope_via("training_base", TrainingBase), "specialty_base": "id"}

    class Meta:
        verbose_name = _("专业基地")
        verbose_name_plural = _("专业基地")
        ordering = ["training_base", "specialty"]
        constraints = [
            models.UniqueConstraint(fields=["training_base", "specialty"], name="unique_specialty_base"),
        ]

    def __str__(self):
        return f"{self.training_base} · {self.specialty}"
