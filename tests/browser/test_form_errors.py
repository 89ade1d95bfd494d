"""A refused registration on a phone, in headless Chromium: every problem shows at once, in the summary
above the form and beside its field, nothing scrolls sideways, and what was typed (but the passwords)
is still there to correct."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from admissions.models import Applicant
from tests.browser.journeys import assert_no_horizontal_scroll


def test_a_refused_registration_says_everything_at_once(db, live_server, phone, screenshot):
    page = phone
    page.goto(live_server.url + reverse("register"))
    form = page.get_by_test_id("register-form")
    form.get_by_label("手机号码或电子邮箱").fill("1391234567")
    form.locator("#id_password").fill("12345678")
    form.get_by_label("再次输入密码").fill("87654321")
    form.get_by_role("button", name="注册").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_count(6)  # login, name, three password rules, the mismatch
    for name, label, message in (
        ("login", "手机号码或电子邮箱", "请输入11位手机号码或有效的电子邮箱。"),
        ("full_name", "姓名", "该字段是必填项。"),
        ("password", "密码", "此密码太短，至少要包含 10 个字符。"),
        ("password_again", "再次输入密码", "两次输入的密码不一致。"),
    ):
        field = form.locator(f"#id_{name}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(message)))
        expect(summary).to_contain_text(f"{label}：{message}")
    assert_no_horizontal_scroll(page)
    screenshot(page, "refused")

    # The summary's link leads to the field; the login typed is kept, the passwords are not.
    summary.get_by_role("link", name="手机号码或电子邮箱").click()
    expect(page).to_have_url(re.compile("#id_login$"))
    expect(form.get_by_label("手机号码或电子邮箱")).to_have_value("1391234567")
    expect(form.locator("#id_password")).to_have_value("")

    form.get_by_label("手机号码或电子邮箱").fill("13912345678")
    form.get_by_label("姓名").fill("李明")
    form.locator("#id_password").fill("Residency-2026!")
    form.get_by_label("再次输入密码").fill("Residency-2026!")
    form.get_by_role("button", name="注册").click()
    # (The browser keeps the #id_login the summary's link added through the redirect.)
    page.wait_for_url(re.compile(re.escape(live_server.url + reverse("applicant-home"))))
    assert Applicant.objects.get().full_name == "李明"
