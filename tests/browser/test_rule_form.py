"""The rule set's form in a real browser: the fields follow the kind of check chosen, groups get their
conditions, and a publish with a mistake shows it at its row."""

from sqlalchemy import select

from tests.browser.conftest import require_browser, sign_in
from workflows.db import db
from workflows.models import RuleSet

expect = require_browser()


def test_the_fields_follow_the_kind_chosen_and_a_new_set_is_published(app, page):
    sign_in(page, "admin")
    page.goto("/rules/new")
    expect(page.get_by_role("button", name="Show the fields of the chosen kinds of check")).to_be_hidden()
    first = page.locator("#rule-1")
    expect(first.locator("#rule-1-grade")).to_be_visible()
    expect(first.locator("#rule-1-years")).to_be_hidden()

    first.locator("#rule-1-kind").select_option("consecutive_awards")
    expect(first.locator("#rule-1-grade")).to_be_hidden()
    expect(first.locator("#rule-1-award")).to_be_visible()
    expect(first.locator("#rule-1-years")).to_be_visible()
    first.locator("#rule-1-award").select_option("LDTT")
    first.locator("#rule-1-years").fill("0")

    # A group gets its first condition once the form is shown again, still without publishing.
    page.locator("#rule-0-kind").select_option("any_of")
    page.locator("#rule-0").get_by_role("button", name="Add a condition to this group").click()
    expect(page.locator("#rule-0\\.0-kind")).to_be_visible()
    expect(page.locator("#rule-1-years")).to_have_value("0")
    page.locator("#rule-0\\.0-kind").select_option("no_open_hold")

    page.locator("#code").fill("TDKT-2027")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("#rule-1-years-error")).to_have_text("Give a whole number between 1 and 50.")
    expect(page.locator("#form-problems")).to_contain_text("Rule 2")

    page.locator("#rule-1-years").fill("2")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Rule set TDKT-2027 is published")).to_be_visible()
    with app.app_context():
        published = db.session.execute(select(RuleSet).where(RuleSet.code == "TDKT-2027")).scalar_one()
        assert published.rules[0].params == {"checks": [{"kind": "no_open_hold", "params": {}}]}
        assert published.rules[1].params == {"award": "LDTT", "years": 2}
