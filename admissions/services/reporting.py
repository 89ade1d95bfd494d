"""After admission: reporting and the agreement (三(六)); no-shows, withdrawals and fraud (四(四))."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import Admission, AdmissionStatus, IntegrityCase, IntegrityCaseKind, IntegrityCaseStatus
from admissions.services.applicants import require_owner
from policy.choices import SanctionKind
from policy.models import Sanction
from policy.rules.reporting import agreement_due, disqualified_from
from policy.timetable import local_date
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify, notify_offices
from portal.permissions import CHANGE, require, require_role
from portal.queueing import enqueue_on_commit
from portal.states import advance
from portal.uploads import document_extension


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


def record_reporting(*, actor: User, admission: Admission, reported_on: datetime.date):
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, admission)
    with transaction.atomic():
        admission = _locked(admission)
        if reported_on > local_date():
            raise DomainError(_("报到日期不能晚于今天。"), status=400, code="invalid")
        admission.reported_on = reported_on
        _move(actor, admission, AdmissionStatus.REPORTED)
    return admission


def record_agreement(*, actor: User, admission: Admission, signed_on: datetime.date):
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


def allow_late_reporting(*, actor: User, admission: Admission, until: datetime.date, reason: str):
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
        enqueue_on_commit("admissions.tasks.store_admission_notice", admission.pk)  # the notice prints the deadline
    return admission


def disqualify_no_shows(moment: datetime.datetime | None = None):
    """The sweep: residents who have not reported two weeks after the deadline (or after an
    approved later date) lose the place, and the province is asked whether force majeure kept
    them away (四(四)): a no-show must not fare better than a resident who withdraws honestly.
    Idempotent; returns how many it disqualified."""
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
            _open_case(
                locked,
                IntegrityCaseKind.NO_SHOW,
                _("报到截止后逾期%(days)s天未报到，已取消培训资格。") % {"days": campaign.no_show_grace_days},
            )
            notify(
                recipient=locked.assessment.application.applicant.user,
                kind="admission.disqualified",
                subject=_("培训资格已取消"),
                body=_(
                    "您无故逾期2周未报到，按规定取消培训资格。省级管理部门将认定是否属于不可抗力；"
                    "非不可抗力的，3年内不得报名参加住院医师规范化培训。如有不可抗力证明，请尽快交培训基地。"
                ),
            )
            count += 1
    return count


def _open_case(admission, kind, statement, *, actor=None, document=None):
    """Ask the province to decide on `admission` (locked by the caller)."""
    try:
        with transaction.atomic():
            case = IntegrityCase.objects.create(
                admission=admission, kind=kind, statement=statement, opened_by=actor, document=document or ""
            )
    except IntegrityError:
        raise DomainError(_("该学员已有待省级认定的事项，请等待认定结果。"), code="case_pending") from None
    record_event(actor=actor, action=f"integrity.{kind}", obj=case, reason=statement)
    notify_offices(
        province=admission.assessment.application.campaign.province,
        kind="integrity.pending",
        subject=_("待认定：%(kind)s") % {"kind": case.get_kind_display()},
        body=_("%(base)s的录取（编号 %(number)s）待省级认定是否属于不可抗力。")
        % {"base": admission.assessment.specialty_base, "number": admission.notice_number},
    )
    return case


def withdraw_after_admission(*, actor: User, admission: Admission, reason: str, force_majeure: bool = False):
    """The resident gives up the place after admission (or quits) — the resident's own act, never an
    office's. Without force majeure this bars the person for the campaign's ban years (四(四));
    a force-majeure claim waits for the province."""
    require_owner(actor, admission.assessment.application.applicant)
    if not reason.strip():
        raise DomainError(_("请写明原因。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        _move(actor, admission, AdmissionStatus.WITHDRAWN, reason.strip())
        if force_majeure:
            _open_case(admission, IntegrityCaseKind.FORCE_MAJEURE_CLAIM, reason.strip(), actor=actor)
        else:
            _sanction(
                admission, SanctionKind.BAN, _("录取后非因不可抗力不报到或退出培训：%(reason)s") % {"reason": reason}
            )
    return admission


def record_withdrawal_statement(*, actor: User, admission: Admission, statement: str, document: File):
    """The base office files the resident's signed statement of giving up the place. The place is
    not given up by this: the statement goes to the province, which decides."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, admission)
    if not statement.strip():
        raise DomainError(_("请写明学员放弃的原因。"), status=400, code="invalid")
    if not document:
        raise DomainError(_("请上传学员本人签字的书面放弃声明。"), status=400, code="invalid")
    try:
        document_extension(document)
    except ValidationError as error:
        raise DomainError(error.messages[0], status=400, code="invalid_document") from None
    with transaction.atomic():
        admission = _locked(admission)
        if admission.status not in (AdmissionStatus.ADMITTED, AdmissionStatus.REPORTED):
            raise DomainError(_("该录取已结束，不能再登记放弃声明。"), code="wrong_status")
        return _open_case(
            admission, IntegrityCaseKind.WITHDRAWAL_STATEMENT, statement.strip(), actor=actor, document=document
        )


def decide_integrity_case(
    *, actor: User, admission: Admission, force_majeure: bool, reason: str, statement_upheld: bool = True
):
    """The province decides the admission's pending case: force majeure (nothing recorded against
    the person) or a ban. A statement filed by an office is first upheld — the place is then given
    up by the province's decision — or returned, and the admission stands."""
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, admission)
    if not reason.strip():
        raise DomainError(_("请写明认定理由。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        case = (
            IntegrityCase.objects.select_for_update()
            .filter(admission=admission, status=IntegrityCaseStatus.PENDING)
            .first()
        )
        if case is None:
            raise DomainError(_("没有待认定的事项。"), code="nothing_to_decide")
        statement = case.kind == IntegrityCaseKind.WITHDRAWAL_STATEMENT
        if statement and not statement_upheld:
            outcome = IntegrityCaseStatus.RETURNED
        else:
            outcome = IntegrityCaseStatus.FORCE_MAJEURE if force_majeure else IntegrityCaseStatus.BANNED
        advance(case, outcome)
        case.decided_by, case.decided_at, case.decision_reason = actor, timezone.now(), reason.strip()
        case.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record_event(
            actor=actor,
            action="integrity.decision",
            obj=case,
            before={"status": IntegrityCaseStatus.PENDING},
            after={"status": outcome},
            reason=reason,
        )
        if statement and outcome != IntegrityCaseStatus.RETURNED:
            _move(actor, admission, AdmissionStatus.WITHDRAWN, case.statement)
        if outcome == IntegrityCaseStatus.BANNED:
            _sanction(admission, SanctionKind.BAN, _("非因不可抗力：%(reason)s") % {"reason": reason.strip()})
        notify(
            recipient=admission.assessment.application.applicant.user,
            kind="integrity.decision",
            subject=_("诚信认定结果：%(outcome)s") % {"outcome": case.get_status_display()},
            body=reason.strip(),
        )
    return case


def cancel_for_fraud(*, actor: User, admission: Admission, reason: str):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, admission)
    if not reason.strip():
        raise DomainError(_("请写明弄虚作假的事实。"), status=400, code="invalid")
    with transaction.atomic():
        admission = _locked(admission)
        _move(actor, admission, AdmissionStatus.CANCELLED, reason.strip())
        _sanction(admission, SanctionKind.CANCELLATION, reason.strip())
    return admission
