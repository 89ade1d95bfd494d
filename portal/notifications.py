"""In-site messages with an e-mail copy when the recipient has an address and an SMS copy when the
recipient has a mobile number. Each copy is a `Delivery` row made with the message, and goes out
from a task queued on commit, so a rolled-back change never mails or texts anyone."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from portal.models import Channel, Delivery, DeliveryStatus, Notification, Role, User
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


# `mobile_of` as a filter on users: the user has a number (a later `User.phone` joins here).
TEXTABLE_USER = Q(applicant__mobile__gt="")

# The task that sends a copy of each channel; it takes the notification's id.
COPY_TASKS = {
    Channel.EMAIL: "portal.tasks.email_notification",
    Channel.SMS: "portal.tasks.sms_notification",
}


def _channels(*, emailed, textable):
    """The channels of a message's copies: e-mail when `emailed` (the recipient has an address),
    SMS when `textable`."""
    return [channel for channel, wanted in ((Channel.EMAIL, emailed), (Channel.SMS, textable)) if wanted]


def _copies(notification, *, emailed, textable):
    """The Delivery rows (unsaved) of `notification`'s copies."""
    return [
        Delivery(notification=notification, channel=channel, queued_at=notification.created_at)
        for channel in _channels(emailed=emailed, textable=textable)
    ]


def _send_copies(notification):
    recipient = notification.recipient
    deliveries = Delivery.objects.bulk_create(
        _copies(notification, emailed=bool(recipient.email), textable=bool(mobile_of(recipient)))
    )
    for delivery in deliveries:
        enqueue_on_commit(COPY_TASKS[delivery.channel], notification.pk)


def notify(*, recipient, kind, subject, body):
    notification = Notification.objects.create(recipient=recipient, kind=kind, subject=subject, body=body)
    _send_copies(notification)
    return notification


def notify_many(messages):
    """`notify` for many messages at once, in one insert of the notifications and one of their
    copies: `messages` is a list of `notify`'s keyword arguments. The copies are queued by one task
    per thousand notifications (`queue_copies`)."""
    notifications = [Notification(**message) for message in messages]
    ids = _insert(Notification, [_row(notification) for notification in notifications])
    for notification, pk in zip(notifications, ids, strict=True):
        notification.pk = pk
        notification._state.adding, notification._state.db = False, connection.alias
    # Who has an address and who a number, read in one query: the callers' recipients are often
    # loaded with their id only, and reading each one's address would cost a query per recipient.
    reach = {
        pk: (bool(email), textable)
        for pk, email, textable in User.objects.filter(pk__in={n.recipient_id for n in notifications})
        .annotate(textable=Exists(User.objects.filter(TEXTABLE_USER, pk=OuterRef("pk"))))
        .values_list("pk", "email", "textable")
    }
    _insert(
        Delivery,
        [
            {"notification_id": n.pk, "channel": channel, "queued_at": n.created_at}
            for n in notifications
            for channel in _channels(emailed=reach[n.recipient_id][0], textable=reach[n.recipient_id][1])
        ],
    )
    for start in range(0, len(ids), 1000):
        enqueue_on_commit("portal.tasks.queue_copies", ids[start : start + 1000])
    return notifications


def _row(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }


_PLAIN_COLUMNS = {"CharField", "TextField", "ForeignKey", "PositiveSmallIntegerField", "IntegerField"}


def _insert(model, rows):
    """Insert `rows` ({column's attname: value}, every other column its field's default) into
    `model`'s table, a thousand a statement, and return their primary keys in order. A round close
    writes a hundred thousand notifications and copies: `bulk_create` would spend more on preparing
    each instance and each value than the database spends on the rows."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields if field.attname not in rows[0]}
    columns = ", ".join(quote(field.column) for field in fields)
    placeholder = f"({', '.join(['%s'] * len(fields))})"
    returning = quote(model._meta.pk.column)
    # None, and a string or a whole number in a text, number or key column, go to the database as
    # they are; anything else (a time, a choice, a lazy translation) is prepared by its field, once
    # per column and value.
    plain = [field.get_internal_type() in _PLAIN_COLUMNS for field in fields]
    prepared = {}
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            batch = rows[start : start + 1000]
            params = []
            for row in batch:
                for index, (field, is_plain) in enumerate(zip(fields, plain, strict=True)):
                    value = row.get(field.attname, defaults.get(field.attname))
                    if value is not None and not (is_plain and type(value) in (str, int)):
                        key = (index, value)
                        if key not in prepared:
                            prepared[key] = field.get_db_prep_save(value, connection)
                        value = prepared[key]
                    params.append(value)
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
                f"VALUES {', '.join([placeholder] * len(batch))} RETURNING {returning}",
                params,
            )
            pks += [pk for (pk,) in cursor.fetchall()]
    return pks


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
    """The copies still queued that were (re)queued between `given_up_after` and `waited` before
    `moment` and have attempts left: their task was never queued (the broker was down), or it ran
    out of Celery retries before the cap. A copy at the cap is failed, never in here."""
    return Delivery.objects.filter(
        status=DeliveryStatus.QUEUED,
        attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS,
        queued_at__range=(moment - given_up_after, moment - waited),
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
