"""What /healthz reports: whether the database answers, and the broker's state."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check: the database does not answer: %s", type(error).__name__)
        return False
    return True


def broker_state():
    """ "in_process" without a broker (tasks run eagerly), else "ok" or "unavailable"."""
    if not settings.CELERY_BROKER_URL:
        return "in_process"
    from portal.celery import app

    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
    # Whatever kombu raises (refused, timed out, unknown host), the broker is not usable.
    except Exception as error:
        logger.warning("Health check: the broker does not answer: %s", type(error).__name__)
        return "unavailable"
    return "ok"
