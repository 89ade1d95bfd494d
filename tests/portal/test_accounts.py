import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import Role
from tests import factories


@pytest.fixture
def office(world):
    return factories.user(Role.BASE_OFFICE, username="xiehe", training_base=world["xiehe"])


def test_login_and_logout(client, office):
    page = client.get(reverse("login")).content.decode()
    assert "忘记密码" in page
    assert 'data-testid="platform-name"><strong>住院医师规范化培训招录平台</strong>' in page
    assert "<title>登录 · 住院医师规范化培训招录平台</title>" in page and "testserver" not in page
    response = client.post(reverse("login"), {"username": "xiehe", "password": "Correct-horse-9"})
    assert response.status_code == 302 and response.url == reverse("workspace")
    assert "退出（xiehe）" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert "退出（xiehe）" not in client.get(reverse("home")).content.decode()


def test_wrong_password_is_refused_with_a_message(client, office):
    response = client.post(reverse("login"), {"username": "xiehe", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_password_change_requires_the_old_one_and_a_strong_new_one(client, office):
    client.force_login(office)
    weak = client.post(
        reverse("password_change"),
        {"old_password": "Correct-horse-9", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and weak.context["form"].errors["new_password2"]
    done = client.post(
        reverse("password_change"),
        {
            "old_password": "Correct-horse-9",
            "new_password1": "Wuhan-residency-2026",
            "new_password2": "Wuhan-residency-2026",
        },
    )
    assert done.status_code == 302
    office.refresh_from_db()
    assert office.check_password("Wuhan-residency-2026")


def test_password_reset_by_email_link(client, settings, office):
    settings.SITE_URL = "https://zhupei.example.gov.cn"
    office.email = "xiehe@example.com"
    office.save()
    client.post(reverse("password_reset"), {"email": "xiehe@example.com"})
    assert len(mail.outbox) == 1 and "重设" in mail.outbox[0].subject
    link = re.search(r"https://zhupei\.example\.gov\.cn(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "Hankou-residency-77", "new_password2": "Hankou-residency-77"})
    office.refresh_from_db()
    assert office.check_password("Hankou-residency-77")


def test_a_staff_user_cannot_exist_without_its_scope(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create_user(username="nobody", password="x", role=Role.BASE_OFFICE)


def test_clean_derives_the_province_from_the_base(world):
    user = get_user_model()(username="staff", role=Role.SPECIALTY_BASE_STAFF, specialty_base=world["xiehe_internal"])
    user.clean()
    assert (user.training_base, user.province) == (world["xiehe"], world["hubei"])


def test_admin_is_for_superusers_and_records_edits(client, world, people):
    staff = people["province"]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # staff but no superuser: sent to the admin login
    admin = get_user_model().objects.create_superuser(
        "root", "root@example.com", "Root-password-1", role=Role.PROVINCIAL_OFFICE, province=world["hubei"]
    )
    client.force_login(admin)
    url = reverse("admin:bases_trainingbase_change", args=[world["xiehe"].pk])
    response = client.post(
        url,
        {
            "province": world["hubei"].pk,
            "name": "协和医院",
            "city": "武汉市",
            "level": "national",
            "contact_person": "王老师",
            "phone_numbers": "027-1",
            "qq_groups": "",
            "sort_order": 1,
        },
    )
    assert response.status_code == 302
    from portal.models import AuditEvent

    event = AuditEvent.objects.get(action="trainingbase.change")
    assert event.actor == admin and event.after["contact_person"] == "王老师"
    assert event.training_base == world["xiehe"]
