"""Receipts pages (回执): the applicant sees what was sent and what became of each copy; the
training-base office sees whether its candidates' decisive messages reached them and resends
those that did not — its own candidates only, at most once in ten minutes per message."""

import pytest
from django.urls import reverse

from admissions.services.assessments import decide_admission, review_qualification
from admissions.services.choices import submit_choice
from admissions.services.receipts import resend_notification
from portal import sms
from portal.models import AuditEvent, Channel, Delivery, DeliveryStatus, Notification
from portal.tasks import sms_notification
from tests.admissions.test_publicity_pages import at, build_round1, score
from tests.applicant_helpers import complete_applicant

DECISIVE = {"assessment.scores", "publicity.started"}


class DownGateway(sms.BaseBackend):
    def send(self, number, text):
        raise sms.SMSError("gateway timeout")


@pytest.fixture
def round1(world, people, outbox):
    """Round 1 with two candidates at Xiehe, proposed and not admitted, on the published list. The
    messages' copies are queued: no task ran."""
    return build_round1(world, people, places=1, candidates=2)


def _fail_texts(settings, notifications):
    """The gateway is down for every attempt of the SMS copies of `notifications`."""
    settings.SMS_BACKEND = "tests.admissions.test_receipts_pages.DownGateway"
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    for notification in notifications:
        assert sms_notification(notification.pk) is False
    settings.SMS_BACKEND = "portal.sms.LocMemBackend"


def _decisive(applicant):
    return Notification.objects.filter(recipient=applicant.user, kind__in=DECISIVE).order_by("created_at", "pk")


def test_the_applicant_sees_when_each_message_was_sent_and_its_copies(
    client, round1, outbox, django_capture_on_commit_callbacks
):
    first = round1.applicants[0]
    with django_capture_on_commit_callbacks(execute=True):
        for notification in _decisive(first):
            sms_notification.delay(notification.pk)
    client.force_login(first.user)
    page = client.get(reverse("notifications")).content.decode()
    assert "考核结果：拟录取" in page and "发送于 2026-04-27" in page
    assert 'data-channel="sms" data-status="sent"' in page and "已发送" in page
    receipt = page[page.index('class="receipt"') :]
    assert "138****0001" in receipt and first.mobile not in receipt
    assert 'data-channel="site" data-status="unread"' in page


def test_the_office_sees_each_candidate_with_the_decisive_messages(client, round1, people):
    client.force_login(people["xiehe_office"])
    with at(2026, 5, 2, 10):
        page = client.get(reverse("office-receipts")).content.decode()
    for applicant in round1.applicants:
        assert applicant.full_name in page
    assert page.count('data-kind="assessment.scores"') == 2
    assert page.count('data-kind="publicity.started"') == 1, "only the proposed candidate is on the list"
    assert "排队中" in page and "未读" in page
    assert "重新发送" in page


def test_the_filter_keeps_candidates_with_a_failed_or_unsent_copy(
    client, round1, people, settings, django_capture_on_commit_callbacks
):
    first, second = round1.applicants
    with django_capture_on_commit_callbacks(execute=True):  # everything to the first goes out
        for notification in _decisive(first):
            sms_notification.delay(notification.pk)
    Delivery.objects.filter(notification__recipient=first.user).update(status=DeliveryStatus.SENT)
    _fail_texts(settings, _decisive(second))
    client.force_login(people["xiehe_office"])
    with at(2026, 5, 2, 10):
        page = client.get(reverse("office-receipts"), {"filter": "problems"}).content.decode()
    assert second.full_name in page and first.full_name not in page
    assert "发送失败" in page and "gateway timeout" in page


def test_another_base_neither_sees_nor_resends_the_candidates_messages(client, round1, people):
    notification = _decisive(round1.applicants[0]).first()
    client.force_login(people["tongji_office"])
    with at(2026, 5, 2, 10):
        page = client.get(reverse("office-receipts")).content.decode()
        assert round1.applicants[0].full_name not in page
        response = client.post(reverse("office-receipt-resend", args=[notification.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="notification.resend").exists()


def test_only_decisive_messages_can_be_resent(client, round1, people):
    submitted = Notification.objects.get(recipient=round1.applicants[0].user, kind="application.submitted")
    client.force_login(people["xiehe_office"])
    with at(2026, 5, 2, 10):
        assert client.post(reverse("office-receipt-resend", args=[submitted.pk])).status_code == 404


def test_the_office_resends_a_failed_text_and_it_goes_out(
    client, round1, people, settings, outbox, django_capture_on_commit_callbacks
):
    second = round1.applicants[1]
    decision = _decisive(second).get()
    with at(2026, 4, 27, 10, 5):
        _fail_texts(settings, [decision])
    assert Delivery.objects.get(notification=decision, channel=Channel.SMS).status == DeliveryStatus.FAILED
    client.force_login(people["xiehe_office"])
    with at(2026, 5, 2, 10), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("office-receipt-resend", args=[decision.pk]), follow=True)
    assert "已重新发送" in response.content.decode()
    text = Delivery.objects.get(notification=decision, channel=Channel.SMS)
    assert (text.status, text.attempts) == (DeliveryStatus.SENT, 1), "a new series of attempts"
    assert [m.text for m in outbox] == [decision.subject]
    [event] = AuditEvent.objects.filter(action="notification.resend")
    assert event.actor == people["xiehe_office"] and event.after["notification"] == decision.pk


def test_a_message_is_resent_at_most_once_in_ten_minutes(round1, people, settings):
    decision = _decisive(round1.applicants[1]).get()
    office = people["xiehe_office"]
    with at(2026, 5, 2, 10):
        assert [c.channel for c in resend_notification(actor=office, notification_id=decision.pk)] == ["sms"]
    _fail_texts(settings, [decision])
    with at(2026, 5, 2, 10, 9), pytest.raises(Exception, match="10分钟内") as refused:
        resend_notification(actor=office, notification_id=decision.pk)
    assert refused.value.status == 429
    with at(2026, 5, 2, 10, 11):
        assert [c.channel for c in resend_notification(actor=office, notification_id=decision.pk)] == ["sms"]
    assert AuditEvent.objects.filter(action="notification.resend").count() == 2


def test_nothing_to_resend_is_refused(round1, people, outbox, django_capture_on_commit_callbacks):
    decision = _decisive(round1.applicants[1]).get()
    Delivery.objects.filter(notification=decision).update(status=DeliveryStatus.SENT)
    with at(2026, 5, 2, 10), pytest.raises(Exception, match="无需重新发送"):
        resend_notification(actor=people["xiehe_office"], notification_id=decision.pk)


def _more_candidates(world, people, round1, numbers):
    """More candidates at Xiehe's internal medicine, assessed and not admitted: each with a decision."""
    applicants = [complete_applicant(n) for n in numbers]
    with at(2026, 4, 10, 9):
        choices = [
            submit_choice(
                actor=a.user, applicant=a, campaign=round1.campaign, specialty_base=world["xiehe_internal"]
            ).application
            for a in applicants
        ]
    with at(2026, 4, 27, 11):
        for choice in choices:
            assessment = review_qualification(actor=people["xiehe_staff"], application=choice, passed=True)
            score(people["xiehe_staff"], assessment, "70.0", "70.0")
            decide_admission(actor=people["xiehe_office"], assessment=assessment, admit=False)
    return applicants


def test_the_office_page_stays_flat_in_queries(client, world, people, round1, django_assert_max_num_queries):
    client.force_login(people["xiehe_office"])
    with at(2026, 5, 2, 10), django_assert_max_num_queries(30) as few:
        assert client.get(reverse("office-receipts")).status_code == 200
    added = _more_candidates(world, people, round1, range(3, 9))
    with at(2026, 5, 2, 10), django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("office-receipts")).content.decode()
    assert all(applicant.full_name in page for applicant in added)
    assert page.count('data-kind="assessment.scores"') == 8
