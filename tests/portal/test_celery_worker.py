"""Tasks against a real Celery worker process on the Redis broker (CI's celery-redis leg)."""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from redis import Redis

from admissions.models import Admission, Applicant
from admissions.services.admission import admit_due
from admissions.services.notices import notice_is_stored
from admissions.services.publicity import confirm_offer
from portal.celery import app
from portal.models import Channel, Delivery, DeliveryStatus, Role
from portal.notifications import notify
from portal.tasks import email_notification, sms_notification
from tests import factories
from tests.admissions.test_publicity_pages import at, build_round1, pdf_text

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL (run by .ci/run's celery leg)"),
]


def _database_url():
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("the worker leg needs PostgreSQL: the worker process must see the test database")
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition, seconds, what, *, every=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


class Worker:
    """A solo-pool worker process on the test database. Its e-mails go to files in
    `folder/mail`, its text messages to `folder/sms.log`, its stored files to the test's private
    folder; `env` adds to or overrides its environment."""

    def __init__(self, folder, *, wait_ready=True, **env):
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        self.log_path = folder / f"worker-{self.name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed when the worker stops
        self.process = subprocess.Popen(  # noqa: S603 - our own worker
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "-n",
                self.name,
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
            ],
            env={
                **os.environ,
                "DATABASE_URL": _database_url(),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(folder / "mail"),
                "SMS_BACKEND": "portal.sms.FileBackend",
                "SMS_FILE_PATH": str(folder / "sms.log"),
                "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
                # Its log is read while it runs.
                "PYTHONUNBUFFERED": "1",
                **env,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if not wait_ready:
            # A solo worker answers a ping only between tasks: with work queued it may answer once
            # it has done it all, too late for a test that watches what it is doing.
            return
        try:
            _wait_for(lambda: any(self.name in reply for reply in app.control.ping(timeout=0.5)), 60, "a worker")
        except BaseException:
            self.stop()
            raise

    def kill(self):
        """SIGKILL: no warm shutdown, so nothing it holds goes back to the queue on its way out."""
        self.process.kill()
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()
        print(self.log_path.read_text()[-3000:])


@pytest.fixture
def worker(transactional_db, tmp_path):
    started = Worker(tmp_path)
    yield tmp_path / "mail"
    started.stop()


def _subjects(mail_dir):
    if not mail_dir.exists():
        return []
    lines = [line for path in mail_dir.iterdir() for line in path.read_text().splitlines()]
    return [line for line in lines if line.startswith("Subject:")]


def _gone_out(notification, channel):
    """Whether the copy went out, recorded with the attempt that sent it."""
    return Delivery.objects.filter(
        notification=notification, channel=channel, status=DeliveryStatus.SENT, sent_at__isnull=False
    ).exists()


def _sent(notification):
    return _gone_out(notification, Channel.EMAIL)


def test_a_notification_delivered_twice_is_mailed_once(worker):
    applicant = factories.user(Role.APPLICANT)
    first = notify(recipient=applicant, kind="invitation", subject="invitation-A", body="复试邀请")
    email_notification.delay(first.pk)  # the broker delivers the same task again
    sentinel = notify(recipient=applicant, kind="invitation", subject="sentinel-B", body="")
    # One solo worker takes messages in order: once the sentinel is sent, both deliveries of A are done.
    _wait_for(lambda: _sent(sentinel), 60, "the worker to send the e-mails")
    assert _sent(first)
    assert Delivery.objects.get(notification=first, channel=Channel.EMAIL).attempts == 1, "the duplicate sent nothing"
    subjects = _subjects(worker)
    assert sum("invitation-A" in s for s in subjects) == 1
    assert sum("sentinel-B" in s for s in subjects) == 1


def _texted(notification):
    return _gone_out(notification, Channel.SMS)


def test_an_sms_delivered_twice_is_sent_once(worker, tmp_path):
    resident = factories.user(Role.APPLICANT)
    Applicant.objects.create(user=resident, full_name="李明", mobile="13912345678")
    first = notify(recipient=resident, kind="admitted", subject="admitted-A", body="")
    sms_notification.delay(first.pk)  # the broker delivers the same task again
    sentinel = notify(recipient=resident, kind="reporting", subject="sentinel-B", body="")
    _wait_for(lambda: _texted(sentinel), 60, "the worker to send the text messages")
    assert _texted(first)
    copy = Delivery.objects.get(notification=first, channel=Channel.SMS)
    assert copy.attempts == 1 and copy.provider_message_id, "sent once, with the gateway's id"
    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert sum("admitted-A" in line for line in lines) == 1
    assert sum("sentinel-B" in line for line in lines) == 1
    assert all(line.startswith("139****5678\t") for line in lines)  # no full number in the log


# Short enough that the test waits seconds, not the production five minutes, for an abandoned task.
VISIBILITY_TIMEOUT = 8


def _in_flight(redis):
    """(task name, task id) of every message a worker took and has not acknowledged yet."""
    messages = [json.loads(raw)[0] for raw in redis.hvals("unacked")]
    return [(message["headers"]["task"], message["headers"]["id"]) for message in messages]


def _copies_due():
    """E-mail and SMS copies that have not gone out yet."""
    return Delivery.objects.filter(status=DeliveryStatus.QUEUED).count()


def _notices_kept():
    return sum(notice_is_stored(admission) for admission in Admission.objects.all())


def _lines(path, prefix=""):
    if not path.exists():
        return []
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return [line for file in files for line in file.read_text(encoding="utf-8").splitlines() if line.startswith(prefix)]


def test_a_worker_killed_mid_batch_loses_no_message_and_no_notice(transactional_db, tmp_path, world, people):
    """40 notifications (e-mail and SMS each) and five admissions (notice PDFs) are queued; the
    worker is killed while it renders the batch of notices, with part of the messages sent. A worker already
    running takes the task it held back once the visibility timeout has passed — no restart, no
    beat — and finishes everything, once each."""
    redis = Redis.from_url(settings.CELERY_BROKER_URL)
    resident = factories.user(Role.APPLICANT)
    Applicant.objects.create(user=resident, full_name="李明", mobile="13912345678")
    for n in range(20):
        notify(recipient=resident, kind="batch", subject=f"batch-{n:02d}", body="")
    round1 = build_round1(world, people, places=5, candidates=5)
    with at(2026, 5, 6, 9):
        for applicant, assessment in zip(round1.applicants, round1.assessments, strict=True):
            confirm_offer(actor=applicant.user, assessment=assessment, accept=True)
    with at(2026, 5, 13, 0, 30):
        assert admit_due() == 5
    for n in range(20, 40):
        notify(recipient=resident, kind="batch", subject=f"batch-{n:02d}", body="")
    total = _copies_due()

    first = Worker(tmp_path, wait_ready=False, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    try:
        _wait_for(
            lambda: any(name == "admissions.tasks.store_admission_notices" for name, _ in _in_flight(redis)),
            120,
            "the worker to be rendering the batch of notices",
            every=0.05,  # a batch of five renders in about a second
        )
    finally:
        first.kill()
    held = _in_flight(redis)
    assert [name for name, _ in held] == ["admissions.tasks.store_admission_notices"], held
    assert _notices_kept() == 0, "the batch is kept whole or not at all"
    assert 0 < _copies_due() < total, "killed with part of the batch done"
    [(_, held_id)] = held

    killed_at = time.monotonic()
    second = Worker(tmp_path, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    try:
        _wait_for(lambda: _copies_due() == 0, 180, "the running worker to finish the queued copies")
        _wait_for(
            lambda: f"Task admissions.tasks.store_admission_notices[{held_id}] received" in second.log_path.read_text(),
            VISIBILITY_TIMEOUT + 30,
            "the running worker to take back the task the killed worker held",
        )
        waited = time.monotonic() - killed_at
        _wait_for(lambda: _notices_kept() == 5, 60, "the notices")
    finally:
        second.stop()
    # Within a scan or two of the timeout (the worker scans every 10 s), not an hour.
    assert waited <= VISIBILITY_TIMEOUT + 25, waited

    subjects = _lines(tmp_path / "mail", "Subject:")
    texts = _lines(tmp_path / "sms.log")
    for n in range(40):
        assert sum(line == f"Subject: batch-{n:02d}" for line in subjects) == 1
        assert sum(line.endswith(f"\tbatch-{n:02d}") for line in texts) == 1
    assert len(subjects) == Delivery.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
    assert len(texts) == Delivery.objects.filter(channel=Channel.SMS, status=DeliveryStatus.SENT).count()
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(), "every copy sent, none failed"
    for admission in Admission.objects.all():
        with admission.notice_file.open("rb") as file:
            assert admission.notice_number in pdf_text(file.read())
    kept = sorted(path.name for path in (settings.PRIVATE_MEDIA_ROOT / "admission").iterdir())
    assert kept == sorted(f"notice-{admission.pk}.pdf" for admission in Admission.objects.all())
