"""A refused registration or profile says everything that is wrong at once: each problem beside its
field and all of them in the summary above the form, with what was typed kept (passwords excepted)."""

import datetime

import pytest
from django.urls import reverse

from admissions.models import Applicant
from admissions.services.applicants import InvalidInput, register_applicant
from policy.identity import make_resident_id
from portal.models import User
from tests.form_helpers import field_errors, html_of, summary_links, summary_of

NOT_A_MOBILE = "1391234567"  # ten digits
WEAK = "12345678"  # short, common and all digits
PASSWORD = "Residency-2026!"


def register(client, **changes):
    data = {"login": "13912345678", "full_name": "李明", "password": PASSWORD, "password_again": PASSWORD}
    return client.post(reverse("register"), {**data, **changes})


def test_a_registration_shows_every_problem_beside_its_field_and_in_the_summary(client, db):
    response = register(client, login=NOT_A_MOBILE, full_name="", password=WEAK, password_again="87654321")

    assert response.status_code == 400
    assert not User.objects.exists()
    doc = html_of(response)
    assert field_errors(doc, "login") == ["请输入11位手机号码或有效的电子邮箱。"]
    assert field_errors(doc, "full_name") == ["该字段是必填项。"]
    password = field_errors(doc, "password")
    assert len(password) == 3, "too short, too common and all digits, all at once"
    assert any("太短" in message for message in password) and "密码只包含数字。" in password
    assert field_errors(doc, "password_again") == ["两次输入的密码不一致。"]

    summary = summary_of(doc)
    assert "手机号码或电子邮箱：请输入11位手机号码或有效的电子邮箱。" in summary
    assert "姓名：该字段是必填项。" in summary
    assert sum(item.startswith("密码：") for item in summary) == 3
    assert "再次输入密码：两次输入的密码不一致。" in summary
    assert "#id_login" in summary_links(doc) and "#id_password" in summary_links(doc)

    # What was typed is kept, except the passwords.
    assert doc.get_element_by_id("id_login").get("value") == NOT_A_MOBILE
    assert doc.get_element_by_id("id_password").get("value") is None
    assert doc.get_element_by_id("id_password_again").get("value") is None


def test_a_password_like_the_login_is_refused_beside_the_password(client, db):
    response = register(client, login="13912345678", password="13912345678a", password_again="13912345678a")
    doc = html_of(response)
    assert any("太相似" in message for message in field_errors(doc, "password"))
    assert doc.get_element_by_id("id_login").get("value") == "13912345678"


def test_a_taken_login_is_named_beside_the_login(client, db):
    register(client)
    client.logout()
    response = register(client, full_name="另一人")
    doc = html_of(response)
    assert field_errors(doc, "login") == ["该手机号码或电子邮箱已注册，请直接登录或找回密码。"]
    assert summary_of(doc) == ["手机号码或电子邮箱：该手机号码或电子邮箱已注册，请直接登录或找回密码。"]
    assert doc.get_element_by_id("id_full_name").get("value") == "另一人"


def test_the_registration_service_names_every_bad_argument_at_once(db):
    with pytest.raises(InvalidInput) as refused:
        register_applicant(login="li ming", password=WEAK, full_name=" ")
    assert set(refused.value.fields) == {"login", "full_name", "password"}
    assert len(refused.value.fields["password"]) == 3
    for messages in refused.value.fields.values():
        assert all(message in refused.value.message for message in messages)


@pytest.fixture
def applicant(client, db):
    register(client)
    client.get(reverse("applicant-home"))  # shows, and so consumes, the welcome message
    return Applicant.objects.get()


def profile_data(**changes):
    data = {
        "full_name": "李明",
        "is_chinese_national": "on",
        "id_type": "resident_id",
        "id_number": "",
        "applicant_type": "open_recruitment",
        "technical_title": "0",
        "mobile": "13912345678",
        "declares_fit": "on",
    }
    return {**data, **changes}


def test_the_profile_shows_a_bad_id_number_and_mobile_together(client, applicant):
    number = make_resident_id("420102", datetime.date(1999, 5, 6), 123)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    response = client.post(
        reverse("applicant-profile"), profile_data(id_number=wrong, mobile=NOT_A_MOBILE, full_name="")
    )

    assert response.status_code == 400
    doc = html_of(response)
    assert field_errors(doc, "id_number") == ["身份证号码校验位不正确，请核对后重新输入。"]
    assert field_errors(doc, "mobile") == ["请输入11位手机号码。"]
    assert field_errors(doc, "full_name") == ["该字段是必填项。"]
    assert len(summary_of(doc)) == 3
    assert doc.get_element_by_id("id_id_number").get("value") == wrong
    assert doc.get_element_by_id("id_mobile").get("value") == NOT_A_MOBILE
    applicant.refresh_from_db()
    assert (applicant.id_number, applicant.mobile, applicant.full_name) == ("", "13912345678", "李明")


def test_a_travel_permit_in_a_bad_format_is_named_beside_the_number(client, applicant):
    response = client.post(
        reverse("applicant-profile"), profile_data(id_type="hk_macao_resident", id_number="X1234", sex="male")
    )
    doc = html_of(response)
    assert field_errors(doc, "id_number") == ["请填写18位居住证号码，或正确格式的通行证号码。"]
    assert field_errors(doc, "birth_date") == ["持通行证的请填写出生日期和性别。"]


def test_a_number_another_account_holds_is_refused_beside_the_number(client, applicant):
    number = make_resident_id("420102", datetime.date(1999, 5, 6), 125)
    other = register_applicant(login="13900000000", password=PASSWORD, full_name="王芳")
    Applicant.objects.filter(pk=other.pk).update(id_type="resident_id", id_number=number)
    response = client.post(reverse("applicant-profile"), profile_data(id_number=number))
    assert response.status_code == 400
    doc = html_of(response)
    assert "该证件号码无法保存" in field_errors(doc, "id_number")[0]
    assert len(summary_of(doc)) == 1


def test_the_identity_claim_checks_the_number_with_the_other_fields(client, applicant):
    response = client.post(reverse("applicant-identity"), {"claim": "1", "id_type": "resident_id", "id_number": "123"})
    doc = html_of(response)
    assert field_errors(doc, "id_number") == ["居民身份证号码应为18位，前17位为数字，最后一位为数字或X。"]
    assert field_errors(doc, "training_base") == ["该字段是必填项。"]
    assert field_errors(doc, "reason") == ["该字段是必填项。"]
