"""A candidate on a phone (390×844) reads its assessment arrangement (考核安排), opens the notice
link, and asks once to sit the other interview; the page then shows the request waiting and no
longer offers the form. Nothing scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import MoveRequest
from bases.services.quotas import do_set_quota
from tests import factories
from tests.browser.journeys import assert_no_horizontal_scroll, log_in, messages, server_clock, shanghai
from tests.round_helpers import bulk_candidates

PASSWORD = "Seat-move-2026"


@pytest.fixture
def seated(transactional_db):
    """协和医院's internal medicine with interviews on 28 and 29 April 2026; one candidate seated in
    the first, committed so that the live server thread sees them."""
    province = factories.province()
    campaign = factories.campaign(province)
    xiehe = factories.training_base(province, "协和医院")
    internal = factories.specialty_base(xiehe, factories.specialty("0100", "内科"))
    do_set_quota(actor=None, campaign=campaign, specialty_base=internal, places=2)
    first = factories.assessment_session(campaign, internal, shanghai(2026, 4, 28, 9), place="门诊楼5楼示教室")
    second = factories.assessment_session(campaign, internal, shanghai(2026, 4, 29, 14), place="内科楼3楼会议室")
    [assessment] = bulk_candidates(campaign, internal, 1, scored=False)
    [seat] = factories.seats(first, [assessment])
    user = assessment.application.applicant.user
    user.set_password(PASSWORD)
    user.save()
    return {"seat": seat, "second": second, "username": user.username}


def test_the_candidate_asks_to_move_on_a_phone(seated, browser_cookies, live_server, phone, screenshot):
    with server_clock(2026, 4, 26, 9, 0):
        log_in(phone, live_server.url + reverse("my-seats"), seated["username"], PASSWORD)
        card = phone.get_by_test_id("seat")
        expect(card).to_contain_text("门诊楼5楼示教室")
        expect(card.get_by_test_id("seat-status")).to_have_text("已安排")
        expect(card.get_by_test_id("notice-link")).to_have_attribute(
            "href", reverse("seat-notice", args=[seated["seat"].pk])
        )
        assert_no_horizontal_scroll(phone)

        card.get_by_text("申请调换场次（只能申请一次）").tap()
        card.get_by_label("调换到").select_option(str(seated["second"].pk))
        card.get_by_label("申请理由").fill("28日上午有毕业论文答辩。")
        assert_no_horizontal_scroll(phone)
        screenshot(phone, "move-form")
        card.get_by_role("button", name="提交申请").tap()

        expect(messages(phone)).to_contain_text("调换场次申请已提交")
        state = phone.get_by_test_id("move-state")
        expect(state).to_contain_text("待处理")
        expect(phone.get_by_test_id("move-form")).to_have_count(0)
        assert_no_horizontal_scroll(phone)
    move = MoveRequest.objects.get()
    assert move.to_session == seated["second"] and move.reason == "28日上午有毕业论文答辩。"
