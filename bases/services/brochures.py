"""The brochure cycle: draft → submitted → returned (→ new draft) or approved → published.

A submitted version is frozen; a revision is always a new version, so every text the province
read, and every comment it made on it, stays on record.
"""

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bases.models import OPEN_STATUSES, Brochure, BrochureComment, BrochureStatus, BrochureVersion, Quota, TrainingBase
from policy.choices import ApplicantType
from policy.models import Campaign
from policy.rules.brochures import SECTION_KEYS, brochure_gaps
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify_offices
from portal.permissions import CHANGE, require, require_role
from portal.states import advance


class IncompleteBrochure(DomainError):
    status = 400
    code = "incomplete_brochure"

    def __init__(self, gaps):
        self.gaps = gaps
        super().__init__(_("招生简章尚不完整：") + "；".join(str(gap) for gap in gaps))


def _plan_quotas(brochure):
    return Quota.objects.filter(
        campaign_id=brochure.campaign_id, specialty_base__training_base_id=brochure.training_base_id
    ).select_related("specialty_base__specialty")


def gaps_of(version: BrochureVersion):
    planned = _plan_quotas(version.brochure).aggregate(total=Sum("places"))["total"] or 0
    return brochure_gaps(sections=version.sections, applicant_types=version.applicant_types, planned_places=planned)


def _locked(version):
    return (
        BrochureVersion.objects.select_for_update(of=("self",))
        .select_related("brochure__training_base")
        .get(pk=version.pk)
    )


def start_brochure_draft(*, actor: User, campaign: Campaign, training_base: TrainingBase):
    """The base's draft to work on: the open version if there is one, else a new version that
    starts from the latest text (returned or published)."""
    require_role(actor, Role.BASE_OFFICE)
    with transaction.atomic():
        brochure, _created = Brochure.objects.get_or_create(campaign=campaign, training_base=training_base)
        require(actor, CHANGE, brochure)
        brochure = Brochure.objects.select_for_update().get(pk=brochure.pk)
        open_version = brochure.versions.filter(status__in=OPEN_STATUSES).first()
        if open_version:
            return open_version
        latest = brochure.versions.order_by("-number").first()
        version = BrochureVersion.objects.create(
            brochure=brochure,
            number=(brochure.versions.aggregate(n=Max("number"))["n"] or 0) + 1,
            applicant_types=latest.applicant_types if latest else [],
            sections=latest.sections if latest else {},
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="brochure.draft",
            obj=version,
            after={"number": version.number, "from": latest.number if latest else None},
        )
    return version


def save_brochure_draft(*, actor: User, version: BrochureVersion, applicant_types: list[str], sections: dict[str, str]):
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, version)
    unknown = set(applicant_types) - set(ApplicantType.values)
    if unknown:
        raise DomainError(_("未知的招收人员类型：%(types)s") % {"types": "、".join(sorted(unknown))}, status=400)
    with transaction.atomic():
        version = _locked(version)
        if not version.is_editable:
            raise DomainError(_("该版本已提交，不能再修改；如需修改请新建版本。"), code="frozen")
        cleaned = {key: (sections.get(key) or "").strip() for key in SECTION_KEYS}
        changed = sorted(key for key in SECTION_KEYS if cleaned[key] != version.sections.get(key, ""))
        if not changed and list(applicant_types) == version.applicant_types:
            return version
        version.sections, version.applicant_types = cleaned, list(applicant_types)
        version.save(update_fields=["sections", "applicant_types"])
        record_event(
            actor=actor,
            action="brochure.save",
            obj=version,
            after={"sections_changed": changed, "applicant_types": version.applicant_types},
        )
    return version


def submit_brochure(*, actor: User, version: BrochureVersion):
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, version)
    with transaction.atomic():
        version = _locked(version)
        gaps = gaps_of(version)
        if gaps:
            raise IncompleteBrochure(gaps)
        advance(version, BrochureStatus.SUBMITTED)
        version.submitted_at = timezone.now()
        version.plan_snapshot = [
            {"specialty": q.specialty_base.specialty.name, "places": q.places, "capacity": q.capacity}
            for q in _plan_quotas(version.brochure).order_by("specialty_base__specialty__code")
        ]
        version.save()
        record_event(actor=actor, action="brochure.submit", obj=version, after={"status": version.status})
        notify_offices(
            province=version.brochure.training_base.province,
            kind="brochure.submitted",
            subject=_("招生简章待审核：%(base)s") % {"base": version.brochure.training_base},
            body=_("%(version)s已提交，请审核。") % {"version": version},
        )
    return version


def _require_auditor(actor, version):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, version)


def do_decide_brochure(*, actor: User, version: BrochureVersion, to, note: str):
    """Move the version to `to` with the province's note. Trusts its caller, which has checked the
    actor with `_require_auditor`; runs in the caller's transaction and takes the version's row
    lock, so two decisions on one version queue up and the second meets the new status."""
    version = _locked(version)
    before = version.status
    advance(version, to)
    version.decided_by, version.decided_at, version.decision_note = actor, timezone.now(), note
    version.save()
    record_event(
        actor=actor, action=f"brochure.{to}", obj=version, before={"status": before}, after={"status": to}, reason=note
    )
    return version


def return_brochure(*, actor: User, version: BrochureVersion, comments: dict[str, str], note: str = ""):
    """The province sends the version back with comments, keyed by section ("" for the whole)."""
    _require_auditor(actor, version)
    comments = {key: text.strip() for key, text in comments.items() if text and text.strip()}
    unknown = set(comments) - {*SECTION_KEYS, "", "applicant_types", "plan"}
    if unknown:
        raise DomainError(_("未知的栏目：%(keys)s") % {"keys": "、".join(sorted(unknown))}, status=400)
    if not comments and not note.strip():
        raise DomainError(_("退回修改时请至少填写一条意见。"), status=400, code="invalid")
    with transaction.atomic():
        version = do_decide_brochure(actor=actor, version=version, to=BrochureStatus.RETURNED, note=note)
        BrochureComment.objects.bulk_create(
            [BrochureComment(version=version, section=key, text=text, author=actor) for key, text in comments.items()]
        )
        notify_offices(
            training_base=version.brochure.training_base,
            kind="brochure.returned",
            subject=_("招生简章被退回修改"),
            body=_("%(version)s被退回修改，请查看审核意见后修改并重新提交。") % {"version": version},
        )
    return version


def approve_brochure(*, actor: User, version: BrochureVersion, note: str = ""):
    _require_auditor(actor, version)
    with transaction.atomic():
        version = do_decide_brochure(actor=actor, version=version, to=BrochureStatus.APPROVED, note=note)
        notify_offices(
            training_base=version.brochure.training_base,
            kind="brochure.approved",
            subject=_("招生简章审核通过"),
            body=_("%(version)s已审核通过，可以发布。") % {"version": version},
        )
    return version


def publish_brochure(*, actor: User, version: BrochureVersion):
    """Publish an approved version; the version it replaces stays on record as superseded."""
    require_role(actor, Role.BASE_OFFICE, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, version)
    with transaction.atomic():
        version = _locked(version)
        if version.status != BrochureStatus.APPROVED:
            raise DomainError(_("招生简章须经省级审核通过后才能发布。"), code="not_approved")
        previous = version.brochure.versions.select_for_update().filter(status=BrochureStatus.PUBLISHED).first()
        if previous:
            advance(previous, BrochureStatus.SUPERSEDED)
            previous.save(update_fields=["status"])
            record_event(actor=actor, action="brochure.superseded", obj=previous, after={"by": version.number})
        advance(version, BrochureStatus.PUBLISHED)
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        record_event(actor=actor, action="brochure.publish", obj=version, after={"status": version.status})
    return version
