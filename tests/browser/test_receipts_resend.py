"""The office's receipts page in headless Chromium: the training-base office filters its candidates'
decisive messages that did not go out, finds the decision whose text message failed (with the
gateway's error), resends it, and sees the text message sent and the candidate leave the filter."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal import sms
from portal.models import Channel, Delivery, DeliveryStatus, Notification
from portal.tasks import sms_notification
from tests.admissions.test_publicity_pages import build_round1
from tests.browser.conftest import PHONE
from tests.browser.journeys import log_in, messages, server_clock

PASSWORD = "Correct-horse-9"  # tests.factories.user


class DownGateway(sms.BaseBackend):
    def send(self, number, text):
        raise sms.SMSError("gateway timeout")


@pytest.fixture
def failed_decision(transactional_db, world, people, settings):
    """Round 1 at Xiehe; the text message of the second candidate's decision failed for good, the
    other copies went out. Text messages go to the in-memory outbox from then on."""
    state = build_round1(world, people, places=1, candidates=2)
    decision = Notification.objects.get(recipient=state.applicants[1].user, kind="assessment.scores")
    # Committed at once here, everything went out through the console: this text message did not.
    Delivery.objects.filter(notification=decision, channel=Channel.SMS).update(status=DeliveryStatus.QUEUED)
    settings.SMS_BACKEND = "tests.browser.test_receipts_resend.DownGateway"
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    assert sms_notification(decision.pk) is False
    settings.SMS_BACKEND = "portal.sms.LocMemBackend"
    sms.outbox.clear()
    yield state, decision
    sms.outbox.clear()


def test_the_office_resends_a_failed_decision(failed_decision, browser_cookies, live_server, new_page, screenshot):
    state, decision = failed_decision
    office = new_page(PHONE)
    with server_clock(2026, 5, 2, 10, 0):
        log_in(office, live_server.url + reverse("office-receipts"), state.office.username, PASSWORD)
        office.get_by_role("link", name="未送达/失败").click()
        office.wait_for_url(re.compile(r"\?filter=problems$"))
        candidate = office.get_by_test_id("candidate").filter(has_text=state.applicants[1].full_name)
        failed = candidate.locator('[data-testid="decisive-message"][data-kind="assessment.scores"]')
        expect(failed.locator('[data-channel="sms"]')).to_contain_text("发送失败")
        expect(failed.locator('[data-channel="sms"]')).to_contain_text("gateway timeout")
        screenshot(office, "1-failed")

        failed.get_by_role("button", name="重新发送").click()
        office.wait_for_url(re.compile(r"/office/receipts/\?filter=problems$"))
        expect(messages(office)).to_contain_text("已重新发送")
        expect(candidate).to_have_count(0)  # everything to this candidate has gone out now
        office.get_by_role("link", name="全部考生").click()
        expect(failed.locator('[data-channel="sms"]')).to_contain_text("已发送")
        screenshot(office, "2-resent")
    assert [message.text for message in sms.outbox] == [decision.subject]
    assert Delivery.objects.get(notification=decision, channel=Channel.SMS).status == DeliveryStatus.SENT
