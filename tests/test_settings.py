import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    production = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_HOST", "EMAIL_BACKEND"}
    clean = {k: v for k, v in os.environ.items() if k not in production}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="zhupei.example.cn",
        EMAIL_HOST="smtp.example.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="zhupei.example.cn")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_defaults_are_the_embedded_setup():
    if "DATABASE_URL" not in os.environ:
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if "CELERY_BROKER_URL" not in os.environ:
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "zh-hans" and "en" in dict(settings.LANGUAGES)
