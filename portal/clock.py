"""The demo's movable clock (settings.DEMO_TODAY): every `timezone.now()` in the process answers as
if today were that day, with the clock running on from the time of day the process started."""

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def start_demo_clock(day: datetime.date):
    try:
        import time_machine
    except ImportError:
        raise ImproperlyConfigured(
            "DEMO_TODAY needs the time-machine package from requirements-dev.txt (scripts/bootstrap installs it)."
        ) from None
    now = timezone.localtime()
    time_machine.travel(datetime.datetime.combine(day, now.time(), tzinfo=now.tzinfo), tick=True).start()
