"""Tasks are queued once the change they follow is committed, and a broker outage never undoes
or hides that change: the row that says what is still to be done stays, and a sweep queues it again."""

import logging
import threading
from functools import partial

from celery.exceptions import NotRegistered, SoftTimeLimitExceeded
from django.db import transaction
from kombu.exceptions import OperationalError

from portal.celery import app

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *args):
    """Queue the task registered as `task_name` (e.g. "portal.tasks.email_notification") with
    `args` once the current transaction commits (at once outside a transaction). By name, so a
    service never imports its task module: the task imports the service, not the reverse."""
    transaction.on_commit(partial(_enqueue, task_name, args))


_discovery = threading.Lock()


def _registered(name):
    # The portal's app by name, not celery.current_app: in a thread the process did not start with
    # (a threaded server, a test's racing threads) current_app is Celery's empty default app.
    try:
        return app.tasks[name]
    except NotRegistered:
        # Outside a worker (a management command) task modules are discovered only when asked for;
        # threads asking at once would each see the others' half-done discovery.
        with _discovery:
            app.loader.import_default_modules()
        return app.tasks[name]


def _enqueue(task, args):
    if isinstance(task, str):
        task = _registered(task)
    # The change is already committed: an error page now would tell the user it failed. The log
    # line names the task and its row ids only, never the person or the message.
    try:
        task.delay(*args)
    except OperationalError as error:
        logger.warning("Broker unreachable, %s%r not queued (a sweep queues it again): %s", task.name, args, error)
    except Exception:
        if not app.conf.task_always_eager:
            raise
        # Without a broker the task runs here, inside the request: its failure (a gateway down, a
        # retry it asked for) is the task's, recorded on its row for the sweep, not the request's.
        logger.exception("%s%r failed in-process (a sweep takes up what it left undone)", task.name, args)


def run_sweep(task, sweep):
    """Run `sweep()` for the Celery task `task`. A sweep commits item by item and skips what is
    done, so when the soft time limit stops it (see CELERY_TASK_SOFT_TIME_LIMIT) the task queues
    itself again to carry on, rather than run past the broker's visibility timeout and be
    delivered a second time while still running."""
    try:
        return sweep()
    except SoftTimeLimitExceeded:
        logger.warning("%s stopped by its time limit; carrying on in a new task", task.name)
        _enqueue(task, ())
        return None
