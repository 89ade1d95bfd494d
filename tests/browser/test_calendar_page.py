"""The provincial office enters next year's holidays and declares the year complete, in headless
Chromium on a phone (issue 11, item 7)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from policy.models import CalendarYear
from portal.models import Role, User
from tests import factories
from tests.browser.journeys import log_in, messages, server_clock

PASSWORD = "Calendar-office-2026"
LINES = """2027-01-01 休 元旦
2027-02-08 休 春节
2027-02-09 休 春节
2027-02-10 休 春节
2027-02-11 休 春节
2027-02-13 班 春节调休上班
2027-04-05 休 清明
2027-05-03 休 劳动节
2027-10-01 休 国庆节"""


@pytest.fixture
def office(transactional_db):
    province = factories.province()
    factories.campaign(province)
    User.objects.create_user(username="hubei-office", password=PASSWORD, role=Role.PROVINCIAL_OFFICE, province=province)
    return province


def test_the_office_enters_next_year_and_declares_it_complete(office, browser_cookies, live_server, phone, screenshot):
    with server_clock(2026, 12, 3, 10, 0):
        log_in(phone, live_server.url + reverse("province-dashboard"), "hubei-office", PASSWORD)
        warning = phone.get_by_test_id("calendar-warning")
        expect(warning).to_contain_text("2027年的法定节假日和调休安排尚未录入")
        warning.get_by_role("link", name="录入工作日安排").click()
        expect(phone.get_by_test_id("calendar-status")).to_contain_text("未知")

        phone.get_by_label("日期（每行一天）").fill("2027-02-30 休 春节")
        phone.get_by_role("button", name="保存").click()
        expect(phone.locator("main")).to_contain_text("第1行格式不对")
        phone.get_by_label("日期（每行一天）").fill(LINES)
        phone.get_by_role("button", name="保存").click()
        expect(messages(phone)).to_contain_text("已保存 9 天。")
        expect(phone.get_by_test_id("calendar-day")).to_have_count(9)
        screenshot(phone, "1-entered")

        phone.get_by_role("button", name="确认该年安排已录入完整").click()
        expect(messages(phone)).to_contain_text("已确认 2027 年工作日安排完整。")
        expect(phone.get_by_test_id("calendar-status")).to_contain_text("已录入并确认完整")
        screenshot(phone, "2-declared")
        phone.goto(live_server.url + reverse("province-dashboard"))
        expect(phone.get_by_test_id("calendar-warning")).to_have_count(0)
    assert CalendarYear.objects.get(province=office, year=2027).declared_complete_at is not None
