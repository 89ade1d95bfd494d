from django.db import transaction
from django.utils.translation import gettext as _

from bases.models import Quota, SpecialtyBase
from portal.audit import record_event
from portal.errors import DomainError


class QuotaExceedsCapacity(DomainError):
    code = "quota_exceeds_capacity"


def _quota_state(quota):
    return {"places": quota.places, "capacity": quota.capacity} if quota else None


def set_quota(*, actor, campaign, specialty_base, places, reason=""):
    """Fix the planned places of a specialty base in a campaign (招收计划), within its capacity."""
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
        quota.places = places
        quota.capacity = specialty_base.capacity
        quota.save()
        record_event(
            actor=actor, action="quota.set", obj=quota, before=before, after=_quota_state(quota), reason=reason
        )
    return quota


def change_capacity(*, actor, specialty_base, capacity, reason=""):
    """Change a specialty base's accredited capacity (容量); refused below a plan already fixed."""
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
