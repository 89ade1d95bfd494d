"""Links in e-mails and documents carry the configured public address, whatever host the request
that sent them came in on."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Role
from tests import factories
from tests.manage_command import run_manage

PUBLIC = "https://zhupei.example.gov.cn"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8000", "attacker.example"])
def test_the_password_reset_mail_links_to_the_public_address_whatever_the_request_host(client, settings, world, host):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]  # a lax deployment: the Host header still decides nothing
    office = factories.user(Role.BASE_OFFICE, username="xiehe", training_base=world["xiehe"])
    office.email = "xiehe@example.com"
    office.save()
    client.post(reverse("password_reset"), {"email": "xiehe@example.com"}, HTTP_HOST=host)
    body = mail.outbox[0].body
    assert re.search(rf"{re.escape(PUBLIC)}/accounts/reset/\S+/\S+/", body)
    assert host.split(":")[0] not in body and "localhost" not in body


def test_production_warns_while_the_public_address_is_localhost():
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "zhupei.example.cn"}
    local = run_manage("check", "--deploy", "--fail-level", "WARNING", SITE_URL="http://localhost:8000", **production)
    assert local.returncode != 0 and "portal.W001" in local.stdout + local.stderr
    public = run_manage("check", "--deploy", SITE_URL=PUBLIC, **production)
    assert "portal.W001" not in public.stdout + public.stderr
