"""Issue 11, item 15: a task a killed worker held comes back within minutes, not after an hour, and
no task runs long enough to be delivered a second time while it still runs (the real worker on
Redis is in tests/portal/test_celery_worker.py)."""

import os

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from admissions import tasks
from portal import queueing


@pytest.mark.skipif("CELERY_VISIBILITY_TIMEOUT" in os.environ, reason="the production default is overridden")
def test_an_abandoned_task_comes_back_within_minutes_and_none_outlives_its_visibility():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    # Redelivered once out this long, found by a running worker's scan every few seconds.
    assert options["visibility_timeout"] == 300
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= 10
    # Stopped (softly, then for good) before a second delivery could find it still running.
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < options["visibility_timeout"]


@pytest.mark.django_db
def test_a_sweep_stopped_by_its_time_limit_carries_on_in_a_new_task(monkeypatch):
    runs = []

    def sweep():
        runs.append(len(runs))
        if len(runs) == 1:
            raise SoftTimeLimitExceeded
        return 3

    monkeypatch.setattr(tasks, "admit_due", sweep)
    queued = []
    monkeypatch.setattr(queueing, "_enqueue", lambda task, args: queued.append(task.name))
    assert tasks.admit_due_candidates.apply().get() is None
    assert queued == ["admissions.tasks.admit_due_candidates"]
    assert tasks.admit_due_candidates.apply().get() == 3  # the new task finishes the sweep
    assert runs == [0, 1]
