"""Rounds and lists in a real browser, in English and Vietnamese, in the commonest office window
(1366×768): a clerk makes a list from the candidates the registry offers, the office follows the
round on its page and decides on every nominee of a list in one submission."""

from datetime import timedelta

import pytest

from tests.browser.conftest import in_view, require_browser, screenshot, sign_in
from tests.list_helpers import list_at, registered_people, set_without_vote
from workflows.usecases.proposals import today

expect = require_browser()

WORDS = {
    "en-US": {"make": "Make the list", "candidates": "Candidates from your unit's registry", "step": "Step",
              "prepare": "Prepare the list", "counts": "Nominees by unit and award type", "check": "Check the list",
              "record": "Record the decisions", "accept": "Accept", "await": "Await the council session"},
    "vi": {"make": "Lập danh sách", "candidates": "Người có thể đề nghị, từ cơ sở dữ liệu của đơn vị",
           "step": "Bước", "prepare": "Lập danh sách",
           "counts": "Người được đề nghị theo đơn vị và hình thức khen thưởng",
           "check": "Thẩm định danh sách", "record": "Ghi nhận ý kiến thẩm định", "accept": "Tiếp nhận",
           "await": "Chờ phiên họp Hội đồng"},
}


@pytest.mark.parametrize("locale", ["en-US", "vi"])
def test_a_clerk_makes_a_list_from_the_candidates_offered(app, page, live_server, locale):
    words = WORDS[locale]
    registered_people(app, "VPTW", 3, prefix="Ứng viên")
    sign_in(page, "clerk_a")
    page.goto("/lists/new?award=LDTT&year=2026")
    expect(page.get_by_role("heading", name=words["candidates"])).to_be_visible()
    boxes = page.locator("#candidates input[name=nominee]")
    expect(boxes).to_have_count(3)
    for i in range(3):
        expect(boxes.nth(i)).to_be_checked()
    boxes.nth(2).uncheck()
    in_view(page.get_by_role("heading", level=1))
    screenshot(page, f"list-new-{locale[:2]}")
    page.get_by_role("button", name=words["make"]).click()
    page.wait_for_url(f"{live_server}/lists/*")
    expect(page.locator("#list-step")).to_contain_text(words["prepare"])
    expect(page.locator("#nominee-table tbody tr")).to_have_count(2)


@pytest.mark.parametrize("locale", ["en-US", "vi"])
def test_the_office_follows_the_round_and_checks_a_list_in_one_submission(app, api, page, live_server, locale):
    words = WORDS[locale]
    set_without_vote(app, "LDTT", False)
    round_id = api.as_("sec").post("/rounds", json={
        "authority": "KHOI", "name": "Đợt xét cuối năm 2026", "year": 2026, "award_codes": ["LDTT"],
        "intake_deadline": (today() + timedelta(days=7)).isoformat()}).get_json()["id"]
    proposal_id = list_at(app, "checking", nominees=3, round_id=round_id)
    sign_in(page, "sec")
    page.goto(f"/rounds/{round_id}")
    expect(page.get_by_role("heading", name=words["counts"])).to_be_visible()
    expect(page.locator("#round-counts tbody tr")).to_have_count(1)
    in_view(page.locator("#round-counts"))
    screenshot(page, f"round-panel-{locale[:2]}")
    page.locator("#round-lists").get_by_role("link", name=words["check"]).click()
    page.wait_for_url(f"{live_server}/lists/{proposal_id}*")
    selects = page.locator("#nominee-table select")
    expect(selects).to_have_count(3)
    for i in range(3):
        selects.nth(i).select_option("accept")
    screenshot(page, f"list-check-{locale[:2]}")
    page.get_by_role("button", name=words["record"]).click()
    page.wait_for_url(f"{live_server}/lists/{proposal_id}")
    expect(page.locator("#list-step")).to_contain_text(words["await"])
    expect(page.locator("#nominee-table select")).to_have_count(0)
