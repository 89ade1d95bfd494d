"""The applicant's round pages on a phone, in headless Chromium, through the login form: an applicant
accepts its proposed admission during publicity (and the public list shows it with a masked ID
number); in round 2 an applicant invited by two bases accepts one and sees the other declined."""

from playwright.sync_api import expect

from admissions.models import Application, Assessment, Confirmation, Invitation, InvitationStatus
from portal.privacy import mask_id_number
from tests.admissions.test_admission_notice import build_invitations
from tests.admissions.test_publicity_pages import build_round1
from tests.browser.journeys import assert_no_horizontal_scroll, log_in, messages, server_clock

PASSWORD = "Residency-2026!"  # tests.applicant_helpers.complete_applicant


def test_an_applicant_accepts_during_publicity(world, people, browser_cookies, live_server, phone, screenshot):
    state = build_round1(world, people)
    wang = state.applicants[0]
    page = phone
    with server_clock(2026, 5, 6, 10, 0):
        log_in(page, live_server.url + "/me/offers/", wang.user.username, PASSWORD)
        offer = page.get_by_test_id("offer").first
        expect(offer).to_contain_text("协和医院 · 内科")
        expect(offer.get_by_test_id("stage")).to_have_text("拟录取")
        expect(offer.get_by_test_id("publicity-last-day")).to_have_text("2026年5月12日24时")
        expect(offer.get_by_test_id("confirmation")).to_have_text("待确认")
        assert_no_horizontal_scroll(page)
        screenshot(page, "1-proposed")

        offer.get_by_role("button", name="接受录取").click()
        expect(messages(page)).to_contain_text("您已确认接受录取")
        offer = page.get_by_test_id("offer").first
        expect(offer.get_by_test_id("confirmation")).to_have_text("接受录取")
        expect(offer.get_by_role("button", name="接受录取")).to_have_count(0)
        expect(offer.get_by_role("button", name="放弃录取")).to_be_visible()
        screenshot(page, "2-accepted")

        # The public list: the applicant's name with its ID number masked.
        page.goto(live_server.url + "/publicity/")
        expect(page.get_by_test_id("publicity-list").first.get_by_test_id("publicity-state")).to_have_text("公示中")
        page.get_by_test_id("publicity-list").first.get_by_role("link", name="协和医院").click()
        entries = page.get_by_test_id("publicity-entries")
        expect(entries).to_contain_text(wang.full_name)
        expect(entries).to_contain_text(mask_id_number(wang.id_number))
        expect(entries).not_to_contain_text(wang.id_number)
        expect(page.get_by_test_id("publicity-period")).to_contain_text("公示至2026年5月12日24时")
        expect(page.get_by_test_id("objection-form")).to_be_visible()
        screenshot(page, "3-public-list")

    assessment = Assessment.objects.get(pk=state.assessments[0].pk)
    assert assessment.confirmation == Confirmation.ACCEPTED


def test_an_invited_applicant_accepts_one_base_and_sees_the_other_declined(
    world, people, browser_cookies, live_server, phone, screenshot
):
    invited = build_invitations(world, people)
    zhao = invited["zhao"]
    page = phone
    with server_clock(2026, 6, 4, 10, 0):
        log_in(page, live_server.url + "/me/offers/", zhao.user.username, PASSWORD)
        cards = page.get_by_test_id("invitation")
        expect(cards).to_have_count(2)
        # The shortage specialty (paediatrics) comes first.
        expect(cards.nth(0)).to_contain_text("协和医院 · 儿科")
        expect(cards.nth(0)).to_contain_text("紧缺专业")
        expect(cards.nth(1)).to_contain_text("同济医院 · 内科")
        for n in range(2):
            expect(cards.nth(n).get_by_test_id("invitation-status")).to_have_text("待回复")
        assert_no_horizontal_scroll(page)
        screenshot(page, "1-two-invitations")

        cards.filter(has_text="同济医院").get_by_role("button", name="接受").click()
        expect(messages(page)).to_contain_text("其他邀请已自动谢绝")
        tongji = page.get_by_test_id("invitation").filter(has_text="同济医院")
        xiehe = page.get_by_test_id("invitation").filter(has_text="协和医院")
        expect(tongji.get_by_test_id("invitation-status")).to_have_text("已接受")
        expect(xiehe.get_by_test_id("invitation-status")).to_have_text("已谢绝")
        expect(page.get_by_test_id("invitations").get_by_role("button")).to_have_count(0)
        screenshot(page, "2-accepted-one")

    assert dict(Invitation.objects.values_list("pk", "status")) == {
        invited["tongji"].pk: InvitationStatus.ACCEPTED,
        invited["xiehe"].pk: InvitationStatus.DECLINED,
    }
    assert Application.objects.get(applicant=zhao, round=2).specialty_base == invited["tongji"].specialty_base
