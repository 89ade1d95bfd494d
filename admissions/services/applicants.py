"""An applicant's own account, profile, education records and documents."""

import datetime
import os

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from admissions.models import IDENTITY_FIELDS, Applicant, ApplicantDocument, DirectEntry, EducationRecord, EntryStatus
from admissions.selectors.identity import identity_frozen
from policy.choices import ApplicantType
from policy.contacts import is_email, is_mobile
from policy.identity import InvalidResidentId, parse_identity_document
from policy.rules.eligibility import SELF_REGISTERING
from policy.timetable import local_date
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.privacy import mask_id_number, mask_phone
from portal.throttling import CACHE_ERRORS
from portal.uploads import document_extension

PROFILE_FIELDS = (
    "full_name",
    "is_chinese_national",
    "id_type",
    "id_number",
    "birth_date",
    "sex",
    "mobile",
    "applicant_type",
    "employer",
    "employer_city",
    "post",
    "technical_title",
    "qualification_category",
    "qualification_number",
    "qualification_date",
    "licence_number",
    "enrolled_academic_student",
    "on_national_platform",
    "declares_fit",
    "dispatch_training_base",
    "dispatch_specialty",
)


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


def require_owner(actor: User, applicant: Applicant):
    if not (actor.is_authenticated and actor.is_active and actor.pk == applicant.user_id):
        raise PermissionDenied


def _masked(values):
    masked = dict(values)
    if masked.get("id_number"):
        masked["id_number"] = mask_id_number(masked["id_number"])
    if masked.get("mobile"):
        masked["mobile"] = mask_phone(masked["mobile"])
    return {
        key: value if isinstance(value, (str, int, bool, type(None))) else str(value) for key, value in masked.items()
    }


def register_applicant(*, login: str, password: str, full_name: str):
    """Open an applicant account whose login is a mobile number or an e-mail address. A bad login,
    name and password are refused together, each named."""
    login = login.strip().lower()
    by_mobile = is_mobile(login)
    problems = {}
    if not by_mobile and not is_email(login):
        problems["login"] = [_("请输入11位手机号码或有效的电子邮箱。")]
    if not full_name.strip():
        problems["full_name"] = [_("请填写姓名。")]
    user = User(username=login, email="" if by_mobile else login, role=Role.APPLICANT)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        problems["password"] = error.messages
    if problems:
        raise InvalidInput.of_inputs(problems)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            applicant = Applicant.objects.create(
                user=user, full_name=full_name.strip(), mobile=login if by_mobile else ""
            )
            record_event(actor=user, action="applicant.register", obj=applicant, after=_masked({"login": login}))
    except IntegrityError:
        taken = _("该手机号码或电子邮箱已注册，请直接登录或找回密码。")
        raise DomainError(taken, code="duplicate", fields={"login": [taken]}) from None
    return applicant


IDENTITY_UNAVAILABLE = _l(
    "该证件号码无法保存。请核对号码；如确属本人证件，请在“身份信息”页面提出证件号码占用申诉，"
    "由培训基地招收办公室当面核验。"
)
# Different identity numbers one account may try in a day: enough to correct typing, too few to
# find out which numbers are registered.
IDENTITY_ATTEMPTS_PER_DAY = 5


def normalized_identity(id_type: str, id_number: str):
    """The number as stored and, when it carries them, the birth date and sex; a 400 if invalid."""
    try:
        parsed = parse_identity_document(id_type, id_number)
    except InvalidResidentId as error:
        raise InvalidInput(str(error), fields={"id_number": [str(error)]}) from None
    if parsed is not None:
        return {"id_number": parsed.number, "birth_date": parsed.birth_date, "sex": parsed.sex}
    return {"id_number": id_number.strip().upper()}


def count_identity_attempt(user: User):
    key = f"identity-attempts:{user.pk}"
    try:
        cache.add(key, 0, 24 * 3600)
        attempts = cache.incr(key)
    except (ValueError, *CACHE_ERRORS):
        return
    if attempts > IDENTITY_ATTEMPTS_PER_DAY:
        limited = _("今天修改证件号码的次数已达 %(limit)s 次，请明天再试。") % {"limit": IDENTITY_ATTEMPTS_PER_DAY}
        raise DomainError(limited, status=429, code="too_many_identity_attempts", fields={"id_number": [limited]})


def require_identity_editable(applicant: Applicant):
    """Once proposed, listed or admitted, the identity on public lists and notices is changed only
    by an approved correction (services/identity.py)."""
    if identity_frozen(applicant):
        raise DomainError(
            _(
                "您已被拟录取、列入公示或录取，姓名、证件类型和号码、性别、出生日期不能再自行修改；"
                "如需更正，请在“身份信息”页面提交更正申请，经培训基地和省级管理部门审核。"
            ),
            code="identity_frozen",
        )


def update_profile(*, actor: User, applicant: Applicant, **values):
    """Change the applicant's own facts; the identity document is checked, and a resident ID fixes
    the birth date and sex."""
    require_owner(actor, applicant)
    unknown = set(values) - set(PROFILE_FIELDS) - {"held_certificate_specialties"}
    if unknown:
        raise InvalidInput(_("未知字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    held = values.pop("held_certificate_specialties", None)
    if values.get("applicant_type", applicant.applicant_type) not in SELF_REGISTERING:
        not_self = _("专硕研究生和农村订单定向免费医学毕业生不需个人注册（二(三)2-3）。")
        raise InvalidInput(not_self, fields={"applicant_type": [not_self]})
    id_type = values.get("id_type", applicant.id_type)
    id_number = values.get("id_number", applicant.id_number)
    if id_number:
        values.update(normalized_identity(id_type, id_number))
    if values.get("applicant_type", applicant.applicant_type) != ApplicantType.ENTRUSTED:
        values.update(dispatch_training_base=None, dispatch_specialty=None)
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if (
            id_number
            and DirectEntry.objects.filter(
                kind=ApplicantType.RURAL_ORDER,
                status=EntryStatus.ACTIVE,
                id_type=id_type,
                id_number=values.get("id_number", id_number),
                campaign__year__gte=local_date().year,
            ).exists()
        ):
            assigned = _(
                "该证件号码已作为农村订单定向免费医学毕业生由省卫生健康委统一安排住培基地，"
                "不参加招录程序，不能以其他人员类型注册报名（二(三)3）。"
            )
            raise InvalidInput(assigned, fields={"id_number": [assigned]})
        before = {field: getattr(applicant, field) for field in values}
        if any(field in IDENTITY_FIELDS and before[field] != value for field, value in values.items()):
            require_identity_editable(applicant)
        if values.get("id_number") and values["id_number"] != before.get("id_number"):
            count_identity_attempt(actor)
        for field, value in values.items():
            setattr(applicant, field, value)
        try:
            with transaction.atomic():
                applicant.save()
        except IntegrityError:
            # Not "someone else has it": that would tell anyone which numbers are registered.
            unavailable = str(IDENTITY_UNAVAILABLE)
            raise DomainError(unavailable, code="identity_unavailable", fields={"id_number": [unavailable]}) from None
        if held is not None:
            applicant.held_certificate_specialties.set(held)
        changed = {field: value for field, value in values.items() if before[field] != value}
        if changed or held is not None:
            record_event(
                actor=actor,
                action="applicant.profile",
                obj=applicant,
                before=_masked({f: before[f] for f in changed}),
                after=_masked(changed),
            )
    return applicant


def add_education(
    *,
    actor: User,
    applicant: Applicant,
    school: str,
    major: str,
    major_category: str,
    degree_level: str,
    full_time: bool,
    graduation_date: datetime.date,
):
    require_owner(actor, applicant)
    record = EducationRecord.objects.create(
        applicant=applicant,
        school=school.strip(),
        major=major.strip(),
        major_category=major_category,
        degree_level=degree_level,
        full_time=full_time,
        graduation_date=graduation_date,
    )
    record_event(
        actor=actor,
        action="applicant.education.add",
        obj=record,
        after={
            "school": record.school,
            "major": record.major,
            "degree": record.degree_level,
            "graduated": graduation_date.isoformat(),
        },
    )
    return record


def remove_education(*, actor: User, record: EducationRecord):
    require_owner(actor, record.applicant)
    record_event(actor=actor, action="applicant.education.remove", obj=record, before={"school": record.school})
    record.delete()


def _safe_name(name):
    """The uploader's file name for display only: no directories, no control characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip(". ")[:100] or "document"


def upload_document(*, actor: User, applicant: Applicant, kind: str, file: File | bytes):
    require_owner(actor, applicant)
    try:
        extension = document_extension(file)
    except ValidationError as error:
        raise InvalidInput(error.messages[0]) from None
    stem = os.path.splitext(_safe_name(file.name))[0]
    file.name = f"{stem}{extension}"  # the stored name's extension follows the content, never the upload
    document = ApplicantDocument.objects.create(
        applicant=applicant, kind=kind, file=file, original_name=file.name[:100], size=file.size
    )
    record_event(actor=actor, action="applicant.document.upload", obj=document, after={"kind": kind, "size": file.size})
    return document


@transaction.atomic
def delete_document(*, actor: User, document: File):
    require_owner(actor, document.applicant)
    record_event(actor=actor, action="applicant.document.delete", obj=document, before={"kind": document.kind})
    document.delete()
    # The file goes once the row is gone for good: a rolled-back deletion must keep something to serve.
    storage, name = document.file.storage, document.file.name
    transaction.on_commit(lambda: storage.delete(name))


def do_bump_records_version(*applicant_ids: int, loaded: Applicant | None = None):
    """Mark the applicants' educations, documents or certificates changed, so no cached copy of the
    old ones is read again (selectors.facts.own_records). Runs in the transaction of the change it
    marks — from the model signals, so the admin's edits and the services' are marked alike; `loaded`
    is the caller's copy of the applicant, kept in step."""
    Applicant.objects.filter(pk__in=applicant_ids).update(records_version=F("records_version") + 1)
    if loaded is not None:
        loaded.records_version += 1


def records_changed(sender, instance, **kwargs):
    """post_save / post_delete of an EducationRecord or ApplicantDocument."""
    field = sender._meta.get_field("applicant")
    do_bump_records_version(instance.applicant_id, loaded=instance.applicant if field.is_cached(instance) else None)


def certificates_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of Applicant.held_certificate_specialties (from the through model's side too)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        do_bump_records_version(instance.pk, loaded=instance)
    elif pk_set:
        do_bump_records_version(*pk_set)
