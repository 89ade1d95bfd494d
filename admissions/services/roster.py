"""The registration roster (注册名单, 三(七)): once every admitted resident has reported or been
disqualified, the provincial office reviews the residents to register and publishes the roster."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.models import Admission, AdmissionStatus, DirectEntry, EntryStatus, RegistrationRoster
from admissions.models.people import IdentityDocumentType, Sex
from bases.models import TrainingBase
from policy.choices import ApplicantType
from policy.identity import InvalidResidentId, parse_resident_id
from policy.models import Campaign
from policy.reporting import agreement_kind
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role
from portal.notifications import notify_offices
from portal.permissions import CHANGE, require, require_role


@dataclass(frozen=True)
class RosterRow:
    """One resident to register on the national platform."""

    full_name: str
    sex: str
    id_type: str
    id_number: str
    birth_date: datetime.date | None
    applicant_type: str
    training_base: str
    specialty: str
    year: int
    round: str
    reported_on: datetime.date | None
    agreement: str
    sort_key: tuple


def _from_id(id_type, id_number):
    """Sex label and birth date read from a resident ID number (the only facts a direct entry has)."""
    if id_type != IdentityDocumentType.RESIDENT_ID:
        return "", None
    try:
        parsed = parse_resident_id(id_number)
    except InvalidResidentId:
        return "", None
    return str(Sex(parsed.sex).label), parsed.birth_date


def _admission_rows(campaign):
    admissions = Admission.objects.filter(
        assessment__application__campaign=campaign, status=AdmissionStatus.REPORTED
    ).select_related(
        "assessment__application__applicant",
        "assessment__specialty_base__training_base",
        "assessment__specialty_base__specialty",
    )
    for admission in admissions:
        application = admission.assessment.application
        applicant = application.applicant
        specialty_base = admission.assessment.specialty_base
        base = specialty_base.training_base
        yield RosterRow(
            full_name=applicant.full_name,
            sex=applicant.get_sex_display(),
            id_type=applicant.get_id_type_display(),
            id_number=applicant.id_number,
            birth_date=applicant.birth_date,
            applicant_type=str(ApplicantType(applicant.applicant_type).label),
            training_base=base.name,
            specialty=specialty_base.specialty.name,
            year=campaign.year,
            round=application.get_round_display(),
            reported_on=admission.reported_on,
            agreement=str(agreement_kind(applicant.applicant_type)),
            sort_key=(base.sort_order, base.name, specialty_base.specialty.code, applicant.full_name, applicant.pk),
        )


def _entry_rows(campaign):
    entries = DirectEntry.objects.filter(campaign=campaign, status=EntryStatus.ACTIVE).select_related(
        "quota__specialty_base__training_base", "quota__specialty_base__specialty"
    )
    for entry in entries:
        specialty_base = entry.quota.specialty_base
        base = specialty_base.training_base
        sex, birth_date = _from_id(entry.id_type, entry.id_number)
        yield RosterRow(
            full_name=entry.full_name,
            sex=sex,
            id_type=entry.get_id_type_display(),
            id_number=entry.id_number,
            birth_date=birth_date,
            applicant_type=entry.get_kind_display(),
            training_base=base.name,
            specialty=specialty_base.specialty.name,
            year=campaign.year,
            round=_("直接录入"),
            reported_on=None,
            agreement=str(agreement_kind(entry.kind)),
            sort_key=(base.sort_order, base.name, specialty_base.specialty.code, entry.full_name, -entry.pk),
        )


def roster_rows(campaign):
    """The residents to register: reported admissions and active direct entries (professional
    masters, rural orders), ordered by training base, specialty and name. Three queries."""
    rows = [*_admission_rows(campaign), *_entry_rows(campaign)]
    return sorted(rows, key=lambda row: row.sort_key)


def roster_blockers(campaign):
    """Admissions still waiting to report: the roster cannot be published while any remain."""
    return (
        Admission.objects.filter(assessment__application__campaign=campaign, status=AdmissionStatus.ADMITTED)
        .select_related(
            "assessment__application__applicant",
            "assessment__specialty_base__training_base",
            "assessment__specialty_base__specialty",
        )
        .order_by("assessment__specialty_base__training_base__name", "pk")
    )


def publish_roster(*, actor, campaign):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, campaign)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if RegistrationRoster.objects.filter(campaign=campaign).exists():
            raise DomainError(_("本年度注册名单已发布，不能重复发布。"), code="already_published")
        waiting = roster_blockers(campaign).count()
        if waiting:
            raise DomainError(
                _("还有%(count)d名录取学员既未报到也未取消培训资格，暂不能发布注册名单。") % {"count": waiting},
                code="residents_waiting",
            )
        count = len(roster_rows(campaign))
        roster = RegistrationRoster.objects.create(campaign=campaign, published_by=actor, resident_count=count)
        record_event(actor=actor, action="roster.published", obj=roster, after={"resident_count": count})
        bases = TrainingBase.objects.filter(specialty_bases__quotas__campaign=campaign).distinct()
        for base in bases:
            notify_offices(
                training_base=base,
                kind="roster.published",
                subject=_("%(year)s年度注册名单已发布") % {"year": campaign.year},
                body=_("省级住培管理部门已审核发布%(year)s年度住院医师规范化培训注册名单，请登录核对本基地学员信息。")
                % {"year": campaign.year},
            )
    return roster
