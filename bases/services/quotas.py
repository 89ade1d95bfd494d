from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bases.models import Quota, QuotaIncrease, QuotaIncreaseStatus, SpecialtyBase
from policy.models import Campaign
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Role, User
from portal.notifications import notify_offices
from portal.permissions import CHANGE, require, require_role
from portal.states import advance


class QuotaExceedsCapacity(DomainError):
    code = "quota_exceeds_capacity"


class QuotaBelowHeld(DomainError):
    code = "quota_below_held"


# How many places of a quota are held by what another app records — proposals, admissions, entries
# outside the rounds. That app registers its count when Django starts (AppConfig.ready): it
# imports this one, so this one cannot import it.
_held_counters = []


def register_held_places(counter):
    """`counter(quotas)` answers {quota id: places held} for a queryset of quotas."""
    _held_counters.append(counter)


def held_places(quotas: QuerySet[Quota]):
    """{quota id: places held} for a queryset of quotas. Lock the quotas first when the answer
    decides a write: whatever takes a place counts under the same lock."""
    held = {}
    for counter in _held_counters:
        for pk, count in counter(quotas).items():
            held[pk] = held.get(pk, 0) + count
    return held


def below_held_message(places: int, held: int):
    return _("招收计划 %(places)s 人，少于已占用的 %(held)s 人（拟录取、录取及专硕与订单定向录入），不能调减") % {
        "places": places,
        "held": held,
    }


def _quota_state(quota):
    return {"places": quota.places, "capacity": quota.capacity} if quota else None


def set_quota(
    *, actor: User, campaign: Campaign, specialty_base: SpecialtyBase, places: int, reason: str = ""
) -> Quota:
    """The provincial office (or a superuser, in the admin) fixes the planned places of a
    specialty base in a campaign of its province (招收计划); see `do_set_quota`."""
    if not actor.is_superuser:
        require_role(actor, Role.PROVINCIAL_OFFICE)
        require(actor, CHANGE, campaign)
    return do_set_quota(actor=actor, campaign=campaign, specialty_base=specialty_base, places=places, reason=reason)


def do_set_quota(*, actor: User, campaign: Campaign, specialty_base: SpecialtyBase, places: int, reason: str = ""):
    """Fix the planned places, within the capacity and never below the places held. Trusts its
    caller on access (the plan import has checked the campaign; the demo loader and fixtures act
    as the system). Takes the specialty base's row lock, then the quota's, in the caller's
    transaction if there is one, so a capacity change or a proposal cannot slip under the checks."""
    if places < 0:
        raise DomainError(_("招收计划数不能为负数。"), status=400, code="invalid")
    with transaction.atomic():
        # Lock the specialty base so a concurrent capacity change cannot slip under this check.
        specialty_base = SpecialtyBase.objects.select_for_update().get(pk=specialty_base.pk)
        if places > specialty_base.capacity:
            raise QuotaExceedsCapacity(
                _("%(base)s的招收计划数 %(places)s 超过了专业基地容量 %(capacity)s。")
                % {"base": specialty_base, "places": places, "capacity": specialty_base.capacity}
            )
        quota = Quota.objects.select_for_update().filter(campaign=campaign, specialty_base=specialty_base).first()
        before = _quota_state(quota)
        if quota is None:
            quota = Quota(campaign=campaign, specialty_base=specialty_base)
        elif before == {"places": places, "capacity": specialty_base.capacity}:
            return quota
        elif places < quota.places:
            held = held_places(Quota.objects.filter(pk=quota.pk)).get(quota.pk, 0)
            if places < held:
                raise QuotaBelowHeld(f"{specialty_base}：{below_held_message(places, held)}。")
        quota.places = places
        quota.capacity = specialty_base.capacity
        quota.save()
        record_event(
            actor=actor, action="quota.set", obj=quota, before=before, after=_quota_state(quota), reason=reason
        )
    return quota


def do_change_capacity(*, actor: User, specialty_base: SpecialtyBase, capacity: int, reason: str = ""):
    """Change a specialty base's accredited capacity (容量); refused below a plan already fixed.
    Trusts its caller on access (the plan import, the admin). Takes the specialty base's row lock,
    then its quotas', the same order as `do_set_quota`."""
    with transaction.atomic():
        specialty_base = SpecialtyBase.objects.select_for_update().get(pk=specialty_base.pk)
        if capacity == specialty_base.capacity:
            return specialty_base
        quotas = list(Quota.objects.select_for_update().filter(specialty_base=specialty_base, places__gt=capacity))
        if quotas:
            raise QuotaExceedsCapacity(
                _("%(base)s已有 %(places)s 个招收计划，容量不能低于该数。")
                % {"base": specialty_base, "places": max(q.places for q in quotas)}
            )
        before = {"capacity": specialty_base.capacity}
        specialty_base.capacity = capacity
        specialty_base.save(update_fields=["capacity"])
        Quota.objects.filter(specialty_base=specialty_base).update(capacity=capacity)
        record_event(
            actor=actor,
            action="specialty_base.capacity",
            obj=specialty_base,
            before=before,
            after={"capacity": capacity},
            reason=reason,
        )
    return specialty_base


def _increase_state(increase):
    return {"status": increase.status, "requested": increase.requested_places, "granted": increase.granted_places}


def _room(quota):
    return quota.capacity - quota.places


def request_quota_increase(*, actor: User, quota: Quota, places: int, reason: str):
    """A base office asks for `places` more on one of its specialty bases (三(五))."""
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, quota)
    if places < 1:
        raise DomainError(_("申请增加的计划数至少为 1。"), status=400, code="invalid")
    if not reason.strip():
        raise DomainError(_("请填写申请理由。"), status=400, code="invalid")
    with transaction.atomic():
        quota = (
            Quota.objects.select_for_update(of=("self",))
            .select_related("specialty_base__training_base")
            .get(pk=quota.pk)
        )
        if places > _room(quota):
            raise QuotaExceedsCapacity(
                _("专业基地容量为 %(capacity)s，现有计划 %(places)s，最多还可申请增加 %(room)s 个。")
                % {"capacity": quota.capacity, "places": quota.places, "room": _room(quota)}
            )
        increase = QuotaIncrease.objects.create(quota=quota, requested_places=places, reason=reason, requested_by=actor)
        record_event(
            actor=actor, action="quota_increase.request", obj=increase, after=_increase_state(increase), reason=reason
        )
        notify_offices(
            province=quota.specialty_base.training_base.province,
            kind="quota_increase.requested",
            subject=_("招收计划调整申请：%(base)s") % {"base": quota.specialty_base},
            body=_("%(base)s申请增加招收计划 %(places)s 个。理由：%(reason)s")
            % {"base": quota.specialty_base, "places": places, "reason": reason},
        )
    return increase


def do_decide_increase(*, actor: User, increase: QuotaIncrease, to, granted=None, reason: str):
    """Move the request to `to`, granting `granted` places. Trusts its caller, which has checked
    the actor; takes the quota's row lock, then the request's."""
    with transaction.atomic():
        # The quota row is locked first: two decisions on the same quota queue up here, so the
        # second sees the places the first granted.
        quota = (
            Quota.objects.select_for_update(of=("self",))
            .select_related("specialty_base__training_base")
            .get(pk=increase.quota_id)
        )
        increase = QuotaIncrease.objects.select_for_update().get(pk=increase.pk)
        before = _increase_state(increase)
        advance(increase, to)
        if granted is not None:
            if granted > _room(quota):
                raise QuotaExceedsCapacity(
                    _("批准后将超过专业基地容量 %(capacity)s：现有计划 %(places)s，最多还可增加 %(room)s 个。")
                    % {"capacity": quota.capacity, "places": quota.places, "room": _room(quota)}
                )
            quota_before = _quota_state(quota)
            quota.places += granted
            quota.save(update_fields=["places"])
            record_event(
                actor=actor,
                action="quota.increase",
                obj=quota,
                before=quota_before,
                after=_quota_state(quota),
                reason=reason,
            )
            increase.granted_places = granted
        increase.decided_by, increase.decided_at, increase.decision_reason = actor, timezone.now(), reason
        increase.save()
        record_event(
            actor=actor,
            action=f"quota_increase.{to}",
            obj=increase,
            before=before,
            after=_increase_state(increase),
            reason=reason,
        )
    return increase


def approve_quota_increase(*, actor: User, increase: QuotaIncrease, places: int | None = None, reason: str = ""):
    """The province grants the request, or fewer places than asked (三(五)); never past capacity."""
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, increase)
    granted = increase.requested_places if places is None else places
    if not 1 <= granted <= increase.requested_places:
        raise DomainError(
            _("批准数应在 1 到申请数 %(requested)s 之间；不批准请选择“不予批准”。")
            % {"requested": increase.requested_places},
            status=400,
            code="invalid",
        )
    increase = do_decide_increase(
        actor=actor, increase=increase, to=QuotaIncreaseStatus.APPROVED, granted=granted, reason=reason
    )
    notify_offices(
        training_base=increase.quota.specialty_base.training_base,
        kind="quota_increase.approved",
        subject=_("招收计划调整已批准：%(base)s") % {"base": increase.quota.specialty_base},
        body=_("申请增加 %(requested)s 个，批准增加 %(granted)s 个，现招收计划 %(places)s 个。%(reason)s")
        % {
            "requested": increase.requested_places,
            "granted": granted,
            "places": increase.quota.places,
            "reason": reason,
        },
    )
    return increase


def reject_quota_increase(*, actor: User, increase: QuotaIncrease, reason: str):
    require_role(actor, Role.PROVINCIAL_OFFICE)
    require(actor, CHANGE, increase)
    if not reason.strip():
        raise DomainError(_("不予批准时请填写理由。"), status=400, code="invalid")
    increase = do_decide_increase(actor=actor, increase=increase, to=QuotaIncreaseStatus.REJECTED, reason=reason)
    notify_offices(
        training_base=increase.quota.specialty_base.training_base,
        kind="quota_increase.rejected",
        subject=_("招收计划调整未获批准：%(base)s") % {"base": increase.quota.specialty_base},
        body=reason,
    )
    return increase


def withdraw_quota_increase(*, actor: User, increase: QuotaIncrease):
    require_role(actor, Role.BASE_OFFICE)
    require(actor, CHANGE, increase)
    return do_decide_increase(actor=actor, increase=increase, to=QuotaIncreaseStatus.WITHDRAWN, reason="")
