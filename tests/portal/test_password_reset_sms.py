"""Issue 11, item 10: a password reset by text message for accounts registered with a mobile number,
rate-limited and answering alike whether or not the number has an account."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from admissions.services.applicants import register_applicant
from portal import sms
from portal.models import AuditEvent, PasswordResetCode
from portal.password_reset import (
    CODES_PER_NUMBER_PER_HOUR,
    WRONG_TRIES,
    ResetRefused,
    request_reset_code,
    reset_password,
)
from portal.throttling import FAILURES_PER_PAIR

MOBILE = "13912345678"
NEW = "Quiet-river-2027"


@pytest.fixture(autouse=True)
def texts(settings):
    settings.SMS_BACKEND = "portal.sms.LocMemBackend"
    sms.outbox.clear()
    return sms.outbox


@pytest.fixture
def applicant(db):
    return register_applicant(login=MOBILE, password="Residency-2026!", full_name="王小明")


def code_of(texts):
    return re.search(r"验证码 (\d{6})", texts[-1].text)[1]


def ask(client, mobile):
    return client.post(reverse("password-reset-sms"), {"mobile": mobile}, follow=True)


def test_the_code_resets_the_password_and_ends_other_sessions(
    client, applicant, texts, django_capture_on_commit_callbacks
):
    other_device = client.__class__()
    other_device.force_login(applicant.user)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, MOBILE)
    assert texts[-1].number == MOBILE
    page = client.post(
        reverse("password-reset-sms-code"),
        {"mobile": MOBILE, "code": code_of(texts), "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "密码已重设" in page.content.decode()
    assert client.login(username=MOBILE, password=NEW)
    assert not client.login(username=MOBILE, password="Residency-2026!")
    assert other_device.get(reverse("applicant-home")).status_code == 302  # signed out: to the login page
    assert AuditEvent.objects.filter(action="user.password_reset").count() == 1


def test_asking_answers_alike_for_a_number_without_an_account(
    client, applicant, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, MOBILE)
        unknown = ask(client, "13700000000")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert _same_page(known) == _same_page(unknown)
    assert [text.number for text in texts] == [MOBILE]


def _same_page(response):
    """The page without what differs on every response anyway (the CSRF token) and the number typed."""
    page = response.content.decode().replace(MOBILE, "X").replace("13700000000", "X")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_code_is_used_once_expires_and_dies_after_five_wrong_tries(
    applicant, texts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_reset_code(mobile=MOBILE, address="203.0.113.7")
    code = code_of(texts)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(WRONG_TRIES):
        with pytest.raises(ResetRefused):
            reset_password(mobile=MOBILE, code=wrong, password=NEW, address="203.0.113.7")
    with pytest.raises(ResetRefused):  # the right code, too late
        reset_password(mobile=MOBILE, code=code, password=NEW, address="203.0.113.7")

    with django_capture_on_commit_callbacks(execute=True):
        request_reset_code(mobile=MOBILE, address="203.0.113.7")
    code = code_of(texts)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)), pytest.raises(ResetRefused):
        reset_password(mobile=MOBILE, code=code, password=NEW, address="203.0.113.7")

    with django_capture_on_commit_callbacks(execute=True):
        request_reset_code(mobile=MOBILE, address="203.0.113.7")
    code = code_of(texts)
    reset_password(mobile=MOBILE, code=code, password=NEW, address="203.0.113.7")
    with pytest.raises(ResetRefused):
        reset_password(mobile=MOBILE, code=code, password="Another-river-2028", address="203.0.113.7")
    assert PasswordResetCode.objects.filter(used_at__isnull=True).count() == 0


def test_three_codes_an_hour_per_number_whether_or_not_it_has_an_account(applicant, texts):
    for mobile in (MOBILE, "13700000000"):
        for _ in range(CODES_PER_NUMBER_PER_HOUR):
            request_reset_code(mobile=mobile, address="203.0.113.7")
        with pytest.raises(ResetRefused) as refused:
            request_reset_code(mobile=mobile, address="203.0.113.7")
        assert refused.value.status == 429


def test_a_weak_new_password_is_refused_and_the_code_still_works(applicant, texts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_reset_code(mobile=MOBILE, address="203.0.113.7")
    with pytest.raises(ResetRefused) as refused:
        reset_password(mobile=MOBILE, code=code_of(texts), password="12345678", address="203.0.113.7")
    assert refused.value.code == "weak_password"
    reset_password(mobile=MOBILE, code=code_of(texts), password=NEW, address="203.0.113.7")


def test_a_reset_lifts_the_owners_sign_in_lock(client, applicant, texts, django_capture_on_commit_callbacks):
    for _ in range(FAILURES_PER_PAIR):
        client.post(reverse("login"), {"username": MOBILE, "password": "wrong-guess"}, REMOTE_ADDR="203.0.113.7")
    with django_capture_on_commit_callbacks(execute=True):
        request_reset_code(mobile=MOBILE, address="203.0.113.7")
    reset_password(mobile=MOBILE, code=code_of(texts), password=NEW, address="203.0.113.7")
    signed_in = client.post(reverse("login"), {"username": MOBILE, "password": NEW}, REMOTE_ADDR="203.0.113.7")
    assert signed_in.status_code == 302
