"""`manage.py` in a process of its own, for what must be seen from outside: settings read at start-up,
what the logs print."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Set by the browser tests while Chromium runs; `check --deploy` reports it (async.E001).
LEFT_OUT = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_HOST", "EMAIL_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args, **env):
    """The environment of this run without the production variables, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
