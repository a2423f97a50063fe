"""The pages of rounds and lists, in English and Vietnamese: a list made from what the registry
offers, the office's decisions on the whole list in one submission, the round's panel, the inbox."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.list_helpers import list_at, registered_people, set_without_vote
from workflows.db import db
from workflows.models import Nomination, Proposal
from workflows.usecases.proposals import today

LANGUAGES = [("en", "Propose a list", "Lists"), ("vi", "Lập danh sách đề nghị", "Danh sách")]


def nominee_ids(app, proposal_id):
    with app.app_context():
        return list(db.session.execute(select(Nomination.id).where(Nomination.proposal_id == proposal_id)
                                       .order_by(Nomination.id)).scalars())


@pytest.mark.parametrize("lang, heading, lists_word", LANGUAGES)
def test_the_registry_offers_candidates_and_the_clerk_ticks_them_in_one_form(app, browser, lang, heading, lists_word):
    registered_people(app, "VPTW", 3)
    clerk = browser("clerk_a", HTTP_ACCEPT_LANGUAGE=lang)
    page = clerk.get("/lists/new?award=LDTT&year=2026")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and heading in html and f">{lists_word}<" in html
    offered = re.findall(r'name="nominee" value="(\d+)"[^>]*\n?\s*checked', html)
    assert len(offered) == 3, "every eligible candidate is offered ticked"
    response = clerk.post_form("/lists/new?award=LDTT&year=2026", "/lists/new", {
        "award": "LDTT", "year": "2026", "round": "", "title": "Danh sách LĐTT 2026", "nominee_kind": "individual",
        "nominee": offered[:2]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    proposal_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        assert len(nominee_ids(app, proposal_id)) == 2
    detail = clerk.get(f"/lists/{proposal_id}").get_data(as_text=True)
    assert "Danh sách LĐTT 2026" in detail and 'action="/lists/%d/submit"' % proposal_id in detail
    # The same people cannot be put on a second list: the refusal names them.
    again = clerk.post_form("/lists/new?award=LDTT&year=2026", "/lists/new", {
        "award": "LDTT", "year": "2026", "round": "", "nominee_kind": "individual", "nominee": offered[:1]})
    assert again.status_code == 409
    with app.app_context():
        name = db.session.get(Nomination, nominee_ids(app, proposal_id)[0]).nominee_name
    assert name in again.get_data(as_text=True)


@pytest.mark.parametrize("lang, accept_word", [("en", "Accept"), ("vi", "Tiếp nhận")])
def test_the_office_decides_on_every_nominee_in_one_submission(app, browser, lang, accept_word):
    set_without_vote(app, "LDTT", False)
    proposal_id = list_at(app, "checking", nominees=3)
    first, second, third = nominee_ids(app, proposal_id)
    office = browser("sec", HTTP_ACCEPT_LANGUAGE=lang)
    page = office.get(f"/lists/{proposal_id}").get_data(as_text=True)
    assert accept_word in page and f'name="outcome-{first}"' in page
    refused = office.post_form(f"/lists/{proposal_id}", f"/lists/{proposal_id}/check", {
        f"outcome-{first}": "return", f"reason-{first}": ""})
    assert refused.status_code == 422
    done = office.post_form(f"/lists/{proposal_id}", f"/lists/{proposal_id}/check", {
        f"outcome-{first}": "return", f"reason-{first}": "Thiếu minh chứng",
        f"outcome-{second}": "accept", f"outcome-{third}": "hold", f"reason-{third}": "Đang xác minh đơn thư"})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    with app.app_context():
        assert [db.session.get(Nomination, i).status for i in (first, second, third)] == [
            "returned", "voting", "on_hold"]
        assert db.session.get(Proposal, proposal_id).status == "voting"
    after = office.get(f"/lists/{proposal_id}").get_data(as_text=True)
    assert f'/lists/{proposal_id}/nominees/{third}/release' in after


@pytest.mark.parametrize("lang, word", [("en", "Nominees by unit and award type"), ("vi", "Đợt xét")])
def test_the_round_page_counts_per_unit_and_award_and_links_the_lists(app, api, browser, lang, word):
    created = api.as_("sec").post("/rounds", json={
        "authority": "KHOI", "name": "Đợt xét năm 2026", "year": 2026, "award_codes": ["LDTT"],
        "intake_deadline": (today() + timedelta(days=5)).isoformat()}).get_json()
    proposal_id = list_at(app, "checking", nominees=2, round_id=created["id"])
    page = browser("sec", HTTP_ACCEPT_LANGUAGE=lang).get(f"/rounds/{created['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and word in html
    row = re.search(r"<tr><th scope=\"row\">VPTW</th><td>LDTT</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)<", row)[:2] == ["2", "2"]  # proposed, to check
    assert f'href="/lists/{proposal_id}#nominees"' in html
    assert browser("clerk_b", HTTP_ACCEPT_LANGUAGE=lang).get(f"/lists/{proposal_id}").status_code == 404
    assert browser("rev", HTTP_ACCEPT_LANGUAGE=lang).get(f"/lists/{proposal_id}").status_code == 200
    rounds_page = browser("clerk_a", HTTP_ACCEPT_LANGUAGE=lang).get("/rounds").get_data(as_text=True)
    assert "Đợt xét năm 2026" in rounds_page


def test_list_steps_reach_the_right_inboxes_and_link_to_the_list(app, browser):
    proposal_id = list_at(app, "endorsing", nominees=1)
    head = browser("head_a").get("/tasks").get_data(as_text=True)
    assert f'href="/lists/{proposal_id}"' in head and "Endorse the list" in head
    assert f'/lists/{proposal_id}"' not in browser("head_b").get("/tasks").get_data(as_text=True)
    assert f'/lists/{proposal_id}"' not in browser("sec").get("/tasks").get_data(as_text=True)
    checking = list_at(app, "checking", nominees=1)
    office = browser("sec", HTTP_ACCEPT_LANGUAGE="vi").get("/tasks").get_data(as_text=True)
    assert f'href="/lists/{checking}"' in office and "Thẩm định danh sách" in office
