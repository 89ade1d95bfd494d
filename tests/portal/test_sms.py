import io

import pytest
from django.db import transaction

from admissions.models import Applicant
from portal import sms
from portal.models import Channel, Delivery, DeliveryStatus, Notification, Role
from portal.notifications import notify
from portal.sms import ConsoleBackend, SMSError
from portal.tasks import sms_notification
from tests import factories

MOBILE = "13912345678"


@pytest.fixture
def resident(db):
    user = factories.user(Role.APPLICANT)
    Applicant.objects.create(user=user, full_name="李明", mobile=MOBILE)
    return user


class FlakyBackend(sms.BaseBackend):
    """Fails while `failures` is positive, then sends to the in-memory outbox."""

    failures = 0

    def send(self, number, text):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise SMSError("gateway busy")
        sms.outbox.append(sms.SMSMessage(number, text))


def test_the_sms_goes_out_once_after_commit(outbox, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=resident, kind="invitation", subject="复试邀请", body="请于6月20日参加复试")
        assert outbox == []
    assert outbox == [sms.SMSMessage(MOBILE, "复试邀请")]
    copy = Delivery.objects.get(notification=notification, channel=Channel.SMS)
    assert (copy.status, copy.attempts, copy.last_error) == (DeliveryStatus.SENT, 1, "")
    assert copy.sent_at is not None and copy.provider_message_id == outbox[0].message_id != ""


def test_a_task_run_twice_texts_once(outbox, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=resident, kind="admitted", subject="录取通知", body="")
    assert sms_notification(notification.pk) is False  # delivered again
    assert [m.text for m in outbox] == ["录取通知"]


def test_a_rolled_back_change_texts_nobody(outbox, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=resident, kind="x", subject="不应发送", body="")
        raise RuntimeError
    assert outbox == [] and not Notification.objects.exists()


def test_nobody_without_a_mobile_number_is_texted(outbox, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(recipient=people["xiehe_office"], kind="x", subject="待审核", body="")
    assert len(callbacks) == 1  # the e-mail only
    assert sms_notification(notification.pk) is False
    assert outbox == []


def test_a_failing_gateway_is_recorded_and_a_later_run_succeeds(outbox, settings, resident):
    settings.SMS_BACKEND = "tests.portal.test_sms.FlakyBackend"
    FlakyBackend.failures = 2
    notification = notify(recipient=resident, kind="x", subject="成绩已发布", body="")  # copies queued, not sent
    copy = Delivery.objects.get(notification=notification, channel=Channel.SMS)
    for attempt in (1, 2):
        with pytest.raises(SMSError):  # Celery retries this with backoff (autoretry_for)
            sms_notification(notification.pk)
        copy.refresh_from_db()
        assert copy.status == DeliveryStatus.QUEUED and copy.sent_at is None
        assert copy.attempts == attempt and "gateway busy" in copy.last_error
    assert sms_notification(notification.pk) is True
    copy.refresh_from_db()
    assert (copy.status, copy.attempts, copy.last_error) == (DeliveryStatus.SENT, 3, "")
    assert sms_notification(notification.pk) is False
    assert [m.text for m in outbox] == ["成绩已发布"]


def test_the_task_retries_transient_gateway_errors():
    assert SMSError in sms_notification.autoretry_for and sms_notification.retry_backoff


def test_the_console_backend_masks_the_number(capsys, settings, resident):
    settings.SMS_BACKEND = "portal.sms.ConsoleBackend"
    notification = notify(recipient=resident, kind="x", subject="资格审核通过", body="")
    assert sms_notification(notification.pk) is True
    out = capsys.readouterr().out
    assert "139****5678" in out and "资格审核通过" in out
    assert MOBILE not in out


def test_the_console_backend_writes_to_its_stream():
    stream = io.StringIO()
    ConsoleBackend(stream=stream).send("13800001111", "报到提醒")
    assert stream.getvalue() == "SMS to 138****1111: 报到提醒\n"


def test_the_file_backend_appends_one_line_per_message(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.log")
    sms.FileBackend().send("13800001111", "第一条\n两行")
    sms.FileBackend().send("13800002222", "第二条")
    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert lines == ["138****1111\t第一条 两行", "138****2222\t第二条"]


def test_without_a_broker_a_failing_gateway_leaves_the_change_saved_and_the_copy_queued(
    outbox, settings, resident, django_capture_on_commit_callbacks
):
    # The default set-up runs tasks in the request: the gateway's failure must not turn the
    # committed change into an error page.
    assert settings.CELERY_TASK_ALWAYS_EAGER
    settings.SMS_BACKEND = "tests.portal.test_sms.FlakyBackend"
    FlakyBackend.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=resident, kind="x", subject="成绩已发布", body="")
    copy = Delivery.objects.get(notification=notification, channel=Channel.SMS)
    assert (copy.status, copy.attempts) == (DeliveryStatus.QUEUED, 1)
    assert "gateway busy" in copy.last_error and outbox == []
    FlakyBackend.failures = 0
