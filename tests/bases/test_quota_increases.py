import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from bases.models import Quota, QuotaIncrease, QuotaIncreaseStatus
from bases.services.quotas import (
    QuotaExceedsCapacity,
    approve_quota_increase,
    do_set_quota,
    reject_quota_increase,
    request_quota_increase,
    withdraw_quota_increase,
)
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.concurrency import run_together


@pytest.fixture
def quota(world):
    return do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=6)


def test_request_then_approve_fewer_places(people, quota):
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=3, reason="报名人数多")
    assert Notification.objects.filter(recipient=people["province"], kind="quota_increase.requested").exists()
    approve_quota_increase(actor=people["province"], increase=increase, places=2, reason="统筹调剂")
    quota.refresh_from_db()
    increase.refresh_from_db()
    assert (quota.places, increase.status, increase.granted_places) == (8, QuotaIncreaseStatus.APPROVED, 2)
    note = Notification.objects.get(recipient=people["xiehe_office"], kind="quota_increase.approved")
    assert "批准增加 2 个" in note.body
    assert AuditEvent.objects.filter(action="quota.increase", after__places=8).exists()


def test_a_request_past_capacity_is_refused_up_front(people, quota):
    with pytest.raises(QuotaExceedsCapacity, match="最多还可申请增加 4 个"):
        request_quota_increase(actor=people["xiehe_office"], quota=quota, places=5, reason="多招")
    assert not QuotaIncrease.objects.exists()


def test_a_base_office_cannot_approve_its_own_request(people, quota):
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=1, reason="需要")
    with pytest.raises(PermissionDenied):
        approve_quota_increase(actor=people["xiehe_office"], increase=increase)
    with pytest.raises(PermissionDenied):
        approve_quota_increase(actor=people["hunan_province"], increase=increase)
    with pytest.raises(PermissionDenied):
        request_quota_increase(actor=people["tongji_office"], quota=quota, places=1, reason="代申请")


def test_rejection_needs_a_reason_and_a_decision_is_final(people, quota):
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=1, reason="需要")
    with pytest.raises(DomainError, match="请填写理由"):
        reject_quota_increase(actor=people["province"], increase=increase, reason=" ")
    reject_quota_increase(actor=people["province"], increase=increase, reason="容量紧张")
    with pytest.raises(DomainError) as error:
        approve_quota_increase(actor=people["province"], increase=increase)
    assert error.value.status == 409
    with pytest.raises(DomainError):
        withdraw_quota_increase(actor=people["xiehe_office"], increase=increase)
    quota.refresh_from_db()
    assert quota.places == 6


def test_granting_more_than_asked_is_refused(people, quota):
    increase = request_quota_increase(actor=people["xiehe_office"], quota=quota, places=2, reason="需要")
    with pytest.raises(DomainError, match="1 到申请数 2"):
        approve_quota_increase(actor=people["province"], increase=increase, places=3)


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_never_pass_capacity(world, people):
    """Two requests of +3 each on a quota of 6/10: approved at the same moment, only one fits."""
    quota = do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=6)
    for attempt in range(8):
        do_set_quota(actor=None, campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=6)
        increases = [
            request_quota_increase(actor=people["xiehe_office"], quota=quota, places=3, reason=f"第{n}次")
            for n in range(2)
        ]
        outcomes = []

        def approve(increase, outcomes=outcomes):
            try:
                approve_quota_increase(actor=people["province"], increase=increase, reason="同时审批")
                outcomes.append("approved")
            except QuotaExceedsCapacity:
                outcomes.append("refused")

        run_together(increases, approve)
        quota = Quota.objects.get(pk=quota.pk)
        assert sorted(outcomes) == ["approved", "refused"], attempt
        assert quota.places == 9 <= quota.capacity
