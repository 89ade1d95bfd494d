"""The brochure cycle in headless Chromium, through the real pages and the login form:
draft → submit → returned with a comment → revised → approved → published and visible to the public."""

import re

import pytest
from playwright.sync_api import expect

from bases.models import BrochureStatus, BrochureVersion, TrainingBase
from policy.rules.brochures import SECTIONS
from portal.models import Role, User
from tests.browser.conftest import DESKTOP
from tests.browser.journeys import log_in, messages

XIEHE = "华中科技大学同济医学院附属协和医院"
PASSWORD = "Brochure-cycle-2026"
COMMENT = "请写明每月基本工资和绩效的具体金额。"
REVISED_WAGES = "每月基本工资4500元，绩效工资按考核结果另发，平均每月约2000元，按月发放；夜班另有补助。"

TEXTS = {
    "overview": (
        "本院是集医疗、教学、科研于一体的大型综合性三级甲等医院，编制床位五千余张，"
        "拥有国家级住院医师规范化培训专业基地二十余个，临床技能培训中心面积八千平方米，"
        "带教条件完善，每年承担大量住院医师培训任务。"
    ),
    "requirements": (
        "具有临床医学或口腔医学本科及以上学历，符合临床、口腔执业医师资格考试报考条件或已取得执业医师资格证书，身体健康。"
    ),
    "how_to_apply": (
        "请于规定时间登录全省住培招录平台注册并填报志愿，上传身份证、学历学位证书和执业资格证书扫描件，逾期不予受理。"
    ),
    "assessment": "四月下旬进行资格审核，五月上旬组织面试和专业笔试，均可现场或视频进行，具体时间另行通知。",
    "rights_and_duties": (
        "培训对象须遵守医院规章制度，按培训大纲完成轮转和考核；依法享有休假、参加学术活动和获得培训证书的权利。"
    ),
    "pay_wages": "工资待遇按医院有关规定执行，基本工资按月发放，绩效另计。",
    "pay_social_insurance": "按国家规定缴纳养老、医疗、失业、工伤、生育保险和住房公积金。",
    "pay_board_lodging": "医院提供住培公寓，两人一间，配备空调和热水，职工食堂就餐享受补贴。",
    "quality_beds": "每名住院医师在内科轮转期间管理床位不少于五张，外科不少于四张。",
    "quality_procedures": "按培训标准完成规定病种和病例数，技能中心每月组织穿刺、缝合等操作培训考核。",
    "quality_teachers": "现有省级以上骨干师资三百余名，带教老师均具有主治医师以上职称并经师资培训合格。",
    "quality_process": "实行轮转前岗前培训、出科考核、年度考核和督导检查，过程管理全程记录在培训系统中。",
    "contacts": "招收办公室何老师，电话027-85726935，QQ群340728617。",
}


@pytest.fixture
def accounts(hubei_demo):
    xiehe = TrainingBase.objects.get(name=XIEHE)
    office = User.objects.create_user(
        username="xiehe-office", password=PASSWORD, role=Role.BASE_OFFICE, training_base=xiehe, province=xiehe.province
    )
    province = User.objects.create_user(
        username="hubei-province", password=PASSWORD, role=Role.PROVINCIAL_OFFICE, province=hubei_demo["province"]
    )
    return {"office": office, "province": province}


def test_brochure_cycle(accounts, live_server, desktop, new_page, phone, screenshot):
    office, province = desktop, new_page(DESKTOP)
    edit_url = live_server.url + "/office/brochure/"
    review_list_url = live_server.url + "/province/brochures/"

    # The office logs in and starts its brochure; the statement and the plan come first.
    log_in(office, edit_url, "xiehe-office", PASSWORD)
    expect(office.get_by_test_id("two-equal-treatments")).to_contain_text("同等对待")
    expect(office.get_by_test_id("brochure-plan")).to_contain_text("内科")
    office.get_by_role("button", name="开始编辑").click()
    expect(messages(office)).to_contain_text("已建立可编辑的版本")
    expect(office.get_by_test_id("completeness")).to_contain_text("请至少选择一种招收人员类型")
    screenshot(office, "1-office-empty-draft")

    # It fills every section and ticks the applicant types, saves, then submits.
    office.get_by_label("面向社会招收住院医师").check()
    office.get_by_label("本单位住院医师").check()
    for section in SECTIONS:
        office.get_by_label(str(section.label), exact=False).fill(TEXTS[section.key])
    office.get_by_role("button", name="保存草稿").click()
    expect(messages(office)).to_contain_text("草稿已保存")
    expect(office.get_by_test_id("completeness")).to_contain_text("内容完整，可以提交审核")
    expect(office.get_by_label("面向社会招收住院医师")).to_be_checked()
    screenshot(office, "2-office-saved")
    office.get_by_role("button", name="提交审核").click()
    expect(messages(office)).to_contain_text("招生简章已提交，等待省级审核")
    expect(office.get_by_test_id("version-status")).to_contain_text("第1版 · 待审核")
    screenshot(office, "3-office-submitted")

    # The province opens its review list, then the version, and returns it with a comment on pay.
    log_in(province, review_list_url, "hubei-province", PASSWORD)
    xiehe_row = province.locator("table[data-testid=brochure-review-list] tbody tr", has_text=XIEHE)
    expect(xiehe_row).to_contain_text("第1版 · 待审核")
    screenshot(province, "4-province-review-list")
    xiehe_row.get_by_role("link", name="审核").click()
    province.wait_for_url(re.compile(r"/province/brochures/\d+/$"))
    expect(province.locator("#section-overview")).to_contain_text("三级甲等医院")
    province.get_by_label("对“待遇：工资”的意见").fill(COMMENT)
    screenshot(province, "5-province-commenting")
    province.get_by_role("button", name="退回修改").click()
    province.wait_for_url(review_list_url)
    expect(messages(province)).to_contain_text("已退回修改")
    expect(xiehe_row).to_contain_text("退回修改")

    # The office sees the comment next to the section, starts a new version and revises that section.
    office.reload()
    expect(office.get_by_test_id("returned-notice")).to_contain_text("第1版被退回修改")
    expect(office.locator("#section-pay_wages .province-comment")).to_contain_text(COMMENT)
    expect(office.locator("#section-overview .province-comment")).to_have_count(0)
    screenshot(office, "6-office-returned")
    office.get_by_role("button", name="新建版本").click()
    expect(office.get_by_test_id("version-status")).to_contain_text("第2版 · 草稿")
    expect(office.locator("#section-pay_wages .province-comment")).to_contain_text(COMMENT)
    expect(office.get_by_label("待遇：工资")).to_have_value(TEXTS["pay_wages"])
    office.get_by_label("待遇：工资").fill(REVISED_WAGES)
    screenshot(office, "7-office-revising")
    office.get_by_role("button", name="提交审核").click()
    expect(messages(office)).to_contain_text("招生简章已提交，等待省级审核")
    expect(office.get_by_test_id("version-status")).to_contain_text("第2版 · 待审核")

    # The province sees what changed and approves.
    province.goto(review_list_url)
    xiehe_row.get_by_role("link", name="审核").click()
    province.wait_for_url(re.compile(r"/province/brochures/\d+/$"))
    pay = province.locator("#section-pay_wages")
    expect(pay).to_contain_text(REVISED_WAGES)
    expect(pay.locator(".changed-badge")).to_have_text("已修改")
    expect(pay.locator(".earlier-comment")).to_contain_text(COMMENT)
    screenshot(province, "8-province-second-version")
    province.get_by_label("总体意见").fill("同意发布。")
    province.get_by_role("button", name="审核通过").click()
    province.wait_for_url(review_list_url)
    expect(messages(province)).to_contain_text("已审核通过")
    expect(xiehe_row).to_contain_text("第2版 · 审核通过")

    # The office publishes.
    office.reload()
    expect(office.get_by_test_id("version-status")).to_contain_text("第2版 · 审核通过")
    office.get_by_role("button", name="发布").click()
    expect(messages(office)).to_contain_text("招生简章已发布")
    history = office.get_by_test_id("version-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text(COMMENT)
    screenshot(office, "9-office-published")

    # An anonymous visitor on a phone finds the brochure and reads the revised text.
    phone.goto(live_server.url + "/brochures/")
    phone.get_by_role("link", name=XIEHE).click()
    phone.wait_for_url(re.compile(r"/brochures/\d+/$"))
    brochure = phone.get_by_test_id("brochure")
    statement = phone.get_by_test_id("two-equal-treatments")
    expect(statement).to_contain_text("两个同等对待")
    expect(statement).to_contain_text("与临床医学、中医专业学位硕士研究生同等对待")
    expect(brochure.locator("#pay_wages")).to_contain_text(REVISED_WAGES)
    expect(brochure).not_to_contain_text(TEXTS["pay_wages"])
    expect(brochure.locator("#applicant-types")).to_contain_text("面向社会招收住院医师")
    expect(brochure.get_by_test_id("brochure-plan")).to_contain_text("内科")
    statement_top = statement.bounding_box()["y"]
    assert statement_top < brochure.locator("#overview").bounding_box()["y"], "the statement comes first"
    widths = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, "the public brochure scrolls sideways on a phone"
    screenshot(phone, "10-public-brochure")

    versions = BrochureVersion.objects.filter(brochure__training_base__name=XIEHE).order_by("number")
    assert [v.status for v in versions] == [BrochureStatus.RETURNED, BrochureStatus.PUBLISHED]
