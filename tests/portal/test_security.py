"""Sign-in throttling, what production responses carry, and what the logs may not carry."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Role
from portal.throttling import BACKOFF_AFTER, FAILURES_PER_PAIR
from tests import factories
from tests.manage_command import run_manage

PASSWORD = "Correct-horse-9"


@pytest.fixture
def office(world):
    return factories.user(Role.BASE_OFFICE, username="xiehe", training_base=world["xiehe"])


def _sign_in(client, username, password, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_pair_is_locked_after_five_failures_even_for_the_right_password(client, office):
    for _ in range(FAILURES_PER_PAIR):
        assert "请输入一个正确的" in _sign_in(client, "xiehe", "wrong-guess").content.decode()
    refused = _sign_in(client, "xiehe", PASSWORD)
    assert refused.status_code == 200
    assert "登录失败次数过多，请15分钟后再试" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="user.login_locked")
    assert event.object_id == str(office.pk) and event.training_base_id == office.training_base_id


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(client, office):
    """Fifty failures from the attacker's address: the owner signs in from its own at once."""
    for _ in range(50):
        _sign_in(client, "xiehe", "wrong-guess", address="198.51.100.66")
    assert "登录失败次数过多" in _sign_in(client, "xiehe", PASSWORD, address="198.51.100.66").content.decode()
    assert _sign_in(client, "xiehe", PASSWORD, address="203.0.113.7").status_code == 302


def test_a_province_behind_one_address_is_not_locked_out(client, world):
    """Two hundred people behind one NAT address each mistype twice, then sign in."""
    users = [factories.user(Role.APPLICANT, username=f"nat{n}") for n in range(200)]
    for user in users:
        for _ in range(2):
            _sign_in(client, user.username, "wrong-guess", address="10.0.0.1")
    for user in users[::20]:
        assert _sign_in(client, user.username, PASSWORD, address="10.0.0.1").status_code == 302
        client.logout()


def test_an_address_that_keeps_failing_for_an_account_under_attack_backs_off(client, office):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(BACKOFF_AFTER):  # spread over addresses, so no pair is locked
            _sign_in(client, "xiehe", "wrong-guess", address=f"198.51.100.{n}")
        refused = _sign_in(client, "xiehe", "wrong-guess", address="198.51.100.1")
        assert "登录失败次数过多，请2秒后再试" in refused.content.decode()
        clock.shift(datetime.timedelta(seconds=3))
        _sign_in(client, "xiehe", "wrong-guess", address="198.51.100.1")
        assert "请4秒后再试" in _sign_in(client, "xiehe", PASSWORD, address="198.51.100.1").content.decode()
        # The owner from an address that never failed is not held back.
        assert _sign_in(client, "xiehe", PASSWORD, address="203.0.113.99").status_code == 302


def test_the_lock_lifts_after_the_window_and_others_are_not_affected(client, world, office):
    other = factories.user(Role.BASE_OFFICE, username="tongji", training_base=world["tongji"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(FAILURES_PER_PAIR):
            _sign_in(client, "xiehe", "wrong-guess")
        assert _sign_in(client, other.username, PASSWORD).status_code == 302
        client.logout()
        clock.shift(datetime.timedelta(minutes=16))
        assert _sign_in(client, "xiehe", PASSWORD).status_code == 302


def test_a_success_clears_the_failures_of_the_account(client, office):
    for _ in range(FAILURES_PER_PAIR - 1):
        _sign_in(client, "xiehe", "wrong-guess")
    assert _sign_in(client, "xiehe", PASSWORD).status_code == 302
    client.logout()
    _sign_in(client, "xiehe", "wrong-guess")
    assert _sign_in(client, "xiehe", PASSWORD).status_code == 302


def test_behind_the_proxy_the_client_address_is_the_forwarded_one(client, office, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for _ in range(FAILURES_PER_PAIR):
        client.post(
            reverse("login"),
            {"username": "xiehe", "password": "wrong-guess"},
            REMOTE_ADDR="172.18.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    owner = client.post(
        reverse("login"),
        {"username": "xiehe", "password": PASSWORD},
        REMOTE_ADDR="172.18.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert owner.status_code == 302


def test_compose_sets_the_trusted_proxy_count():
    from pathlib import Path

    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    assert "NUM_PROXIES: ${NUM_PROXIES:-1}" in compose
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REST_FRAMEWORK['NUM_PROXIES'])",
        NUM_PROXIES="1",
    )
    assert result.stdout.strip().splitlines()[-1] == "1"


def test_registration_still_answers_when_the_cache_is_down(api, settings, db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    response = api(None).post(
        "/api/v1/register/",
        {"login": "13812345678", "password": "Kx9-quiet-river", "full_name": "王小明"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_production_answers_carry_hsts_secure_cookies_and_the_content_policy():
    code = (
        "from django.test import Client\n"
        "r = Client().get('/accounts/login/', secure=True, HTTP_HOST='zhupei.example.cn')\n"
        "print(r.status_code)\n"
        "print(r.headers.get('Strict-Transport-Security'))\n"
        "print(r.headers.get('Content-Security-Policy'))\n"
        "print(r.headers.get('X-Content-Type-Options'), r.headers.get('X-Frame-Options'))\n"
        "print(r.cookies['csrftoken'].output())\n"
        "print(Client().get('/', HTTP_HOST='zhupei.example.cn').status_code)\n"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="zhupei.example.cn",
        EMAIL_HOST="smtp.example.cn",
    )
    assert result.returncode == 0, result.stderr
    status, hsts, csp, sniff_frame, cookie, plain_http = result.stdout.strip().splitlines()[-6:]
    assert status == "200"
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert sniff_frame == "nosniff DENY"
    assert "Secure" in cookie
    assert plain_http == "301"  # plain http is sent to https


def test_logs_carry_no_id_or_mobile_numbers():
    code = (
        "import logging\n"
        "log = logging.getLogger('admissions')\n"
        "log.warning('applicant %s mobile %s', '42010619900101123X', '13912345678')\n"
        "try:\n"
        "    raise ValueError('duplicate id_number 42010619900101123X')\n"
        "except ValueError:\n"
        "    log.exception('import failed for +8613912345678')\n"
    )
    result = run_manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    logged = result.stderr
    assert "applicant 420***********123X mobile 139****5678" in logged
    assert "ValueError: duplicate id_number 420***********123X" in logged
    assert "42010619900101123X" not in logged and "13912345678" not in logged
