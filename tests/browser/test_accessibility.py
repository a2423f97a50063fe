"""Every page, for every role, in English and Vietnamese, passes axe-core's WCAG 2.x A/AA rules with no
serious or critical violation; so do the pages a refused form comes back to.

Each role signs in once per language and walks its pages: the main navigation's links, then every link
inside the pages that leads to a page of a kind (a Flask endpoint) the role has not seen yet, plus error
pages. In English every role's pages are checked, since what a page holds depends on the role; in
Vietnamese, which changes the words but not what is on the page, each kind of page once. Pages are checked
at 1366×768, in one browser for the whole run.
"""

import time
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.browser.accessibility import CONTEXT_OPTIONS, axe_violations, describe
from tests.browser.conftest import TIMEOUT_MS, require_browser, sign_in
from tests.conftest import PASSWORD, SIGN, register

expect = require_browser()

VIEWPORT = {"width": 1366, "height": 768}
ROLES = ["clerk_a", "head_a", "sec", "rev", "m1", "chair", "aud", "admin"]
LOCALES = {"en": "en-US", "vi": "vi-VN"}
# Links that lead to files, not pages.
NOT_PAGES = (".pdf", ".csv", ".svg", "/documents/", "/registry/export")
# Error pages every role may meet: an address that does not exist, and a page its role may not open.
ERROR_PAGES = ["/no-such-page", "/admin"]
# Pages laid out alike for every role (the navigation aside, which every other page checks): once per language.
SAME_FOR_EVERYONE = {"auth.account", "error 404", "error 403"}
EVERY_ROLE_IN = "en"  # the language in which each role's own version of a page is checked
# The kinds of page the walk must reach, across all roles: a shrinking walk would hide pages from the check.
MUST_SEE = {
    "auth.sign_in", "auth.account", "inbox.index", "nominations.index", "nominations.detail", "nominations.new",
    "work.task", "council.ballot", "council.signing", "rules.index", "rules.publish_rule_set",
    "rules.publish_regulation", "registry.people", "registry.person", "registry.collectives",
    "registry.collective", "registry.import_page", "decisions.register", "oversight.audit_search", "admin.index",
    "admin.users", "admin.edit_user", "admin.create_user", "admin.units", "admin.edit_unit", "admin.create_unit",
    "admin.award_types", "admin.edit_award_type", "admin.process_versions", "error 404", "error 403",
}


def open_as(chromium, live_server, language: str, who: str | None):
    """A fresh browser profile in that language, signed in as ``who`` (or not at all); its context and page."""
    context = chromium.new_context(base_url=live_server, locale=LOCALES[language], viewport=VIEWPORT,
                                   **CONTEXT_OPTIONS)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    if who:
        sign_in(page, who)
        expect(page.locator("html")).to_have_attribute("lang", language)
    return context, page


def test_the_check_reports_what_it_should(chromium, live_server):
    """A label-less field and faint text are caught; the page as served is clean."""
    context, page = open_as(chromium, live_server, "en", None)
    try:
        page.goto("/sign-in")
        assert axe_violations(page) == []
        page.evaluate("""() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML("beforeend", '<input id="unlabelled"><p id="faint" style="color:#bbb">Faint</p>');
        }""")
        found = {v["rule"]: v["targets"] for v in axe_violations(page)}
        assert found == {"label": ["#unlabelled"], "color-contrast": ["#faint"]}
    finally:
        context.close()


@pytest.fixture
def work_for_every_role(app, api, nominate, walk):
    """A nomination waiting at each step, one decided, and a collective in the registry."""
    nominate(name="Phạm Văn An")  # the clerk's dossier
    walk(nominate(name="Hoàng Thị Bích"), "endorse")
    walk(nominate(name="Đỗ Minh Châu"), "check_dossier")
    walk(nominate(name="Vũ Thị Dung"), "appraise")
    walk(nominate(name="Bùi Quốc Đạt"), "vote")
    walk(nominate(name="Ngô Thị Hoa"), "sign_decision")
    decided = nominate(name="Lý Văn Khánh")
    walk(decided, "sign_decision")
    api.as_("chair").complete(decided, SIGN, {"decision": "approve", "comment": "Đồng ý."})
    register(app, "VPTW", "Phòng Tổng hợp", kind="collective")


def endpoint_of(app, url: str) -> str | None:
    """The Flask endpoint that serves a same-site GET address, or None for anything else."""
    try:
        endpoint, _ = app.url_map.bind("localhost").match(urlsplit(url).path, method="GET")
    except HTTPException:
        return None
    return endpoint


def links(page, scope: str) -> list[str]:
    return page.eval_on_selector_all(f"{scope} a[href]", "links => links.map(a => a.href)")


def walk_pages(app, page, live_server, first: list[str], done: set, failures: list, language: str, who: str):
    """Check the pages from ``first`` on, and one page of each new kind linked from them.

    ``done`` holds the (role, kind) pairs checked so far in this language, and gains this role's.
    """
    seen, queued = set(), set()
    queue = list(first)
    while queue:
        path = queue.pop(0).removeprefix(live_server)
        response = page.goto(path)
        key = endpoint_of(app, path) if response.status < 400 else f"error {response.status}"
        if key in seen:
            continue
        seen.add(key)
        once = key in SAME_FOR_EVERYONE or language != EVERY_ROLE_IN
        if not (once and any(kind == key for _, kind in done)):
            done.add((who, key))
            failures += describe(f"[{language}] {who} {path} ({key})", axe_violations(page))
        for href in links(page, "nav") + links(page, "main"):
            if not href.startswith(live_server) or any(marker in href for marker in NOT_PAGES):
                continue
            target = endpoint_of(app, href.removeprefix(live_server))
            if target and target not in queued and target not in seen and target != "auth.sign_out":
                queued.add(target)
                queue.append(href.split("#")[0])


@pytest.mark.parametrize("language", list(LOCALES))
def test_no_serious_accessibility_violation_on_any_page(app, chromium, live_server, work_for_every_role, language):
    started = time.monotonic()
    done, failures = set(), []
    for who in [None] + ROLES:
        context, page = open_as(chromium, live_server, language, who)
        try:
            first = ["/sign-in", "/no-such-page"] if who is None else [page.url] + links(page, "nav") + ERROR_PAGES
            walk_pages(app, page, live_server, first, done, failures, language, who or "signed out")
        finally:
            context.close()

    seen = {kind for _, kind in done}
    assert MUST_SEE <= seen, f"pages never reached: {sorted(MUST_SEE - seen)}"
    print(f"\n[{language}] {len(done)} pages checked in {time.monotonic() - started:.0f} s")
    assert not failures, f"{len(failures)} serious or critical violation(s):\n" + "\n".join(failures)


ANSWERED = "main .is-invalid, main [role=alert], main [role=status]"


def submit(page, form: str):
    """Send a form of the main content as it stands, with its own submit button; wait for the answer."""
    with page.expect_event("load"):
        page.locator(f"main {form} [type=submit]").first.click()


@pytest.mark.parametrize("language", list(LOCALES))
def test_forms_showing_their_errors_pass_too(app, chromium, live_server, api, nominate, walk, language):
    """The pages a refused form comes back to: errors next to fields, alerts, a batch's results."""
    preparing = nominate(name="Phạm Văn An")
    walk(nominate(name="Hoàng Thị Bích"), "endorse")
    for name in ("Bùi Quốc Đạt", "Ngô Thị Hoa"):
        walk(nominate(name=name), "sign_decision")
    decided = nominate(name="Lý Văn Khánh")
    walk(decided, "sign_decision")
    api.as_("chair").complete(decided, SIGN, {"decision": "approve", "comment": "Đồng ý."})
    for name in ("Vũ Thị Dung", "Đỗ Minh Châu"):
        walk(nominate(name=name), "vote")

    def by_role(who, steps):
        context, page = open_as(chromium, live_server, language, who)
        try:
            for where, step in steps:
                step(page)
                # The step did reach a page that says what became of the form.
                expect(page.locator(ANSWERED).first).to_be_visible()
                failures.extend(describe(f"[{language}] {who or 'signed out'}: {where}", axe_violations(page)))
        finally:
            context.close()

    def refuse_one_without_comment_or_password(page):
        page.goto("/signing")
        page.locator("main input[type=radio][value=approve]").first.check()
        page.locator("main input[type=radio][value=reject]").last.check()
        submit(page, "form")

    def sign_with_password(page):
        page.locator("main input[type=password]").fill(PASSWORD)
        submit(page, "form")
        expect(page.locator("main .invalid-feedback")).to_have_count(1)

    failures = []
    by_role(None, [("wrong password", lambda page: (page.goto("/sign-in"), page.locator("#username").fill("head_a"),
                                                    page.locator("#password").fill("wrong"), submit(page, "form")))])
    by_role("clerk_a", [
        ("new nomination, empty", lambda page: (page.goto("/nominations/new"), submit(page, "form"))),
        ("upload without a file", lambda page: (page.goto(f"/nominations/{preparing}"),
                                                submit(page, "form[enctype='multipart/form-data']"))),
        ("withdraw without a reason", lambda page: (page.goto(f"/nominations/{preparing}"),
                                                    submit(page, "form:has(#withdraw-reason)"))),
    ])
    by_role("head_a", [("task form, empty", lambda page: (
        page.goto("/tasks"), page.locator("main a[href^='/tasks/']").first.click(), page.wait_for_load_state(),
        submit(page, "form[action^='/tasks/']")))])
    by_role("admin", [
        ("new user, empty", lambda page: (page.goto("/admin/users/new"), submit(page, "form"))),
        ("audit, end before start", lambda page: page.goto("/audit?since=2026-02-01&until=2026-01-01")),
        ("revoke without a reason", lambda page: (page.goto(f"/nominations/{decided}"),
                                                  submit(page, "form:has(#revoke-reason)"))),
    ])
    by_role("chair", [("signing, password missing", refuse_one_without_comment_or_password),
                      ("signing, a refusal without comment", sign_with_password)])
    by_role("m1", [("ballot, nothing chosen", lambda page: (page.goto("/ballot"), submit(page, "form"))),
                   ("ballot, cast", lambda page: (page.locator("main input[type=radio][value=yes]").first.check(),
                                                  submit(page, "form")))])
    assert not failures, f"{len(failures)} serious or critical violation(s):\n" + "\n".join(failures)
