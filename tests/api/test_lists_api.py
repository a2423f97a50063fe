"""Rounds and list proposals through the JSON API, as a unit, an office and outsiders use them."""

from datetime import timedelta

import pytest

from tests.list_helpers import registered_people, set_without_vote
from tests.test_authorities import set_up_agency
from workflows.usecases.proposals import today


def codes(app, count, unit="VPTW"):
    from sqlalchemy import select

    from workflows.db import db
    from workflows.models import Person

    ids = registered_people(app, unit, count)
    with app.app_context():
        return list(db.session.execute(select(Person.code).where(Person.id.in_(ids)).order_by(Person.id)).scalars())


def open_round(api, office="sec", authority="KHOI", deadline=None, award_codes=("LDTT",)):
    response = api.as_(office).post("/rounds", json={
        "authority": authority, "name": "Đợt xét cuối năm 2026", "year": 2026, "award_codes": list(award_codes),
        "intake_deadline": (deadline or today() + timedelta(days=10)).isoformat()})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def propose(api, people, clerk="clerk_a", expect=201, **extra):
    response = api.as_(clerk).post("/proposals", json={
        "award_type": "LDTT", "year": 2026, "title": "Danh sách LĐTT", "nominees": [{"code": c} for c in people],
        **extra})
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def to_office(api, proposal_id, clerk="clerk_a", head="head_a"):
    assert api.as_(clerk).post(f"/proposals/{proposal_id}/submit", json={}).status_code == 200
    response = api.as_(head).post(f"/proposals/{proposal_id}/endorse", json={"decision": "endorse"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_late_nomination_refused_then_accepted_with_a_reason(app, api):
    round_ = open_round(api, deadline=today() - timedelta(days=1))
    assert round_["intake_open"] is False
    people = codes(app, 2)
    refused = propose(api, people, expect=409, round_id=round_["id"])
    assert refused["error"]["code"] == "round.intake_closed"
    assert refused["error"]["params"]["deadline"] == (today() - timedelta(days=1)).isoformat()
    # Only the office lets a unit in late, and only with a reason.
    assert api.as_("clerk_a").post(f"/rounds/{round_['id']}/late-entries", json={
        "unit": "VPTW", "reason": "x", "until": today().isoformat()}).status_code == 403
    no_reason = api.as_("sec").post(f"/rounds/{round_['id']}/late-entries", json={
        "unit": "VPTW", "reason": " ", "until": today().isoformat()})
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
    late = api.as_("sec").post(f"/rounds/{round_['id']}/late-entries", json={
        "unit": "VPTW", "reason": "Đơn vị bổ sung biên bản họp xét", "until": today().isoformat()})
    assert late.status_code == 201, late.get_json()
    accepted = propose(api, people, round_id=round_["id"])
    assert accepted["late_reason"] == "Đơn vị bổ sung biên bản họp xét" and accepted["round_id"] == round_["id"]
    # Another unit is still refused: the late entry is the office's word for one unit.
    assert propose(api, codes(app, 1, "BTCTW"), clerk="clerk_b", expect=409,
                   round_id=round_["id"])["error"]["code"] == "round.intake_closed"
    trail = api.as_("aud").get("/audit?action=late_entry_accepted").get_json()
    assert [e["details"]["reason"] for e in trail] == ["Đơn vị bổ sung biên bản họp xét"]


def test_an_award_the_round_does_not_take_is_refused(app, api):
    round_ = open_round(api, award_codes=("CSTDCS",))
    refused = propose(api, codes(app, 1), expect=409, round_id=round_["id"])
    assert refused["error"]["code"] == "round.award_not_taken"


def test_one_nominee_returned_from_a_list_while_the_others_go_on(app, api):
    set_without_vote(app, "LDTT", False)
    round_ = open_round(api)
    listed = propose(api, codes(app, 3), round_id=round_["id"])
    assert listed["step"] == "prepare_list" and [n["status"] for n in listed["nominees"]] == ["preparing"] * 3
    at_office = to_office(api, listed["id"])
    assert at_office["step"] == "check_list" and at_office["status"] == "checking"
    first, *others = [n["nomination_id"] for n in at_office["nominees"]]
    no_reason = api.as_("sec").post(f"/proposals/{listed['id']}/check", json={
        "decisions": {str(first): {"outcome": "return"}}})
    assert no_reason.status_code == 422 and list(no_reason.get_json()["error"]["fields"]) == [f"decisions.{first}"]
    checked = api.as_("sec").post(f"/proposals/{listed['id']}/check", json={"decisions": {
        str(first): {"outcome": "return", "reason": "Chưa đủ thời gian công tác"},
        **{str(i): {"outcome": "accept"} for i in others}}})
    assert checked.status_code == 200, checked.get_json()
    body = checked.get_json()
    assert [n["status"] for n in body["nominees"]] == ["returned", "voting", "voting"]
    assert (body["step"], body["status"]) == ("await_session", "voting")
    trail = api.as_("clerk_a").get(f"/nominations/{first}/audit").get_json()
    assert any(e["action"] == "returned" and e["details"]["comment"] == "Chưa đủ thời gian công tác" for e in trail)
    counts = api.as_("sec").get(f"/rounds/{round_['id']}").get_json()["counts"]
    assert (counts["proposed"], counts["returned"], counts["voting"]) == (3, 1, 2)
    # The office's step is done: the list is no longer at check_list.
    again = api.as_("sec").post(f"/proposals/{listed['id']}/check", json={"decisions": {
        str(others[0]): {"outcome": "accept"}}})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "list.step_not_ready"


def test_a_duplicate_nominee_refused_with_a_clear_reason(app, api):
    people = codes(app, 2)
    propose(api, people[1:])
    refused = propose(api, people, expect=409)
    error = refused["error"]
    assert error["code"] == "list.nominee_already_nominated" and error["params"]["nominee"]
    assert error["params"]["nominee"] in error["message"] and list(error["fields"]) == ["nominees.1"]
    twice = propose(api, [people[1], people[1]], expect=422)["error"]
    assert twice["fields"]["nominees.1"]
    unknown = propose(api, ["NO-SUCH-CODE"], expect=422)["error"]
    assert "NO-SUCH-CODE" in unknown["fields"]["nominees.0"]


@pytest.fixture
def agencies(app):
    set_up_agency(app, "VPTW")
    set_up_agency(app, "BTCTW")


def test_another_agencys_office_and_clerks_see_none_of_it(app, api, agencies):
    round_ = open_round(api, office="vptw_office", authority="VPTW")
    listed = propose(api, codes(app, 2), round_id=round_["id"])
    to_office(api, listed["id"])
    assert api.as_("vptw_office").get(f"/proposals/{listed['id']}").status_code == 200
    assert [p["id"] for p in api.as_("vptw_office").get("/proposals").get_json()] == [listed["id"]]
    for outsider in ("btctw_office", "clerk_b", "head_b", "btctw_head", "sec"):
        caller = api.as_(outsider)
        assert caller.get(f"/proposals/{listed['id']}").status_code == 404, outsider
        assert caller.get(f"/rounds/{round_['id']}").status_code == 404, outsider
        assert caller.get("/proposals").get_json() == [], outsider
        assert round_["id"] not in [r["id"] for r in caller.get("/rounds").get_json()], outsider
        nominee = api.as_("vptw_office").get(f"/proposals/{listed['id']}").get_json()["nominees"][0]["nomination_id"]
        assert caller.post(f"/proposals/{listed['id']}/check", json={"decisions": {
            str(nominee): {"outcome": "accept"}}}).status_code == 404, outsider
        assert caller.post(f"/rounds/{round_['id']}/late-entries", json={
            "unit": "BTCTW", "reason": "x", "until": today().isoformat()}).status_code == 404, outsider
    # The proposing unit's clerk sees the round and the list; the office's inbox has the list's step.
    assert api.as_("clerk_a").get(f"/rounds/{round_['id']}").status_code == 200
    inbox = api.as_("vptw_office").get("/tasks").get_json()
    assert [(t["key"], t["proposal_id"], t["nomination_id"]) for t in inbox] == [("check_list", listed["id"], None)]
    assert api.as_("btctw_office").get("/tasks").get_json() == []
