"""The council's sheets from the keyboard and through a screen reader's ears.

Tab reaches every control of the ballot and signing pages and their submit button, each with a visible
focus ring; arrow keys move within a group of choices; every control's accessible name says which
nomination it is about; errors are announced and tied to their fields. Every page opens with a link that
skips to the main content.
"""

import re

from tests.browser.accessibility import CONTEXT_OPTIONS, axe_violations, describe
from tests.browser.conftest import TIMEOUT_MS, require_browser, sign_in
from tests.conftest import PASSWORD

expect = require_browser()

FIRST, SECOND = "Nguyễn Thị Hồng", "Trần Văn Bảo"
PAGES = ["/tasks", "/nominations", "/ballot", "/signing", "/rules", "/decisions", "/account", "/no-such-page"]


def about(nominee: str) -> str:
    """What a control's name adds to its visible label on the council's sheets."""
    return f", {nominee} (LDTT, 2026)"


def focus_state(page) -> dict:
    """The focused element and whether a focus indicator shows on it."""
    return page.evaluate("""() => {
        const e = document.activeElement;
        const style = getComputedStyle(e);
        // A ring: an outline at least 2px wide, or a shadow at least half opaque (Bootstrap's own 25% glow
        // is too faint to count).
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        const shadow = [...style.boxShadow.matchAll(/rgba?\\(([^)]*)\\)/g)]
            .some(m => { const parts = m[1].split(","); return parts.length < 4 || parseFloat(parts[3]) >= 0.5; });
        const ring = outline || (style.boxShadow !== "none" && shadow);
        return {
            id: e.id, tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
            text: (e.textContent || "").trim().slice(0, 60), href: e.getAttribute("href") || "",
            visible_focus: e.matches(":focus-visible") && ring,
            in_main: !!e.closest("main"),
        };
    }""")


def wait_for_focus(page, selector: str) -> None:
    """Wait until the focused element matches ``selector``: following a link to #id moves it a moment later."""
    page.wait_for_function("selector => document.activeElement && document.activeElement.matches(selector)",
                           arg=selector, timeout=TIMEOUT_MS)


def tab_until(page, is_last, limit=80) -> list[dict]:
    """Press Tab from where the focus is until ``is_last(state)``; the states passed through, in order."""
    states = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        states.append(focus_state(page))
        if is_last(states[-1]):
            return states
    raise AssertionError(f"never reached the end after {limit} presses of Tab: {states}")


def cycle_choices(page) -> list[str]:
    """Move through a group of radio buttons with the right arrow until back where it started."""
    start = focus_state(page)["id"]
    seen = [start]
    for _ in range(10):
        page.keyboard.press("ArrowRight")
        current = focus_state(page)
        assert current["visible_focus"], current
        if current["id"] == start:
            return seen
        seen.append(current["id"])
    raise AssertionError(f"the arrow keys never came back to {start}: {seen}")


def no_focus_ring(states) -> list[dict]:
    return [state for state in states if not state["visible_focus"]]


def new_page(chromium, live_server, who):
    context = chromium.new_context(base_url=live_server, locale="en-US", viewport={"width": 1366, "height": 768},
                                   **CONTEXT_OPTIONS)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, who)
    return context, page


def test_every_page_opens_with_a_link_that_skips_to_the_main_content(chromium, live_server):
    context, page = new_page(chromium, live_server, "chair")
    try:
        for path in PAGES:
            page.goto(path)
            page.keyboard.press("Tab")
            skip = focus_state(page)
            assert skip["href"] == "#main" and skip["text"] == "Skip to content", (path, skip)
            assert skip["visible_focus"], (path, skip)
            link = page.get_by_role("link", name="Skip to content")
            expect(link).to_be_in_viewport()
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(r"#main$"))
            wait_for_focus(page, "main#main")  # the navigation is skipped: Tab goes on from here
    finally:
        context.close()


def test_the_ballot_from_the_keyboard(chromium, live_server, nominate, walk):
    ids = {}
    for nominee in (FIRST, SECOND):
        ids[nominee] = nominate(name=nominee)
        walk(ids[nominee], "vote")
    context, page = new_page(chromium, live_server, "m1")
    try:
        page.goto("/ballot")

        # Every choice is named after its nomination, inside a group whose legend names the nominee.
        for nominee in (FIRST, SECOND):
            group = page.get_by_role("group", name=f"Your vote on {nominee}")
            expect(group).to_have_count(1)
            for choice in ("Yes", "No", "Leave for later"):
                expect(group.get_by_role("radio", name=choice + about(nominee), exact=True)).to_have_count(1)
        assert axe_violations(page) == []

        # From the top of the page, Tab reaches each group of choices and the button, every stop with a ring.
        submit = "Cast the chosen ballots"
        states = tab_until(page, lambda state: state["text"] == submit)
        assert no_focus_ring(states) == []
        groups = [state["name"] for state in states if state["type"] == "radio"]
        assert len(groups) == 2 and len(set(groups)) == 2, states
        assert states[0]["href"] == "#main"
        # Each card's documents and nomination are on the way, before its choices.
        links = [state["href"] for state in states if state["in_main"] and state["tag"] == "a"]
        assert len([href for href in links if "/documents/" in href]) == 6, links

        # Back to the first group: the arrows reach its three choices; then choose with the keyboard only.
        for _ in range(len(states) - states.index(next(s for s in states if s["type"] == "radio")) - 1):
            page.keyboard.press("Shift+Tab")
        first_group = focus_state(page)["name"]
        assert len(cycle_choices(page)) == 3
        page.keyboard.press("ArrowRight")  # from "Leave for later", the last, round to "Yes"
        tab_until(page, lambda state: state["type"] == "radio")  # past the next card's documents
        assert focus_state(page)["name"] != first_group
        assert len(cycle_choices(page)) == 3
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # "No"
        page.keyboard.press("Tab")
        assert focus_state(page)["text"] == submit
        with page.expect_event("load"):
            page.keyboard.press("Enter")

        recorded = page.get_by_role("status").filter(has=page.get_by_role("heading", name="What was recorded"))
        for nominee in (FIRST, SECOND):
            expect(recorded.get_by_role("listitem").filter(has_text=nominee)).to_contain_text("ballot cast")
        expect(page.get_by_text("Nothing is waiting for your vote.")).to_be_visible()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_signing_from_the_keyboard_with_its_errors_announced(chromium, live_server, nominate, walk):
    for nominee in (FIRST, SECOND):
        walk(nominate(name=nominee), "sign_decision")
    context, page = new_page(chromium, live_server, "chair")
    try:
        page.goto("/signing")
        for nominee in (FIRST, SECOND):
            group = page.get_by_role("group", name=f"Your decision on {nominee}")
            for choice in ("Approve", "Refuse", "Later"):
                expect(group.get_by_role("radio", name=choice + about(nominee), exact=True)).to_have_count(1)
            comment = group.get_by_role("textbox", name="Comment (required to refuse)" + about(nominee), exact=True)
            expect(comment).to_have_count(1)
        password = page.locator("main input[type=password]")
        expect(password).to_have_count(1)
        expect(password).to_have_accessible_name("Your password (electronic signature) (required)")
        expect(password).to_have_accessible_description(
            "Entered once for every decision chosen above; it is checked and never stored.")
        assert axe_violations(page) == []

        # Tab: choices, comment, choices, comment, password, button; the arrows reach every choice.
        submit = "Sign the chosen decisions"
        states = tab_until(page, lambda state: state["text"] == submit)
        assert no_focus_ring(states) == []
        form = [(s["type"] or s["tag"]) for s in states if s["in_main"] and s["tag"] != "a"]
        assert form == ["radio", "textarea", "radio", "textarea", "password", "submit"], states
        documents = [s["href"] for s in states if s["in_main"] and "/documents/" in s["href"]]
        assert len(documents) == 6, states  # each card's dossier, on the way to its choices

        # With the keyboard alone: approve the first, refuse the second without a comment, forget the password.
        page.get_by_role("radio", name="Later" + about(FIRST)).focus()
        assert len(cycle_choices(page)) == 3
        page.keyboard.press("ArrowRight")  # "Later" is the last: round to "Approve"
        page.get_by_role("radio", name="Later" + about(SECOND)).focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # "Refuse"
        page.get_by_role("button", name=submit).focus()
        with page.expect_event("load"):
            page.keyboard.press("Enter")

        # The missing password is announced at the top, where the page opens, linked to the field, tied to it.
        alert = page.get_by_role("alert")
        expect(alert).to_be_focused()
        expect(alert.get_by_role("link")).to_have_text("Enter your password to sign.")
        expect(alert.get_by_role("link")).to_have_attribute("href", "#signing-password")
        expect(password).to_have_attribute("class", re.compile(r"\bis-invalid\b"))
        expect(password).to_have_accessible_description(re.compile(r"Enter your password to sign\.$"))
        expect(page.get_by_role("radio", name="Approve" + about(FIRST))).to_be_checked()
        expect(page.get_by_role("radio", name="Refuse" + about(SECOND))).to_be_checked()
        assert describe("signing, password missing", axe_violations(page)) == []

        # Following the link puts the focus in the field: the password is typed there and the sheet signed.
        page.keyboard.press("Tab")  # from the list of errors, which has the focus, to its link
        assert focus_state(page)["href"] == "#signing-password"
        page.keyboard.press("Enter")
        wait_for_focus(page, "#signing-password")
        page.keyboard.type(PASSWORD)
        expect(password).to_have_value(PASSWORD)
        page.keyboard.press("Tab")
        assert focus_state(page)["text"] == submit
        with page.expect_event("load"):
            page.keyboard.press("Enter")

        # The refusal without a comment is not signed: said in the results, linked and tied to its comment.
        recorded = page.get_by_role("status").filter(has=page.get_by_role("heading", name="What was recorded"))
        expect(recorded.get_by_role("listitem").filter(has_text=FIRST)).to_contain_text("issued")
        refused = recorded.get_by_role("listitem").filter(has_text=SECOND)
        expect(refused).to_contain_text("not signed: A refusal needs a comment giving the reasons.")
        comment = page.get_by_role("textbox", name="Comment (required to refuse)" + about(SECOND), exact=True)
        comment_id = comment.get_attribute("id")
        expect(refused.get_by_role("link", name=re.compile("^not signed"))).to_have_attribute("href", f"#{comment_id}")
        expect(comment).to_have_accessible_description("A refusal needs a comment giving the reasons.")
        assert describe("signing, comment missing", axe_violations(page)) == []
    finally:
        context.close()
