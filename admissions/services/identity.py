"""Identity after selection (issue 11, item 9) and numbers held by someone else.

Corrections: once an applicant has been proposed, listed or admitted, its name and identity
document appear on public lists and on its admission notice; a correction is then a request that
the training base holding it checks and the province decides. Only the province's approval changes
the applicant; public lists and the notice check then say that and when it was corrected.

Claims: an applicant whose identity number another account holds asks a training base's office,
which checks the document in person; upheld, the number moves to the claimant.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from admissions.models import (
    IDENTITY_FIELDS,
    Admission,
    Applicant,
    ClaimStatus,
    CorrectionStatus,
    IdentityClaim,
    IdentityCorrection,
)
from admissions.selectors.identity import holding_training_base, identity_frozen
from admissions.services.applicants import InvalidInput, normalized_identity, require_owner
from bases.models import TrainingBase
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify, notify_offices
from portal.permissions import CHANGE, require, require_role
from portal.privacy import mask_id_number
from portal.queueing import enqueue_on_commit
from portal.states import advance
from portal.uploads import document_extension


def _identity(values):
    """The identity as kept in a correction: JSON-safe, full (the correction is restricted)."""
    return {field: "" if values.get(field) is None else str(values[field]) for field in IDENTITY_FIELDS}


def _masked(identity):
    return {**identity, "id_number": mask_id_number(identity["id_number"]) if identity["id_number"] else ""}


def _check_document(document):
    if not document:
        return
    try:
        document_extension(document)
    except ValidationError as error:
        raise InvalidInput(error.messages[0]) from None


def request_identity_correction(
    *,
    actor: User,
    applicant: Applicant,
    full_name: str,
    id_type: str,
    id_number: str,
    reason: str,
    birth_date: datetime.date | None = None,
    sex: str = "",
    document: File | None = None,
):
    """The applicant asks to correct its name or identity document after selection."""
    require_owner(actor, applicant)
    if not full_name.strip() or not id_number.strip():
        raise InvalidInput(_("请填写更正后的姓名和证件号码。"))
    if not reason.strip():
        raise InvalidInput(_("请写明更正理由。"))
    _check_document(document)
    after = {"full_name": full_name.strip(), "id_type": id_type, "birth_date": birth_date, "sex": sex}
    after.update(normalized_identity(id_type, id_number))
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if not identity_frozen(applicant):
            raise DomainError(_("尚未被拟录取或公示，请直接在“个人信息”中修改。"), code="not_frozen")
        before = _identity({field: getattr(applicant, field) for field in IDENTITY_FIELDS})
        after = _identity(after)
        if before == after:
            raise InvalidInput(_("填写的信息与现有信息相同，没有需要更正的内容。"))
        try:
            with transaction.atomic():
                correction = IdentityCorrection.objects.create(
                    applicant=applicant,
                    training_base=holding_training_base(applicant),
                    before=before,
                    after=after,
                    reason=reason.strip(),
                    document=document or "",
                )
        except IntegrityError:
            raise DomainError(_("已有一份更正申请正在审核，请等待结果。"), code="pending") from None
        record_event(
            actor=actor,
            action="identity_correction.request",
            obj=correction,
            before=_masked(before),
            after=_masked(after),
            reason=correction.reason,
        )
        notify_offices(
            training_base=correction.training_base,
            kind="identity_correction.requested",
            subject=_("身份信息更正申请：%(name)s") % {"name": applicant.full_name},
            body=_("%(name)s申请更正%(fields)s，请核实后审核。")
            % {"name": applicant.full_name, "fields": _field_names(correction)},
        )
    return correction


def _field_names(correction):
    return "、".join(str(Applicant._meta.get_field(field).verbose_name) for field in correction.changed_fields())


def review_identity_correction(*, actor: User, correction: IdentityCorrection, approve: bool, note: str):
    """The base office's check (first) or the province's decision (second); a refusal at either
    step ends the request. The province's approval changes the applicant."""
    require_role(actor, Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, correction)
    with transaction.atomic():
        correction = IdentityCorrection.objects.select_for_update().get(pk=correction.pk)
        if correction.status not in (CorrectionStatus.PENDING_BASE, CorrectionStatus.PENDING_PROVINCE):
            raise DomainError(_("该更正申请已审核完毕。"), code="decided")
        if (correction.status == CorrectionStatus.PENDING_BASE) != (actor.role == Role.BASE_OFFICE):
            raise DomainError(
                _("该申请现在%(status)s。") % {"status": correction.get_status_display()}, code="not_your_step"
            )
        if not note.strip():
            raise InvalidInput(_("请写明审核意见。"))
        before = correction.status
        now = timezone.now()
        if before == CorrectionStatus.PENDING_BASE:
            to = CorrectionStatus.PENDING_PROVINCE if approve else CorrectionStatus.REJECTED
            correction.base_reviewed_by, correction.base_reviewed_at, correction.base_note = actor, now, note.strip()
        else:
            to = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
            correction.decided_by, correction.decided_at, correction.decision_note = actor, now, note.strip()
        advance(correction, to)
        correction.save()
        record_event(
            actor=actor,
            action="identity_correction.review",
            obj=correction,
            before={"status": before},
            after={"status": to},
            reason=note,
        )
        if to == CorrectionStatus.APPROVED:
            _apply(actor, correction)
        elif to == CorrectionStatus.PENDING_PROVINCE:
            notify_offices(
                province=correction.training_base.province,
                kind="identity_correction.requested",
                subject=_("身份信息更正待省级审核"),
                body=_("%(base)s已审核同意一份身份信息更正申请，请审核。") % {"base": correction.training_base},
            )
        notify(
            recipient=correction.applicant.user,
            kind="identity_correction.review",
            subject=_("身份信息更正：%(status)s") % {"status": correction.get_status_display()},
            body=note.strip(),
        )
    return correction


def _apply(actor, correction):
    """Change the applicant as approved (the correction locked by the caller); its admission
    notices are issued again with the corrected name, a new version each."""
    applicant = Applicant.objects.select_for_update().get(pk=correction.applicant_id)
    for field in IDENTITY_FIELDS:
        value = correction.after[field]
        if field == "birth_date":
            value = datetime.date.fromisoformat(value) if value else None
        setattr(applicant, field, value)
    try:
        with transaction.atomic():
            applicant.save(update_fields=list(IDENTITY_FIELDS))
    except IntegrityError:
        raise DomainError(
            _("更正后的证件号码已由其他账号使用，不能更正；请核实后按证件号码占用申诉处理。"), code="identity_taken"
        ) from None
    record_event(
        actor=actor,
        action="applicant.identity_corrected",
        obj=applicant,
        before=_masked(correction.before),
        after=_masked(correction.after),
        reason=_("身份信息更正申请第%(number)s号") % {"number": correction.pk},
    )
    for admission_pk in Admission.objects.filter(assessment__applicant=applicant).values_list("pk", flat=True):
        enqueue_on_commit("admissions.tasks.store_admission_notice", admission_pk)


# Numbers held by another account -------------------------------------------------------------------


def claim_identity_number(
    *, actor: User, applicant: Applicant, training_base: TrainingBase, id_type: str, id_number: str, reason: str
):
    """The applicant says another account holds its identity number and names the training base
    whose office will check its document in person."""
    require_owner(actor, applicant)
    if not reason.strip():
        raise InvalidInput(_("请写明情况。"))
    number = normalized_identity(id_type, id_number)["id_number"]
    try:
        with transaction.atomic():
            claim = IdentityClaim.objects.create(
                claimant=applicant,
                training_base=training_base,
                id_type=id_type,
                id_number=number,
                reason=reason.strip(),
            )
    except IntegrityError:
        raise DomainError(_("已有一份申诉正在核验，请等待结果。"), code="pending") from None
    record_event(
        actor=actor,
        action="identity_claim.raise",
        obj=claim,
        after={"id_number": mask_id_number(number), "training_base": training_base.pk},
    )
    notify_offices(
        training_base=training_base,
        kind="identity_claim.raised",
        subject=_("证件号码占用申诉：%(name)s") % {"name": applicant.full_name},
        body=_("%(name)s申诉其证件号码被其他账号占用，将到本基地当面核验。") % {"name": applicant.full_name},
    )
    return claim


def handle_identity_claim(*, actor: User, claim: IdentityClaim, upheld: bool, note: str):
    """The base office has seen the claimant's document. Upheld, the number leaves the account that
    held it and goes to the claimant — unless that account has been selected: then its identity is
    on public lists and a notice, and only the province may change it (a correction)."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, claim)
    if not note.strip():
        raise InvalidInput(_("请写明核验情况。"))
    with transaction.atomic():
        claim = IdentityClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.PENDING:
            raise DomainError(_("该申诉已处理。"), code="decided")
        people = _lock_people(claim)
        claimant = people[claim.claimant_id]
        holder = next((a for pk, a in people.items() if pk != claim.claimant_id), None)
        if upheld:
            for person in filter(None, (holder, claimant)):
                if identity_frozen(person):
                    raise DomainError(
                        _("涉及的账号已被拟录取、公示或录取，证件号码只能经省级管理部门审核更正。"),
                        code="selected",
                    )
            if holder is not None:
                holder.id_number = ""
                holder.save(update_fields=["id_number"])
                record_event(
                    actor=actor,
                    action="applicant.identity_released",
                    obj=holder,
                    before={"id_number": mask_id_number(claim.id_number)},
                    after={"id_number": ""},
                    reason=_("证件号码占用申诉第%(number)s号核验属实") % {"number": claim.pk},
                )
                notify(
                    recipient=holder.user,
                    kind="identity_claim.released",
                    subject=_("您账号中的证件号码已被移除"),
                    body=_("经培训基地当面核验，该证件号码属于他人，已从您的账号中移除。如有异议，请联系%(base)s。")
                    % {"base": claim.training_base},
                )
            values = normalized_identity(claim.id_type, claim.id_number)
            before = {"id_type": claimant.id_type, "id_number": mask_id_number(claimant.id_number)}
            claimant.id_type = claim.id_type
            for field, value in values.items():
                setattr(claimant, field, value)
            claimant.save(update_fields=["id_type", *values])
            record_event(
                actor=actor,
                action="applicant.identity_claimed",
                obj=claimant,
                before=before,
                after={"id_type": claim.id_type, "id_number": mask_id_number(claim.id_number)},
                reason=note,
            )
        advance(claim, ClaimStatus.UPHELD if upheld else ClaimStatus.REJECTED)
        claim.handled_by, claim.handled_at, claim.handling_note = actor, timezone.now(), note.strip()
        claim.save()
        record_event(actor=actor, action=f"identity_claim.{claim.status}", obj=claim, reason=note)
        notify(
            recipient=claimant.user,
            kind="identity_claim.handled",
            subject=_("证件号码占用申诉：%(status)s") % {"status": claim.get_status_display()},
            body=note.strip(),
        )
    return claim


def _lock_people(claim):
    """{pk: applicant} of the claimant and the account holding the number, locked in key order so
    that two claims about the same people cannot deadlock."""
    rows = (
        Applicant.objects.select_for_update()
        .select_related("user")
        .filter(Q(pk=claim.claimant_id) | Q(id_type=claim.id_type, id_number=claim.id_number))
        .order_by("pk")
    )
    return {applicant.pk: applicant for applicant in rows}
