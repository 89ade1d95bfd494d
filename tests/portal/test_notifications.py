import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from portal.models import Channel, Notification
from portal.notifications import notify
from portal.tasks import email_notification


def test_the_email_goes_out_once_after_commit(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=people["applicant"], kind="qualification", subject="资格审核通过", body="您已通过资格审核。"
        )
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["资格审核通过"]
    assert email_notification(notification.pk) is False  # delivered again: nothing more is sent
    assert len(mail.outbox) == 1
    copy = notification.deliveries.get()
    assert (copy.channel, copy.status, copy.attempts) == (Channel.EMAIL, "sent", 1) and copy.sent_at is not None


def test_a_rolled_back_change_mails_nobody(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=people["applicant"], kind="x", subject="不应发送", body="")
        raise RuntimeError
    assert mail.outbox == [] and not Notification.objects.exists()


def test_messages_page_shows_mine_and_marks_them_read(client, people):
    mine = notify(recipient=people["applicant"], kind="x", subject="复试邀请", body="请于6月20日参加复试")
    notify(recipient=people["other_applicant"], kind="x", subject="别人的消息", body="")
    client.force_login(people["applicant"])
    page = client.get(reverse("notifications")).content.decode()
    assert "复试邀请" in page and "别人的消息" not in page
    client.post(reverse("notifications-read"), {"id": [mine.pk]})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_messages_page_needs_a_login(client, db):
    assert client.get(reverse("notifications")).status_code == 302
