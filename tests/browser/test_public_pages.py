"""The public pages in headless Chromium: a phone visitor goes from the home page to the directory and
the plan table and finds Hubei's 37 training bases; a desktop visitor switches the language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.journeys import assert_no_horizontal_scroll, server_clock

HUBEI_TRAINING_BASES = 37
ENSHI = "恩施州"
ENSHI_BASES = {"恩施土家族苗族自治州中心医院", "湖北民族大学附属民大医院"}
XIEHE = "华中科技大学同济医学院附属协和医院"
PLAN_PAGE_SIZE = 200


@pytest.fixture
def round1_registration():
    """Server clock at 2026-04-10 10:00 in Shanghai, inside round 1 registration (04-08 … 04-23)."""
    with server_clock(2026, 4, 10, 10, 0):
        yield


def nav_link(page, label):
    return page.locator("nav.main-nav").get_by_role("link", name=label, exact=True)


def plan_rows(page):
    """The rows of the plan table as dicts, read in one round trip."""
    return page.locator("table[data-testid=plan-table] tbody tr").evaluate_all(
        """rows => rows.map(row => {
            const cells = [...row.cells].map(cell => cell.innerText.trim());
            return {
                cells: cells.length,
                base: cells[0], city: cells[1], specialty: cells[2],
                places: Number(cells[3]), capacity: Number(cells[4]),
                shortage: row.classList.contains("shortage"),
                badge: row.querySelector(".badge")?.innerText.trim() ?? null,
            };
        })"""
    )


def planned_total(page):
    text = page.locator("p.totals").inner_text()
    match = re.search(r"计划合计\s*(\d+)\s*人", text)
    assert match, f"no 计划合计 in {text!r}"
    return int(match.group(1))


def submit_filters(page, expected_query):
    page.locator("form.filters").get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(expected_query))


def api_plan_rows(page, base_url):
    """Every row of the public plan API, following its `next` links."""
    url, rows, count = f"{base_url}/api/v1/plan/?page=1", [], None
    while url:
        response = page.request.get(url)
        assert response.ok, f"GET {url}: {response.status}"
        body = response.json()
        count = body["count"]
        rows += body["results"]
        url = body["next"]
    assert len(rows) == count
    return rows


def test_phone_visitor_finds_the_37_training_bases(hubei_demo, round1_registration, live_server, phone, screenshot):
    page = phone

    # Home: this year's campaign and where it stands.
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text("2026年度湖北省")
    expect(page.get_by_test_id("current-phase")).to_have_text("第一批次注册和填报志愿")
    current_step = page.locator("ol.timetable > li.current")
    expect(current_step).to_have_count(1)
    expect(current_step).to_contain_text("第一批次注册和填报志愿")
    expect(current_step.locator(".step-dates")).to_have_text("4月8日 – 4月23日")
    assert_no_horizontal_scroll(page)
    screenshot(page, "1-home")

    # Directory, reached through the header navigation.
    nav_link(page, "培训基地").click()
    page.wait_for_url(re.compile(r"/bases/$"))
    bases = page.locator("ul[data-testid=training-bases] > li.training-base")
    expect(bases).to_have_count(HUBEI_TRAINING_BASES)
    expect(page.locator("main")).to_contain_text(f"共 {HUBEI_TRAINING_BASES} 家住培基地")
    xiehe = bases.filter(has=page.locator("h2", has_text=XIEHE))
    expect(xiehe).to_have_count(1)
    expect(xiehe.locator("dt:text-is('联系人') + dd")).to_have_text("何老师")
    expect(xiehe.locator("dt:text-is('办公电话') + dd")).to_have_text("027-85726935")
    expect(xiehe.locator("dt:text-is('QQ群号') + dd")).to_contain_text("340728617")
    expect(bases.filter(has=page.locator("h2", has_text="襄阳市口腔医院"))).to_have_count(1)
    assert_no_horizontal_scroll(page)
    screenshot(page, "2-directory")

    # Plan table, unfiltered: paginated, and its pages together cover every training base.
    nav_link(page, "招收计划").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    expect(page.locator("h1")).to_have_text("2026年度招收计划表")
    first_page = plan_rows(page)
    assert len(first_page) == PLAN_PAGE_SIZE, "the unfiltered plan has more rows than one page holds"
    assert all(row["cells"] == 5 for row in first_page)
    all_planned = planned_total(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "3-plan-table")

    rows, page_number = list(first_page), 1
    next_link = page.locator("nav.pager").get_by_role("link", name="下一页")
    while next_link.count():
        page_number += 1
        next_link.click()
        page.wait_for_url(re.compile(rf"[?&]page={page_number}$"))
        rows += plan_rows(page)
        screenshot(page, f"4-plan-table-page-{page_number}")
    assert page_number > 1, "the pager never offered a next page"
    assert len({row["base"] for row in rows}) == HUBEI_TRAINING_BASES
    assert sum(row["places"] for row in rows) == all_planned, "计划合计 disagrees with the rows"

    api_rows = api_plan_rows(page, live_server.url)
    assert len(api_rows) == len(rows), "the pages and the API list a different number of rows"
    assert {row["training_base"] for row in api_rows} == {row["base"] for row in rows}

    # Filter by city: only Enshi's two training bases remain.
    page.locator("select[name=city]").select_option(ENSHI)
    submit_filters(page, r"[?&]city=")
    expect(page.locator("select[name=city]")).to_have_value(ENSHI)
    enshi_rows = plan_rows(page)
    assert enshi_rows, "no plan rows for 恩施州"
    assert {row["city"] for row in enshi_rows} == {ENSHI}
    assert {row["base"] for row in enshi_rows} == ENSHI_BASES
    assert planned_total(page) == sum(row["places"] for row in enshi_rows)
    assert planned_total(page) < all_planned
    screenshot(page, "5-plan-table-enshi")

    # ...and only the shortage specialties among them.
    page.locator("input[name=shortage]").check()
    submit_filters(page, r"[?&]shortage=on")
    shortage_rows = plan_rows(page)
    assert shortage_rows, "no shortage rows for 恩施州"
    assert len(shortage_rows) < len(enshi_rows)
    assert all(row["shortage"] for row in shortage_rows)
    assert all(row["badge"] == "紧缺" for row in shortage_rows)
    assert {row["city"] for row in shortage_rows} == {ENSHI}
    assert planned_total(page) == sum(row["places"] for row in shortage_rows)
    assert_no_horizontal_scroll(page)
    screenshot(page, "6-plan-table-enshi-shortage")


def test_desktop_visitor_switches_language(live_server, desktop, screenshot):
    page = desktop
    html = page.locator("html")
    switch = page.locator("form.language-switch")

    page.goto(live_server.url + "/")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(switch.locator("button[value=zh-hans]")).to_have_attribute("aria-current", "true")
    screenshot(page, "1-chinese")

    switch.locator("button[name=language][value=en]").click()
    expect(html).to_have_attribute("lang", "en")
    assert page.url == live_server.url + "/", "switching language left the page"
    expect(switch.locator("button[value=en]")).to_have_attribute("aria-current", "true")
    screenshot(page, "2-english")

    # The choice sticks on the next page.
    page.locator("nav.main-nav a[href='/bases/']").click()
    page.wait_for_url(re.compile(r"/bases/$"))
    expect(html).to_have_attribute("lang", "en")
    screenshot(page, "3-english-directory")

    switch.get_by_role("button", name="简体中文").click()
    expect(html).to_have_attribute("lang", "zh-hans")
    assert page.url == live_server.url + "/bases/"
    expect(switch.locator("button[value=zh-hans]")).to_have_attribute("aria-current", "true")
    screenshot(page, "4-back-to-chinese")
