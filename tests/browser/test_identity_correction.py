"""An identity correction after selection, in headless Chromium: the applicant asks on its phone, the
base office checks, the province approves, and the public list says so (issue 11, item 9)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import PublicityEntry
from policy.identity import make_resident_id
from portal.models import Role, User
from tests import factories
from tests.browser.conftest import DESKTOP
from tests.browser.journeys import log_in, messages, server_clock
from tests.round_helpers import proposed_in_round1

PASSWORD = "Identity-office-2026"


@pytest.fixture
def listed(transactional_db):
    province = factories.province()
    campaign = factories.campaign(province)
    xiehe = factories.training_base(province, "协和医院")
    internal = factories.specialty_base(xiehe, factories.specialty("0100", "内科"))
    office = User.objects.create_user(
        username="xiehe-office", password=PASSWORD, role=Role.BASE_OFFICE, training_base=xiehe, province=province
    )
    User.objects.create_user(username="hubei-office", password=PASSWORD, role=Role.PROVINCIAL_OFFICE, province=province)
    staff = factories.user(Role.SPECIALTY_BASE_STAFF, specialty_base=internal)
    world = {"hubei_campaign": campaign, "xiehe": xiehe, "xiehe_internal": internal}
    assessment = proposed_in_round1(world, {"xiehe_office": office, "xiehe_staff": staff})
    return assessment.application.applicant


def review(page, approve, note):
    card = page.get_by_test_id("correction").first
    card.get_by_label("同意" if approve else "不同意", exact=True).check()
    card.get_by_label("审核意见").fill(note)
    card.get_by_role("button", name="提交审核意见").click()


def test_a_correction_goes_through_both_approvals(listed, browser_cookies, live_server, phone, new_page, screenshot):
    new_number = make_resident_id("420102", listed.birth_date, 77)
    with server_clock(2026, 5, 8, 10, 0):
        log_in(phone, live_server.url + reverse("applicant-identity"), listed.user.username, "Residency-2026!")
        expect(phone.get_by_test_id("correction")).to_contain_text("不能再自行修改")
        form = phone.get_by_test_id("correction")
        form.get_by_label("更正后的姓名").fill("申请人壹")
        form.get_by_label("更正后的证件号码").fill(new_number)
        form.get_by_label("更正理由").fill("身份证号码最后几位录错")
        form.get_by_role("button", name="提交更正申请").click()
        expect(messages(phone)).to_contain_text("更正申请已提交")
        expect(phone.get_by_test_id("corrections")).to_contain_text("待培训基地审核")
        screenshot(phone, "1-applicant-requested")

        office = new_page(DESKTOP)
        log_in(office, live_server.url + reverse("identity-requests"), "xiehe-office", PASSWORD)
        expect(office.get_by_test_id("correction-status")).to_have_text("待培训基地审核")
        review(office, True, "已当面核对身份证原件")
        expect(messages(office)).to_contain_text("已审核。")
        expect(office.get_by_test_id("correction-status")).to_have_text("待省级审核")

        province = new_page(DESKTOP)
        log_in(province, live_server.url + reverse("identity-requests"), "hubei-office", PASSWORD)
        review(province, True, "同意更正")
        expect(province.get_by_test_id("correction-status")).to_have_text("已更正")
        screenshot(province, "2-province-approved")

        entry = PublicityEntry.objects.get()
        phone.goto(live_server.url + reverse("publicity-public", args=[entry.publicity_list_id]))
        expect(phone.get_by_test_id("publicity-entries")).to_contain_text("申请人壹")
        expect(phone.get_by_test_id("identity-corrected")).to_contain_text("经审核更正")
        screenshot(phone, "3-public-list")
    listed.refresh_from_db()
    assert (listed.full_name, listed.id_number) == ("申请人壹", new_number)
