"""After admission: reporting and the agreement (三(六)); no-shows, withdrawals and fraud (四(四))."""

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.models import Admission, AdmissionStatus
from policy.choices import SanctionKind
from policy.models import Sanction
from policy.reporting import agreement_due, disqualified_from
from policy.timetable import local_date
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role
from portal.notifications import notify
from portal.permissions import CHANGE, require, require_role
from portal.states import advance


def _locked(admission):
    return (
        Admission.objects.select_for_update(of=("self",))
        .select_related(
            "assessment__application__campaign__province",
            "assessment__application__applicant__user",
            "assessment__specialty_base__training_base",
        )
        .get(pk=admission.pk)
    )


def _move(actor, admission, to, reason=""):
    before = admission.status
    advance(admission, to)
    admission.status_reason = reason
    admission.save()
    record_event(
        actor=actor,
        action=f"admission.{to}",
        obj=admission,
        before={"status": before},
        after={"status": to},
        reason=reason,
    )


def _sanction(admission, kind, reason):
    applicant = admission.assessment.application.applicant
    campaign = admission.assessment.application.campaign
    sanction = Sanction.objects.create(
        province=campaign.province,
        id_type=applicant.id_type,
        id_number=applicant.id_number,
        full_name=applicant.full_name,
        kind=kind,
        campaign_year=campaign.year,
        reason=reason,
    )
    record_event(actor=None, action=f"sanction.{kind}", obj=sanction, reason=reason)
    return sanction


def record_reporting(*, actor, admission, reported_on):
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, admission)
    with transaction.atomic():
        admission = _locked(admission)
        if reported_on > local_date():
            raise DomainError(_("报到日期不能晚于今天。"), status=400, code="invalid")
        admission.reported_on = reported_on
        _move(actor, admission, AdmissionStatus.REPORTED)
    return admission


def record_agreement(*, actor, admission, signed_on):
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, admission)
    with transaction.atomic():
        admission = _locked(admission)
        if admission.status != AdmissionStatus.REPORTED:
            raise DomainError(_("报到后才能登记协议或劳动合同。"), code="not_reported")
        if signed_on < admission.reported_on:
            raise DomainError(_("签订日期不能早于报到日期。"), status=400, code="invalid")
        admission.agreement_signed_on = signed_on
        admission.save(update_fields=["agreement_signed_on"])
        due = agreement_due(admission.reported_on, admission.assessment.application.campaign.agreement_days)
        record_event(
            actor=actor,
            action="admission.agreement",
            obj=admission,
            after={"signed_on": signed_on.isoformat(), "late": signed_on > due},
        )
    return admission


def allow_late_reporting(*, actor, admission, until, reason):
    """The base accepts a resident's reason for reporting later (四(四): "无故" means without one)."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, admission)
    if not reason.strip():
        raise DomainError(_("请写明延期报到的理由。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        if admission.status != AdmissionStatus.ADMITTED:
            raise DomainError(_("只有待报到的学员可以延期报到。"), code="wrong_status")
        admission.late_reporting_allowed_until, admission.status_reason = until, reason.strip()
        admission.save(update_fields=["late_reporting_allowed_until", "status_reason"])
        record_event(
            actor=actor,
            action="admission.late_reporting",
            obj=admission,
            after={"until": until.isoformat()},
            reason=reason,
        )
    return admission


def disqualify_no_shows(moment=None):
    """The sweep: residents who have not reported two weeks after the deadline (or after an
    approved later date) lose the place. Idempotent; returns how many it disqualified."""
    today = local_date(moment)
    count = 0
    for admission in Admission.objects.filter(status=AdmissionStatus.ADMITTED).select_related(
        "assessment__application__campaign"
    ):
        campaign = admission.assessment.application.campaign
        if today < disqualified_from(
            campaign.reporting_by, campaign.no_show_grace_days, admission.late_reporting_allowed_until
        ):
            continue
        with transaction.atomic():
            locked = _locked(admission)
            if locked.status != AdmissionStatus.ADMITTED:
                continue
            _move(None, locked, AdmissionStatus.DISQUALIFIED, _("无故逾期2周未报到（四(四)）"))
            notify(
                recipient=locked.assessment.application.applicant.user,
                kind="admission.disqualified",
                subject=_("培训资格已取消"),
                body=_("您无故逾期2周未报到，按规定取消培训资格。"),
            )
            count += 1
    return count


def withdraw_after_admission(*, actor, admission, reason, force_majeure=False):
    """The resident gives up the place after admission (or quits). Without force majeure this bars
    the person for the campaign's ban years (四(四)); a force-majeure claim waits for the province."""
    require_owner_or_base(actor, admission)
    if not reason.strip():
        raise DomainError(_("请写明原因。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        admission.force_majeure_claimed = force_majeure
        _move(actor, admission, AdmissionStatus.WITHDRAWN, reason.strip())
        if not force_majeure:
            _sanction(
                admission, SanctionKind.BAN, _("录取后非因不可抗力不报到或退出培训：%(reason)s") % {"reason": reason}
            )
    return admission


def decide_force_majeure(*, actor, admission, accepted, reason):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, admission)
    if not reason.strip():
        raise DomainError(_("请写明认定理由。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        if admission.status != AdmissionStatus.WITHDRAWN or not admission.force_majeure_claimed:
            raise DomainError(_("没有待认定的不可抗力申报。"), code="nothing_to_decide")
        admission.force_majeure_claimed = False
        admission.save(update_fields=["force_majeure_claimed"])
        record_event(
            actor=actor, action="admission.force_majeure", obj=admission, after={"accepted": accepted}, reason=reason
        )
        if not accepted:
            _sanction(admission, SanctionKind.BAN, _("不可抗力理由未获认定：%(reason)s") % {"reason": reason})
    return admission


def cancel_for_fraud(*, actor, admission, reason):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, admission)
    if not reason.strip():
        raise DomainError(_("请写明弄虚作假的事实。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        _move(actor, admission, AdmissionStatus.CANCELLED, reason.strip())
        _sanction(admission, SanctionKind.CANCELLATION, reason.strip())
    return admission


def require_owner_or_base(actor, admission):
    if actor.pk == admission.assessment.application.applicant.user_id:
        return
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, admission)
