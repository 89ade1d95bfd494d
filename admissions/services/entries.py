"""Professional master's students and rural order-oriented graduates: entered outside the rounds,
each taking a place of the quota, checked under the quota's row lock like any admission."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from admissions.models import (
    HOLDING_STAGES,
    Applicant,
    Application,
    ApplicationStatus,
    Assessment,
    DirectEntry,
    EntryStatus,
    IdentityDocumentType,
)
from admissions.selectors.places import places_taken
from admissions.services.choices import do_end_choice
from bases.models import Quota
from policy.choices import ApplicantType
from policy.identity import InvalidResidentId, parse_resident_id
from policy.models import Campaign
from policy.rules.entries import professional_master_decision
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify
from portal.permissions import CHANGE, require, require_role
from portal.states import advance
from portal.uploads import document_extension


class QuotaFull(DomainError):
    code = "quota_full"


def _check_identity(id_type, id_number):
    if id_type == IdentityDocumentType.RESIDENT_ID:
        try:
            return parse_resident_id(id_number).number
        except InvalidResidentId as error:
            raise DomainError(str(error), status=400, code="invalid_id", fields={"id_number": [str(error)]}) from None
    return id_number.strip().upper()


def do_take_out_of_the_rounds(*, actor: User, campaign: Campaign, id_type: str, id_number: str, kind: str):
    """A person entered outside the rounds takes no part in them (二(三)2-3): refused if already
    holding a place there, and any choice filed meanwhile is withdrawn. Trusts its caller on
    access; runs in the caller's transaction and locks the applicant's row first, in
    `submit_choice`'s order before any quota."""
    applicant = Applicant.objects.select_for_update().filter(id_type=id_type, id_number=id_number).first()
    if applicant is None:
        return
    if Assessment.objects.filter(applicant=applicant, campaign=campaign, stage__in=HOLDING_STAGES).exists():
        raise DomainError(
            _("该人员已在本年度招录中被拟录取或录取，一人只能占用一个招收名额，不能再录入。"), code="holds_place"
        )
    label = ApplicantType(kind).label
    for application in Application.objects.filter(
        applicant=applicant, campaign=campaign, status=ApplicationStatus.ACTIVE
    ).select_related("specialty_base"):
        do_end_choice(
            application,
            ApplicationStatus.WITHDRAWN,
            actor,
            reason=_("已作为%(kind)s录入，不参加招录") % {"kind": label},
        )
        notify(
            recipient=applicant.user,
            kind="application.withdrawn",
            subject=_("志愿已撤回"),
            body=_("您已作为%(kind)s录入培训基地，不参加本次招录程序，您填报的志愿（%(base)s）已撤回。")
            % {"kind": label, "base": application.specialty_base},
        )


def do_enter(*, actor: User, quota: Quota, kind: str, person, extra):
    """Record a direct entry on `quota`. Trusts its caller, which has checked the role and the
    quota's scope; takes the applicant's row lock (`do_take_out_of_the_rounds`), then the quota's,
    and counts the places under it."""
    id_number = _check_identity(person["id_type"], person["id_number"])
    with transaction.atomic():
        do_take_out_of_the_rounds(
            actor=actor, campaign=quota.campaign, id_type=person["id_type"], id_number=id_number, kind=kind
        )
        quota = (
            Quota.objects.select_for_update(of=("self",))
            .select_related("specialty_base__training_base")
            .get(pk=quota.pk)
        )
        if places_taken(quota) >= quota.places:
            raise QuotaFull(
                _("%(base)s的招收计划 %(places)s 个已满，不能再录入；可先申请增加招收计划。")
                % {"base": quota.specialty_base, "places": quota.places}
            )
        try:
            with transaction.atomic():
                entry = DirectEntry.objects.create(
                    quota=quota,
                    campaign_id=quota.campaign_id,
                    kind=kind,
                    entered_by=actor,
                    full_name=person["full_name"].strip(),
                    id_type=person["id_type"],
                    id_number=id_number,
                    **extra,
                )
        except IntegrityError:
            entered = _("该证件号码在本年度已录入，不能重复录入。")
            raise DomainError(entered, code="duplicate", fields={"id_number": [entered]}) from None
        record_event(
            actor=actor,
            action=f"entry.{kind}",
            obj=entry,
            after={"quota": quota.pk, "kind": kind, "taken": places_taken(quota)},
        )
    return entry


def enter_professional_master(
    *,
    actor: User,
    quota: Quota,
    full_name: str,
    id_type: str,
    id_number: str,
    school: str,
    school_province: str,
    school_city: str,
    approval_document: File | None = None,
):
    """A training base enters one of its professional master's students (二(三)2, 四(三))."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, quota)
    base = quota.specialty_base.training_base
    decision = professional_master_decision(
        university_province=school_province.strip(),
        base_province=base.province.name,
        university_city=school_city.strip(),
        base_city=base.city,
        has_approval_document=bool(approval_document),
    )
    if not decision:
        raise DomainError(str(decision), status=400, code="not_allowed")
    if approval_document:
        try:
            document_extension(approval_document)
        except ValidationError as error:
            raise DomainError(
                error.messages[0],
                status=400,
                code="invalid_document",
                fields={"approval_document": error.messages[:1]},
            ) from None
    return do_enter(
        actor=actor,
        quota=quota,
        kind=ApplicantType.PROFESSIONAL_MASTER,
        person={"full_name": full_name, "id_type": id_type, "id_number": id_number},
        extra={
            "school": school,
            "school_province": school_province.strip(),
            "school_city": school_city.strip(),
            "approval_document": approval_document or "",
        },
    )


def assign_rural_order_graduate(
    *, actor: User, quota: Quota, full_name: str, id_type: str, id_number: str, school: str, agreement_region: str
):
    """The provincial office places a rural order-oriented graduate near the employment agreement's
    region (二(三)3)."""
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, quota)
    if not agreement_region.strip():
        raise DomainError(_("请填写就业协议所属地。"), status=400, code="invalid")
    return do_enter(
        actor=actor,
        quota=quota,
        kind=ApplicantType.RURAL_ORDER,
        person={"full_name": full_name, "id_type": id_type, "id_number": id_number},
        extra={"school": school, "agreement_region": agreement_region.strip()},
    )


def cancel_entry(*, actor: User, entry: DirectEntry, reason: str):
    """Undo a wrong entry; its place is free again. Bases cancel masters, the province either kind."""
    roles = [Role.PROVINCIAL_OFFICE] + ([Role.BASE_OFFICE] if entry.kind == ApplicantType.PROFESSIONAL_MASTER else [])
    require_role(actor, *roles)
    require(actor, CHANGE, entry)
    if not reason.strip():
        raise DomainError(_("请填写撤销原因。"), status=400, code="invalid")
    with transaction.atomic():
        entry = DirectEntry.objects.select_for_update().get(pk=entry.pk)
        advance(entry, EntryStatus.CANCELLED)
        entry.cancel_reason = reason
        entry.save(update_fields=["status", "cancel_reason"])
        record_event(
            actor=actor,
            action="entry.cancel",
            obj=entry,
            before={"status": EntryStatus.ACTIVE},
            after={"status": entry.status},
            reason=reason,
        )
    return entry
