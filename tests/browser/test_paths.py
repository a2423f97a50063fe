"""Each role finds its next move at once, in a 1366×768 window, in English and in Vietnamese.

Every test opens a page as an official would and checks that what they need first — why the dossier came
back, what a refused form needs, the findings, the way on after signing, the button that does the work —
is inside the window as the page opens (or once the page has scrolled to a refused form's errors by
itself), without the test scrolling. SCREENSHOTS=1 writes the README's pictures of these pages.
"""

import re

import pytest
from flask_babel import gettext
from sqlalchemy import select

from tests.browser.conftest import in_view, require_browser, screenshot, sign_in
from tests.conftest import COUNCIL, PASSWORD, PDF
from workflows.db import db
from workflows.models import Nomination, Person
from workflows.services import audit
from workflows.usecases import accounts

expect = require_browser()

pytestmark = pytest.mark.parametrize("locale", ["en-US", "vi-VN"])

NOMINEE = "Nguyễn Thị Hồng"
REASON = "Tờ trình chưa có chữ ký, đề nghị bổ sung."


def words(app, locale, *texts, **params) -> dict[str, str]:
    """The pages' words in the browser's language."""
    with app.test_request_context(headers={"Accept-Language": locale}):
        return {text: gettext(text, **params) for text in texts}


def lang(locale: str) -> str:
    return locale[:2]


def nothing_scrolled(page) -> None:
    assert page.evaluate("window.scrollY") == 0, "the page opened scrolled"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def to_signing(api, nominate, walk, name=NOMINEE) -> int:
    nid = nominate(name=name)
    walk(nid, "vote")
    for member in COUNCIL:
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    return nid


def open_task(page, api, username, nid, key):
    task = api.as_(username).task(nid, key)
    page.goto(f"/tasks/{task}")
    return task


# -- the clerk: a returned dossier says why at the top -------------------------------------------------------


def test_the_clerk_sees_why_the_dossier_came_back(app, api, page, locale, nominate, walk):
    nid = nominate(name=NOMINEE)
    walk(nid, "endorse")
    api.as_("head_a").complete(nid, "endorse", {"decision": "return", "comment": REASON})
    sign_in(page, "clerk_a")
    task = open_task(page, api, "clerk_a", nid, "prepare_dossier")
    nothing_scrolled(page)
    said = words(app, locale, "The dossier was returned to the unit")
    banner = page.locator("#returned")
    expect(banner.get_by_role("heading")).to_have_text(said["The dossier was returned to the unit"])
    expect(banner).to_contain_text("Head_A")
    expect(banner).to_contain_text(REASON)
    in_view(banner)
    in_view(page.locator(f'form[action="/tasks/{task}"] [type=submit]'))  # and the way to send it again
    in_view(page.locator("#dossier-heading"))  # the documents to fix come first beside the form
    screenshot(page, f"returned-{lang(locale)}")


# -- the unit head: the findings before endorsing --------------------------------------------------------------


def test_the_head_sees_the_findings_and_the_decision_at_once(app, api, page, locale, nominate, walk):
    nid = nominate(name=NOMINEE)
    walk(nid, "endorse")
    sign_in(page, "head_a")
    task = open_task(page, api, "head_a", nid, "endorse")
    nothing_scrolled(page)
    findings = page.locator("#findings")
    said = words(app, locale, "Eligibility findings")
    expect(findings.get_by_role("heading", level=2)).to_have_text(said["Eligibility findings"])
    in_view(findings.get_by_role("heading", level=2))
    in_view(findings.locator(".findings-tally"))
    in_view(findings.locator(".findings-live"))
    in_view(findings.locator(".list-group-item").first)
    in_view(page.locator(f'form[action="/tasks/{task}"] [type=submit]'))
    screenshot(page, f"endorse-{lang(locale)}")


# -- the secretariat and the reviewers: the form and the pool --------------------------------------------------


def test_the_secretariat_decides_without_scrolling(api, page, locale, nominate, walk):
    nid = nominate(name=NOMINEE)
    walk(nid, "check_dossier")
    sign_in(page, "sec")
    task = open_task(page, api, "sec", nid, "check_dossier")
    nothing_scrolled(page)
    in_view(page.locator("#field-reviewer"))
    in_view(page.locator(f'form[action="/tasks/{task}"] [type=submit]'))
    in_view(page.locator("#findings .findings-tally"))


def test_a_reviewer_sees_the_pool_named_and_sends_from_it(app, api, page, locale, nominate, walk, live_server):
    nid = nominate(name=NOMINEE)
    walk(nid, "appraise")  # accepted without naming a reviewer: the reviewers' pool
    said = words(app, locale, "Any reviewer — first to claim", "Claim")
    sign_in(page, "rev2")
    row = page.get_by_role("row").filter(has_text=NOMINEE)
    expect(row).to_contain_text(said["Any reviewer — first to claim"])
    in_view(row)
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/tasks/[0-9a-f-]+$"))
    nothing_scrolled(page)
    pool = page.locator(".pool-status")
    expect(pool).to_contain_text(said["Any reviewer — first to claim"])
    in_view(pool)
    in_view(pool.get_by_role("button", name=said["Claim"]))
    send = page.locator('form[action^="/tasks/"]:not([action$="claim"]) [type=submit]')
    in_view(send)
    # The send claims the task: no claiming first.
    page.locator("#field-recommendation-1").check()
    page.locator("#field-comment").fill("Đủ điều kiện.")
    send.click()
    page.wait_for_url(f"{live_server}/tasks")
    trail = [(e["action"], e["actor"]) for e in api.as_("aud").get(f"/nominations/{nid}/audit").get_json()
             if e["task"] == "appraise"]
    assert trail == [("task_claimed", "rev2"), ("task_completed", "rev2")]


# -- the chair: a wrong password is said where it is seen; signing leads on ------------------------------------


def test_a_wrong_signing_password_is_shown_at_once(app, api, page, locale, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign_in(page, "chair")
    task = open_task(page, api, "chair", nid, "sign_decision")
    nothing_scrolled(page)
    in_view(page.locator(f'form[action="/tasks/{task}"] [type=submit]'))
    page.locator("#field-decision-1").check()
    page.locator("#field-password").fill("not the password")
    page.locator(f'form[action="/tasks/{task}"] [type=submit]').click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # the page took the reader to it
    box = in_view(summary)
    nothing_scrolled(page)  # it shows whole where it is: the task's title stays in view above it
    in_view(page.get_by_role("heading", level=1))
    said = words(app, locale, "Wrong password.")
    link = summary.get_by_role("link", name=said["Wrong password."])
    in_view(link)
    assert box["y"] < page.locator("#field-password").bounding_box()["y"]  # above the field it is about
    expect(page.locator("#field-password-error")).to_have_text(said["Wrong password."])
    expect(page.locator("#field-password")).to_have_value("")
    screenshot(page, f"sign-error-{lang(locale)}")
    link.click()
    expect(page.locator("#field-password")).to_be_focused()
    in_view(page.locator("#field-password"))
    page.locator("#field-password").fill(PASSWORD)
    page.locator(f'form[action="/tasks/{task}"] [type=submit]').click()
    page.wait_for_url(re.compile(r"/tasks$"))
    done = page.locator(".alert-success")
    pdf = done.locator(f'a[href="/nominations/{nid}/decision.pdf"]')
    nomination = done.locator(f'a[href="/nominations/{nid}"]')
    expect(pdf).to_contain_text("1/QĐ-KTĐ (PDF)")
    expect(nomination).to_contain_text(str(nid))
    in_view(pdf)
    in_view(nomination)
    nomination.click()
    page.wait_for_url(re.compile(rf"/nominations/{nid}$"))


def test_the_signing_sheet_keeps_its_signature_in_view_and_links_what_was_signed(app, api, page, locale,
                                                                                   nominate, walk):
    first, second = to_signing(api, nominate, walk), to_signing(api, nominate, walk, name="Trần Văn Bảo")
    sign_in(page, "chair")
    page.goto("/signing")
    nothing_scrolled(page)
    password, button = page.locator("#signing-password"), page.locator(".sheet-actions [type=submit]")
    in_view(password)
    in_view(button)
    for nid in (first, second):
        page.locator(f'input[name="decision-{api.as_("chair").task(nid, "sign_decision")}"][value=approve]').check()
    in_view(button)  # still there after working down the sheet
    password.fill("not the password")
    button.click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    in_view(summary)
    page.locator("#signing-password").fill(PASSWORD)
    page.locator(".sheet-actions [type=submit]").click()
    results = page.locator("#results-heading").locator("xpath=..")
    for nid, name in ((first, NOMINEE), (second, "Trần Văn Bảo")):
        item = results.get_by_role("listitem").filter(has_text=name)
        expect(item.get_by_role("link", name=name)).to_have_attribute("href", f"/nominations/{nid}")
        expect(item.locator(f'a[href="/nominations/{nid}/decision.pdf"]')).to_have_count(1)
        in_view(item.get_by_role("link", name=name))
        in_view(item.locator(f'a[href="/nominations/{nid}/decision.pdf"]'))
    screenshot(page, f"signed-{lang(locale)}")


# -- the council: each card links the dossier; the button stays in view -----------------------------------------


def test_ballot_cards_link_the_documents_and_the_button_stays_in_view(api, page, locale, nominate, walk):
    for name in (NOMINEE, "Trần Văn Bảo"):
        walk(nominate(name=name), "vote")
    sign_in(page, "m1")
    page.goto("/ballot")
    nothing_scrolled(page)
    cast = page.locator(".sheet-actions [type=submit]")
    in_view(cast)
    card = page.get_by_role("article").first
    documents = card.locator(".dossier-documents a")
    expect(documents).to_have_count(3)
    in_view(documents.first)
    assert re.fullmatch(r"/nominations/\d+/documents/\d+", documents.first.get_attribute("href"))
    page.get_by_role("article").last.scroll_into_view_if_needed()
    in_view(cast)  # at the foot of the window wherever the sheet is read


# -- refused forms: the page goes to what to correct ----------------------------------------------------------------


def test_a_refused_upload_keeps_the_kind_and_opens_on_its_form(app, page, locale, nominate, tmp_path):
    nid = nominate(name=NOMINEE)
    bad = tmp_path / "minutes.exe"
    bad.write_bytes(b"MZ not a document")
    sign_in(page, "clerk_a")
    page.goto(f"/nominations/{nid}")
    expect(page.locator("#upload-kind")).to_have_value("proposal_letter")  # the first missing one
    page.locator("#upload-kind").select_option("review_minutes")
    page.locator("#upload-file").set_input_files(str(bad))
    page.locator("#add-document [type=submit]").click()
    page.wait_for_url(re.compile(rf"/nominations/{nid}/documents#upload-errors$"))
    summary = page.locator("#upload-errors")
    expect(summary).to_be_focused()
    in_view(summary)
    in_view(page.locator("#add-document [type=submit]"))
    expect(page.locator("#upload-kind")).to_have_value("review_minutes")
    good = tmp_path / "Biên-bản.pdf"
    good.write_bytes(PDF)
    page.locator("#upload-file").set_input_files(str(good))
    page.locator("#add-document [type=submit]").click()
    page.wait_for_url(re.compile(rf"/nominations/{nid}#dossier$"))
    said = words(app, locale, "%(file)s was added to the dossier.", file="Biên-bản.pdf")
    expect(page.get_by_role("status").first).to_have_text(said["%(file)s was added to the dossier."])


FORMS = {
    # who, where, what to fill (selector -> value), the button, the field the first error links to
    "new nomination": ("clerk_a", "/nominations/new", {"#year": "1800"},
                       'form[action="/nominations/new"] [type=submit]', "award_type"),
    "withdraw": ("clerk_a", "/nominations/{nid}", {"#withdraw-reason": " "}, "#withdraw [type=submit]",
                 "withdraw-reason"),
    "place a hold": ("sec", "/registry/people/{code}", {"#hold-reason": ""}, "#place-hold [type=submit]",
                     "hold-reason"),
    "new user": ("admin", "/admin/users/new", {"#password": "short"}, "main form [type=submit]", "username"),
    "account": ("clerk_a", "/account", {"#pw-current_password": "wrong", "#pw-new_password": "short"},
                'main form:has(#pw-confirm) [type=submit]', "pw-new_password"),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_a_refused_form_opens_on_what_to_correct(app, page, locale, nominate, form):
    nid = nominate(name=NOMINEE)
    with app.app_context():
        code = db.session.execute(select(Person.code).join(Nomination, Nomination.person_id == Person.id)
                                  .where(Nomination.id == nid)).scalar_one()
    who, path, fill, button, first = FORMS[form]
    sign_in(page, who)
    page.goto(path.format(nid=nid, code=code))
    for selector, value in fill.items():
        page.locator(selector).fill(value)
    page.locator(button).click()
    summary = page.locator("[data-error-summary]").first
    expect(summary).to_be_focused()
    in_view(summary)
    link = summary.locator(f'a[href="#{first}"]')
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator(f"#{first}")).to_be_focused()
    in_view(page.locator(f"#{first}"))


# -- the language and the audit trail ------------------------------------------------------------------------------


def test_the_language_choice_is_confirmed_in_the_new_language(app, page, locale):
    other = "en" if locale.startswith("vi") else "vi"
    page.goto("/sign-in")
    screenshot(page, f"sign-in-{lang(locale)}")
    sign_in(page, "clerk_a")
    page.goto("/account")
    page.locator("#lang-locale").select_option(other)
    page.locator('form[action="/account/language"] [type=submit]').click()
    confirmed = words(app, other, "Language saved: the pages are now in English.")
    message = page.get_by_role("status").first
    expect(message).to_have_text(confirmed["Language saved: the pages are now in English."])
    expect(page.locator("html")).to_have_attribute("lang", other)
    in_view(message)


def test_the_audit_page_opens_on_its_search_and_the_latest_events(app, page, locale, nominate, walk):
    walk(nominate(name=NOMINEE), "check_dossier")
    with app.app_context():  # a trail longer than the page's first view
        clerk = accounts.find_user("clerk_a")
        for _ in range(25):
            audit.record("signed_in", actor=clerk, details={"channel": "web"})
        db.session.commit()
    sign_in(page, "aud")
    page.goto("/audit")
    nothing_scrolled(page)
    search = page.locator('form[action="/audit"] [type=submit]')
    in_view(search)
    in_view(page.locator("#actor"))
    in_view(page.locator("#latest-heading"))
    expect(page.locator("main table tbody tr")).to_have_count(20)
    expect(page.locator("#actor option[value=clerk_a]")).to_have_text("Clerk_A · VPTW")
    screenshot(page, f"audit-{lang(locale)}")
    more = page.locator('a[href="/audit?page=1"]')
    more.click()
    page.wait_for_url(re.compile(r"/audit\?page=1$"))
    assert page.locator("main table tbody tr").count() > 20
