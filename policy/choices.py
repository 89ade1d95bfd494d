from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """二(三): the kinds of applicant the rules treat differently."""

    OWN_STAFF = "own_staff", _("本单位住院医师")
    ENTRUSTED = "entrusted", _("外单位委托培养住院医师")
    OPEN_RECRUITMENT = "open_recruitment", _("面向社会招收住院医师")
    PROFESSIONAL_MASTER = "professional_master", _("专硕研究生")
    RURAL_ORDER = "rural_order", _("农村订单定向免费医学毕业生")


class MajorCategory(models.TextChoices):
    """The undergraduate major as the eligibility rules read it (二(一)2, 二(二), 二(四)4)."""

    CLINICAL = "clinical", _("临床医学")
    STOMATOLOGY = "stomatology", _("口腔医学")
    ANAESTHESIOLOGY = "anaesthesiology", _("麻醉学")
    MEDICAL_IMAGING = "medical_imaging", _("医学影像学")
    RADIOLOGY = "radiology", _("放射医学")
    ULTRASOUND = "ultrasound", _("超声医学")
    PAEDIATRICS = "paediatrics", _("儿科学")
    PSYCHIATRY = "psychiatry", _("精神医学")
    OPHTHALMOLOGY = "ophthalmology", _("眼视光医学")
    TCM = "tcm", _("中医学")
    INTEGRATED = "integrated", _("中西医临床医学")
    LAB_TECHNOLOGY = "lab_technology", _("医学检验技术（四年制）")
    OTHER = "other", _("其他专业")


class DegreeLevel(models.IntegerChoices):
    JUNIOR_COLLEGE = 1, _("专科")
    BACHELOR = 2, _("本科")
    MASTER = 3, _("硕士研究生")
    DOCTOR = 4, _("博士研究生")


class QualificationCategory(models.TextChoices):
    CLINICAL = "clinical", _("临床类别")
    STOMATOLOGY = "stomatology", _("口腔类别")


class TechnicalTitle(models.IntegerChoices):
    NONE = 0, _("无")
    JUNIOR = 1, _("初级")
    INTERMEDIATE = 2, _("中级")
    SENIOR = 3, _("副高级及以上")


class SanctionKind(models.TextChoices):
    BAN = "ban", _("三年内不得报名")
    CANCELLATION = "cancellation", _("取消本次报名、录取资格")
