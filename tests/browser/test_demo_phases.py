"""The demo (`manage.py load_demo --phase …`) in headless Chromium: each phase loaded on its own, then one
step of each role the phase has work for (applicants on a phone, offices on a desktop), through the login
form and the pages, and what that person sees afterwards. The story is the one `admissions.demo.season`
replays at Xiehe's internal medicine.

The demo's dates are relative to the day it is loaded on: the server's clock is fixed to one day
(still ticking) for both the load and the browser session. Screenshots:
<test name>-<role>.png in the screenshots folder."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from admissions.demo.people import DEMO_PASSWORD
from policy.models import Campaign
from tests.admissions.test_publicity_pages import pdf_text
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.journeys import enter_scores, log_in, messages, open_tab, ranking_row, review, server_clock, sheet

XIEHE = "华中科技大学同济医学院附属协和医院"
DEMO_DAY = (2026, 12, 4, 10, 0)  # the day tests/province/test_demo_data.py checks every phase on
TODAY = datetime.date(*DEMO_DAY[:3])
TODAY_SHOWN = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"


class Demo:
    """The demo loaded in one phase, and its people signing in, each in a browser of their own."""

    def __init__(self, url, new_page, screenshot):
        self.url, self.new_page, self.screenshot = url, new_page, screenshot

    def load(self, phase):
        call_command("load_demo", phase=phase, stdout=io.StringIO())
        return Campaign.objects.get()

    def sign_in(self, username, path, options=DESKTOP):
        page = self.new_page(options)
        log_in(page, self.url + path, username, DEMO_PASSWORD)
        return page


@pytest.fixture
def demo(transactional_db, browser_cookies, live_server, new_page, screenshot):
    with server_clock(*DEMO_DAY):
        yield Demo(live_server.url, new_page, screenshot)


def resident(page, name):
    """A resident's card on the office's reporting page (报到与协议)."""
    return page.get_by_test_id("residents").locator("li.card", has_text=f"{name} · ")


def test_demo_brochures(demo):
    campaign = demo.load("brochures")

    # The province approves a brochure waiting for its audit.
    page = demo.sign_in("hubei-office", reverse("brochure-review-list"))
    waiting = page.locator("table[data-testid=brochure-review-list] tbody tr.awaiting").first
    base = waiting.get_attribute("data-base")
    expect(waiting).to_contain_text("第1版 · 待审核")
    waiting.get_by_role("link", name="审核").click()
    page.wait_for_url(re.compile(r"/province/brochures/\d+/$"))
    page.get_by_label("总体意见").fill("内容完整，同意发布。")
    page.get_by_role("button", name="审核通过").click()
    expect(messages(page)).to_contain_text("已审核通过，基地可以发布。")
    expect(page.locator(f"tr[data-base='{base}']")).to_contain_text("第1版 · 审核通过")
    demo.screenshot(page, "province")

    # Xiehe's office finds its brochure published, and its public page.
    page = demo.sign_in("xiehe-office", reverse("office-home"))
    page.locator("p.cta").get_by_role("link", name="招生简章").click()
    expect(page.get_by_test_id("version-status")).to_contain_text("第1版 · 已发布")
    demo.screenshot(page, "office")
    page.get_by_role("link", name="查看公开页面").click()
    expect(page.locator("h1")).to_contain_text(XIEHE)

    # The applicant cannot choose yet and is told from when.
    page = demo.sign_in("applicant-demo", reverse("applicant-choose"), PHONE)
    opens = f"{campaign.round1_opens.month}月{campaign.round1_opens.day}日"
    expect(page.get_by_test_id("window")).to_contain_text("现在不能填报")
    expect(page.get_by_test_id("window")).to_contain_text(f"第一批次 {opens}0时")
    expect(page.get_by_test_id("active-choice")).to_contain_text("尚未填报志愿")
    demo.screenshot(page, "applicant")


def test_demo_registration(demo):
    demo.load("registration")

    # The demo applicant chooses Xiehe's internal medicine.
    page = demo.sign_in("applicant-demo", reverse("applicant-choose"), PHONE)
    expect(page.get_by_test_id("window")).to_contain_text("第1批次志愿填报进行中")
    filters = page.locator("form.filters")
    filters.get_by_role("combobox", name="专业").select_option(label="内科")
    filters.get_by_role("button", name="筛选").click()
    xiehe = page.get_by_test_id("choice-row").filter(has_text=XIEHE)
    expect(xiehe.get_by_test_id("verdict")).to_have_text("可报")
    xiehe.get_by_role("button", name="选择").click()
    expect(messages(page)).to_contain_text(f"已填报志愿：{XIEHE} · 内科")
    expect(page.get_by_test_id("active-choice")).to_contain_text(f"{XIEHE} · 内科")
    demo.screenshot(page, "applicant")

    # The specialty's staff find the new candidate among those waiting for the qualification review.
    page = demo.sign_in("xiehe-internal", reverse("round-candidates", args=[1]))
    expect(page.locator("h1")).to_contain_text(f"{XIEHE} · 内科")
    expect(page.get_by_test_id("sheet")).to_have_count(7)
    expect(ranking_row(page, "张明").locator(".qualification")).to_have_text("待审核")
    demo.screenshot(page, "staff")

    # The province follows the campaign from its dashboard.
    page = demo.sign_in("hubei-office", reverse("province-dashboard"))
    expect(page.locator("main")).to_contain_text("当前阶段：第一批次注册和填报志愿")
    xiehe_brochure = page.get_by_test_id("brochure-status").locator("tr", has_text=XIEHE)
    expect(xiehe_brochure.locator("td").nth(1)).to_have_text("已发布")
    demo.screenshot(page, "province")


def test_demo_assessment(demo):
    demo.load("assessment")

    # The specialty's staff pass the demo applicant's qualification and score 刘洋.
    page = demo.sign_in("xiehe-internal", reverse("round-candidates", args=[1]))
    review(page, "张明")
    expect(ranking_row(page, "张明").locator(".qualification")).to_have_text("通过")
    enter_scores(page, "刘洋", "80", "79", "基础尚可，临床经验不足。", "建议备选")
    expect(messages(page)).to_contain_text("已保存刘洋的成绩和评价。")
    expect(ranking_row(page, "刘洋").locator(".composite")).to_have_text("79.5")
    expect(ranking_row(page, "刘洋").locator(".rank")).to_have_text("4")
    expect(sheet(page, "刘洋")).to_contain_text("第4名")
    demo.screenshot(page, "staff")

    # The office proposes the first of the ranking.
    page = demo.sign_in("xiehe-office", reverse("round-candidates", args=[1]))
    ranking_row(page, "李华").get_by_role("button", name="拟录取").click()
    expect(messages(page)).to_contain_text("已将李华列为拟录取。")
    expect(ranking_row(page, "李华").locator(".stage")).to_contain_text("拟录取")
    expect(page.get_by_test_id("taken")).to_have_text("1")
    demo.screenshot(page, "office")

    # The applicant sees the review's outcome.
    page = demo.sign_in("applicant-demo", reverse("applicant-home"), PHONE)
    open_tab(page, "考核与录取")
    offer = page.get_by_test_id("offer")
    expect(offer).to_contain_text(f"{XIEHE} · 内科")
    expect(offer.get_by_test_id("stage")).to_have_text("资格审核通过")
    demo.screenshot(page, "applicant")


def test_demo_publicity(demo):
    demo.load("publicity")

    # The demo applicant accepts its offer.
    page = demo.sign_in("applicant-demo", reverse("offers"), PHONE)
    offer = page.get_by_test_id("offer")
    expect(offer.get_by_test_id("stage")).to_have_text("拟录取")
    expect(offer.get_by_test_id("confirmation")).to_have_text("待确认")
    offer.get_by_role("button", name="接受录取").click()
    expect(messages(page)).to_contain_text("您已确认接受录取")
    expect(page.get_by_test_id("offer").get_by_test_id("confirmation")).to_have_text("接受录取")
    demo.screenshot(page, "applicant")

    # The employer finds Xiehe's list on the public page, signs in from it and raises an objection.
    page = demo.new_page(DESKTOP)
    page.goto(demo.url + reverse("publicity-list-public"))
    page.get_by_test_id("publicity-list").filter(has_text=XIEHE).get_by_role("link", name=XIEHE).click()
    page.wait_for_url(re.compile(r"/publicity/\d+/$"))
    listed = page.url
    page.get_by_test_id("objection-login").get_by_role("link", name="登录后提出异议").click()
    login = page.locator("main form")
    login.get_by_label("用户名").fill("employer-demo")
    login.get_by_label("密码").fill(DEMO_PASSWORD)
    login.get_by_role("button", name="登录").click()
    page.wait_for_url(listed)
    form = page.get_by_test_id("objection-form")
    entry = form.get_by_label("异议对象")
    entry.select_option(entry.locator("option", has_text="李华").get_attribute("value"))
    form.get_by_label("联系方式").fill("027-82345678")
    form.get_by_label("异议内容").fill("该考生毕业证书上的毕业时间与报名信息不一致，请核实。")
    form.get_by_role("button", name="提交异议").click()
    expect(messages(page)).to_contain_text("异议已提交。")
    demo.screenshot(page, "employer")

    # Xiehe's office dismisses the objection that was open against 王芳, and sees the new one.
    page = demo.sign_in("xiehe-office", reverse("publicity-manage"))
    wang = page.get_by_test_id("publicity-entry").filter(has_text="王芳")
    objection = wang.get_by_test_id("objection")
    expect(objection).to_contain_text("待处理")
    objection.get_by_label("异议不成立").check()
    objection.get_by_label("处理情况").fill("经核实，该考生为应届毕业生，报考类型填写无误。")
    objection.get_by_role("button", name="记录处理结果").click()
    expect(messages(page)).to_contain_text("已记录：异议不成立。")
    expect(wang.get_by_test_id("objection")).to_contain_text("异议不成立")
    expect(wang).to_contain_text("拟录取")
    expect(page.get_by_test_id("publicity-entry").filter(has_text="李华").get_by_test_id("objection")).to_contain_text(
        "待处理"
    )
    expect(page.get_by_test_id("publicity-entry").filter(has_text="张明")).to_contain_text("接受录取")
    demo.screenshot(page, "office")

    # The province's dashboard is in publicity.
    page = demo.sign_in("hubei-office", reverse("province-dashboard"))
    expect(page.locator("main")).to_contain_text("当前阶段：第一批次拟录取公示")
    demo.screenshot(page, "province")


def test_demo_round2(demo):
    demo.load("round2")

    # 周婷 accepts the invitation Xiehe sent her.
    page = demo.sign_in("applicant-round2", reverse("offers"), PHONE)
    invitation = page.get_by_test_id("invitation").filter(has_text=XIEHE)
    expect(invitation.get_by_test_id("invitation-status")).to_have_text("待回复")
    invitation.get_by_role("button", name="接受", exact=True).click()
    expect(messages(page)).to_contain_text("复试邀请，其他邀请已自动谢绝")
    expect(page.get_by_test_id("invitation").get_by_test_id("invitation-status")).to_have_text("已接受")
    demo.screenshot(page, "applicant")

    # Xiehe's office searches for its surgery and invites 刘洋, left out in round 1.
    page = demo.sign_in("xiehe-office", reverse("round2-invite"))
    search = page.get_by_test_id("invite-search")
    search.get_by_label("邀请专业基地").select_option(label="外科")
    search.get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"specialty_base=\d+"))
    row = page.get_by_test_id("invite-row").filter(has_text="刘洋")
    expect(row.locator(".verdict-yes")).to_have_text("符合")
    row.get_by_label("邀请说明").fill("外科专业基地尚有空余计划，欢迎参加复试。")
    row.get_by_role("button", name="邀请", exact=True).click()
    expect(messages(page)).to_contain_text("已向刘洋发出复试邀请（外科）。")
    sent = page.get_by_test_id("sent-invitation")
    expect(sent.filter(has_text="刘洋").locator(".status")).to_have_text("待回复")
    expect(sent.filter(has_text="周婷").locator(".status")).to_have_text("已接受")
    demo.screenshot(page, "office")


def test_demo_reporting(demo):
    demo.load("reporting")

    # The demo applicant downloads its admission notice.
    page = demo.sign_in("applicant-demo", reverse("offers"), PHONE)
    offer = page.get_by_test_id("offer")
    expect(offer.get_by_test_id("stage")).to_have_text("已录取")
    link = offer.get_by_test_id("notice-link")
    expect(link).to_have_text("下载录取通知书")
    demo.screenshot(page, "applicant")
    notice = page.request.get(demo.url + link.get_attribute("href"))
    assert notice.ok and notice.headers["content-type"] == "application/pdf"
    text = pdf_text(notice.body())
    assert "住院医师规范化培训录取通知书" in text and "张明" in text and XIEHE in text

    # Xiehe's office records the demo applicant's reporting.
    page = demo.sign_in("xiehe-office", reverse("reporting"))
    zhang = resident(page, "张明")
    expect(zhang.get_by_test_id("status")).to_have_text("已录取，待报到")
    zhang.get_by_label("报到日期").fill(TODAY.isoformat())
    zhang.get_by_role("button", name="登记报到").click()
    expect(messages(page)).to_contain_text("已登记报到。")
    zhang = resident(page, "张明")
    expect(zhang.get_by_test_id("status")).to_have_text("已报到")
    expect(zhang).to_contain_text(TODAY_SHOWN)
    expect(zhang).to_contain_text("未签订")
    demo.screenshot(page, "office")


def test_demo_done(demo):
    demo.load("done")

    # The province decides the no-show's integrity case: no force majeure.
    page = demo.sign_in("hubei-office", reverse("integrity"))
    case = page.get_by_test_id("claims").locator("li.card", has_text="王芳")
    expect(case).to_contain_text("逾期未报到")
    case.get_by_label("认定理由").fill("无正当理由逾期未报到，不属于不可抗力。")
    case.get_by_role("button", name="作出认定").click()
    expect(messages(page)).to_contain_text("已作出认定。")
    expect(page.get_by_test_id("claims")).to_contain_text("暂无待认定的事项。")
    demo.screenshot(page, "province")

    # Xiehe's office records the agreement the demo applicant signed, a week late.
    page = demo.sign_in("xiehe-office", reverse("reporting"))
    wang = resident(page, "王芳")
    expect(wang.get_by_test_id("status")).to_contain_text("取消培训资格")
    expect(wang).not_to_contain_text("待省级认定")  # the province has just decided her case
    zhang = resident(page, "张明")
    expect(zhang).to_contain_text("已超过一周")
    zhang.get_by_label("签订日期").fill(TODAY.isoformat())
    zhang.get_by_role("button", name="登记签订").click()
    expect(messages(page)).to_contain_text("已登记协议或劳动合同。")
    zhang = resident(page, "张明")
    expect(zhang).to_contain_text(TODAY_SHOWN)
    expect(zhang).not_to_contain_text("已超过一周")
    demo.screenshot(page, "office")
