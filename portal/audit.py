"""The one way to write an audit event. Call it inside the service's transaction, so the event
exists exactly when the change it describes does."""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import gettext

from portal.models import AuditEvent
from portal.permissions import scope_id
from portal.redaction import redact

# What keeps a copy derived from the data (the public vacancy board's cache) learns of each change
# here: every change is recorded, and portal imports no feature app, so they register themselves
# when Django starts (AppConfig.ready).
_change_listeners = []


def register_change_listener(listener):
    """`listener(objects)` is called with the changed objects of each recorded change, inside the
    service's transaction: a listener that acts once the change is visible uses
    `transaction.on_commit`."""
    _change_listeners.append(listener)


def _announce(objects):
    for listener in _change_listeners:
        listener(objects)


def record_event(*, actor, action, obj, before=None, after=None, reason=""):
    """`actor` is a user, or None for the system (a sweep, a management command)."""
    event = _event(actor, action, obj, before, after, reason)
    event.save()
    _announce([obj])
    return event


def record_events(*, actor, action, changes, reason=""):
    """`record_event` for a change made to many objects at once, in one insert: `changes` is a list
    of (obj, before, after). Load what the objects' scope paths go through (select_related), or
    each event costs a query."""
    events = [Event(action, obj, before, after, reason) for obj, before, after in changes]
    return record_each(actor=actor, events=events)


class Event(NamedTuple):
    action: str
    obj: Model
    before: dict | None = None
    after: dict | None = None
    reason: str = ""


def record_each(*, actor, events: list[Event]):
    """`record_event` for one change that touches several objects in different ways (a choice
    changed: the old one ended, the new one filed), in one insert."""
    rows = AuditEvent.objects.bulk_create([_event(actor, *event) for event in events], batch_size=1000)
    _announce([event.obj for event in events])
    return rows


def _event(actor, action, obj, before, after, reason):
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        # An applicant's login is often its mobile number, which the audit log shows masked.
        actor_label=redact(actor.get_username()) if actor is not None and actor.is_authenticated else gettext("系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        province_id=scope_id(obj, "province"),
        training_base_id=scope_id(obj, "training_base"),
        before=before,
        after=after,
        reason=reason,
    )
