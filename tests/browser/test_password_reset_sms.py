"""A forgotten password reset by text message, in headless Chromium on a phone (issue 11, item 10)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from admissions.services.applicants import register_applicant
from portal import sms
from tests.browser.journeys import messages

MOBILE = "13912345678"
NEW = "Quiet-river-2027"


@pytest.fixture
def applicant(transactional_db, settings):
    settings.SMS_BACKEND = "portal.sms.LocMemBackend"
    sms.outbox.clear()
    return register_applicant(login=MOBILE, password="Residency-2026!", full_name="王小明")


def test_an_applicant_resets_the_password_with_a_texted_code(applicant, live_server, phone, screenshot):
    phone.goto(live_server.url + reverse("login"))
    phone.get_by_role("link", name="用手机短信找回").click()
    phone.get_by_label("注册时使用的手机号码").fill(MOBILE)
    phone.get_by_role("button", name="获取验证码").click()
    expect(messages(phone)).to_contain_text("如果该手机号码已注册，验证码已发送")
    expect(phone.locator("input[name=mobile]")).to_have_value(MOBILE)
    code = re.search(r"验证码 (\d{6})", sms.outbox[-1].text)[1]
    screenshot(phone, "1-code-sent")

    phone.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    phone.locator("input[name=new_password1]").fill(NEW)
    phone.get_by_label("再次输入新密码").fill(NEW)
    phone.get_by_role("button", name="重设密码").click()
    expect(messages(phone)).to_contain_text("验证码错误或已失效")

    phone.get_by_label("短信验证码").fill(code)
    phone.locator("input[name=new_password1]").fill(NEW)
    phone.get_by_label("再次输入新密码").fill(NEW)
    phone.get_by_role("button", name="重设密码").click()
    expect(messages(phone)).to_contain_text("密码已重设，请用新密码登录。")
    form = phone.locator("main form")
    form.get_by_label("用户名").fill(MOBILE)
    form.get_by_label("密码").fill(NEW)
    form.get_by_role("button", name="登录").click()
    expect(phone.locator("header")).to_contain_text("我的报名")
    screenshot(phone, "2-signed-in")
