from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """二(三): the kinds of applicant the rules treat differently."""

    OWN_STAFF = "own_staff", _("本单位住院医师")
    ENTRUSTED = "entrusted", _("外单位委托培养住院医师")
    OPEN_RECRUITMENT = "open_recruitment", _("面向社会招收住院医师")
    PROFESSIONAL_MASTER = "professional_master", _("专硕研究生")
    RURAL_ORDER = "rural_order", _("农村订单定向免费医学毕业生")
