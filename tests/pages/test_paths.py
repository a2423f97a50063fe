"""Each role's next move, as the server sends it: why a dossier came back, what a refused form needs, the
findings before endorsing, the way on after signing, the pools, the language, the audit trail's first view.

Where things sit in a real window is checked in tests/browser/test_paths.py; these check what every page
says and links, in English and in Vietnamese.
"""

import io
import re
from html import unescape

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD
from tests.decision_helpers import sign, to_signing
from workflows.db import db
from workflows.models import Assessment, AuditEvent, IndexedTask, Nomination, Person, User
from workflows.services import audit
from workflows.usecases import accounts

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}
RETURN_REASON = "Tờ trình chưa có chữ ký, đề nghị bổ sung."


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def summary_of(page: str) -> tuple[str, list[tuple[str | None, str]]]:
    """The heading of the list of what to correct, and its items: (the id each links to, or None; the words)."""
    found = re.search(r'<div class="alert alert-danger error-summary" id="[^"]+" role="alert" tabindex="-1"'
                      r'[^>]*data-error-summary>(.*?)</div>', page, re.S)
    assert found, "no list of what to correct on the page"
    body = found.group(1)
    heading = re.search(r"<h2[^>]*>(.*?)</h2>", body, re.S).group(1).strip()
    items = []
    for item in re.findall(r"<li>(.*?)</li>", body, re.S):
        link = re.search(r'<a class="alert-link" href="#([^"]+)" data-field="\1">(.*?)</a>', item, re.S)
        items.append((link.group(1), link.group(2).strip()) if link else (None, item.strip()))
    return heading, items


def before(page: str, first: str, then: str) -> bool:
    return first in page and then in page and page.index(first) < page.index(then)


def task_of(app, nomination_id: int, key: str, state: str = "ready") -> str:
    with app.app_context():
        return db.session.execute(select(IndexedTask.id).where(
            IndexedTask.nomination_id == nomination_id, IndexedTask.key == key, IndexedTask.state == state)
            .order_by(IndexedTask.created_at.desc())).scalars().first()


def trail_of(app, nomination_id: int) -> list[tuple[str, str, str | None]]:
    with app.app_context():
        return [(e.action, e.actor, e.task_key) for e in audit.search(nomination_id=nomination_id, limit=500)]


# -- a returned dossier says so at the top of the clerk's task ------------------------------------------------


def returned_by_the_head(api, nominate, walk) -> int:
    nid = nominate()
    walk(nid, "endorse")
    api.as_("head_a").complete(nid, "endorse", {"decision": "return", "comment": RETURN_REASON})
    return nid


def test_the_clerks_task_after_a_return_opens_on_the_reason_who_and_when(app, api, browser, nominate, walk):
    nid = returned_by_the_head(api, nominate, walk)
    task = api.as_("clerk_a").task(nid, "prepare_dossier")
    page = text(browser("clerk_a").get(f"/tasks/{task}"))
    banner = page[page.index('id="returned"'):page.index("</section>", page.index('id="returned"'))]
    assert "The dossier was returned to the unit" in banner
    assert "Returned by Head_A at the step “Endorse the dossier” on " in banner  # the full name, not head_a
    assert RETURN_REASON in banner
    with app.app_context():
        [returned] = audit.search(nomination_id=nid, action="returned")
    # The time is the return's, in the bloc's clock (UTC+7), as the rest of the page writes times.
    hour = (returned.at.hour + 7) % 24
    assert re.search(rf"on \d+/\d+/\d+, {hour % 12 or 12}:{returned.at.minute:02d}", banner), banner
    # It comes first: above the form and everything the page shows of the nomination.
    assert before(page, 'id="returned"', 'id="dossier-heading"') and before(page, 'id="returned"', 'name="comment"')


def test_a_return_by_the_secretariat_names_them_and_reads_in_vietnamese(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    api.as_("sec").complete(nid, "check_dossier", {"decision": "return", "comment": "Thiếu biên bản họp xét."})
    task = api.as_("clerk_a").task(nid, "prepare_dossier")
    page = text(browser("clerk_a", **VI).get(f"/tasks/{task}"))
    assert "Hồ sơ đã bị trả lại đơn vị" in page
    assert "Sec trả lại ở bước “Kiểm tra hồ sơ” lúc" in page and "Thiếu biên bản họp xét." in page


def test_no_banner_on_a_first_dossier_nor_once_it_went_on(api, browser, nominate, walk):
    nid = nominate(name="Trần Văn Khoa")  # returned_by_the_head nominates the default nominee
    first = api.as_("clerk_a").task(nid, "prepare_dossier")
    assert 'id="returned"' not in text(browser("clerk_a").get(f"/tasks/{first}"))
    returned = returned_by_the_head(api, nominate, walk)
    walk(returned, "endorse")  # the clerk submits again: the head's new task came the ordinary way
    endorse = api.as_("head_a").task(returned, "endorse")
    assert 'id="returned"' not in text(browser("head_a").get(f"/tasks/{endorse}"))


# -- refused forms list what to correct at their top ---------------------------------------------------------


def test_a_wrong_signing_password_on_the_task_page_heads_the_form(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    chair = browser("chair")
    refused = chair.post_form(f"/tasks/{task}", f"/tasks/{task}",
                              {"decision": "approve", "comment": "", "password": "wrong horse 42"})
    assert refused.status_code == 422
    page = text(refused)
    heading, items = summary_of(page)
    assert heading == "Nothing was saved: 1 thing to correct"
    assert items == [("field-password", "Wrong password.")]
    form = page[page.index(f'action="/tasks/{task}"'):]
    assert before(form, "error-summary", 'name="decision"')  # at the form's top, above every field
    assert 'id="field-password-error">Wrong password.<' in page  # and beside the field
    assert "wrong horse 42" not in page and '<script src="/static/forms.js" defer>' in page


def test_a_refused_task_form_lists_each_field_in_vietnamese(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    refused = browser("head_a", **VI).post_form(f"/tasks/{task}", f"/tasks/{task}", {"decision": "return"})
    heading, items = summary_of(text(refused))
    assert heading == "Chưa lưu được: cần sửa 1 mục"
    [(target, words)] = items
    assert target == "field-comment" and "Quyết định" in words


def test_an_empty_decision_links_to_its_first_choice(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    page = text(browser("head_a").post_form(f"/tasks/{task}", f"/tasks/{task}", {"comment": "x"}))
    _heading, items = summary_of(page)
    assert [target for target, _ in items] == ["field-decision-1"] and 'id="field-decision-1"' in page


def test_the_new_nomination_form_lists_its_errors_first(browser):
    clerk = browser("clerk_a")
    refused = clerk.post_form("/nominations/new", "/nominations/new", {
        "award_type": "", "nominee_kind": "individual", "nominee_name": "", "year": "1800", "summary": ""})
    assert refused.status_code == 422
    page = text(refused)
    heading, items = summary_of(page)
    targets = [target for target, _ in items]
    assert "award_type" in targets and "year" in targets and len(items) >= 2
    assert heading == f"Nothing was saved: {len(items)} things to correct"
    assert before(page, "error-summary", 'id="award_type"')
    for target, words in items:
        if target:  # each error is also beside its field
            assert f'id="{target}-error">{words}<' in page


def test_a_refused_upload_keeps_the_kind_and_returns_to_its_form(api, browser, nominate):
    nid = nominate()
    clerk = browser("clerk_a")
    page = text(clerk.get(f"/nominations/{nid}"))
    # The form offers first the first required document still missing, and posts back to its own place.
    assert re.search(r'<option value="proposal_letter" selected>', page)
    assert f'action="/nominations/{nid}/documents#upload-errors"' in page and 'id="add-document"' in page
    refused = clerk.post_form(f"/nominations/{nid}", f"/nominations/{nid}/documents", {
        "kind": "review_minutes", "file": (io.BytesIO(b"MZ not a document"), "minutes.exe")},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    page = text(refused)
    assert re.search(r'<option value="review_minutes" selected>', page)
    assert not re.search(r'<option value="proposal_letter" selected>', page)
    _heading, items = summary_of(page)
    assert [target for target, _ in items] == ["upload-file"]
    form = page[page.index('id="add-document"'):]
    assert before(form, "error-summary", 'id="upload-kind"')
    missing = clerk.post_form(f"/nominations/{nid}", f"/nominations/{nid}/documents", {"kind": "other"},
                              content_type="multipart/form-data")
    assert summary_of(text(missing))[1] == [("upload-file", "Choose the file to upload.")]
    assert re.search(r'<option value="other" selected>', text(missing))


def test_withdraw_and_revoke_refusals_head_their_forms(api, browser, nominate, walk):
    nid = nominate()
    clerk = browser("clerk_a")
    refused = clerk.post_form(f"/nominations/{nid}", f"/nominations/{nid}/withdraw", {"reason": " "})
    assert refused.status_code == 422
    assert summary_of(text(refused))[1][0][0] == "withdraw-reason"
    signed = to_signing(api, nominate, walk, name="Trần Thị Bình")
    sign(api, signed)
    decision_id = api.as_("sec").get(f"/nominations/{signed}").get_json()["decision"]["id"]
    chair = browser("chair")
    refused = chair.post_form(f"/nominations/{signed}", f"/decisions/{decision_id}/revoke", {
        "reason_code": "", "reason": "", "password": "wrong"})
    page = text(refused)
    assert refused.status_code == 422
    targets = [target for target, _ in summary_of(page)[1]]
    assert targets and set(targets) <= {"revoke-false_declaration", "revoke-reason", "revoke-password"}
    assert all(f'id="{target}"' in page for target in targets)


def test_registry_forms_head_their_errors(app, browser, nominate):
    nominate()  # the nominee is in the registry
    with app.app_context():
        code = db.session.execute(select(Person.code)).scalars().first()
    sec = browser("sec")
    refused = sec.post_form(f"/registry/people/{code}", f"/registry/people/{code}/holds",
                            {"hold-kind": "complaint", "hold-reason": ""})
    assert refused.status_code == 422
    page = text(refused)
    assert summary_of(page)[1] == [("hold-reason", "This field is required.")]
    assert f'action="/registry/people/{code}/holds#hold-errors"' in page
    clerk = browser("clerk_a")
    refused = clerk.post_form(f"/registry/people/{code}", f"/registry/people/{code}/assessments",
                              {"assessment-year": "1800", "assessment-grade": "HTTNV"})
    assert refused.status_code == 422 and summary_of(text(refused))[1][0][0] == "assessment-year"
    imported = clerk.post_form("/registry/import", "/registry/import", {"kind": ""},
                               content_type="multipart/form-data")
    assert imported.status_code == 422 and summary_of(text(imported))[1] == [("file", "Choose the file.")]


def test_a_refused_lift_heads_the_form_of_its_own_hold(app, browser, nominate):
    nominate()
    with app.app_context():
        code = db.session.execute(select(Person.code)).scalars().first()
    sec = browser("sec")
    for reason in ("Đơn thư khiếu nại", "Thanh tra"):
        assert sec.post_form(f"/registry/people/{code}", f"/registry/people/{code}/holds",
                             {"hold-kind": "complaint", "hold-reason": reason}).status_code == 302
    page = text(sec.get(f"/registry/people/{code}"))
    first, second = sorted(int(n) for n in re.findall(r'id="lift-reason-(\d+)"', page))
    refused = sec.post_form(f"/registry/people/{code}", f"/registry/holds/{second}/lift", {"lift-reason": ""})
    page = text(refused)
    assert refused.status_code == 422 and summary_of(page)[1][0][0] == f"lift-reason-{second}"
    assert page.count('class="invalid-feedback"') == 1 and f'id="lift-reason-{second}-error"' in page
    assert f'id="lift-reason-{first}-error"' not in page


def test_admin_and_account_forms_head_their_errors(browser):
    admin = browser("admin")
    refused = admin.post_form("/admin/users/new", "/admin/users/new", {
        "username": "", "full_name": "", "password": "short", "role": "clerk"})
    page = text(refused)
    targets = [target for target, _ in summary_of(page)[1]]
    assert refused.status_code == 422 and {"username", "full_name", "password"} <= set(targets)
    assert before(page, "error-summary", 'id="username"')
    reset = admin.post_form("/admin/users/clerk_a", "/admin/users/clerk_a/password",
                            {"pw-password": "longenough", "pw-confirm": "different1"})
    assert summary_of(text(reset))[1] == [("pw-confirm", "The passwords differ.")]
    assert 'id="password-errors"' in text(reset)
    account = browser("clerk_a")
    refused = account.post_form("/account", "/account", {"pw-current_password": "wrong", "pw-new_password": "x",
                                                         "pw-confirm": "y"})
    targets = [target for target, _ in summary_of(text(refused))[1]]
    assert "pw-new_password" in targets and all(target.startswith("pw-") for target in targets)


# -- the unit head sees the findings before endorsing ---------------------------------------------------------


def test_the_endorse_page_shows_findings_as_the_registry_stands_now(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    head = browser("head_a")
    page = text(head.get(f"/tasks/{task}"))
    findings = page[page.index('id="findings-heading"'):page.index('id="facts-heading"')]
    assert "As the registry and the dossier stand now" in findings
    assert "needs HTTNV or better in 2026; found HTTNV" in findings
    assert before(page, 'id="findings-heading"', 'id="dossier-heading"')  # first thing beside the decision
    # The record changes before the head decides: the page follows it; nothing was recorded by looking.
    with app.app_context():
        person_id = db.session.execute(select(Nomination.person_id).where(Nomination.id == nid)).scalar_one()
        db.session.execute(update(Assessment).where(Assessment.person_id == person_id).values(grade="KHTNV"))
        db.session.commit()
    changed = text(head.get(f"/tasks/{task}"))
    changed = changed[changed.index('id="findings-heading"'):changed.index('id="facts-heading"')]
    assert "needs HTTNV or better in 2026; found KHTNV" in changed and "✗" in changed
    assert ("eligibility_checked", "system", "eligibility") not in trail_of(app, nid)
    # Endorsed, the process records its own check; pages then show that record, without the "now" note.
    api.as_("head_a").complete(nid, "endorse", {"decision": "endorse", "comment": "Đồng ý."})
    assert ("eligibility_checked", "system", "eligibility") in trail_of(app, nid)
    check = api.as_("sec").task(nid, "check_dossier")
    recorded = text(browser("sec").get(f"/tasks/{check}"))
    assert "stand now" not in recorded and "✗" in recorded


def test_the_live_findings_read_in_vietnamese_on_the_nomination_page(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    page = text(browser("clerk_a", **VI).get(f"/nominations/{nid}"))
    assert "Theo hồ sơ cá nhân, tập thể và hồ sơ đề nghị tại thời điểm này" in page
    assert "Chưa kiểm tra" not in page


# -- after signing: the decision and the nomination are a click away --------------------------------------------


def test_signing_on_the_task_page_links_the_decision_and_the_nomination(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    chair = browser("chair")
    done = chair.post_form(f"/tasks/{task}", f"/tasks/{task}", {"decision": "approve", "password": PASSWORD})
    assert done.status_code == 302
    inbox = text(chair.get(done.headers["Location"]))
    message = re.search(r'<div class="alert alert-success" role="status">(.*?)</div>', inbox, re.S).group(1)
    assert "Done: Sign the decision for Nguyễn Thị Hằng. The nomination is now: Awarded." in message
    assert f'<a class="alert-link" href="/nominations/{nid}/decision.pdf">Decision 1/QĐ-KTĐ (PDF)</a>' in message
    assert f'<a class="alert-link" href="/nominations/{nid}">Open nomination {nid}</a>' in message


def test_a_refusal_links_only_the_nomination(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    chair = browser("chair", **VI)
    done = chair.post_form(f"/tasks/{task}", f"/tasks/{task}",
                           {"decision": "reject", "comment": "Chưa đủ tiêu chuẩn.", "password": PASSWORD})
    inbox = text(chair.get(done.headers["Location"]))
    assert f'href="/nominations/{nid}">Mở đề nghị khen thưởng số {nid}</a>' in inbox
    assert "decision.pdf" not in inbox


def test_the_signing_sheet_links_each_decision_and_nomination(api, browser, nominate, walk):
    nids = [to_signing(api, nominate, walk), to_signing(api, nominate, walk, name="Trần Thị Bình")]
    chair = browser("chair")
    data = {f"decision-{api.as_('chair').task(nid, 'sign_decision')}": "approve" for nid in nids}
    page = text(chair.post_form("/signing", "/signing", {**data, "password": PASSWORD}))
    results = page[page.index('id="results-heading"'):page.index('id="waiting-heading"')]
    for nid, name in zip(nids, ("Nguyễn Thị Hằng", "Trần Thị Bình")):
        assert f'<a href="/nominations/{nid}">{name}</a>' in results
        assert re.search(rf'<a href="/nominations/{nid}/decision.pdf">Decision \d/QĐ-KTĐ \(PDF\)</a>', results)


def test_a_wrong_password_on_the_signing_sheet_heads_the_page(api, browser, nominate, walk):
    nid = to_signing(api, nominate, walk)
    data = {f"decision-{api.as_('chair').task(nid, 'sign_decision')}": "approve", "password": "wrong"}
    page = text(browser("chair", **VI).post_form("/signing", "/signing", data))
    heading, items = summary_of(page)
    assert heading == "Chưa lưu được: cần sửa 1 mục"
    assert items == [("signing-password", "Mật khẩu không đúng; chưa có văn bản nào được ký.")]
    assert before(page, "error-summary", 'id="waiting-heading"')


# -- the ballot brings the dossier's documents -------------------------------------------------------------------


def test_ballot_cards_link_the_dossiers_documents(api, browser, nominate, walk):
    nid = nominate()
    # A first proposal letter, replaced by the one the walk uploads: the card links the version that counts.
    assert api.as_("clerk_a").upload(nid, "proposal_letter", filename="unsigned.pdf").status_code == 201
    walk(nid, "vote")
    page = text(browser("m1").get("/ballot"))
    card = page[page.index(f'id="nominee-{api.as_("m1").task(nid, "vote")}"'):]
    card = card[:card.index("</article>")]
    for kind, label in (("proposal_letter", "Proposal letter"), ("achievement_report", "Achievement report"),
                        ("review_minutes", "Minutes of the review meeting")):
        assert re.search(rf'<a href="/nominations/{nid}/documents/\d+">{label}: {kind}\.pdf</a>', card)
    assert "unsigned.pdf" not in card and "(version 2)" in card
    assert f'<a href="/nominations/{nid}">Open nomination {nid}: the whole dossier' in card
    vi = text(browser("m1", **VI).get("/ballot"))
    assert "Tờ trình: proposal_letter.pdf" in vi and "phiên bản 1" in vi


# -- pools: said as such, and the send claims ----------------------------------------------------------------------


def test_the_reviewers_pool_is_named_and_the_send_claims_it(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "appraise")  # accepted without naming a reviewer: the task waits in the reviewers' pool
    rev2 = browser("rev2")
    inbox = text(rev2.get("/tasks"))
    row = next(r for r in re.findall(r"<tr.*?</tr>", inbox, re.S) if "Nguyễn Văn Tâm" in r)
    assert "Any reviewer — first to claim" in row
    assert "Bất kỳ cán bộ thẩm định nào — ai nhận trước thì xử lý" in text(browser("rev", **VI).get("/tasks"))
    task = task_of(app, nid, "appraise")
    page = text(rev2.get(f"/tasks/{task}"))
    assert "Any reviewer — first to claim" in page and "sending your decision claims the task for you" in page
    assert 'action="/tasks/' + task + '/claim"' in page
    done = rev2.post_form(f"/tasks/{task}", f"/tasks/{task}", {"recommendation": "approve", "comment": "Đạt."})
    assert done.status_code == 302
    steps = [(action, actor) for action, actor, key in trail_of(app, nid) if key == "appraise"]
    assert steps == [("task_claimed", "rev2"), ("task_completed", "rev2")]
    with app.app_context():
        row = db.session.get(IndexedTask, task)
        assert (row.state, row.assignee.username, row.completed_by_id) == ("completed", "rev2", row.assignee_id)


def test_a_claimed_pool_task_is_held_by_name_and_refused_to_the_others(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "appraise")
    task = task_of(app, nid, "appraise")
    assert browser("rev").post_form(f"/tasks/{task}", f"/tasks/{task}/claim", {}).status_code == 302
    page = text(browser("rev2").get(f"/tasks/{task}"))
    assert "Held by Rev" in page and "first to claim" not in page
    refused = browser("rev2").post_form(f"/tasks/{task}", f"/tasks/{task}",
                                        {"recommendation": "approve", "comment": "Đạt."})
    assert refused.status_code in (403, 409)
    assert [a for a, _, k in trail_of(app, nid) if k == "appraise"] == ["task_claimed"]


def test_a_named_reviewer_is_chosen_by_name(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    task = api.as_("sec").task(nid, "check_dossier")
    page = text(browser("sec").get(f"/tasks/{task}"))
    assert '<option value="rev">Rev</option>' in page and "(rev)" not in page


# -- the language, the audit trail, people by name -------------------------------------------------------------


@pytest.mark.parametrize("chosen, browser_language, message", [
    ("vi", "en", "Đã lưu ngôn ngữ: từ nay các trang hiển thị bằng tiếng Việt."),
    ("en", "vi", "Language saved: the pages are now in English."),
    ("", "vi", "Đã lưu ngôn ngữ: các trang hiển thị theo ngôn ngữ của trình duyệt."),
])
def test_the_language_choice_is_confirmed_in_the_language_chosen(app, browser, chosen, browser_language, message):
    clerk = browser("clerk_a", HTTP_ACCEPT_LANGUAGE=browser_language)
    done = clerk.post_form("/account", "/account/language", {"lang-locale": chosen})
    assert done.status_code == 302
    page = text(clerk.get(done.headers["Location"]))
    assert f'<div class="alert alert-success" role="status">{message}</div>' in page
    with app.app_context():
        assert accounts.find_user("clerk_a").locale == (chosen or None)


def test_the_audit_page_opens_on_its_search_and_the_latest_twenty(app, browser, nominate):
    nominate()
    with app.app_context():
        user = accounts.find_user("sec")
        for _ in range(30):
            audit.record("signed_in", actor=user, details={"channel": "web"})
        db.session.commit()
        newest = db.session.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        total = db.session.execute(select(AuditEvent.seq)).all()
    page = text(browser("aud").get("/audit"))
    assert before(page, 'aria-label="Filters"', 'id="latest-heading"')
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>", page)
    assert len(rows) == 20 and int(rows[0]) == newest + 1  # the auditor's own sign-in is the newest
    assert f"See all {len(total) + 1} events, a hundred to a page" in page and 'href="/audit?page=1"' in page
    assert before(page, 'id="latest-heading"', "Verify the chain")
    everything = text(browser("aud").get("/audit?page=1"))
    assert len(re.findall(r"<tr>\s*<td>(\d+)</td>", everything)) == len(total) + 2  # and this second sign-in
    assert "Nhật ký kiểm tra" in text(browser("aud", **VI).get("/audit"))


def test_the_audit_search_offers_people_by_name(app, browser, nominate):
    nominate()
    auditor = browser("aud")
    page = text(auditor.get("/audit"))
    assert '<option value="clerk_a">Clerk_A · VPTW</option>' in page and '<option value="sec">Sec</option>' in page
    assert '<option value="system">The system</option>' in page
    found = text(auditor.get("/audit?actor=clerk_a"))
    assert '<option selected value="clerk_a">' in found
    actors = re.findall(r'<td class="text-nowrap">[^<]*</td>\s*<td>([^<]*)</td>', found)
    assert actors and set(actors) == {"Clerk_A"}  # the trail keeps usernames; the page names people


def test_a_nominee_who_uses_laurel_is_shown_by_name(app, api, browser, nominate):
    with app.app_context():
        db.session.execute(update(User).where(User.username == "m1").values(full_name="Bùi Văn Khánh"))
        db.session.commit()
    nid = nominate(name="Bùi Văn Khánh", username="m1")
    page = text(browser("clerk_a").get(f"/nominations/{nid}"))
    assert "Laurel account: Bùi Văn Khánh" in page and "user m1" not in page
