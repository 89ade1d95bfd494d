"""An applicant on a phone, in headless Chromium, through the real pages: register → fill the profile →
add a 2023 full-time clinical bachelor's degree → upload ID front, back and diploma → see a non-GP
specialty refused under 二(二)3 → choose a general-practice (全科) specialty base → see it on the status page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from admissions.models import Application, ApplicationStatus
from bases.demo.loading import load_brochures
from policy.identity import make_resident_id
from portal.models import User
from tests.browser.journeys import (
    SCANS_BY_KIND,
    assert_no_horizontal_scroll,
    messages,
    open_tab,
    server_clock,
    upload,
)

MOBILE = "13912345678"
PASSWORD = "Zhupei-journey-2026"
RESIDENT_ID = make_resident_id("420106", datetime.date(2000, 9, 1), 217)


@pytest.fixture
def round1(browser_cookies):
    """Server clock at 2026-04-10 10:00 in Shanghai, inside round 1 (04-08 … 04-23), still ticking."""
    with server_clock(2026, 4, 10, 10, 0):
        yield


@pytest.fixture
def private_media(private_files):
    """Uploaded files go to the test's own folder (see tests/conftest.py)."""
    private_files.mkdir(parents=True, exist_ok=True)
    return private_files


@pytest.fixture
def brochures(hubei_demo):
    admin = User.objects.create_superuser(username="demo-admin", password=PASSWORD)
    load_brochures(campaign=hubei_demo["campaign"], actor=admin)


def filter_specialty(page, name):
    page.locator("form.filters").get_by_label(re.compile(r"^专业")).select_option(label=name)
    page.locator("form.filters").get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"specialty="))


def test_applicant_journey(hubei_demo, brochures, private_media, round1, scans, live_server, phone, screenshot):
    page = phone

    # Register from the header link.
    page.goto(live_server.url + "/")
    page.locator("nav.main-nav").get_by_role("link", name="注册", exact=True).click()
    page.wait_for_url(re.compile(r"/register/$"))
    form = page.get_by_test_id("register-form")
    form.get_by_label("手机号码或电子邮箱").fill(MOBILE)
    form.get_by_label("姓名").fill("王小明")
    form.get_by_label(re.compile(r"^密码")).fill(PASSWORD)
    form.get_by_label("再次输入密码").fill(PASSWORD)
    screenshot(page, "1-register")
    form.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/me/$"))
    expect(messages(page)).to_contain_text("注册成功")
    checklist = page.get_by_test_id("checklist")
    for missing in ("身份证件信息", "学历信息", "身体条件声明", "身份证件正面", "身份证件反面", "毕业证书"):
        expect(checklist).to_contain_text(missing)
    expect(page.get_by_test_id("window")).to_contain_text("第1批次志愿填报进行中")
    expect(page.locator("nav.main-nav")).to_contain_text("我的报名")
    assert_no_horizontal_scroll(page)
    screenshot(page, "2-checklist")

    # The checklist item leads to the identity section of the profile.
    checklist.get_by_role("link", name="身份证件信息").click()
    page.wait_for_url(re.compile(r"/me/profile/#identity$"))
    profile = page.get_by_test_id("profile-form")
    expect(profile.get_by_label("手机号码")).to_have_value(MOBILE)
    expect(profile.locator("#dispatch")).to_be_hidden()  # only for entrusted applicants
    profile.get_by_label("证件号码").fill(RESIDENT_ID)
    profile.get_by_label("本人身体条件能够保障正常完成临床培训").check()
    screenshot(page, "3-profile")
    profile.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/me/$"))
    expect(messages(page)).to_contain_text("个人信息已保存")
    expect(checklist).not_to_contain_text("身份证件信息")

    # A full-time clinical-medicine bachelor's degree of 2023.
    open_tab(page, "学历")
    education = page.get_by_test_id("education-form")
    education.get_by_label("毕业院校").fill("华中科技大学")
    education.get_by_label("专业名称").fill("临床医学")
    education.get_by_label("专业类别").select_option(label="临床医学")
    education.get_by_label("学历").select_option(label="本科")
    expect(education.get_by_label("全日制")).to_be_checked()
    education.get_by_label("毕业时间").fill("2023-06-30")
    education.get_by_role("button", name="添加").click()
    expect(messages(page)).to_contain_text("学历已添加")
    expect(page.get_by_test_id("education-records")).to_contain_text("华中科技大学")
    expect(page.get_by_test_id("education-records")).to_contain_text("2023-06-30")
    screenshot(page, "4-education")

    # The identity card, both sides, and the diploma.
    open_tab(page, "报名材料")
    for kind, name in SCANS_BY_KIND:
        upload(page, kind, scans[name])
        expect(page.get_by_test_id("documents")).to_contain_text(name)
    expect(page.get_by_test_id("documents").locator("li.document")).to_have_count(3)
    assert_no_horizontal_scroll(page)
    screenshot(page, "5-documents")

    open_tab(page, "报名清单")
    expect(checklist).to_contain_text("已齐全，可以填报志愿")
    screenshot(page, "6-checklist-complete")

    # Internal medicine is refused under 二(二)3: graduated in 2023, no qualification certificate.
    open_tab(page, "填报志愿")
    filter_specialty(page, "内科")
    internal = page.get_by_test_id("choice-row").first
    expect(internal.get_by_test_id("verdict")).to_have_text("不可报")
    expect(internal.locator(".reasons")).to_contain_text("申报专业限定为全科")
    expect(internal.locator(".clause")).to_have_text("二(二)3")
    expect(internal.get_by_role("button", name="选择")).to_be_disabled()
    assert_no_horizontal_scroll(page)
    screenshot(page, "7-internal-medicine-refused")

    # General practice is open: choose the first 全科 specialty base that has a brochure.
    filter_specialty(page, "全科")
    gp = page.get_by_test_id("choice-row").filter(has=page.get_by_role("link", name="招生简章")).first
    expect(gp.get_by_test_id("verdict")).to_have_text("可报")
    base_name = gp.locator(".base").inner_text()
    gp.get_by_role("button", name="选择").click()
    expect(messages(page)).to_contain_text("已填报志愿")
    chosen = page.locator("[data-testid=choice-row].chosen")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text(base_name)
    expect(chosen.locator(".chosen-label")).to_have_text("当前志愿")
    expect(page.get_by_test_id("active-choice")).to_contain_text(f"{base_name} · 全科")
    screenshot(page, "8-general-practice-chosen")

    # The status page shows the choice.
    open_tab(page, "志愿记录")
    record = page.get_by_test_id("applications").locator("li").first
    expect(record).to_contain_text(base_name)
    expect(record).to_contain_text("全科")
    expect(record).to_contain_text("第一批次")
    expect(record).to_contain_text("已填报")
    assert_no_horizontal_scroll(page)
    screenshot(page, "9-status")

    application = Application.objects.select_related("specialty_base__specialty", "applicant").get()
    assert application.status == ApplicationStatus.ACTIVE and application.round == 1
    assert application.specialty_base.specialty.name == "全科"
    assert application.applicant.id_number == RESIDENT_ID
    assert len([path for path in private_media.rglob("*") if path.is_file()]) == 3
