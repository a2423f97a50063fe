"""The head signs a whole list's decision from the keyboard, in English and in Vietnamese, at 1366×768:
one password for the annex, then the decision's page with every awardee."""

import pytest

from tests.browser.conftest import in_view, require_browser, screenshot, sign_in
from tests.conftest import PASSWORD
from tests.list_decision_helpers import names_of, set_up_agencies, signing_list

expect = require_browser()

WORDS = {
    "en-US": {"heading": "Sign the list's decision", "password": "Your password (one electronic signature for the "
              "whole list)", "signed": "Decision 1/QĐ-VPTW", "annex": "Annex"},
    "vi-VN": {"heading": "Ký quyết định của danh sách", "password": "Mật khẩu của đồng chí (một chữ ký điện tử cho "
              "cả danh sách)", "signed": "Quyết định 1/QĐ-VPTW", "annex": "Phụ lục"},
}


@pytest.mark.parametrize("locale", ["en-US", "vi-VN"])
def test_the_head_signs_a_list_from_the_keyboard(app, page, locale):
    words = WORDS[locale]
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=25)
    sign_in(page, "vptw_head")
    page.goto(f"/lists/{list_id}/sign")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    expect(page.locator("table tbody tr")).to_have_count(25)
    # From the choice to the signature by the keyboard alone.
    page.locator("#sign-approve").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#sign-comment")).to_be_focused()
    page.keyboard.type("Đồng ý")
    page.keyboard.press("Tab")
    password = page.get_by_label(words["password"])
    expect(password).to_be_focused()
    page.keyboard.type(PASSWORD)
    screenshot(page, f"list-signing-{locale[:2]}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["signed"])
    expect(page.get_by_role("heading", name=words["annex"])).to_be_visible()
    expect(page.locator("table tbody tr")).to_have_count(25)
    expect(page.get_by_role("link", name=names_of(app, ids)[24])).to_be_visible()
    in_view(page.get_by_role("heading", level=1))
