"""Receipts (回执): what became of each copy of a message. The tasks (portal.tasks.deliver) record
queued → sent or failed; an SMS gateway's delivery report, signed with SMS_RECEIPT_SECRET, records
delivered or failed by the gateway's message id; an office resends a copy that failed or never
went out. E-mail has no delivery report: "sent" is as far as SMTP tells."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Channel, Delivery, DeliveryStatus, Notification, User
from portal.notifications import COPY_TASKS, mobile_of
from portal.privacy import mask_email, mask_phone
from portal.queueing import enqueue_on_commit

# What a gateway's report may say of a message.
REPORTED = (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)

# Copies an office may queue again: failed, or still queued (never went out).
RESENDABLE = (DeliveryStatus.FAILED, DeliveryStatus.QUEUED)


def with_copies(notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """`notifications` with their recipient (and the number `mobile_of` reads) and their copies
    (e-mail first), in one more query."""
    return notifications.select_related("recipient__applicant").prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("channel"))
    )


def messages_of(user: User) -> QuerySet[Notification]:
    """`user`'s own messages, newest first, with their copies."""
    return with_copies(Notification.objects.filter(recipient=user))


@dataclass(frozen=True)
class CopyState:
    """One line of a message's receipt, as the pages show it."""

    channel: str  # "site", "email" or "sms"
    label: str  # 站内 / 邮件 / 短信
    status: str
    status_label: str
    at: datetime | None
    address: str  # masked
    problem: bool  # not (yet) received: failed or still queued
    error: str = ""


def copy_states(notification: Notification, *, with_error=False) -> list[CopyState]:
    """The in-site copy (read or unread) and each e-mail and SMS copy of `notification`, with the
    time of its state and the masked address. Uses the prefetched copies (`with_copies`).
    `with_error` adds the last error, for the office."""
    recipient = notification.recipient
    read = notification.read_at is not None
    site = ("read", _("已读")) if read else ("unread", _("未读"))
    states = [CopyState("site", _("站内"), *site, notification.read_at, "", False)]
    for delivery in notification.deliveries.all():
        address = delivery.address or (recipient.email if delivery.channel == Channel.EMAIL else mobile_of(recipient))
        states.append(
            CopyState(
                delivery.channel,
                delivery.get_channel_display(),
                delivery.status,
                delivery.get_status_display(),
                state_time(delivery),
                mask_email(address) if delivery.channel == Channel.EMAIL else mask_phone(address),
                delivery.status in RESENDABLE,
                delivery.last_error if with_error else "",
            )
        )
    return states


def state_time(delivery: Delivery) -> datetime | None:
    return {
        DeliveryStatus.QUEUED: delivery.queued_at,
        DeliveryStatus.SENT: delivery.sent_at,
        DeliveryStatus.DELIVERED: delivery.delivered_at,
        DeliveryStatus.FAILED: delivery.failed_at,
    }[delivery.status]


# The SMS gateway's delivery reports -----------------------------------------------------------------


def signature_of(body: bytes) -> str:
    """The hex HMAC-SHA256 of a report's body with SMS_RECEIPT_SECRET, as the gateway signs it."""
    return hmac.new(settings.SMS_RECEIPT_SECRET.encode(), body, hashlib.sha256).hexdigest()


def signed(body: bytes, signature: str) -> bool:
    """Whether `signature` is the report's signature; never, while no secret is set."""
    return bool(settings.SMS_RECEIPT_SECRET) and hmac.compare_digest(signature_of(body), signature.strip().lower())


def record_report(*, message_id: str, status: str, error: str = "", at: datetime | None = None) -> Delivery | None:
    """Record the gateway's report that its message `message_id` was delivered or failed; returns
    the SMS copy, or None when no copy has that id.

    A report repeated changes nothing. A copy reported delivered stays delivered; a failure
    reported after a delivery report (out of order) is ignored, a delivery reported after a
    failure wins (the handset got it in the end).
    """
    at = at or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .filter(channel=Channel.SMS, provider_message_id=message_id)
            .first()
        )
        if delivery is None:
            return None
        if status == DeliveryStatus.DELIVERED and delivery.status != DeliveryStatus.DELIVERED:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, at
            delivery.save(update_fields=["status", "delivered_at"])
        elif status == DeliveryStatus.FAILED and delivery.status == DeliveryStatus.SENT:
            delivery.status, delivery.failed_at = DeliveryStatus.FAILED, at
            delivery.last_error = error[:2000] or _("短信网关报告未送达")
            delivery.save(update_fields=["status", "failed_at", "last_error"])
    return delivery


# Resending ------------------------------------------------------------------------------------------


def do_resend_copies(notification: Notification) -> list[Delivery]:
    """Queue again, as a new series of attempts, the copies of `notification` that failed or never
    went out; returns them. Trusts its caller: the notification's row is locked
    (select_for_update), and the caller checked who may resend it and how often."""
    now = timezone.now()
    copies = list(
        Delivery.objects.select_for_update(of=("self",)).filter(notification=notification, status__in=RESENDABLE)
    )
    for delivery in copies:
        delivery.status, delivery.attempts, delivery.queued_at, delivery.failed_at = DeliveryStatus.QUEUED, 0, now, None
        delivery.save(update_fields=["status", "attempts", "queued_at", "failed_at"])
        enqueue_on_commit(COPY_TASKS[delivery.channel], notification.pk)
    return copies
