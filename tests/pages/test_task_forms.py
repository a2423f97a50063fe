"""Task pages: the dossier to decide on, the form from the task's definition, claiming, conflicts."""

import re
from html import unescape

from workflows.db import db
from workflows.models import IndexedTask, Nomination


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-error">([^<]*)<', page)
    assert found, f"no error shown for {field_id}"
    return found.group(1)


def summary_of(page: str) -> str:
    """The list of what to correct at the top of a refused form."""
    found = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


def status_of(app, nomination_id) -> str:
    with app.app_context():
        return db.session.get(Nomination, nomination_id).status


def test_the_task_page_shows_what_to_decide_and_the_form(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    page = text(browser("head_a").get(f"/tasks/{task_id}"))
    assert "Endorse the dossier" in page and "Nguyễn Văn Tâm" in page and "Hoàn thành xuất sắc nhiệm vụ." in page
    assert re.search(rf'href="/nominations/{nid}/documents/\d+">proposal_letter\.pdf<', page)
    # The head sees the findings before endorsing: worked out now, before the process records its check.
    findings = page[page.index('id="findings-heading"'):page.index('id="facts-heading"')]
    assert "As the registry and the dossier stand now" in findings
    assert "all required documents are present" in findings and "✓" in findings
    assert f'action="/tasks/{task_id}"' in page
    assert re.search(r'<input class="form-check-input" type="radio" name="decision" id="field-decision-1"\s+'
                     r'value="endorse" required>', page)
    assert '<label class="form-check-label" for="field-decision-2">Return to the unit</label>' in page
    assert re.search(r'<textarea[^>]*id="field-comment" name="comment"', page)
    assert '<label class="form-label" for="field-comment">Comment' in page
    assert "Required when Decision is Return to the unit." in page


def test_a_task_completed_through_the_page(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    b = browser("head_a")
    response = b.post_form(f"/tasks/{task_id}", f"/tasks/{task_id}", {"decision": "endorse", "comment": "Đồng ý."})
    assert response.status_code == 302 and response.headers["Location"].endswith("/tasks")
    assert "Done: Endorse the dossier for Nguyễn Văn Tâm" in text(b.get("/tasks"))
    assert status_of(app, nid) == "checking"

    # The next official sees the earlier opinion and the findings on their task page.
    check = api.as_("sec").task(nid, "check_dossier")
    page = text(browser("sec").get(f"/tasks/{check}"))
    opinions = page[page.index('id="opinions-heading"'):]
    assert "Head_A" in opinions and "Endorse" in opinions and "Đồng ý." in opinions
    assert "all required documents are present" in page and "✓" in page


def test_a_return_without_a_comment_keeps_the_decision_and_explains(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    response = browser("head_a").post_form(f"/tasks/{task_id}", f"/tasks/{task_id}", {"decision": "return"})
    assert response.status_code == 422
    page = text(response)
    assert "required when Decision is Return to the unit" in error_of(page, "field-comment")
    assert re.search(r'value="return" checked', page) and not re.search(r'value="endorse" checked', page)
    assert status_of(app, nid) == "endorsing"

    response = browser("head_a").post_form(f"/tasks/{task_id}", f"/tasks/{task_id}", {
        "decision": "return", "comment": "Bổ sung số liệu năm 2026."})
    assert response.status_code == 302 and status_of(app, nid) == "preparing"


def test_a_dossier_missing_documents_cannot_be_submitted(api, browser, nominate):
    nid = nominate()
    task_id = api.as_("clerk_a").task(nid, "prepare_dossier")
    page = text(browser("clerk_a").get(f"/tasks/{task_id}"))
    assert "required, missing" in page and f'href="/nominations/{nid}#add-document"' in page
    response = browser("clerk_a").post_form(f"/tasks/{task_id}", f"/tasks/{task_id}", {"comment": ""})
    assert response.status_code == 422
    # The refusal heads the form and leads to the dossier, which is first on the clerk's page.
    summary = summary_of(text(response))
    assert re.search(r'<a class="alert-link" href="#dossier" data-field="dossier">The dossier is missing required '
                     r'documents: Proposal letter, Achievement report, Minutes of the review meeting\.</a>', summary)


def test_completing_an_already_completed_task_explains_the_conflict(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    b = browser("head_a")
    token_page = b.get(f"/tasks/{task_id}").get_data(as_text=True)
    api.as_("head_a").complete(nid, "endorse", {"decision": "endorse", "comment": "Đã xem."})

    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page).group(1)
    response = b.client.post(f"/tasks/{task_id}", data={"csrf_token": token, "decision": "return", "comment": "x"})
    assert response.status_code == 409
    page = text(response)
    assert "Someone else got there first" in page and "already been completed by Head_A" in page
    assert "Traceback" not in page and f'href="/nominations/{nid}"' in page
    assert status_of(app, nid) == "checking"

    shown = text(b.get(f"/tasks/{task_id}"))  # the page itself now says so, without a form
    assert "This task was completed by Head_A" in shown and f'action="/tasks/{task_id}"' not in shown


def test_claiming_and_giving_back_a_pool_task(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "appraise")
    task_id = api.as_("rev").task(nid, "appraise")
    page = f"/tasks/{task_id}"
    rev, rev2 = browser("rev"), browser("rev2")
    assert f'action="/tasks/{task_id}/claim"' in text(rev.get(page))

    response = rev.post_form(page, f"{page}/claim", {})
    assert response.status_code == 302
    shown = text(rev.get(page))
    assert "The task is yours now" in shown and f'action="{page}/unclaim"' in shown and "Held by Rev" in shown
    with app.app_context():
        assert db.session.get(IndexedTask, task_id).assignee.username == "rev"

    other = text(rev2.get(page))
    assert "Held by Rev" in other and f'action="{page}/claim"' not in other and f'action="{page}"' not in other
    assert rev2.post_form(page, f"{page}/claim", {}).status_code == 409

    response = rev.post_form(page, f"{page}/unclaim", {})
    assert response.status_code == 302 and "The task is back in the pool." in text(rev.get(page))
    with app.app_context():
        assert db.session.get(IndexedTask, task_id).assignee_id is None
    assert f'action="{page}/claim"' in text(rev2.get(page))


def test_the_reviewer_field_lists_the_active_reviewers(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    task_id = api.as_("sec").task(nid, "check_dossier")
    b = browser("sec")
    page = text(b.get(f"/tasks/{task_id}"))
    select = re.search(r'<select[^>]*name="reviewer".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "rev", "rev2"]
    assert '<label class="form-label" for="field-reviewer">Reviewer (optional)' in page

    response = b.post_form(f"/tasks/{task_id}", f"/tasks/{task_id}", {
        "decision": "accept", "comment": "", "reviewer": "rev2"})
    assert response.status_code == 302 and status_of(app, nid) == "appraising"
    assert api.as_("rev2").task(nid, "appraise")


def test_a_vote_task_leads_to_the_ballot_page(api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    task_id = api.as_("m1").task(nid, "vote")
    page = text(browser("m1").get(f"/tasks/{task_id}"))
    assert 'href="/ballot"' in page and f'action="/tasks/{task_id}"' not in page and 'name="vote"' not in page
    nomination_page = text(browser("m1").get(f"/nominations/{nid}"))
    assert 'href="/ballot"' in nomination_page


def test_tasks_of_nominations_out_of_sight_are_not_found(api, browser, nominate):
    nid = nominate()
    task_id = api.as_("clerk_a").task(nid, "prepare_dossier")
    assert browser("clerk_b").get(f"/tasks/{task_id}").status_code == 404
    assert browser("clerk_a").get("/tasks/no-such-task").status_code == 404


def test_task_forms_without_their_csrf_token_are_refused(app, api, browser, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task_id = api.as_("head_a").task(nid, "endorse")
    client = browser("head_a").client
    assert client.post(f"/tasks/{task_id}", data={"decision": "endorse"}).status_code == 400
    assert client.post(f"/tasks/{task_id}/claim").status_code == 400
    assert status_of(app, nid) == "endorsing"
