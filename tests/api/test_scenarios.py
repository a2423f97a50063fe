"""The scenarios every build must pass, through the JSON API."""

from tests.conftest import COUNCIL
from workflows.db import db
from workflows.services import audit


def inbox_ids(api, username, nomination_id):
    return [t["id"] for t in api.as_(username).get("/tasks?limit=500").get_json()
            if t["nomination_id"] == nomination_id]


def trail(api, nomination_id, who="aud"):
    response = api.as_(who).get(f"/nominations/{nomination_id}/audit")
    assert response.status_code == 200
    return response.get_json()


def test_1_straight_through(app, api, nominate, walk):
    nid = nominate()
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["status"] == "preparing"
    walk(nid, "vote")
    status = api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["status"]
    assert status == "voting"
    for member in COUNCIL:
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    assert api.as_("chair").complete(nid, "sign_decision", {"decision": "approve", "comment": "Agreed"}) == {
        "nomination_id": nid, "status": "awarded"}

    body = api.as_("clerk_a").get(f"/nominations/{nid}").get_json()
    assert body["status"] == "awarded"
    assert body["decision"]["number"] == "1/QĐ-KTĐ" and body["decision"]["signed_by"] == "chair"
    assert body["open_tasks"] == []
    for username in ["clerk_a", "head_a", "sec", "rev", "chair", *COUNCIL]:
        assert inbox_ids(api, username, nid) == []

    events = trail(api, nid)
    steps = [(e["action"], e["actor"], e["task"]) for e in events]
    human = [s for s in steps if s[0] in ("task_completed", "ballot_cast", "task_claimed")]
    assert human[:5] == [("task_completed", "clerk_a", "prepare_dossier"), ("task_completed", "head_a", "endorse"),
                         ("task_completed", "sec", "check_dossier"), ("task_claimed", "rev", "appraise"),
                         ("task_completed", "rev", "appraise")]
    assert sorted(s[1] for s in human if s[0] == "ballot_cast") == sorted(COUNCIL)
    assert human[-1] == ("task_completed", "chair", "sign_decision")
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    assert steps[0][0] == "process_started" and steps[-1][0] == "decision_signed"
    with app.app_context():
        assert audit.verify().ok


def test_2_returned_twice(app, api, nominate):
    nid = nominate()
    clerk, head = api.as_("clerk_a"), api.as_("head_a")
    for kind in ("proposal_letter", "achievement_report", "review_minutes"):
        assert clerk.upload(nid, kind).status_code == 201
    clerk.complete(nid, "prepare_dossier")
    head.complete(nid, "endorse", {"decision": "return", "comment": "Add the 2026 figures."})
    assert clerk.get(f"/nominations/{nid}").get_json()["status"] == "preparing"
    assert clerk.upload(nid, "achievement_report", filename="report-v2.pdf").status_code == 201
    clerk.complete(nid, "prepare_dossier")
    head.complete(nid, "endorse", {"decision": "endorse", "comment": "Good now."})
    api.as_("sec").complete(nid, "check_dossier", {"decision": "return", "comment": "Minutes are unsigned."})
    assert clerk.get(f"/nominations/{nid}").get_json()["status"] == "preparing"
    assert clerk.upload(nid, "review_minutes", filename="minutes-signed.pdf").status_code == 201
    clerk.complete(nid, "prepare_dossier")
    head.complete(nid, "endorse", {"decision": "endorse", "comment": "Resubmitted."})
    api.as_("sec").complete(nid, "check_dossier", {"decision": "accept", "comment": "Complete."})
    assert clerk.get(f"/nominations/{nid}").get_json()["status"] == "appraising"

    returns = [(e["actor"], e["task"], e["details"]["comment"]) for e in trail(api, nid) if e["action"] == "returned"]
    assert returns == [("head_a", "endorse", "Add the 2026 figures."),
                       ("sec", "check_dossier", "Minutes are unsigned.")]
    documents = clerk.get(f"/nominations/{nid}/documents").get_json()
    versions = sorted((d["kind"], d["version"]) for d in documents)
    assert versions == [("achievement_report", 1), ("achievement_report", 2), ("proposal_letter", 1),
                        ("review_minutes", 1), ("review_minutes", 2)]


def test_3_vote_fails(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    for member, vote in zip(COUNCIL, ["yes", "no", "no", "no", "no"]):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["status"] == "not_approved"
    assert inbox_ids(api, "chair", nid) == []
    events = trail(api, nid)
    tally = [e for e in events if e["action"] == "tally"]
    assert len(tally) == 1
    result = tally[0]["details"]["tally_result"]
    assert (result["yes"], result["no"], result["members"], result["passed"]) == (1, 4, 5, False)
    assert tally[0]["details"]["rule"] and tally[0]["details"]["rule_basis"]
    for event in events:
        if event["action"] == "ballot_cast":
            assert event["details"] == {}


def test_4_chair_refuses(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    for member in COUNCIL:
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    api.as_("chair").complete(nid, "sign_decision", {"decision": "reject", "comment": "Not this year."})
    body = api.as_("clerk_a").get(f"/nominations/{nid}").get_json()
    assert body["status"] == "rejected" and body["decision"] is None
    # The next approval still gets number 1: the refusal consumed none.
    other = api.as_("clerk_a")
    nid2 = nominate(name="Trần Thị Hoa")
    walk(nid2, "vote")
    for member in COUNCIL:
        api.as_(member).complete(nid2, "vote", {"vote": "yes"})
    api.as_("chair").complete(nid2, "sign_decision", {"decision": "approve", "comment": "Agreed"})
    assert other.get(f"/nominations/{nid2}").get_json()["decision"]["number"] == "1/QĐ-KTĐ"


def test_5_withdrawn(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    assert inbox_ids(api, "sec", nid)
    response = api.as_("clerk_a").post(f"/nominations/{nid}/withdraw", json={"reason": "The nominee retired."})
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    assert inbox_ids(api, "sec", nid) == []
    again = api.as_("clerk_a").post(f"/nominations/{nid}/withdraw", json={"reason": "again"})
    assert again.status_code == 409
    assert [e["details"]["reason"] for e in trail(api, nid) if e["action"] == "withdrawn"] == ["The nominee retired."]


def test_5_decided_nomination_cannot_be_withdrawn(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    assert api.as_("clerk_a").post(f"/nominations/{nid}/withdraw", json={"reason": "late"}).status_code == 409
    for member in COUNCIL:
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    api.as_("chair").complete(nid, "sign_decision", {"decision": "approve", "comment": "ok"})
    assert api.as_("clerk_a").post(f"/nominations/{nid}/withdraw", json={"reason": "late"}).status_code == 409


def test_6_state_level_award_is_forwarded(app, api, nominate, walk):
    nid = nominate(award_type="BKTTG")
    walk(nid, "vote")
    for member in COUNCIL:
        api.as_(member).complete(nid, "vote", {"vote": "yes"})
    assert api.as_("chair").complete(nid, "sign_decision", {"decision": "approve", "comment": "Propose"})[
        "status"] == "forwarded"
    decision = api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["decision"]
    assert decision["kind"] == "proposal" and decision["number"] == "1/TTr-KTĐ"


def test_7_nominee_on_the_council_gets_no_ballot(app, api, nominate, walk):
    nid = nominate(name="M1", username="m1")
    walk(nid, "vote")
    assert inbox_ids(api, "m1", nid) == []
    voters = sorted(t["assignee"] for t in api.as_("sec").get(f"/nominations/{nid}").get_json()["open_tasks"])
    assert voters == ["chair", "m2", "m3", "m4"]
    for member, vote in zip(voters, ["yes", "yes", "yes", "no"]):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    result = [e for e in trail(api, nid) if e["action"] == "tally"][0]["details"]
    # LDTT: 70 % of the members who voted; the base is the four entitled members, not five.
    assert result["tally_result"]["members"] == 4 and result["tally_result"]["base"] == "voters"
    assert result["tally_result"]["needed_yes"] == 3 and result["tally_result"]["passed"] is True
    assert api.as_("clerk_a").get(f"/nominations/{nid}").get_json()["status"] == "signing"


def test_8_who_may_do_what(app, api, nominate, walk):
    nid = nominate()
    clerk_b, head_b = api.as_("clerk_b"), api.as_("head_b")
    assert clerk_b.get(f"/nominations/{nid}").status_code == 404
    assert clerk_b.upload(nid, "other").status_code == 404
    assert clerk_b.post(f"/nominations/{nid}/withdraw", json={"reason": "x"}).status_code == 404
    assert nid not in [n["id"] for n in clerk_b.get("/nominations").get_json()]
    clerk_a_task = api.as_("clerk_a").task(nid, "prepare_dossier")
    assert clerk_b.post(f"/tasks/{clerk_a_task}/complete", json={}).status_code in (403, 404)
    walk(nid, "endorse")
    endorse = api.as_("head_a").task(nid, "endorse")
    assert head_b.post(f"/tasks/{endorse}/complete", json={"decision": "endorse", "comment": "x"}).status_code \
        in (403, 404)
    assert api.as_("rev").post("/nominations", json={
        "award_type": "LDTT", "nominee": {"kind": "individual", "name": "X"}, "year": 2026}).status_code == 403
    aud = api.as_("aud")
    assert aud.get(f"/nominations/{nid}").status_code == 200
    assert aud.get(f"/nominations/{nid}/audit").status_code == 200
    assert aud.get("/audit").status_code == 200
    assert aud.post(f"/tasks/{endorse}/complete", json={"decision": "endorse", "comment": "x"}).status_code == 403
    assert aud.post(f"/nominations/{nid}/withdraw", json={"reason": "x"}).status_code == 403
    assert aud.upload(nid, "other").status_code == 403
    assert api.as_("clerk_a").get("/audit").status_code == 403
    assert api.as_(None).get("/me").status_code == 401
    assert api.as_(None).get(f"/nominations/{nid}").status_code == 401
    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "auth.token_needed"


def test_8_council_member_cannot_see_votes(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    api.as_("m2").complete(nid, "vote", {"vote": "no"})
    for who in ("m1", "m2", "chair"):
        text = api.as_(who).get(f"/nominations/{nid}").get_data(as_text=True)
        assert '"no"' not in text and '"vote"' not in text.replace('"key": "vote"', "").replace('"key":"vote"', "")
        assert api.as_(who).get(f"/nominations/{nid}/audit").get_data(as_text=True).count('"no"') == 0


def test_10_two_at_once_one_completion_in_trail(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    first = api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse", "comment": "a"})
    second = api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse", "comment": "b"})
    assert (first.status_code, second.status_code) == (200, 409)
    assert len([e for e in trail(api, nid) if e["task"] == "endorse" and e["action"] == "task_completed"]) == 1
    with app.app_context():
        db.session.remove()
