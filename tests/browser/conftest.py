"""Fixtures for the headless-Chromium tests: one Chromium for the package, a fresh context per test.

Chromium is the distribution's binary (CI installs it); Playwright's own browser downloads are never used.
"""

import os
import re
from pathlib import Path

import pytest

from tests.applicant_helpers import PDF, PNG
from tests.browser.journeys import SCANS_BY_KIND

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 10_000

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP = {
    "viewport": {"width": 1366, "height": 900},
    "locale": "zh-CN",
}

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test under tests/browser drives Chromium: mark it so `-m "not browser"` leaves it out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def chromium():
    """One Chromium for the tests of this package.

    Playwright's sync API marks an asyncio event loop as running in this thread for as long as it is
    started, and Django then refuses ORM calls here (fixtures loading data, the database flush after a
    test) with SynchronousOnlyOperation. DJANGO_ALLOW_ASYNC_UNSAFE lifts that check for exactly that
    long: it is set when Playwright starts and removed when it stops at the end of this package, so it
    leaks neither into the other tests nor into subprocesses they start (`manage.py check --deploy`
    reports the variable as async.E001).
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium package "
            "(apt-get install chromium). Do not use `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, options):
    context = browser.new_context(**options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def phone(chromium):
    """A page on a phone-sized, touch, high-density viewport in a fresh context (no cookies)."""
    context, page = _page(chromium, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(chromium):
    context, page = _page(chromium, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def new_page(chromium):
    """`new_page(PHONE)`: a page in a fresh context (no cookies) with those options, closed after the test.

    For a test with several people at once, or one person signing in afresh.
    """
    contexts = []

    def open_page(options):
        context, page = _page(chromium, options)
        contexts.append(context)
        return page

    yield open_page
    for context in contexts:
        context.close()


def save_screenshot(page, name):
    """Save a full-page PNG of `page` as <dir>/<name>.png and return its path.

    The directory comes from PLAYWRIGHT_SCREENSHOTS (default artifacts/screenshots; CI keeps it) and is
    created on demand.
    """
    directory = Path(os.environ.get("PLAYWRIGHT_SCREENSHOTS", "artifacts/screenshots"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{re.sub(r'[^\w.-]+', '_', name)}.png"
    # CSS pixels keep the phone screenshots (device scale factor 3) to a sensible size.
    page.screenshot(path=str(path), full_page=True, scale="css")
    return path


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "step")` saves a full-page PNG as <dir>/<test name>-<step>.png."""
    return lambda page, step: save_screenshot(page, f"{request.node.name}-{step}")


@pytest.fixture
def browser_cookies(settings):
    """For tests that freeze the server's clock (see `journeys.server_clock`) while Chromium keeps the real one.

    A cookie whose expiry the frozen server computed (a date in the campaign's year plus two weeks) may
    already be past for the browser, which would drop the session at once: the session and CSRF cookies
    go out as browser-session cookies, without an expiry date. The server still expires the session
    itself, by its own (frozen) clock.
    """
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


@pytest.fixture
def scans(tmp_path):
    """The files of `journeys.SCANS_BY_KIND` (an identity card's two sides, a diploma) on disk, for the
    upload form: name → path."""
    paths = {}
    for _kind, name in SCANS_BY_KIND:
        (tmp_path / name).write_bytes(PDF if name.endswith(".pdf") else PNG)
        paths[name] = str(tmp_path / name)
    return paths


@pytest.fixture
def hubei_demo(transactional_db):
    """Hubei's 37 training bases, their specialty bases and the 2026 campaign with its plan,
    committed so that the live server thread sees them."""
    from bases.demo.loading import load_province

    province, campaign = load_province(year=2026)
    return {"province": province, "campaign": campaign}
