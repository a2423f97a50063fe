"""Browser tests: the app served on a real port, driven by headless Chromium through Playwright.

The database is the one the ``app`` fixture builds (an SQLite file, or PostgreSQL when TEST_DATABASE_URL
is set). Test modules start with ``expect = require_browser()``: without Chromium or Playwright the
module is skipped on a developer's machine, and its tests fail on CI (where CI is set) so that a missing
browser is noticed. Set SCREENSHOTS=1 to (re)write the PNG files under docs/screenshots/.
"""

import importlib.util
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}  # the commonest office screen: each role's next move must fit in it
TIMEOUT_MS = 10_000  # every wait is bounded: a hung page fails the test instead of the run
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing: install Debian's chromium package"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing: run `make install`"
    return None


def require_browser():
    """Playwright's ``expect``; skips the calling module when the browser cannot run, except on CI.

    On CI every browser test fails instead (the ``playwright`` fixture says why), so a missing browser shows.
    """
    reason = missing_requirement()
    if reason and not os.environ.get("CI"):
        pytest.skip(f"browser tests skipped: {reason}", allow_module_level=True)
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


# -- the server --------------------------------------------------------------------------------------------


@pytest.fixture
def live_server(app):
    """The app on 127.0.0.1 at a free port, in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- the browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright():
    reason = missing_requirement()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run on CI: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def locale():
    """The browser's language (sent as Accept-Language); override with ``@pytest.mark.parametrize("locale", ...)``."""
    return "en-US"


@pytest.fixture
def context(chromium, live_server, locale):
    """A fresh browser profile per test: no cookies carried over; relative URLs go to the live server."""
    ctx = chromium.new_context(base_url=live_server, locale=locale, viewport=VIEWPORT)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    try:
        yield page
    finally:
        page.close()


# -- helpers -----------------------------------------------------------------------------------------------


def sign_in(page, username: str, password: str = PASSWORD):
    """Fill the real sign-in form and submit it; returns once the page it leads to has loaded.

    Returns the response to the form's POST (a redirect on success, the form again on a refusal).
    """
    page.goto("/sign-in")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    # The next load event is the page the form leads to: the old page's fired before we waited.
    with page.expect_event("load"), page.expect_response(_is_sign_in_post) as posted:
        page.locator("form:has(#password) [type=submit]").click()
    return posted.value


def _is_sign_in_post(response) -> bool:
    return response.request.method == "POST" and response.url.split("?")[0].endswith("/sign-in")


def screenshot(page, name: str, *, full_page: bool = False) -> None:
    """Write docs/screenshots/<name>.png, only when SCREENSHOTS=1: what the window shows (1366×768), or the
    whole page with ``full_page``."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    assert page.viewport_size == VIEWPORT, page.viewport_size
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page, animations="disabled")


def in_view(locator) -> dict:
    """The element's box, asserting that the window shows it whole as things stand (no scrolling by the test).

    Returns the box, in the window's coordinates.
    """
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    width, height = VIEWPORT["width"], VIEWPORT["height"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= height, f"{locator} is outside the window's height: {box}"
    assert 0 <= box["x"] and box["x"] + box["width"] <= width, f"{locator} is outside the window's width: {box}"
    return box
