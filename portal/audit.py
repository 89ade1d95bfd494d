"""The one way to write an audit event. Call it inside the service's transaction, so the event
exists exactly when the change it describes does."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext

from portal.models import AuditEvent
from portal.permissions import scope_id


def record_event(*, actor, action, obj, before=None, after=None, reason=""):
    """`actor` is a user, or None for the system (a sweep, a management command)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor.get_username() if actor is not None and actor.is_authenticated else gettext("系统"),
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
