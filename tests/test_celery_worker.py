"""Tasks against a real Celery worker process on the Redis broker (CI's celery-redis leg)."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from admissions.models import Applicant
from portal.celery import app
from portal.models import Notification, Role
from portal.notifications import notify
from portal.tasks import email_notification, sms_notification
from tests import factories

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (run by .ci/run's celery leg)"),
]


def _database_url():
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("the worker leg needs PostgreSQL: the worker process must see the test database")
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def worker(transactional_db, tmp_path):
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SMS_BACKEND": "portal.sms.FileBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms.log"),
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed after the worker stops
    process = subprocess.Popen(  # noqa: S603 - our own worker
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "-n",
            name,
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: any(name in reply for reply in app.control.ping(timeout=0.5)), 60, "the worker to start")
        yield mail_dir
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "worker.log").read_text()[-3000:])


def _subjects(mail_dir):
    if not mail_dir.exists():
        return []
    lines = [line for path in mail_dir.iterdir() for line in path.read_text().splitlines()]
    return [line for line in lines if line.startswith("Subject:")]


def _sent(notification):
    return Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists()


def test_a_notification_delivered_twice_is_mailed_once(worker):
    applicant = factories.user(Role.APPLICANT)
    first = notify(recipient=applicant, kind="invitation", subject="invitation-A", body="复试邀请")
    email_notification.delay(first.pk)  # the broker delivers the same task again
    sentinel = notify(recipient=applicant, kind="invitation", subject="sentinel-B", body="")
    # One solo worker takes messages in order: once the sentinel is sent, both deliveries of A are done.
    _wait_for(lambda: _sent(sentinel), 60, "the worker to send the e-mails")
    assert _sent(first)
    subjects = _subjects(worker)
    assert sum("invitation-A" in s for s in subjects) == 1
    assert sum("sentinel-B" in s for s in subjects) == 1


def _texted(notification):
    return Notification.objects.filter(pk=notification.pk, texted_at__isnull=False).exists()


def test_an_sms_delivered_twice_is_sent_once(worker, tmp_path):
    resident = factories.user(Role.APPLICANT)
    Applicant.objects.create(user=resident, full_name="李明", mobile="13912345678")
    first = notify(recipient=resident, kind="admitted", subject="admitted-A", body="")
    sms_notification.delay(first.pk)  # the broker delivers the same task again
    sentinel = notify(recipient=resident, kind="reporting", subject="sentinel-B", body="")
    _wait_for(lambda: _texted(sentinel), 60, "the worker to send the text messages")
    assert _texted(first)
    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert sum("admitted-A" in line for line in lines) == 1
    assert sum("sentinel-B" in line for line in lines) == 1
    assert all(line.startswith("139****5678\t") for line in lines)  # no full number in the log
