"""Fixtures for the headless-Chromium tests: one Chromium for the package, a fresh context per test.

Chromium is the distribution's binary (CI installs it); Playwright's own browser downloads are never used.
"""

import os
import re
from pathlib import Path

import pytest

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
def screenshot(request):
    """`screenshot(page, "step")` saves a full-page PNG as <dir>/<test name>-<step>.png.

    The directory comes from PLAYWRIGHT_SCREENSHOTS (default artifacts/screenshots) and is created on demand.
    """
    directory = Path(os.environ.get("PLAYWRIGHT_SCREENSHOTS", "artifacts/screenshots"))
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def save(page, step):
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{test_name}-{re.sub(r'[^\w.-]+', '_', step)}.png"
        # CSS pixels keep the phone screenshots (device scale factor 3) to a sensible size.
        page.screenshot(path=str(path), full_page=True, scale="css")
        return path

    return save


@pytest.fixture
def hubei_demo(transactional_db):
    """Hubei's 37 training bases, their specialty bases and the 2026 campaign with its plan,
    committed so that the live server thread sees them."""
    from bases.demo import load_province

    province, campaign = load_province(year=2026)
    return {"province": province, "campaign": campaign}
