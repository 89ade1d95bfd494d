import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification
from portal.notifications import TEXTABLE, mobile_of, unsent
from portal.privacy import mask_phone
from portal.queueing import run_sweep
from portal.sms import TRANSIENT_ERRORS, send_sms

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=8,
)
def email_notification(notification_id):
    """Send a notification's e-mail once, however many times the task is delivered.

    The row lock makes a second delivery wait for the first and then see `emailed_at` set.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or not notification.recipient.email:
            return False
        send_mail(notification.subject, notification.body, None, [notification.recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=8)
def sms_notification(notification_id):
    """Text a notification's subject once, however many times the task is delivered.

    Same row lock as the e-mail task, with `texted_at` as the marker. A transient failure is
    recorded on the row (`attempts`, `last_error`) and raised again so that Celery retries it.
    """
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.texted_at is not None:
            return False
        number = mobile_of(notification.recipient)
        if not number:
            return False
        notification.attempts = min(notification.attempts + 1, 32767)
        try:
            send_sms(number, notification.subject)
        except TRANSIENT_ERRORS as error:
            failure = error
            notification.last_error = f"{type(error).__name__}: {error}"
            notification.save(update_fields=["attempts", "last_error"])
        else:
            notification.texted_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["attempts", "last_error", "texted_at"])
    if failure is not None:
        logger.warning(
            "SMS for notification %s to %s failed (attempt %s): %s",
            notification_id,
            mask_phone(number),
            notification.attempts,
            notification.last_error,
        )
        raise failure
    logger.info("SMS for notification %s sent to %s", notification_id, mask_phone(number))
    return True


@shared_task(bind=True, acks_late=True)
def resend_unsent_notifications(self):
    """Queue again the copies that have not gone out ten minutes on (the broker was down when the
    change was saved, or the retries ran out); after two days a copy is given up.

    Idempotent: the tasks it queues send each copy once, so a copy queued twice goes out once.
    Returns (e-mails queued, text messages queued).
    """

    def sweep():
        unmailed, untexted = unsent(timezone.now(), waited=timedelta(minutes=10), given_up_after=timedelta(days=2))
        return _queue(unmailed, untexted)

    return run_sweep(self, sweep)


@shared_task(acks_late=True)
def queue_copies(notification_ids):
    """Queue the e-mail and SMS copies of many notifications from a worker: a change that notifies
    hundreds of people at once (`notify_many`) queues one of these per thousand notifications on
    its commit, rather than two tasks per notification. Run twice, it queues the copies twice, and
    each still goes out once."""
    batch = Notification.objects.filter(pk__in=notification_ids)
    _queue(batch.exclude(recipient__email=""), batch.filter(TEXTABLE))


def _queue(to_mail, to_text):
    """Queue an e-mail task per notification of `to_mail` and an SMS task per one of `to_text`;
    returns how many of each."""
    mail_ids = list(to_mail.values_list("pk", flat=True))
    text_ids = list(to_text.values_list("pk", flat=True))
    for pk in mail_ids:
        email_notification.delay(pk)
    for pk in text_ids:
        sms_notification.delay(pk)
    return len(mail_ids), len(text_ids)
