import smtplib

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification


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
