import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from bases.models import Quota, SpecialtyBase
from bases.services.quotas import QuotaExceedsCapacity, do_change_capacity, do_set_quota, set_quota
from portal.models import AuditEvent
from tests.concurrency import run_together


def test_the_database_refuses_a_quota_above_capacity(world):
    base = world["xiehe_internal"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.create(campaign=world["hubei_campaign"], specialty_base=base, places=11, capacity=10)
    quota = Quota.objects.create(campaign=world["hubei_campaign"], specialty_base=base, places=10, capacity=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(places=12)


@pytest.mark.parametrize("who", ["xiehe_office", "xiehe_staff", "hunan_province", "applicant"])
def test_only_the_provincial_office_of_the_campaign_sets_a_quota(world, people, who):
    with pytest.raises(PermissionDenied):
        set_quota(actor=people[who], campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=3)
    assert not Quota.objects.exists()
    quota = set_quota(
        actor=people["province"], campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=3
    )
    assert quota.places == 3


def test_set_quota_refuses_above_capacity_and_stores_nothing(world, people):
    with pytest.raises(QuotaExceedsCapacity) as error:
        set_quota(
            actor=people["province"],
            campaign=world["hubei_campaign"],
            specialty_base=world["xiehe_internal"],
            places=11,
        )
    assert "容量 10" in error.value.message
    assert not Quota.objects.exists()
    assert not AuditEvent.objects.filter(action="quota.set").exists()


def test_set_quota_records_who_changed_what_and_why(world, people):
    campaign, base = world["hubei_campaign"], world["xiehe_internal"]
    set_quota(actor=people["province"], campaign=campaign, specialty_base=base, places=6, reason="年度计划")
    set_quota(actor=people["province"], campaign=campaign, specialty_base=base, places=8, reason="计划调整")
    set_quota(actor=people["province"], campaign=campaign, specialty_base=base, places=8, reason="无变化")
    events = list(AuditEvent.objects.filter(action="quota.set").order_by("id"))
    assert [(e.before, e.after, e.reason) for e in events] == [
        (None, {"places": 6, "capacity": 10}, "年度计划"),
        ({"places": 6, "capacity": 10}, {"places": 8, "capacity": 10}, "计划调整"),
    ]
    assert events[1].actor == people["province"] and events[1].province == world["hubei"]
    assert events[1].training_base == world["xiehe"]


def test_capacity_cannot_drop_below_a_fixed_plan(world):
    quota = do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=8)
    with pytest.raises(QuotaExceedsCapacity):
        do_change_capacity(actor=None, specialty_base=world["xiehe_internal"], capacity=7)
    do_change_capacity(actor=None, specialty_base=world["xiehe_internal"], capacity=12)
    quota.refresh_from_db()
    assert (quota.places, quota.capacity) == (8, 12)


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_plan_and_capacity_changes_never_pass_capacity(world):
    """Raising the plan to 10 while the capacity drops to 5: one wins, the quota never exceeds capacity."""
    for attempt in range(10):
        base = SpecialtyBase.objects.get(pk=world["xiehe_internal"].pk)
        do_change_capacity(actor=None, specialty_base=base, capacity=10)
        do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=base, places=4)
        outcomes = []

        def run(action, base=base, outcomes=outcomes):
            try:
                action(base)
                outcomes.append("ok")
            except QuotaExceedsCapacity:
                outcomes.append("refused")

        run_together(
            [
                lambda b: do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=b, places=10),
                lambda b: do_change_capacity(actor=None, specialty_base=b, capacity=5),
            ],
            run,
        )
        base.refresh_from_db()
        quota = Quota.objects.get(specialty_base=base)
        assert sorted(outcomes) == ["ok", "refused"], attempt
        assert quota.places <= quota.capacity == base.capacity
