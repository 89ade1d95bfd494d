"""In-site messages with an e-mail copy. The e-mail goes out from a task queued on commit, so a
rolled-back change never mails anyone."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from portal.models import Notification


def notify(*, recipient, kind, subject, body):
    from portal.tasks import email_notification

    notification = Notification.objects.create(recipient=recipient, kind=kind, subject=subject, body=body)
    transaction.on_commit(partial(email_notification.delay, notification.pk))
    return notification


def mark_read(*, user, notification_ids):
    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
