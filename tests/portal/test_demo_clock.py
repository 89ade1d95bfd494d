"""The demo's movable clock: DEMO_TODAY moves every clock of the process, only when DEBUG is on."""

import datetime
import zoneinfo

import pytest

from tests.manage_command import run_manage

TODAY = "print(__import__('django.utils.timezone').utils.timezone.localdate())"


def test_demo_today_moves_the_portals_clock():
    result = run_manage("shell", "-c", TODAY, DEMO_TODAY="2026-04-10")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "2026-04-10"


def test_without_demo_today_the_clock_is_real():
    result = run_manage("shell", "-c", TODAY)
    beijing = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date()
    assert result.stdout.strip().splitlines()[-1] == beijing.isoformat()


def test_production_refuses_a_demo_clock():
    result = run_manage("check", DEMO_TODAY="2026-04-10", DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    assert "DEMO_TODAY moves the clock for the demo only" in result.stderr


def test_a_malformed_demo_day_is_named():
    result = run_manage("check", DEMO_TODAY="10/04/2026")
    assert result.returncode != 0
    assert "DEMO_TODAY must be a date like 2026-04-10, not '10/04/2026'" in result.stderr


@pytest.mark.django_db
def test_pages_say_the_clock_is_a_demo_clock(client, settings):
    settings.DEMO_TODAY = datetime.date(2026, 4, 10)
    assert "演示环境：平台时钟设为 2026年4月10日" in client.get("/").content.decode()
    settings.DEMO_TODAY = None
    assert "演示环境" not in client.get("/").content.decode()
