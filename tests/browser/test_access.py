"""What the browser may not do: post a form without its CSRF token, open another unit's nomination or
document, find a form on a page it may only read."""

import re

from tests.browser.conftest import require_browser, sign_in

expect = require_browser()

NOMINEE = "Nguyễn Thị Hồng"
FILENAME = "to-trinh-khen-thuong.pdf"


def sign_out(page, live_server):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/sign-in")


def test_a_form_posted_without_its_csrf_token_is_refused(page, live_server, nominate, unchanged):
    nomination_id = nominate(name=NOMINEE)
    sign_in(page, "clerk_a")
    page.goto(f"/nominations/{nomination_id}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Preparing")
    withdraw = page.get_by_role("button", name="Withdraw", exact=True)
    expect(withdraw).to_be_visible()

    # The signed-in session's cookie goes along; only the token is missing.
    with unchanged():
        refused = page.request.post(f"/nominations/{nomination_id}/withdraw",
                                    form={"reason": "Nhân sự đã chuyển công tác."})
    assert refused.status == 400
    body = refused.text()
    assert "Traceback" not in body and NOMINEE not in body
    assert "Back to my tasks" in body  # the site's own error page

    page.reload(wait_until="load")
    expect(heading).to_contain_text("Preparing")
    expect(heading).not_to_contain_text("Withdrawn")
    expect(withdraw).to_be_visible()

    # The same request with the page's token goes through: it was the token alone that was missing.
    token = page.locator("form:has(#withdraw-reason) input[name=csrf_token]").input_value()
    accepted = page.request.post(f"/nominations/{nomination_id}/withdraw",
                                 form={"reason": "Nhân sự đã chuyển công tác.", "csrf_token": token})
    assert accepted.ok and accepted.url == f"{live_server}/nominations/{nomination_id}"
    page.reload(wait_until="load")
    expect(heading).to_contain_text("Withdrawn")
    expect(withdraw).to_have_count(0)


def test_another_units_clerk_finds_neither_the_nomination_nor_its_document(page, live_server, api, nominate):
    nomination_id = nominate(name=NOMINEE)
    uploaded = api.as_("clerk_a").upload(nomination_id, "proposal_letter", filename=FILENAME)
    assert uploaded.status_code == 201
    document_id = uploaded.get_json()["id"]
    assert api.as_("clerk_a").get(f"/nominations/{nomination_id}/documents/{document_id}").status_code == 200

    sign_in(page, "clerk_b")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Clerk_B · BTCTW")
    for url in (f"/nominations/{nomination_id}", f"/nominations/{nomination_id}/documents/{document_id}"):
        response = page.goto(url)
        assert response.status == 404, url
        assert response.headers["content-type"].startswith("text/html"), url
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(page.get_by_role("link", name="Back to my tasks")).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_contain_text("Clerk_B · BTCTW")
        html = page.content()
        assert NOMINEE not in html and FILENAME not in html, url
        assert "Traceback" not in html and "Werkzeug" not in html, url

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Nominations").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nominations")
    expect(page.get_by_text(NOMINEE)).to_have_count(0)


def test_the_auditor_reads_a_nomination_without_any_form(page, live_server, api, nominate):
    nomination_id = nominate(name=NOMINEE)
    assert api.as_("clerk_a").upload(nomination_id, "proposal_letter", filename=FILENAME).status_code == 201
    upload = page.get_by_role("button", name="Upload", exact=True)
    withdraw = page.get_by_role("button", name="Withdraw", exact=True)
    remove = page.get_by_role("button", name=re.compile(r"^Remove\b"))

    # The unit's clerk, on the same page, has the forms.
    sign_in(page, "clerk_a")
    page.goto(f"/nominations/{nomination_id}")
    for button in (upload, withdraw, remove):
        expect(button).to_be_visible()
    sign_out(page, live_server)

    sign_in(page, "aud")
    response = page.goto(f"/nominations/{nomination_id}")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(NOMINEE)
    expect(page.get_by_role("region", name="Dossier", exact=True).get_by_role("link", name=FILENAME)).to_be_visible()
    for button in (upload, withdraw, remove):
        expect(button).to_have_count(0)
    main = page.get_by_role("main")
    expect(main.locator("form")).to_have_count(0)
    expect(main.locator("input[type=file], textarea")).to_have_count(0)
    expect(main.get_by_role("link", name="Open the task")).to_have_count(0)
