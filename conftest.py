"""Test harness: Debian's Chromium through Playwright, and the browser page fixtures.

Browser tests use `phone_page` (a resident's phone) or `desktop_page` (a staff desk) with
pytest-django's `live_server`. On PostgreSQL the live server runs in another thread with
its own connection, so a browser test that creates data must use `transactional_db`
(with `db` the server would not see the test's uncommitted rows).
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying to reach the internet from a test machine.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
BROWSER_FIXTURES = {"page", "context", "new_context", "browser", "phone_page", "desktop_page"}
_call_report = pytest.StashKey[pytest.TestReport]()

# Playwright's sync API runs an event loop in the test thread, and Django then refuses ORM
# calls from tests and from the live server ("async context"); nothing here is really async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian Chromium through Playwright")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that opens a browser is marked, so `-m "not browser"` leaves them all out."""
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[_call_report] = report
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a downloaded browser (`playwright install` is not used)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (make test does).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def phone_page(new_context, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A resident's phone: 390×844, Simplified Chinese, touch."""
    context = new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    _screenshot_if_failed(page, request, "phone")


@pytest.fixture
def desktop_page(new_context, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A staff desk: 1440×900, Simplified Chinese."""
    page = new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    yield page
    _screenshot_if_failed(page, request, "desktop")


def _screenshot_if_failed(page: Page, request: pytest.FixtureRequest, kind: str) -> None:
    report = request.node.stash.get(_call_report, None)
    if report is None or not report.failed or page.is_closed():
        return
    folder = Path(request.config.rootpath) / "artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    page.screenshot(path=folder / f"{name}-{kind}.png", full_page=True)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language (Chinese): a request in an earlier test must
    not leave its language active in the thread, or a test would pass only after another one."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
