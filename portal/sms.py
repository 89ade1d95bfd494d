"""Text messages through a pluggable backend named by the `SMS_BACKEND` setting.

A backend is a class with `send(number, text)`. It raises `SMSError` (or `ConnectionError` /
`TimeoutError`) for a failure worth retrying; the notification task retries those with backoff.
The console backend is the default and never prints a full phone number.
"""

import logging
import sys
import threading
from dataclasses import dataclass

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


class BaseBackend:
    def send(self, number, text):
        raise NotImplementedError


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


outbox = []


class LocMemBackend(BaseBackend):
    """Keeps messages in `portal.sms.outbox` for tests."""

    def send(self, number, text):
        outbox.append(SMSMessage(number, text))


_file_lock = threading.Lock()


class FileBackend(BaseBackend):
    """Appends one line per message to `SMS_FILE_PATH` (for tests across processes)."""

    def send(self, number, text):
        line = f"{mask_phone(number)}\t{' '.join(text.split())}\n"
        with _file_lock, open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as handle:
            handle.write(line)


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(number, text):
    get_backend().send(number, text)
