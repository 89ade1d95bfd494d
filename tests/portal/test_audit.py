import pytest

from bases.services.quotas import set_quota
from portal.audit import record_event
from portal.models import AuditEvent


def test_events_are_append_only(world, people):
    quota = set_quota(
        actor=people["province"], campaign=world["hubei_campaign"], specialty_base=world["xiehe_internal"], places=3
    )
    event = AuditEvent.objects.get(action="quota.set")
    event.reason = "篡改"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
    assert quota.places == 3


def test_an_event_names_actor_object_scope_and_reason(world, people):
    event = record_event(
        actor=people["xiehe_office"],
        action="specialty_base.note",
        obj=world["xiehe_internal"],
        before={"a": 1},
        after={"a": 2},
        reason="核对容量",
    )
    assert event.actor_label == people["xiehe_office"].username
    assert (event.province, event.training_base) == (world["hubei"], world["xiehe"])
    assert event.object_repr == "协和医院 · 内科"


def test_system_actions_are_attributed_to_the_system(world):
    event = record_event(actor=None, action="campaign.sweep", obj=world["hubei_campaign"])
    assert event.actor is None and event.actor_label == "系统"
    assert event.province == world["hubei"] and event.training_base is None
