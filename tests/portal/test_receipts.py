"""Receipts (回执): every e-mail and SMS copy of a message carries its state through the tasks, the
retry cap and the SMS gateway's signed delivery reports."""

import datetime
import hashlib
import hmac
import json
import smtplib
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from admissions.models import Applicant
from portal import sms
from portal.models import Channel, Delivery, DeliveryStatus, Role
from portal.notifications import notify, notify_many
from portal.sms import SMSError
from portal.tasks import email_notification, resend_unsent_notifications, sms_notification
from tests import factories

MOBILE = "13912345678"
SECRET = "gateway-shared-secret"
NOON = datetime.datetime(2026, 12, 4, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def resident(db):
    user = factories.user(Role.APPLICANT)
    Applicant.objects.create(user=user, full_name="李明", mobile=MOBILE)
    return user


class DownGateway(sms.BaseBackend):
    """A gateway that never answers."""

    calls = 0

    def send(self, number, text):
        DownGateway.calls += 1
        raise SMSError("gateway timeout")


class BrokenGateway(sms.BaseBackend):
    def send(self, number, text):
        raise ValueError("invalid sender signature")


class RefusingMailer:
    """An e-mail backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")


def _copy(notification, channel):
    return Delivery.objects.get(notification=notification, channel=channel)


def test_each_copy_is_queued_with_the_message_and_sent_with_the_gateway_id(
    outbox, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        notification = notify(recipient=resident, kind="x", subject="复试邀请", body="请参加复试")
    assert len(queued) == 2
    assert {(d.channel, d.status, d.attempts) for d in notification.deliveries.all()} == {
        ("email", "queued", 0),
        ("sms", "queued", 0),
    }
    for callback in queued:
        callback()
    email, text = _copy(notification, Channel.EMAIL), _copy(notification, Channel.SMS)
    assert (email.status, email.attempts, email.address) == ("sent", 1, "u@example.com")
    assert email.provider_message_id == "", "SMTP gives no id: an e-mail copy stays at sent"
    assert (text.status, text.attempts, text.address) == ("sent", 1, MOBILE)
    assert text.provider_message_id == outbox[0].message_id


def test_a_user_without_an_address_has_no_copy_on_that_channel(db, django_capture_on_commit_callbacks):
    nowhere = factories.user(Role.APPLICANT)  # no e-mail address, no applicant's mobile number
    nowhere.email = ""
    nowhere.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        notification = notify(recipient=nowhere, kind="x", subject="待审核", body="")
    assert queued == [] and not notification.deliveries.exists() and mail.outbox == []


def test_notify_many_makes_the_copies_in_bulk(outbox, resident, django_assert_num_queries):
    others = [factories.user(Role.APPLICANT) for _ in range(5)]
    messages = [{"recipient": user, "kind": "x", "subject": "公示", "body": ""} for user in [resident, *others]]
    # notifications, who has a mobile number, the copies: the same three queries for any number
    with django_assert_num_queries(3):
        notifications = notify_many(messages)
    assert Delivery.objects.filter(notification__in=notifications, channel=Channel.EMAIL).count() == 6
    assert list(Delivery.objects.filter(channel=Channel.SMS).values_list("notification__recipient", flat=True)) == [
        resident.pk
    ]


def test_a_failing_gateway_is_retried_up_to_the_cap_then_failed_and_left_alone(outbox, settings, resident):
    settings.SMS_BACKEND = "tests.portal.test_receipts.DownGateway"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    DownGateway.calls = 0
    with time_machine.travel(NOON, tick=False):
        notification = notify(recipient=resident, kind="x", subject="成绩已发布", body="")
        for attempt in (1, 2):  # each delivery of the task, and each Celery retry of it
            with pytest.raises(SMSError):
                sms_notification(notification.pk)
            assert (_copy(notification, Channel.SMS).status, _copy(notification, Channel.SMS).attempts) == (
                "queued",
                attempt,
            )
        assert sms_notification(notification.pk) is False, "the third attempt is the last: no retry"
        email_notification(notification.pk)
        text = _copy(notification, Channel.SMS)
        assert (text.status, text.attempts, DownGateway.calls) == ("failed", 3, 3)
        assert text.failed_at == NOON and "gateway timeout" in text.last_error
        assert _copy(notification, Channel.EMAIL).status == "sent", "the e-mail copy is its own"
        assert sms_notification(notification.pk) is False, "a failed copy is not retried automatically"
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        assert resend_unsent_notifications() == (0, 0), "nor by the sweep"
    assert DownGateway.calls == 3 and outbox == []


def test_a_permanent_error_fails_the_copy_at_once(outbox, settings, resident):
    settings.SMS_BACKEND = "tests.portal.test_receipts.BrokenGateway"
    notification = notify(recipient=resident, kind="x", subject="录取通知", body="")
    assert sms_notification(notification.pk) is False
    text = _copy(notification, Channel.SMS)
    assert (text.status, text.attempts) == ("failed", 1) and "invalid sender signature" in text.last_error


def test_mail_refused_by_the_server_is_recorded_retried_and_failed(settings, resident):
    settings.MAILERS = {"default": {"BACKEND": "tests.portal.test_receipts.RefusingMailer", "OPTIONS": {}}}
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    notification = notify(recipient=resident, kind="x", subject="资格审核通过", body="")
    with pytest.raises(smtplib.SMTPServerDisconnected):  # Celery retries this one
        email_notification(notification.pk)
    assert (_copy(notification, Channel.EMAIL).status, _copy(notification, Channel.EMAIL).attempts) == ("queued", 1)
    assert email_notification(notification.pk) is False
    email = _copy(notification, Channel.EMAIL)
    assert (email.status, email.attempts) == ("failed", 2) and "connection closed" in email.last_error


def test_the_sweep_requeues_only_queued_copies_below_the_cap(outbox, settings, resident):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    with time_machine.travel(NOON - datetime.timedelta(hours=1), tick=False):
        # the broker was down: the copies are queued and no task ran
        stuck = notify(recipient=resident, kind="x", subject="待发送", body="")
        spent = notify(recipient=resident, kind="x", subject="已尝试两次", body="")
        at_cap = notify(recipient=resident, kind="x", subject="已到上限", body="")
    Delivery.objects.filter(notification=spent).update(attempts=2)
    Delivery.objects.filter(notification=at_cap).update(attempts=3)
    with time_machine.travel(NOON, tick=False):
        assert resend_unsent_notifications() == (2, 2)
        assert resend_unsent_notifications() == (0, 0)
    assert sorted(m.text for m in outbox) == ["已尝试两次", "待发送"]
    assert _copy(stuck, Channel.SMS).attempts == 1
    assert _copy(spent, Channel.SMS).attempts == 3, "the sweep's attempt counts towards the cap"
    assert _copy(at_cap, Channel.SMS).status == "queued" and _copy(at_cap, Channel.EMAIL).status == "queued"


def test_a_duplicate_task_sends_once(outbox, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=resident, kind="x", subject="录取通知", body="")
    assert sms_notification(notification.pk) is False and email_notification(notification.pk) is False
    assert [m.text for m in outbox] == ["录取通知"] and len(mail.outbox) == 1
    assert {d.attempts for d in notification.deliveries.all()} == {1}


# The gateway's delivery reports ---------------------------------------------------------------------


@pytest.fixture
def texted(outbox, settings, resident, django_capture_on_commit_callbacks):
    settings.SMS_RECEIPT_SECRET = SECRET
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=resident, kind="x", subject="录取通知", body="")
    return _copy(notification, Channel.SMS)


def _report(client, payload, *, secret=SECRET, signature=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    if signature is None:
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        reverse("api-sms-receipts"), body, content_type="application/json", headers={"X-Signature": signature}
    )


def test_a_signed_report_marks_the_text_delivered_and_a_repeat_changes_nothing(client, texted):
    reported_at = "2026-12-04T12:00:05+08:00"
    payload = {"message_id": texted.provider_message_id, "status": "delivered", "reported_at": reported_at}
    response = _report(client, payload)
    assert response.status_code == 200 and response.json()["status"] == "delivered"
    texted.refresh_from_db()
    assert texted.status == DeliveryStatus.DELIVERED and texted.delivered_at == datetime.datetime.fromisoformat(
        reported_at
    )
    assert _report(client, payload).status_code == 200
    assert _report(client, {**payload, "status": "failed"}).json()["status"] == "delivered", "out of order: ignored"


def test_a_failure_report_marks_the_text_failed_with_the_gateway_reason(client, texted):
    response = _report(client, {"message_id": texted.provider_message_id, "status": "failed", "error": "空号"})
    assert response.status_code == 200
    texted.refresh_from_db()
    assert (texted.status, texted.last_error) == (DeliveryStatus.FAILED, "空号") and texted.failed_at is not None


def test_reports_are_refused_without_a_valid_signature(client, settings, texted):
    payload = {"message_id": texted.provider_message_id, "status": "delivered"}
    assert _report(client, payload, secret="guessed").status_code == 403
    assert _report(client, payload, signature="").status_code == 403
    settings.SMS_RECEIPT_SECRET = ""
    assert _report(client, payload, secret="").status_code == 403, "no secret set: every report is refused"
    texted.refresh_from_db()
    assert texted.status == DeliveryStatus.SENT


def test_a_bad_body_is_400_and_an_unknown_id_404(client, texted):
    assert _report(client, b"{not json").status_code == 400
    assert _report(client, {"message_id": texted.provider_message_id, "status": "read"}).status_code == 400
    assert _report(client, {"status": "delivered"}).status_code == 400
    assert _report(client, {"message_id": "no-such-id", "status": "delivered"}).status_code == 404
    texted.refresh_from_db()
    assert texted.status == DeliveryStatus.SENT


# The recipient's view ---------------------------------------------------------------------------------


def test_the_messages_page_shows_each_copy_state_with_masked_addresses(
    client, outbox, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=resident, kind="x", subject="录取通知", body="")
    client.force_login(resident)
    page = client.get(reverse("notifications")).content.decode()
    assert "站内" in page and "未读" in page and "已发送" in page
    assert "139****5678" in page and "u***@example.com" in page
    assert MOBILE not in page and "u@example.com" not in page
    client.post(reverse("notifications-read"), {"id": [notification.pk]})
    assert "已读" in client.get(reverse("notifications")).content.decode()


def test_my_messages_api_lists_the_copies(client, outbox, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=resident, kind="x", subject="录取通知", body="")
    notify(recipient=factories.user(Role.APPLICANT), kind="x", subject="别人的", body="")
    client.force_login(resident)
    [message] = client.get(reverse("api-my-messages")).json()["results"]
    assert message["subject"] == "录取通知"
    assert [(c["channel"], c["status"], c["address"]) for c in message["copies"]] == [
        ("site", "unread", ""),
        ("email", "sent", "u***@example.com"),
        ("sms", "sent", "139****5678"),
    ]


def test_my_messages_stay_flat_in_queries(client, resident, django_assert_max_num_queries):
    client.force_login(resident)
    for n in range(3):
        notify(recipient=resident, kind="x", subject=f"消息{n}", body="")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("api-my-messages"))
    for n in range(20):
        notify(recipient=resident, kind="x", subject=f"更多{n}", body="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api-my-messages"))
    with django_assert_max_num_queries(12) as page:
        client.get(reverse("notifications"))
    notify(recipient=resident, kind="x", subject="再一条", body="")
    with django_assert_max_num_queries(len(page.captured_queries)):
        client.get(reverse("notifications"))


def test_the_capped_attempts_are_spread_over_minutes():
    # 30 s, 1, 2, 4 minutes… (with jitter): five attempts outlast a gateway's outage of a few minutes
    for task in (email_notification, sms_notification):
        assert task.retry_backoff >= 30 and task.max_retries >= 4
