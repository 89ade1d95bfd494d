"""A publicity list's release in headless Chromium, through the pages: the office previews its list
(who enters, with rank and composite score; the places listed per specialty base before → after) and
cannot publish it alone; a second person of the office finds it waiting, publishes it and sees how
long it can be undone; the first person undoes it within the window, the public page no longer shows
the list, and each candidate finds one message withdrawing the earlier one."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import Assessment, PublicityList, Stage
from portal.models import Notification, Role, User
from tests.admissions.test_publicity_pages import build_round1
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.journeys import log_in, messages, server_clock

PASSWORD = "Correct-horse-9"  # tests.factories.user
APPLICANT_PASSWORD = "Residency-2026!"  # tests.applicant_helpers.complete_applicant


@pytest.fixture
def proposed(transactional_db, world, people):
    """Xiehe's internal medicine (2 places) with its two candidates proposed and not yet published,
    and a second user of Xiehe's office; committed for the live server."""
    state = build_round1(world, people, places=2, candidates=2, publish=False)
    User.objects.create_user(
        username="xiehe-office-2",
        password=PASSWORD,
        role=Role.BASE_OFFICE,
        training_base=world["xiehe"],
        province=world["hubei"],
    )
    return state


def test_preview_second_person_release_and_undo(proposed, browser_cookies, live_server, new_page, screenshot):
    office, colleague = new_page(DESKTOP), new_page(PHONE)
    internal = proposed.assessments[0].specialty_base
    candidates = f"{live_server.url}{reverse('round-candidates', args=[1])}?specialty_base={internal.pk}"
    with server_clock(2026, 4, 29, 16, 0):
        # The office previews its list: both candidates enter, with their rank and composite score.
        log_in(office, candidates, proposed.office.username, PASSWORD)
        office.get_by_test_id("publish").get_by_role("button", name="预览发布").click()
        office.wait_for_url(re.compile(r"/releases/\d+/$"))
        expect(messages(office)).to_contain_text("请本办公室另一名工作人员核对预览并确认发布")
        expect(office.get_by_test_id("release-status")).to_have_text("待确认")
        entering = office.get_by_test_id("preview-entering").locator("tbody tr")
        expect(entering).to_have_text([re.compile("申请人1.*内科.*1.*89.3"), re.compile("申请人2.*内科.*2.*88.3")])
        expect(office.get_by_test_id("preview-bases").locator("tbody tr")).to_have_text([re.compile("内科.*2.*0.*2")])
        # It cannot publish it alone: the button is disabled and says why.
        expect(office.get_by_role("button", name="确认发布")).to_be_disabled()
        expect(office.locator("#confirm-closed")).to_contain_text("准备人不能自己确认")
        screenshot(office, "1-preview")
        release_url = office.url
        assert not PublicityList.objects.exists()

        # The second person finds it waiting on the publicity page and publishes it.
        log_in(colleague, live_server.url + reverse("publicity-manage"), "xiehe-office-2", PASSWORD)
        waiting = colleague.get_by_test_id("releases").get_by_test_id("release-row")
        expect(waiting).to_contain_text("协和医院第1批次拟录取名单公示")
        expect(waiting).to_contain_text("待确认")
        waiting.get_by_role("link").click()
        expect(colleague.get_by_test_id("preview-entering")).to_contain_text("申请人2")
        screenshot(colleague, "2-colleague-preview")
        colleague.get_by_role("button", name="确认发布").click()
        expect(messages(colleague)).to_contain_text("已确认发布。")
        expect(colleague.get_by_test_id("release-status")).to_have_text("已发布")
        expect(colleague.get_by_test_id("undo-left")).to_contain_text("还可撤回 30 分钟")
        screenshot(colleague, "3-released")
        publicity = PublicityList.objects.get()
        assert publicity.published_by.username == "xiehe-office-2"
        office.goto(live_server.url + reverse("publicity-public", args=[publicity.pk]))
        expect(office.locator("main")).to_contain_text("申请人1")

        # The first person undoes it: the list is gone from the public pages.
        office.goto(release_url)
        expect(office.get_by_test_id("release-status")).to_have_text("已发布")
        office.get_by_label("撤回原因").fill("名单需复核")
        office.get_by_role("button", name="撤回").click()
        expect(messages(office)).to_contain_text("已撤回，恢复到发布前的状态")
        expect(office.get_by_test_id("release-status")).to_have_text("已撤回")
        expect(office.get_by_test_id("release-facts")).to_contain_text("名单需复核")
        screenshot(office, "4-undone")
        office.goto(live_server.url + reverse("publicity-list-public"))
        expect(office.locator("main")).not_to_contain_text("协和医院")
        assert not PublicityList.objects.exists()
        assert set(Assessment.objects.values_list("stage", flat=True)) == {Stage.PROPOSED}

        # Each candidate finds the earlier message withdrawn, once.
        applicant = new_page(PHONE)
        log_in(
            applicant,
            live_server.url + reverse("notifications"),
            proposed.applicants[0].user.username,
            APPLICANT_PASSWORD,
        )
        expect(applicant.locator("main li").filter(has_text="撤回通知")).to_have_count(1)
        expect(applicant.locator("main")).to_contain_text("此前关于您列入拟录取名单公示的通知作废")
        screenshot(applicant, "5-applicant-withdrawn")
    assert Notification.objects.filter(kind="release.withdrawn").count() == 2
