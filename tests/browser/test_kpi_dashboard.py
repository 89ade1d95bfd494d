"""The provincial KPI page in headless Chromium: the province logs in from its dashboard, opens the
KPIs and sees the charts drawn (SVG bars with their labels and figures) and the proposed cuts."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.journeys import assert_no_horizontal_scroll, log_in
from tests.browser.test_round2_invite import OFFICE_PASSWORD
from tests.province.test_kpis import seed_season


@pytest.fixture
def season(world, people):
    return seed_season(world, people["province"])


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_province_reads_the_kpi_charts(season, people, live_server, device, request, screenshot):
    page = request.getfixturevalue(device)
    log_in(page, live_server.url + reverse("province-dashboard"), people["province"].username, OFFICE_PASSWORD)
    page.get_by_test_id("kpi-link").click()
    page.wait_for_url(live_server.url + reverse("kpi-dashboard"))
    expect(page.locator("h1")).to_have_text("招收完成情况")
    expect(page.get_by_test_id("overall-rate")).to_have_text("40.7%")
    expect(page.get_by_test_id("shortage-rate")).to_have_text("41.7%")

    city = page.get_by_test_id("chart-city")
    expect(city).to_be_visible()
    expect(city.locator("rect.bar")).to_have_count(2)
    expect(city.locator("text.bar-label")).to_have_text(["宜昌市", "武汉市"])
    expect(city.locator("text.bar-value")).to_have_text(["1/13 · 7.7%", "10/14 · 71.4%"])
    specialty = page.get_by_test_id("chart-specialty")
    expect(specialty.locator("text.bar-label")).to_have_text(["儿科", "全科", "内科"])
    shortage = page.get_by_test_id("chart-shortage")
    expect(shortage.locator("text.bar-value")).to_have_text(["1/2 · 50.0%", "3/3 · 100.0%", "1/7 · 14.3%"])

    # The bars are drawn to scale: Wuhan's 10 of 14 is far longer than Yichang's 1 of 13.
    yichang, wuhan = (box["width"] for box in (bar.bounding_box() for bar in city.locator("rect.bar").all()))
    assert wuhan > 5 * yichang > 0

    cuts = page.get_by_test_id("cut-row")
    expect(cuts).to_have_count(2)
    expect(cuts.first).to_contain_text("协和医院")
    expect(cuts.first.locator("td").last).to_have_text("3")
    expect(cuts.last.locator("td").last).to_have_text("5")
    expect(page.get_by_test_id("export-csv")).to_be_visible()
    if device == "phone":
        assert_no_horizontal_scroll(page)
    screenshot(page, f"kpis-{device}")
