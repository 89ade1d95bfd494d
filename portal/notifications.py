"""In-site messages with an e-mail copy and, when the recipient has a mobile number, an SMS copy.
Both go out from tasks queued on commit, so a rolled-back change never mails or texts anyone."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal.models import Notification, Role, User
from portal.queueing import enqueue_on_commit


def mobile_of(user):
    """The number a user's text messages go to, or "" for none.

    Accounts have no phone of their own yet: an applicant's mobile stands in. A later `User.phone`
    takes over here without touching the callers.
    """
    number = getattr(user, "phone", "")
    if number:
        return number
    try:
        return user.applicant.mobile
    except ObjectDoesNotExist:
        return ""


# `mobile_of` as a filter on notifications: the recipient has a number (a later `User.phone` joins here).
TEXTABLE = Q(recipient__applicant__mobile__gt="")


def _send_copies(notification):
    enqueue_on_commit("portal.tasks.email_notification", notification.pk)
    if mobile_of(notification.recipient):
        enqueue_on_commit("portal.tasks.sms_notification", notification.pk)


def notify(*, recipient, kind, subject, body):
    notification = Notification.objects.create(recipient=recipient, kind=kind, subject=subject, body=body)
    _send_copies(notification)
    return notification


def notify_many(messages):
    """`notify` for many messages at once, in one insert: `messages` is a list of `notify`'s keyword
    arguments. The copies are queued by one task per thousand notifications (`queue_copies`)."""
    notifications = Notification.objects.bulk_create([Notification(**message) for message in messages], batch_size=1000)
    ids = [notification.pk for notification in notifications]
    for start in range(0, len(ids), 1000):
        enqueue_on_commit("portal.tasks.queue_copies", ids[start : start + 1000])
    return notifications


def notify_once(*, recipient, key, kind, subject, body):
    """Like `notify`, but a message with the same `key` is created and sent only once, however
    often a sweep or task runs. Returns the new notification, or None when it already exists.

    The unique `dedupe_key` decides, not the look-up: of two concurrent callers the second waits
    on the first's insert and then fails inside its own savepoint, leaving the caller's
    transaction usable.
    """
    if Notification.objects.filter(dedupe_key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, subject=subject, body=body, dedupe_key=key
            )
    except IntegrityError:
        return None
    _send_copies(notification)
    return notification


def unsent(moment, *, waited, given_up_after):
    """(notifications still to be e-mailed, still to be texted) among those created between
    `given_up_after` and `waited` before `moment`: their task was never queued (the broker was
    down), or it ran out of retries."""
    window = Notification.objects.filter(created_at__range=(moment - given_up_after, moment - waited))
    return (
        window.filter(emailed_at__isnull=True).exclude(recipient__email=""),
        window.filter(TEXTABLE, texted_at__isnull=True),
    )


def mark_read(*, user, notification_ids):
    return Notification.objects.filter(recipient=user, pk__in=notification_ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notify_offices(*, training_base=None, province=None, kind, subject, body):
    """Notify every active admission-office user of a training base, or the provincial office."""
    if training_base is not None:
        recipients = User.objects.filter(role=Role.BASE_OFFICE, training_base=training_base)
    else:
        recipients = User.objects.filter(role=Role.PROVINCIAL_OFFICE, province=province)
    return [notify(recipient=user, kind=kind, subject=subject, body=body) for user in recipients.filter(is_active=True)]
