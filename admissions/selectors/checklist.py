"""What an applicant still has to provide before choosing a specialty base."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from admissions.models import Applicant, DocumentKind
from admissions.selectors.facts import own_records
from policy.choices import ApplicantType


@dataclass(frozen=True)
class Missing:
    key: str
    label: str


def missing_items(applicant: Applicant):
    """Reads the educations and documents through `own_records`: prefetched, cached or read."""
    records = own_records(applicant)
    missing = []
    if not applicant.id_number or not applicant.birth_date or not applicant.sex:
        missing.append(Missing("identity", _("身份证件信息")))
    if not applicant.user.email and not applicant.mobile:
        missing.append(Missing("contact", _("联系方式（手机号码或电子邮箱）")))
    if not records.educations:
        missing.append(Missing("education", _("学历信息")))
    if not applicant.declares_fit:
        missing.append(Missing("declares_fit", _("身体条件声明")))
    uploaded = records.document_kinds
    required = [DocumentKind.ID_FRONT, DocumentKind.ID_BACK, DocumentKind.DIPLOMA]
    if applicant.qualification_category:
        required.append(DocumentKind.QUALIFICATION)
    if applicant.applicant_type == ApplicantType.ENTRUSTED:
        required.append(DocumentKind.DISPATCH_LETTER)
        if not applicant.employer or not applicant.employer_city:
            missing.append(Missing("employer", _("工作单位及其所在市州")))
        if not applicant.dispatch_training_base_id or not applicant.dispatch_specialty_id:
            missing.append(Missing("dispatch", _("委托单位指定的培训基地和专业")))
    missing.extend(Missing(kind, DocumentKind(kind).label) for kind in required if kind not in uploaded)
    return missing
