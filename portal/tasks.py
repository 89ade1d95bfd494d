import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.idempotency import forget_expired_keys
from portal.models import Channel, Delivery, DeliveryStatus
from portal.notifications import mobile_of, unsent
from portal.privacy import mask_phone
from portal.queueing import run_sweep
from portal.sms import TRANSIENT_ERRORS, send_sms

logger = logging.getLogger(__name__)

MAIL_TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


def _mail(notification, address):
    send_mail(notification.subject, notification.body, None, [address])
    return ""  # SMTP reports acceptance, never delivery: the copy stays "sent"


def _text(notification, number):
    return send_sms(number, notification.subject)


CHANNELS = {
    Channel.EMAIL: (lambda user: user.email, _mail, MAIL_TRANSIENT_ERRORS),
    Channel.SMS: (mobile_of, _text, TRANSIENT_ERRORS),
}


def deliver(notification_id, channel):
    """Make one attempt at a notification's copy on `channel`; True when it went out now.

    Sends once however many times the task is delivered: the copy's row lock makes a second
    delivery wait for the first and then find it no longer queued. Each attempt counts; a transient
    error is recorded and raised again for Celery to retry, until the copy has had
    NOTIFICATION_MAX_ATTEMPTS attempts in all (retries and the resend sweep's queues together): then
    it is failed and left alone. Any other error fails it at once.
    """
    address_of, send, transient = CHANNELS[channel]
    failure = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__recipient")
            .filter(notification_id=notification_id, channel=channel)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.QUEUED:
            return False
        now = timezone.now()
        address = address_of(delivery.notification.recipient)
        delivery.attempts = min(delivery.attempts + 1, 32767)
        try:
            if not address:
                raise ValueError("the recipient has no address for this channel any more")
            message_id = send(delivery.notification, address)
        except Exception as error:  # recorded on the copy, so that a broken gateway shows; only transient errors retry
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if isinstance(error, transient) and delivery.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
                failure = error
            else:
                delivery.status, delivery.failed_at = DeliveryStatus.FAILED, now
        else:
            delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
            delivery.provider_message_id = message_id
        delivery.address = address
        delivery.save(
            update_fields=[
                "attempts",
                "last_error",
                "status",
                "sent_at",
                "failed_at",
                "provider_message_id",
                "address",
            ]
        )
    shown = mask_phone(address) if channel == Channel.SMS else "e-mail"
    if delivery.status == DeliveryStatus.SENT:
        logger.info("%s copy of notification %s sent to %s", channel, notification_id, shown)
        return True
    logger.warning(
        "%s copy of notification %s to %s: attempt %s %s: %s",
        channel,
        notification_id,
        shown,
        delivery.attempts,
        "failed, retrying" if failure is not None else "failed for good",
        delivery.last_error,
    )
    if failure is not None:
        raise failure
    return False


# Celery's retries of a copy wait about 30 s, 1, 2, 4 minutes… (with jitter), so that the capped
# attempts (NOTIFICATION_MAX_ATTEMPTS) span a gateway's or mail server's outage of some minutes.
RETRY_BACKOFF = 30


@shared_task(acks_late=True, autoretry_for=MAIL_TRANSIENT_ERRORS, retry_backoff=RETRY_BACKOFF, max_retries=8)
def email_notification(notification_id):
    """Send a notification's e-mail copy once (see `deliver`)."""
    return deliver(notification_id, Channel.EMAIL)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=RETRY_BACKOFF, max_retries=8)
def sms_notification(notification_id):
    """Text a notification's subject once (see `deliver`)."""
    return deliver(notification_id, Channel.SMS)


@shared_task(bind=True, acks_late=True)
def resend_unsent_notifications(self):
    """Queue again the copies still queued ten minutes after they were (re)queued (the broker was
    down when the change was saved, or Celery's retries ran out) and below the attempt cap; after
    two days a copy is given up.

    Idempotent: the tasks it queues send each copy once, so a copy queued twice goes out once.
    Returns (e-mails queued, text messages queued).
    """

    def sweep():
        return _queue(unsent(timezone.now(), waited=timedelta(minutes=10), given_up_after=timedelta(days=2)))

    return run_sweep(self, sweep)


@shared_task(acks_late=True)
def queue_copies(notification_ids):
    """Queue the e-mail and SMS copies of many notifications from a worker: a change that notifies
    hundreds of people at once (`notify_many`) queues one of these per thousand notifications on
    its commit, rather than two tasks per notification. Run twice, it queues the copies twice, and
    each still goes out once."""
    _queue(Delivery.objects.filter(notification_id__in=notification_ids, status=DeliveryStatus.QUEUED))


def _queue(deliveries):
    """Queue a task per copy of `deliveries`; returns (e-mails queued, text messages queued)."""
    copies = list(deliveries.values_list("notification_id", "channel"))
    tasks = {Channel.EMAIL: email_notification, Channel.SMS: sms_notification}
    for notification_id, channel in copies:
        tasks[channel].delay(notification_id)
    return (
        sum(channel == Channel.EMAIL for _id, channel in copies),
        sum(channel == Channel.SMS for _id, channel in copies),
    )


@shared_task(acks_late=True)
def forget_expired_idempotency_keys():
    """The hourly sweep of `Idempotency-Key` answers past their lifetime; returns how many went."""
    return forget_expired_keys()
