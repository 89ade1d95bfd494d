"""One whole season in headless Chromium, through the pages only, once on a phone and once on a desktop,
each on fresh data: the province approves Xiehe's brochure, which the base publishes; an applicant
registers, completes its file and chooses Xiehe's internal medicine in round 1; the specialty's staff
review and score it, the base office proposes it and previews the list, which a second person of the
office publishes; during publicity the applicant finds itself on the public list and accepts; after the
admission sweep it opens its notice and checks the notice's code on the public verification page; the
base records reporting and the agreement; the province publishes the registration roster and reads the
KPIs and the audit log.

Only the clock, moved from phase to phase, and the periodic sweeps, run the way Celery beat runs them,
happen outside the pages. Screenshots: <viewport>-<NN>-<step>.png in the screenshots folder."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from admissions import tasks
from admissions.models import Admission, AdmissionStatus, Stage
from bases.services.brochures import save_brochure_draft, start_brochure_draft, submit_brochure
from bases.services.quotas import do_set_quota
from policy.identity import make_resident_id
from portal.models import Role
from portal.privacy import mask_id_number, mask_phone
from tests import factories
from tests.admissions.test_publicity_pages import at, pdf_text
from tests.brochure_helpers import complete_sections
from tests.browser.conftest import DESKTOP, PHONE, save_screenshot
from tests.browser.journeys import (
    SCANS_BY_KIND,
    assert_no_horizontal_scroll,
    enter_scores,
    log_in,
    messages,
    open_tab,
    ranking_row,
    review,
    server_clock,
    shanghai,
    upload,
)

OFFICE_PASSWORD = "Correct-horse-9"  # tests.factories.user
PASSWORD = "Season-e2e-2026"
MOBILE = "13987654321"
NAME = "李华"
RESIDENT_ID = make_resident_id("420106", datetime.date(2003, 5, 20), 318)
XIEHE, TONGJI = "协和医院", "同济医院"


class Shots:
    """`shots(page, "step")` saves <viewport>-<NN>-<step>.png, numbered in the order of the season; on a
    phone it first checks that the page does not scroll sideways."""

    def __init__(self, viewport):
        self.viewport = viewport
        self.taken = 0

    def __call__(self, page, step):
        if self.viewport == "phone":
            assert_no_horizontal_scroll(page)
        self.taken += 1
        return save_screenshot(page, f"{self.viewport}-{self.taken:02d}-{step}")


@pytest.fixture
def season(world, people):
    """Hubei's 2026 campaign with one place of internal medicine at Xiehe and one at Tongji; Xiehe's
    office submitted its brochure on 03-18 and it awaits the province's audit. Committed for the live
    server (the browser tests' database is transactional)."""
    campaign = world["hubei_campaign"]
    for specialty_base in (world["xiehe_internal"], world["tongji_internal"]):
        do_set_quota(actor=None, campaign=campaign, specialty_base=specialty_base, places=1)
    office = people["xiehe_office"]
    with at(2026, 3, 18, 9):
        draft = start_brochure_draft(actor=office, campaign=campaign, training_base=world["xiehe"])
        draft = save_brochure_draft(
            actor=office, version=draft, applicant_types=["open_recruitment"], sections=complete_sections()
        )
        submit_brochure(actor=office, version=draft)
    return {**people, "second_office": factories.user(Role.BASE_OFFICE, training_base=world["xiehe"])}


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_whole_season(viewport, season, browser_cookies, scans, live_server, new_page):
    options = {"phone": PHONE, "desktop": DESKTOP}[viewport]
    shots = Shots(viewport)
    url = live_server.url

    def person(username, path, password=OFFICE_PASSWORD):
        """A fresh browser signed in as `username` at `path`: each phase starts a new day's session."""
        page = new_page(options)
        log_in(page, url + path, username, password)
        return page

    province, office, staff = (season[key].username for key in ("province", "xiehe_office", "xiehe_staff"))
    second_office = season["second_office"].username

    with server_clock(2026, 3, 26, 10, 0) as clock:
        # Preparation: the province audits Xiehe's brochure from its dashboard; the base publishes it.
        page = person(province, "/province/")
        expect(page.locator("main")).to_contain_text("当前阶段：招录宣传和动员")
        xiehe_status = page.get_by_test_id("brochure-status").locator("tr", has_text=XIEHE)
        expect(xiehe_status.locator("td").nth(1)).to_have_text("待审核")
        tongji_status = page.get_by_test_id("brochure-status").locator("tr", has_text=TONGJI)
        expect(tongji_status).to_contain_text("未提交")
        expect(tongji_status.locator(".flag")).to_have_text("逾期未报送")
        shots(page, "province-dashboard-brochure-submitted")
        page.get_by_role("link", name="招生简章审核").click()
        xiehe_row = page.locator("table[data-testid=brochure-review-list] tbody tr", has_text=XIEHE)
        expect(xiehe_row).to_contain_text("第1版 · 待审核")
        xiehe_row.get_by_role("link", name="审核").click()
        page.wait_for_url(re.compile(r"/province/brochures/\d+/$"))
        expect(page.get_by_test_id("version-status")).to_contain_text("待审核 · 提交于 2026-03-18 09:00")
        page.get_by_label("总体意见").fill("内容完整，同意发布。")
        shots(page, "province-brochure-review")
        page.get_by_role("button", name="审核通过").click()
        expect(messages(page)).to_contain_text("已审核通过，基地可以发布。")
        expect(xiehe_row).to_contain_text("第1版 · 审核通过")
        shots(page, "province-brochure-approved")

        page = person(office, "/office/")
        page.locator("p.cta").get_by_role("link", name="招生简章").click()
        expect(page.get_by_test_id("version-status")).to_contain_text("当前：第1版 · 审核通过")
        page.get_by_role("button", name="发布").click()
        expect(messages(page)).to_contain_text("招生简章已发布。")
        expect(page.get_by_test_id("version-status")).to_contain_text("第1版 · 已发布")
        shots(page, "office-brochure-published")

        # Round 1: the applicant registers, completes its file and chooses Xiehe's internal medicine.
        clock.move_to(shanghai(2026, 4, 10, 10, 0))
        page = new_page(options)
        page.goto(url + "/")
        page.locator("nav.main-nav").get_by_role("link", name="注册", exact=True).click()
        form = page.get_by_test_id("register-form")
        form.get_by_label("手机号码或电子邮箱").fill(MOBILE)
        form.get_by_label("姓名").fill(NAME)
        form.get_by_label(re.compile(r"^密码")).fill(PASSWORD)
        form.get_by_label("再次输入密码").fill(PASSWORD)
        form.get_by_role("button", name="注册").click()
        page.wait_for_url(re.compile(r"/me/$"))
        expect(messages(page)).to_contain_text("注册成功")
        checklist = page.get_by_test_id("checklist")
        for missing in ("身份证件信息", "学历信息", "身体条件声明", "身份证件正面", "身份证件反面", "毕业证书"):
            expect(checklist).to_contain_text(missing)
        expect(page.get_by_test_id("window")).to_contain_text("第1批次志愿填报进行中")
        shots(page, "applicant-registered")

        checklist.get_by_role("link", name="身份证件信息").click()
        profile = page.get_by_test_id("profile-form")
        profile.get_by_label("证件号码").fill(RESIDENT_ID)
        profile.get_by_label("本人身体条件能够保障正常完成临床培训").check()
        profile.get_by_role("button", name="保存").click()
        expect(messages(page)).to_contain_text("个人信息已保存")
        expect(checklist).not_to_contain_text("身份证件信息")
        expect(checklist).not_to_contain_text("身体条件声明")

        open_tab(page, "学历")
        education = page.get_by_test_id("education-form")
        education.get_by_label("毕业院校").fill("武汉大学")
        education.get_by_label("专业名称").fill("临床医学")
        education.get_by_label("专业类别").select_option(label="临床医学")
        education.get_by_label("学历").select_option(label="本科")
        education.get_by_label("毕业时间").fill("2025-06-30")
        education.get_by_role("button", name="添加").click()
        expect(messages(page)).to_contain_text("学历已添加")
        expect(page.get_by_test_id("education-records")).to_contain_text("武汉大学")

        open_tab(page, "报名材料")
        for kind, name in SCANS_BY_KIND:
            upload(page, kind, scans[name])
        expect(page.get_by_test_id("documents").locator("li.document")).to_have_count(3)
        shots(page, "applicant-documents")

        open_tab(page, "报名清单")
        expect(checklist).to_contain_text("个人信息、学历和报名材料已齐全，可以填报志愿。")
        shots(page, "applicant-checklist-complete")

        open_tab(page, "填报志愿")
        xiehe_choice = page.get_by_test_id("choice-row").filter(has_text=XIEHE)
        expect(xiehe_choice.get_by_test_id("verdict")).to_have_text("可报")
        expect(xiehe_choice.get_by_role("link", name="招生简章")).to_be_visible()
        expect(page.get_by_test_id("choice-row").filter(has_text=TONGJI).get_by_role("link")).to_have_count(0)
        xiehe_choice.get_by_role("button", name="选择").click()
        expect(messages(page)).to_contain_text(f"已填报志愿：{XIEHE} · 内科")
        expect(page.get_by_test_id("active-choice")).to_contain_text(f"{XIEHE} · 内科")
        shots(page, "applicant-chosen")

        # Round 1's assessment (Monday 04-27): the staff review and score, the office proposes and publishes.
        clock.move_to(shanghai(2026, 4, 27, 10, 0))
        page = person(staff, reverse("round-candidates", args=[1]))
        expect(page.locator("h1")).to_contain_text(f"{XIEHE} · 内科")
        expect(ranking_row(page, NAME).locator(".qualification")).to_have_text("待审核")
        review(page, NAME)
        enter_scores(page, NAME, "86.5", "90", "基础扎实，沟通良好", "建议录取")
        expect(messages(page)).to_contain_text(f"已保存{NAME}的成绩和评价。")
        expect(ranking_row(page, NAME).locator(".composite")).to_have_text("88.3")
        expect(ranking_row(page, NAME).locator(".rank")).to_have_text("1")
        shots(page, "staff-scored")

        page = person(office, "/office/")
        page.locator("p.cta").get_by_role("link", name="第一批次考核").click()
        ranking_row(page, NAME).get_by_role("button", name="拟录取").click()
        expect(messages(page)).to_contain_text(f"已将{NAME}列为拟录取。")
        expect(page.get_by_test_id("taken")).to_have_text("1")
        shots(page, "office-proposed")
        page.get_by_test_id("publish").get_by_role("button", name="预览发布").click()
        page.wait_for_url(re.compile(r"/releases/\d+/$"))
        expect(page.get_by_test_id("preview-entering")).to_contain_text(NAME)
        shots(page, "office-publicity-preview")
        page = person(second_office, urlsplit(page.url).path)
        page.get_by_role("button", name="确认发布").click()
        expect(messages(page)).to_contain_text("已确认发布。")
        page.get_by_role("link", name="返回").click()
        listed = page.get_by_test_id("publicity-list")
        # Seven working days from 04-28, Labour Day (05-01 … 05-05) off and Saturday 05-09 worked.
        expect(listed.get_by_test_id("last-day")).to_have_text("2026年5月9日24时")
        expect(listed).to_contain_text("公示中")
        expect(listed.get_by_test_id("publicity-entry")).to_contain_text(NAME)
        shots(page, "office-publicity-published")

        page = person(province, "/province/")
        expect(page.locator("main")).to_contain_text("当前阶段：第一批次考核")
        xiehe_status = page.get_by_test_id("brochure-status").locator("tr", has_text=XIEHE)
        expect(xiehe_status.locator("td").nth(1)).to_have_text("已发布")
        expect(xiehe_status.locator("td").nth(3)).to_contain_text("03-26")
        specialty = page.get_by_test_id("plan-by-specialty").locator("tr", has_text="内科")
        expect(specialty.locator("td")).to_have_text(["内科", "2", "2", "1", "50%", "20"])
        shots(page, "province-dashboard-proposed")

        # Publicity, two days before its end: the daily reminder sweep reminds the applicant, who finds
        # itself on the public list, masked, reads the reminder and accepts the offer.
        clock.move_to(shanghai(2026, 5, 7, 8, 0))
        assert tasks.send_reminders()["acceptance_reminders"] == 1
        clock.move_to(shanghai(2026, 5, 7, 9, 0))
        page = new_page(options)
        page.goto(url + "/")
        page.locator("nav.main-nav").get_by_role("link", name="拟录取公示", exact=True).click()
        card = page.get_by_test_id("publicity-list").filter(has_text=XIEHE)
        expect(card.get_by_test_id("publicity-state")).to_have_text("公示中")
        card.get_by_role("link", name=XIEHE).click()
        entries = page.get_by_test_id("publicity-entries")
        expect(entries).to_contain_text(NAME)
        expect(entries).to_contain_text(mask_id_number(RESIDENT_ID))
        expect(page.locator("main")).not_to_contain_text(RESIDENT_ID)
        expect(page.get_by_test_id("publicity-period")).to_contain_text("公示至2026年5月9日24时")
        shots(page, "public-publicity-list")

        log_in(page, url + reverse("notifications"), MOBILE, PASSWORD)
        reminder = page.locator("main li.card.unread").first
        expect(reminder).to_contain_text(f"请确认是否接受拟录取：{XIEHE} · 内科")
        expect(reminder).to_contain_text("公示期至2026-05-09 24时")
        shots(page, "applicant-reminded")
        page.locator("nav.main-nav").get_by_role("link", name="我的报名", exact=True).click()
        open_tab(page, "考核与录取")
        offer = page.get_by_test_id("offer")
        expect(offer).to_contain_text(f"{XIEHE} · 内科")
        expect(offer.get_by_test_id("stage")).to_have_text("拟录取")
        expect(offer.get_by_test_id("composite")).to_contain_text("88.3")
        expect(offer.get_by_test_id("confirmation")).to_have_text("待确认")
        offer.get_by_role("button", name="接受录取").click()
        expect(messages(page)).to_contain_text("您已确认接受录取")
        expect(page.get_by_test_id("offer").get_by_test_id("confirmation")).to_have_text("接受录取")
        shots(page, "applicant-accepted")

        # Publicity is over: the admission sweep (beat, every 15 minutes) admits; a second run admits nobody.
        clock.move_to(shanghai(2026, 5, 10, 0, 15))
        assert tasks.admit_due_candidates() == 1
        assert tasks.admit_due_candidates() == 0

        clock.move_to(shanghai(2026, 5, 10, 9, 0))
        page = person(MOBILE, reverse("offers"), PASSWORD)
        offer = page.get_by_test_id("offer")
        expect(offer.get_by_test_id("stage")).to_have_text("已录取")
        expect(offer.get_by_test_id("admitted")).to_contain_text("请于2026年9月1日前到培训基地报到。")
        notice_link = offer.get_by_test_id("notice-link")
        expect(notice_link).to_have_text("下载录取通知书")
        shots(page, "applicant-admitted")
        notice = page.request.get(url + notice_link.get_attribute("href"))
        assert notice.ok and notice.headers["content-type"] == "application/pdf"
        text = pdf_text(notice.body())
        assert "住院医师规范化培训录取通知书" in text and NAME in text and f"{XIEHE}录取" in text
        number, code = re.search(r"通知书编号(\d+)验证码([0-9A-F]{12})", text).groups()
        expect(offer).to_contain_text(f"编号 {number}")

        # Anyone can check the notice on the public verification page, found from the header.
        page = new_page(options)
        page.goto(url + "/")
        page.locator("nav.main-nav").get_by_role("link", name="录取通知书核验", exact=True).click()
        verify = page.get_by_test_id("verify-form")
        verify.get_by_label("录取通知书编号").fill(number)
        verify.get_by_label("验证码").fill(code)
        verify.get_by_role("button", name="核验").click()
        result = page.get_by_test_id("verify-result")
        expect(result.locator("h2")).to_have_text("核验通过：录取信息真实有效")
        for fact in (NAME, mask_id_number(RESIDENT_ID), XIEHE, "内科", "2026年5月10日", number):
            expect(result).to_contain_text(fact)
        expect(result).not_to_contain_text(RESIDENT_ID)
        shots(page, "public-notice-verified")

        # Reporting: the base records the resident's reporting and, days later, the agreement.
        clock.move_to(shanghai(2026, 8, 24, 10, 0))
        page = person(office, "/office/")
        expect(page.locator("main")).to_contain_text("当前阶段：报到与签订协议")
        page.locator("p.cta").get_by_role("link", name="报到与协议").click()
        resident = page.get_by_test_id("residents").locator("li", has_text=NAME)
        expect(resident.get_by_test_id("status")).to_have_text("已录取，待报到")
        resident.get_by_label("报到日期").fill("2026-08-24")
        resident.get_by_role("button", name="登记报到").click()
        expect(messages(page)).to_contain_text("已登记报到。")
        expect(resident.get_by_test_id("status")).to_have_text("已报到")
        expect(resident).to_contain_text("未签订")
        shots(page, "office-reported")
        clock.move_to(shanghai(2026, 8, 27, 10, 0))
        resident.get_by_label("签订日期").fill("2026-08-27")
        resident.get_by_role("button", name="登记签订").click()
        expect(messages(page)).to_contain_text("已登记协议或劳动合同。")
        expect(resident).to_contain_text("2026年8月27日")
        expect(resident.get_by_role("button")).to_have_count(0)
        shots(page, "office-agreement")

        # Past the deadline: the hourly no-show sweep finds nobody; the province publishes the roster.
        clock.move_to(shanghai(2026, 9, 16, 10, 0))
        assert tasks.disqualify_no_shows() == 0
        page = person(province, "/province/")
        expect(page.locator("main")).to_contain_text("当前阶段：公布注册名单")
        page.locator("p.cta").get_by_role("link", name="注册名单").click()
        expect(page.get_by_test_id("roster-count")).to_have_text("1")
        expect(page.get_by_test_id("blocker-count")).to_have_text("0")
        expect(page.get_by_test_id("roster").locator("tbody tr")).to_contain_text(
            [re.compile(f"{NAME}.*{XIEHE}.*内科.*2026-08-24")]
        )
        page.get_by_test_id("publish").click()
        expect(messages(page)).to_contain_text("注册名单已发布。")
        expect(page.get_by_test_id("published")).to_contain_text("共1人")
        shots(page, "province-roster-published")

        page.get_by_role("link", name="返回省级工作台").click()
        page.get_by_test_id("kpi-link").click()
        expect(page.get_by_test_id("overall-rate")).to_have_text("50.0%")
        expect(page.get_by_test_id("chart-specialty").locator("text.bar-value")).to_have_text(["1/2 · 50.0%"])
        shots(page, "province-kpis")

        page.get_by_role("link", name="返回省级工作台").click()
        page.get_by_role("link", name="审计日志").click()
        filters = page.get_by_test_id("audit-filters")
        filters.get_by_label("住培基地").select_option(label=XIEHE)
        filters.get_by_label("操作类别").select_option(value="assessment")
        filters.get_by_role("button", name="筛选").click()
        page.wait_for_url(re.compile(r"kind=assessment"))
        # The applicant's assessment, newest first: who did what (its mobile number masked), the sweep as 系统.
        rows = page.get_by_test_id("audit-row")
        expect(page.get_by_test_id("audit-count")).to_have_text("共 5 条记录")
        expect(rows.get_by_test_id("audit-action")).to_have_text(
            [f"assessment.{action}" for action in ("admitted", "confirmation", "decision", "scores", "qualification")]
        )
        expect(rows.get_by_test_id("audit-actor")).to_have_text(["系统", mask_phone(MOBILE), office, staff, staff])
        shots(page, "province-audit-log")

    admission = Admission.objects.select_related("assessment").get()
    assert admission.assessment.stage == Stage.ADMITTED
    assert admission.status == AdmissionStatus.REPORTED
    assert (admission.reported_on, admission.agreement_signed_on) == (
        datetime.date(2026, 8, 24),
        datetime.date(2026, 8, 27),
    )
