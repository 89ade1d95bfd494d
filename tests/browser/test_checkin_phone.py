"""Assessment day on a phone (390×844), through the real pages and the login form: the training-base
office opens the check-in page, finds a candidate by name and taps 签到 and the counts change;
opens a seat's check-in page as the phone's camera would from the notice's QR code and checks that
candidate in; ends the check-in, so the others are marked absent. A stranger who scans the same
code learns only that the notice is genuine, and an office member who scans one before signing in
is brought back to the candidate. Nothing scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bases.services.quotas import do_set_quota
from portal.models import Role, User
from tests import factories
from tests.browser.conftest import PHONE
from tests.browser.journeys import assert_no_horizontal_scroll, log_in, messages, server_clock, shanghai
from tests.round_helpers import bulk_candidates

PASSWORD = "Check-in-2026"


@pytest.fixture
def day(transactional_db):
    """协和医院's internal-medicine interview at 09:00 on 27 April 2026 with four candidates,
    committed so that the live server thread sees them."""
    province = factories.province()
    campaign = factories.campaign(province)
    xiehe = factories.training_base(province, "协和医院")
    internal = factories.specialty_base(xiehe, factories.specialty("0100", "内科"))
    do_set_quota(actor=None, campaign=campaign, specialty_base=internal, places=2)
    office = User.objects.create_user(
        username="xiehe-office", password=PASSWORD, role=Role.BASE_OFFICE, training_base=xiehe, province=province
    )
    session = factories.assessment_session(
        campaign, internal, shanghai(2026, 4, 27, 9), place="门诊楼5楼示教室", created_by=office
    )
    seats = factories.seats(session, bulk_candidates(campaign, internal, 4, scored=False))
    return {"session": session, "seats": seats}


@pytest.fixture
def morning(browser_cookies):
    """The server's clock at 09:10 on the day, ticking."""
    with server_clock(2026, 4, 27, 9, 10):
        yield


def counts(page):
    return [page.get_by_test_id(f"count-{name}").inner_text() for name in ("seated", "present", "absent", "waiting")]


def test_check_in_on_a_phone(day, morning, live_server, phone, new_page, screenshot):
    seats = day["seats"]
    page_url = live_server.url + reverse("round-check-in", args=[1])
    log_in(phone, page_url, "xiehe-office", PASSWORD)
    expect(phone.get_by_test_id("session")).to_contain_text("门诊楼5楼示教室")
    assert counts(phone) == ["4", "0", "0", "4"]
    expect(phone.get_by_test_id("seat-row")).to_have_count(4)
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "session")

    # Search by name and tap 签到.
    first = seats[0].applicant.full_name
    phone.get_by_placeholder("姓名、证件号后4位或验证码").fill(first)
    phone.get_by_role("button", name="查找").click()
    row = phone.get_by_test_id("seat-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(first)
    row.get_by_role("button", name="签到").tap()
    expect(messages(phone)).to_contain_text(f"已签到：{first}")
    expect(phone.get_by_test_id("count-present")).to_have_text("1")
    expect(phone.get_by_test_id("seat-row").get_by_test_id("seat-status")).to_have_text("已签到")
    assert_no_horizontal_scroll(phone)

    # The next candidate shows the notice; the camera opens its QR code's link.
    second = seats[1]
    phone.goto(live_server.url + reverse("seat-check-in", args=[second.verification_code]))
    card = phone.get_by_test_id("seat-card")
    expect(card).to_contain_text(second.applicant.full_name)
    expect(card).to_contain_text("门诊楼5楼示教室")
    expect(card.get_by_test_id("seat-status")).to_have_text("已安排")
    assert_no_horizontal_scroll(phone)
    card.get_by_role("button", name="签到").tap()
    expect(card.get_by_test_id("seat-status")).to_have_text("已签到")
    screenshot(phone, "scanned")

    # Back to the session: end the check-in, the two who did not come are absent.
    phone.get_by_role("link", name="返回本场签到").click()
    assert counts(phone) == ["4", "2", "0", "2"]
    phone.get_by_test_id("end-check-in").locator("summary").tap()
    expect(phone.get_by_test_id("end-check-in")).to_contain_text("尚未签到的 2 名考生将记为缺考")
    phone.get_by_test_id("end-confirm").tap()
    expect(phone.get_by_test_id("all-marked")).to_be_visible()
    assert counts(phone) == ["4", "2", "2", "0"]
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "ended")

    # Someone else who scans a notice sees only that it is genuine.
    stranger = new_page(PHONE)
    stranger.goto(live_server.url + reverse("seat-check-in", args=[seats[2].verification_code]))
    expect(stranger.get_by_test_id("seat-verified")).to_have_text("有效的考核通知")
    expect(stranger.locator("main")).not_to_contain_text(seats[2].applicant.full_name)
    expect(stranger.get_by_role("button", name="签到")).to_have_count(0)
    assert_no_horizontal_scroll(stranger)

    # An office member on a phone not yet signed in scans a notice, signs in and lands on the candidate.
    stranger.get_by_test_id("staff-login").tap()
    form = stranger.locator("main form")
    form.get_by_label("用户名").fill("xiehe-office")
    form.get_by_label("密码").fill(PASSWORD)
    form.get_by_role("button", name="登录").click()
    expect(stranger.get_by_test_id("seat-card")).to_contain_text(seats[2].applicant.full_name)
    expect(stranger.get_by_test_id("seat-status")).to_have_text("缺考")
