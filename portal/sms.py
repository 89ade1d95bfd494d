"""Text messages through a pluggable backend named by the `SMS_BACKEND` setting.

A backend is a class with `send(number, text)`. It may return the gateway's id for the message
(a string), which the gateway's delivery report (回执, `portal.receipts`) names later; a backend
that returns nothing still works, its messages just never get past "sent". It raises `SMSError`
(or `ConnectionError` / `TimeoutError`) for a failure worth retrying; the notification task
retries those with backoff. The console backend is the default and never prints a full phone number.
"""

import logging
import sys
import threading
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from portal.privacy import mask_phone

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """A failure to hand a message to the gateway that may pass: the task retries it."""


TRANSIENT_ERRORS = (SMSError, ConnectionError, TimeoutError)


@dataclass(frozen=True)
class SMSMessage:
    number: str
    text: str
    message_id: str = field(default="", compare=False)


class BaseBackend:
    def send(self, number, text):
        """Hand the message to the gateway; returns its id for the message, or None."""
        raise NotImplementedError


def new_message_id():
    return uuid.uuid4().hex


class ConsoleBackend(BaseBackend):
    """Writes each message to stdout (and the log) with the number masked."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, number, text):
        line = f"SMS to {mask_phone(number)}: {text}"
        stream = self.stream or sys.stdout
        stream.write(line + "\n")
        stream.flush()
        logger.info("%s", line)
        return new_message_id()


outbox = []


class LocMemBackend(BaseBackend):
    """Keeps messages in `portal.sms.outbox` for tests."""

    def send(self, number, text):
        message = SMSMessage(number, text, new_message_id())
        outbox.append(message)
        return message.message_id


_file_lock = threading.Lock()


class FileBackend(BaseBackend):
    """Appends one line per message to `SMS_FILE_PATH` (for tests across processes)."""

    def send(self, number, text):
        line = f"{mask_phone(number)}\t{' '.join(text.split())}\n"
        with _file_lock, open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as handle:
            handle.write(line)
        return new_message_id()


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(number, text):
    """Send a text message; returns the gateway's id for it, or "" when the backend gives none."""
    return get_backend().send(number, text) or ""
