"""A council session through its pages in a real browser, in both languages, at 1366×768: the office schedules
it and takes attendance, the chair opens the ballots, each member casts one sheet for the whole agenda with the
keyboard, the secretary closes the ballots and the minutes are offered."""

import pytest

from tests.browser.conftest import in_view, require_browser, screenshot, sign_in
from tests.session_helpers import agency_with_secretary, round_with_voting

expect = require_browser()

WORDS = {
    "en-US": {"schedule": "Schedule the session", "attendance": "Record attendance and check the quorum",
              "quorum": "Quorum met", "open": "Open the ballots", "cast": "Cast my ballot sheet",
              "received": "Your ballot sheet was received.", "close": "Close the ballots and count",
              "minutes": "Download the minutes (PDF)", "yes": "Yes"},
    "vi-VN": {"schedule": "Lên lịch phiên họp", "attendance": "Ghi điểm danh và kiểm tra túc số",
              "quorum": "Đủ túc số", "open": "Mở phiếu bầu", "cast": "Bỏ phiếu",
              "received": "Đã nhận phiếu bầu của đồng chí.", "close": "Đóng phiếu bầu và kiểm phiếu",
              "minutes": "Tải biên bản (PDF)", "yes": "Đồng ý"},
}


def as_user(context, page, username):
    context.clear_cookies()
    sign_in(page, username)


@pytest.mark.parametrize("locale", ["en-US", "vi-VN"])
def test_a_council_session_on_its_pages(app, context, page, live_server, locale):
    words = WORDS[locale]
    agency_with_secretary(app, "VPTW")
    round_id, nominees = round_with_voting(app, awards=("CSTDCS", "CSTDBO"))

    as_user(context, page, "vptw_office")
    page.goto(f"/rounds/{round_id}/sessions")
    page.locator("#scheduled_for").fill("2026-12-20T08:00")
    page.locator("#place").fill("Phòng họp số 1")
    page.get_by_role("button", name=words["schedule"]).click()
    attendance = page.get_by_role("button", name=words["attendance"])
    expect(attendance).to_be_visible()
    session_path = page.url.removeprefix(live_server)
    attendance.click()
    expect(page.locator("#quorum")).to_contain_text(words["quorum"])
    screenshot(page, f"council-session-attendance-{locale[:2]}")

    as_user(context, page, "vptw_head")
    page.goto(session_path)
    opening = page.get_by_role("button", name=words["open"])
    in_view(opening)
    opening.click()
    expect(page.locator("#sheets-cast")).to_be_visible()

    for member in ("vptw_head", "vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4"):
        if member != "vptw_head":
            as_user(context, page, member)
            page.goto(session_path)
        # The keyboard alone: each nominee's "yes" is reached and chosen, then the sheet is sent.
        for nomination_id in nominees:
            page.locator(f"#vote-{nomination_id}-yes").focus()
            page.keyboard.press("Space")
            expect(page.locator(f"#vote-{nomination_id}-yes")).to_be_checked()
        page.get_by_role("button", name=words["cast"]).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(words["received"])).to_be_visible()

    as_user(context, page, "vptw_sec")
    page.goto(session_path)
    expect(page.locator("#sheets-cast")).to_contain_text("5")
    page.get_by_role("button", name=words["close"]).click()
    expect(page.get_by_role("link", name=words["minutes"])).to_be_visible()
    screenshot(page, f"council-session-closed-{locale[:2]}", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name=words["minutes"]).click()
    assert download.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize("locale", ["en-US", "vi-VN"])
def test_the_session_pages_pass_the_accessibility_check(app, chromium, live_server, locale):
    from tests.browser.accessibility import CONTEXT_OPTIONS, axe_violations, describe
    from tests.browser.conftest import TIMEOUT_MS, VIEWPORT

    words = WORDS[locale]
    agency_with_secretary(app, "VPTW")
    round_id, _ = round_with_voting(app, awards=("CSTDCS", "CSTDBO"))
    context = chromium.new_context(base_url=live_server, locale=locale, viewport=VIEWPORT, **CONTEXT_OPTIONS)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    found = []
    try:
        as_user(context, page, "vptw_office")
        page.goto(f"/rounds/{round_id}/sessions")
        found += describe("schedule", axe_violations(page))
        page.locator("#scheduled_for").fill("2026-12-20T08:00")
        page.get_by_role("button", name=words["schedule"]).click()
        expect(page.get_by_role("button", name=words["attendance"])).to_be_visible()
        session_path = page.url.removeprefix(live_server)
        found += describe("attendance", axe_violations(page))
        page.get_by_role("button", name=words["attendance"]).click()
        as_user(context, page, "vptw_head")
        page.goto(session_path)
        page.get_by_role("button", name=words["open"]).click()
        expect(page.get_by_role("button", name=words["cast"])).to_be_visible()
        found += describe("ballot sheet", axe_violations(page))
        page.goto("/sessions")
        found += describe("sessions", axe_violations(page))
    finally:
        context.close()
    assert found == []
