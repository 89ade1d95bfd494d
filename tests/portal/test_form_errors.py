"""Every page form shows what is wrong at once: each error beside its field (the input marked
invalid and pointing at it) and all of them in a summary above the form."""

import re

import pytest
from django.urls import reverse

from admissions.services.applicants import register_applicant
from portal import sms
from portal.models import Role
from tests import factories
from tests.form_helpers import field_errors, html_of, summary_links, summary_of

MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def texts(settings):
    settings.SMS_BACKEND = "portal.sms.LocMemBackend"
    sms.outbox.clear()
    return sms.outbox


def test_the_texted_code_form_names_the_mobile_the_code_and_both_passwords_at_once(client, db):
    response = client.post(
        reverse("password-reset-sms-code"),
        {"mobile": "1391234", "code": "12", "new_password1": "12345678", "new_password2": "87654321"},
    )
    doc = html_of(response)
    assert field_errors(doc, "mobile") == ["请输入11位手机号码。"]
    assert len(field_errors(doc, "code")) == 1
    assert field_errors(doc, "new_password1") == [
        "此密码太短，至少要包含 10 个字符。",
        "这个密码太常见了。",
        "密码只包含数字。",
    ]
    assert field_errors(doc, "new_password2") == ["两次输入的密码不一致。"]
    assert len(summary_of(doc)) == 6
    assert summary_links(doc)[0] == "#id_mobile"
    assert doc.get_element_by_id("id_mobile").get("value") == "1391234"


def test_a_password_like_the_account_is_refused_on_the_form(client, db, texts, django_capture_on_commit_callbacks):
    register_applicant(login=MOBILE, password="Residency-2026!", full_name="王小明")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password-reset-sms"), {"mobile": MOBILE})
    code = re.search(r"验证码 (\d{6})", texts[-1].text)[1]
    similar = MOBILE + "ab"
    response = client.post(
        reverse("password-reset-sms-code"),
        {"mobile": MOBILE, "code": code, "new_password1": similar, "new_password2": similar},
    )
    doc = html_of(response)
    (problem,) = summary_of(doc)
    assert "太相似" in problem
    page_messages = " ".join(doc.xpath('//ul[@class="messages"]//text()'))
    assert "太相似" not in page_messages, "said on the form, not as a page message"


def test_asking_for_a_code_with_a_bad_number_is_refused_beside_it(client, db, texts):
    doc = html_of(client.post(reverse("password-reset-sms"), {"mobile": "23912345678"}))
    assert field_errors(doc, "mobile") == ["请输入11位手机号码。"]
    assert texts == []


def test_the_password_change_names_a_wrong_old_password_and_a_weak_new_one_together(client, db):
    office = factories.user(Role.BASE_OFFICE, training_base=factories.training_base(factories.province()))
    client.force_login(office)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong-one", "new_password1": "12345678", "new_password2": "12345678"},
    )
    doc = html_of(response)
    assert field_errors(doc, "old_password") == ["你的旧密码不正确。请重新输入。"]
    assert "这个密码太常见了。" in field_errors(doc, "new_password2")
    assert len(summary_of(doc)) == 1 + len(field_errors(doc, "new_password2"))


def test_a_failed_sign_in_is_said_in_the_summary(client, db):
    doc = html_of(client.post(reverse("login"), {"username": "nobody", "password": "wrong"}))
    (problem,) = summary_of(doc)
    assert "请输入一个正确的" in problem


def test_a_form_without_errors_has_no_summary(client, db):
    doc = html_of(client.get(reverse("register")))
    assert not doc.xpath('//*[@data-testid="error-summary"]')
    assert not doc.xpath("//*[@aria-invalid]")
