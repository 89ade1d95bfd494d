from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policy.choices import ApplicantType, DegreeLevel, MajorCategory, QualificationCategory, TechnicalTitle
from portal.permissions import VIEW
from portal.uploads import private_storage, stored_name

# Who may see an applicant's data: the applicant, and the offices of every base it chose.
APPLICANT_SCOPE = {
    "owner": "user_id",
    "province": "applications__specialty_base__training_base__province_id",
    "training_base": "applications__specialty_base__training_base_id",
    "specialty_base": "applications__specialty_base_id",
}


class IdentityDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    HK_MACAO_RESIDENT = "hk_macao_resident", _("港澳居民居住证/来往内地通行证")
    TAIWAN_RESIDENT = "taiwan_resident", _("台湾居民居住证/来往大陆通行证")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Applicant(models.Model):
    """The person who applies (学员) and every fact the eligibility rules read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="applicant", verbose_name=_("账号")
    )
    full_name = models.CharField(_("姓名"), max_length=60)
    is_chinese_national = models.BooleanField(_("具有中华人民共和国国籍（含港澳台）"), default=True)
    id_type = models.CharField(
        _("证件类型"), max_length=20, choices=IdentityDocumentType.choices, default=IdentityDocumentType.RESIDENT_ID
    )
    id_number = models.CharField(_("证件号码"), max_length=30, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    applicant_type = models.CharField(
        _("人员类型"), max_length=24, choices=ApplicantType.choices, default=ApplicantType.OPEN_RECRUITMENT
    )
    employer = models.CharField(_("工作单位"), max_length=120, blank=True)
    employer_city = models.CharField(_("工作单位所在市州"), max_length=30, blank=True)
    post = models.CharField(_("岗位"), max_length=60, blank=True)
    technical_title = models.PositiveSmallIntegerField(
        _("专业技术职称"), choices=TechnicalTitle.choices, default=TechnicalTitle.NONE
    )
    qualification_category = models.CharField(
        _("执业医师资格证书类别"),
        max_length=12,
        choices=QualificationCategory.choices,
        blank=True,
        help_text=_("未取得执业医师资格证书的不填"),
    )
    qualification_number = models.CharField(_("执业医师资格证书编号"), max_length=40, blank=True)
    qualification_date = models.DateField(_("资格取得日期"), null=True, blank=True)
    licence_number = models.CharField(_("医师执业证书编号"), max_length=40, blank=True)
    held_certificate_specialties = models.ManyToManyField(
        "bases.Specialty", blank=True, related_name="+", verbose_name=_("已取得住培合格证书的专业")
    )
    enrolled_academic_student = models.BooleanField(_("高校在读学术学位研究生"), default=False)
    on_national_platform = models.BooleanField(_("已纳入国家住院医师规范化培训管理平台"), default=False)
    declares_fit = models.BooleanField(_("本人身体条件能够保障正常完成临床培训"), default=False)
    dispatch_training_base = models.ForeignKey(
        "bases.TrainingBase",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("委托单位指定的培训基地"),
    )
    dispatch_specialty = models.ForeignKey(
        "bases.Specialty",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("委托单位指定的培训专业"),
    )

    # Raised with every change to the educations, documents or certificates, in the same
    # transaction: the cached copy of those records (selectors.facts.own_records) is keyed by it.
    records_version = models.PositiveIntegerField(_("档案版本"), default=0, editable=False)

    scope_paths = APPLICANT_SCOPE
    scope_multi_valued = True
    staff_actions = (VIEW,)  # offices read an applicant's data; only the applicant changes it

    class Meta:
        verbose_name = _("学员")
        verbose_name_plural = _("学员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"], condition=~Q(id_number=""), name="unique_identity_document"
            )
        ]

    def __str__(self):
        return self.full_name


class EducationRecord(models.Model):
    applicant = models.ForeignKey(Applicant, models.CASCADE, related_name="educations", verbose_name=_("学员"))
    school = models.CharField(_("毕业院校"), max_length=120)
    major = models.CharField(_("专业名称"), max_length=60)
    major_category = models.CharField(_("专业类别"), max_length=20, choices=MajorCategory.choices)
    degree_level = models.PositiveSmallIntegerField(_("学历"), choices=DegreeLevel.choices)
    full_time = models.BooleanField(_("全日制"), default=True)
    graduation_date = models.DateField(_("毕业时间"))

    scope_paths = {key: f"applicant__{path}" for key, path in APPLICANT_SCOPE.items()}
    scope_multi_valued = True
    staff_actions = (VIEW,)  # offices read an applicant's data; only the applicant changes it

    class Meta:
        verbose_name = _("学历")
        verbose_name_plural = _("学历")
        ordering = ["graduation_date"]

    def __str__(self):
        return f"{self.school} {self.major} {self.get_degree_level_display()}"


class DocumentKind(models.TextChoices):
    ID_FRONT = "id_front", _("身份证件正面")
    ID_BACK = "id_back", _("身份证件反面")
    DIPLOMA = "diploma", _("毕业证书")
    DEGREE = "degree", _("学位证书")
    QUALIFICATION = "qualification", _("执业医师资格证书")
    DISPATCH_LETTER = "dispatch_letter", _("委托单位派遣函")
    OTHER = "other", _("其他材料")


class ApplicantDocument(models.Model):
    applicant = models.ForeignKey(Applicant, models.CASCADE, related_name="documents", verbose_name=_("学员"))
    kind = models.CharField(_("材料类型"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), storage=private_storage, upload_to=stored_name)
    original_name = models.CharField(_("原文件名"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    scope_paths = {key: f"applicant__{path}" for key, path in APPLICANT_SCOPE.items()}
    scope_multi_valued = True
    staff_actions = (VIEW,)  # offices read an applicant's data; only the applicant changes it

    class Meta:
        verbose_name = _("报名材料")
        verbose_name_plural = _("报名材料")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"
