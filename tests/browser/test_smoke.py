"""Smoke tests in a real browser: signing in and out, My tasks, no outside requests, CSP, language, keyboard."""

import re

import pytest
from flask_babel import gettext

from tests.browser.conftest import require_browser, screenshot, sign_in

expect = require_browser()

NOMINEE = "Nguyễn Văn Tâm"


def focused(page) -> str:
    """A short description of the element that has the keyboard focus."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        if (!e || e === document.body) return "body";
        return e.id ? `#${e.id}` : `${e.tagName.toLowerCase()}[type=${e.type || ""}]:${e.textContent.trim()}`;
    }""")


def test_sign_in_lands_on_my_tasks_with_the_endorse_task(page, live_server, nominate, walk):
    nomination = nominate(name=NOMINEE)
    walk(nomination, "endorse")

    response = sign_in(page, "head_a")

    assert response.status == 302
    expect(page).to_have_url(f"{live_server}/tasks")
    expect(page.get_by_role("heading", level=1)).to_contain_text("My tasks")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Head_A · VPTW")
    row = page.get_by_role("row").filter(has_text=NOMINEE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Endorse the dossier")
    expect(row).to_contain_text("LDTT")
    expect(row).to_contain_text("VPTW")
    screenshot(page, "inbox-en")


def test_sign_out_ends_the_session(page, live_server):
    sign_in(page, "head_a")
    expect(page).to_have_url(f"{live_server}/tasks")

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(f"{live_server}/sign-in")
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/tasks")
    expect(page).to_have_url(re.compile(re.escape(f"{live_server}/sign-in?next=")))
    expect(page.locator("#password")).to_be_visible()


def test_a_wrong_password_is_shown_on_the_form(page, live_server):
    response = sign_in(page, "head_a", "not the password")

    assert response.status == 401
    expect(page).to_have_url(f"{live_server}/sign-in")
    password = page.locator("#password")
    expect(password).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(password).to_have_attribute("aria-describedby", "password-error")
    expect(password).to_have_value("")
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator("#password-error")).to_have_text("Unknown username or wrong password.")
    expect(page.locator("#username")).to_have_value("head_a")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_pages_make_no_request_to_any_other_host(page, live_server, nominate, walk):
    walk(nominate(), "endorse")
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, "head_a")
    expect(page.get_by_role("row").filter(has_text="Endorse the dossier")).to_have_count(1)
    page.reload(wait_until="load")

    assert any(url.endswith(".css") for url in requested), requested  # the recorder does see subresources
    # data: URLs (allowed by the CSP for images) are decoded in the browser, not fetched.
    elsewhere = [url for url in requested if not url.startswith(f"{live_server}/") and not url.startswith("data:")]
    assert not elsewhere, f"requests to other hosts: {elsewhere}"


def test_pages_send_a_csp_and_log_no_console_errors(page, live_server, nominate, walk):
    walk(nominate(), "endorse")
    errors = []
    page.on("console", lambda message: errors.append(message) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(error))

    response = page.goto("/sign-in")
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    sign_in(page, "head_a")
    response = page.reload(wait_until="load")
    assert page.url == f"{live_server}/tasks"
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")

    assert [str(getattr(e, "text", e)) for e in errors] == []

    # The check above would see a violation: an inline script is refused, and says so on the console.
    with page.expect_console_message(lambda message: message.type == "error") as refused:
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.inline = 'ran'";
            document.head.appendChild(script);
        }""")
    assert "Content Security Policy" in refused.value.text
    assert page.evaluate("document.body.dataset.inline") is None


@pytest.mark.parametrize("locale", ["vi-VN"])
def test_my_tasks_in_vietnamese_follows_the_browser_language(app, page, live_server, nominate, walk):
    walk(nominate(name=NOMINEE), "endorse")

    response = page.goto("/sign-in")
    assert response.request.headers.get("accept-language", "").startswith("vi-VN")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    sign_in(page, "head_a")

    expect(page).to_have_url(f"{live_server}/tasks")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    with app.test_request_context(headers={"Accept-Language": "vi-VN"}):
        heading = gettext("My tasks")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.get_by_role("row").filter(has_text=NOMINEE)).to_have_count(1)


def test_the_sign_in_form_works_from_the_keyboard(page, live_server):
    page.goto("/sign-in")
    assert focused(page) == "#username"  # the form has the focus as soon as the page opens

    # Back to the top of the page: Shift+Tab until the focus leaves the document.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if focused(page) == "body":
            break
    assert focused(page) == "body"

    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        order.append(focused(page))
        if order[-1] == "#password":
            break
    assert order[-2:] == ["#username", "#password"], order
    page.keyboard.press("Tab")
    assert focused(page) == "button[type=submit]:Sign in"

    # The same keys sign in: type in the fields reached with Tab, press Enter on the button.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "#username"
    page.keyboard.type("head_a")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse")
    page.keyboard.press("Tab")
    with page.expect_event("load"):
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/tasks")
    expect(page.get_by_role("heading", level=1)).to_contain_text("My tasks")
