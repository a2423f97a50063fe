"""The head's one decision for a whole list, with its annex; a state award's list proposed up and
the answer from above; refusal, revocation, and nothing seen by another agency."""

import hashlib
import re

from sqlalchemy import func, select

from tests.conftest import PASSWORD, PNG
from tests.decision_helpers import pdf_text
from tests.list_decision_helpers import names_of, record_answer, set_up_agencies, sign, signing_list
from workflows.db import db
from workflows.models import (
    AuditEvent,
    AwardRecord,
    Decision,
    Nomination,
    NumberCounter,
    Proposal,
    Signature,
    UpwardOutcome,
)
from workflows.services import eligibility
from workflows.usecases import decisions

OUTSIDERS = ("btctw_office", "btctw_head", "sec", "chair", "clerk_b")


def test_an_agencys_advanced_worker_list_of_40_is_decided_by_its_own_head_in_one_decision(app, api):
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=40)
    response = sign(api, list_id, comment="Đồng ý.")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["approved"] is True and body["lists"] == [list_id]
    decision = body["decision"]
    assert (decision["number"], decision["kind"], decision["authority"], decision["count"]) == (
        "1/QĐ-VPTW", "decision", "VPTW", 40)
    assert decision["reward"] == {"coefficient": 0.3, "base_salary": 2_340_000, "amount": 702_000}
    assert decision["total_reward"] == 40 * 702_000
    assert [row["no"] for row in decision["annex"]] == list(range(1, 41))
    names = names_of(app, ids)
    assert [row["name"] for row in decision["annex"]] == names and [row["nomination_id"] for row in
                                                                  decision["annex"]] == ids
    assert {(row["position"], row["unit"], row["reward"], row["status"]) for row in decision["annex"]} == {
        ("Chuyên viên", "Văn phòng Trung ương Đảng", 702_000, "awarded")}
    with app.app_context():
        row = db.session.get(Decision, decision["id"])
        assert row.nomination_id is None and row.proposal_id == list_id
        assert decisions.content_sha256(row.signed_content) == row.content_sha256 == decision["content_sha256"]
        assert db.session.execute(select(func.count()).select_from(Decision)).scalar_one() == 1
        [counter] = db.session.execute(select(NumberCounter)).scalars()
        assert (counter.kind, counter.last) == ("decision", 1)
        statuses = db.session.execute(select(Nomination.status, Nomination.list_decision_id)
                                      .where(Nomination.id.in_(ids))).all()
        assert set(statuses) == {("awarded", row.id)}
        records = db.session.execute(select(AwardRecord).where(AwardRecord.decision_id == row.id)).scalars().all()
        assert len(records) == 40 and {(r.award_code, r.year, r.decision_ref) for r in records} == {
            ("LDTT", 2026, "1/QĐ-VPTW")}
        [signature] = db.session.execute(select(Signature)).scalars()
        assert (signature.meaning, signature.decision_id, signature.proposal_id, signature.content_sha256) == (
            "approved", row.id, list_id, row.content_sha256)
        [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "list_decision_signed")).scalars()
        assert event.details["awardees"] == 40 and event.details["award_records"] == 40
        assert db.session.get(Proposal, list_id).status == "decided"
    pdf = api.as_("vptw_office").get(f"/decisions/{decision['id']}/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "QUYẾT ĐỊNH" in text and "Số: 1/QĐ-VPTW" in text and "PHỤ LỤC" in text
    assert "Lao động tiên tiến" in text and names[0] in text and names[39] in text
    assert re.search(r"Mã kiểm tra \(SHA-256\): ([0-9a-f]{64})", text).group(1) == decision["content_sha256"]
    # The nominee's own page names the list decision.
    nominee = api.as_("clerk_a").get(f"/nominations/{ids[0]}")
    assert nominee.status_code == 200 and nominee.get_json()["decision"]["number"] == "1/QĐ-VPTW"
    # The register lists it once, with its count of awardees.
    [entry] = api.as_("vptw_office").get("/decisions").get_json()
    assert (entry["number"], entry["awardees"], entry["list_id"], entry["nomination_id"]) == (
        "1/QĐ-VPTW", 40, list_id, None)
    assert api.as_("vptw_office").get(f"/decisions?q={names[7]}").get_json()[0]["id"] == decision["id"]


def test_a_refusal_consumes_no_number(app, api):
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=3)
    needs_reason = sign(api, list_id, approve=False)
    assert needs_reason.status_code == 422
    refused = sign(api, list_id, approve=False, comment="Chưa đủ căn cứ.")
    assert refused.status_code == 200, refused.get_json()
    assert refused.get_json() == {"approved": False, "lists": [list_id], "decision": None}
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Decision)).scalar_one() == 0
        assert db.session.execute(select(func.count()).select_from(NumberCounter)).scalar_one() == 0
        assert db.session.execute(select(Signature.meaning, Signature.proposal_id)).all() == [("refused", list_id)]
    # The next list signed takes number 1.
    other, _ = signing_list(app, nominees=2)
    assert sign(api, other).get_json()["decision"]["number"] == "1/QĐ-VPTW"


def test_only_the_head_signs_with_the_right_password(app, api):
    set_up_agencies(app)
    list_id, _ = signing_list(app, nominees=2)
    assert sign(api, list_id, head="vptw_office").status_code == 403
    assert sign(api, list_id, head="btctw_head").status_code == 404
    wrong = api.as_("vptw_head").post(f"/lists/{list_id}/decision", json={"password": "not it"})
    assert wrong.status_code == 422 and "password" in wrong.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Decision)).scalar_one() == 0
    assert sign(api, list_id).status_code == 200
    assert sign(api, list_id).status_code == 409


def test_revoking_a_list_decision_marks_every_awardee_revoked(app, api):
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=5)
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    assert api.as_("btctw_head").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "criteria_unmet", "reason": "x", "password": PASSWORD}).status_code in (403, 404)
    done = api.as_("vptw_head").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "forged_dossier", "reason": "Hồ sơ giả mạo", "password": PASSWORD})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["revoked"]["reason_code"] == "forged_dossier"
    with app.app_context():
        assert set(db.session.execute(select(Nomination.status).where(Nomination.id.in_(ids))).scalars()) == {
            "revoked"}
        assert db.session.execute(select(func.count()).select_from(AwardRecord)
                                  .where(AwardRecord.revoked_at.is_(None))).scalar_one() == 0
    annex = api.as_("vptw_office").get(f"/decisions/{decision_id}/annex").get_json()
    assert annex["revoked"] is not None and {row["status"] for row in annex["annex"]} == {"revoked"}
    assert api.as_("clerk_a").get(f"/nominations/{ids[0]}").get_json()["status"] == "revoked"
    [entry] = api.as_("vptw_office").get("/decisions").get_json()
    assert entry["revoked"]["reason"] == "Hồ sơ giả mạo"
    assert "ĐÃ THU HỒI" in pdf_text(api.as_("vptw_office").get(f"/decisions/{decision_id}/document.pdf").data)


def test_a_state_award_proposed_up_and_its_answer_recorded(app, api):
    set_up_agencies(app)
    list_id, ids = signing_list(app, award="BKTTG", nominees=4)
    body = sign(api, list_id).get_json()
    decision = body["decision"]
    assert (decision["kind"], decision["number"]) == ("proposal", "1/TTr-VPTW")
    assert {row["status"] for row in decision["annex"]} == {"forwarded"}
    text = pdf_text(api.as_("vptw_head").get(f"/decisions/{decision['id']}/document.pdf").data)
    assert "TỜ TRÌNH" in text and "Số: 1/TTr-VPTW" in text and "DANH SÁCH" in text and names_of(app, ids)[3] in text
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(AwardRecord)).scalar_one() == 0
        assert db.session.get(Proposal, list_id).status == "forwarded"
    results = {ids[0]: "awarded", ids[1]: "awarded", ids[2]: "not_awarded", ids[3]: "awarded"}
    # Only the office of the authority that sent it up records the answer.
    assert record_answer(api, decision["id"], results,
                         office="btctw_office").status_code == 404
    assert record_answer(api, decision["id"], results, office="vptw_head").status_code == 403
    # Every nominee needs an answer.
    missing = record_answer(api, decision["id"], {ids[0]: "awarded"})
    assert missing.status_code == 422 and "results" in missing.get_json()["error"]["fields"]
    answered = record_answer(api, decision["id"], results)
    assert answered.status_code == 201, answered.get_json()
    outcome = answered.get_json()
    assert (outcome["number"], outcome["higher_authority"], outcome["decided_on"]) == (
        "1234/QĐ-TTg", "Thủ tướng Chính phủ", "2026-11-20")
    assert sorted(outcome["awarded"]) == sorted([ids[0], ids[1], ids[3]]) and outcome["not_awarded"] == [ids[2]]
    assert outcome["media_type"] == "application/pdf" and len(outcome["sha256"]) == 64
    scan = api.as_("vptw_office").get(f"/decisions/{decision['id']}/outcome/scan")
    assert scan.status_code == 200 and hashlib.sha256(scan.data).hexdigest() == outcome["sha256"]
    assert record_answer(api, decision["id"], results).status_code == 409
    annex = api.as_("vptw_office").get(f"/decisions/{decision['id']}/annex").get_json()
    assert [row["upward_result"] for row in annex["annex"]] == ["awarded", "awarded", "not_awarded", "awarded"]
    assert api.as_("clerk_a").get(f"/nominations/{ids[2]}").get_json()["upward_result"] == "not_awarded"
    assert annex["outcome"]["id"] == outcome["id"]
    with app.app_context():
        records = db.session.execute(select(AwardRecord.person_id, AwardRecord.award_code, AwardRecord.decision_ref)
                                     ).all()
        awarded_people = set(db.session.execute(select(Nomination.person_id).where(
            Nomination.id.in_([ids[0], ids[1], ids[3]]))).scalars())
        assert {r.person_id for r in records} == awarded_people
        assert {(r.award_code, r.decision_ref) for r in records} == {("BKTTG", "1234/QĐ-TTg")}
        assert db.session.get(Proposal, list_id).status == "answered"
        assert db.session.execute(select(func.count()).select_from(UpwardOutcome)).scalar_one() == 1


def test_an_award_recorded_from_above_counts_in_a_later_eligibility_check(app, api):
    """A Prime Minister's Certificate of Merit recorded from above is what a Labour Order needs first."""
    set_up_agencies(app)
    list_id, ids = signing_list(app, award="BKTTG", nominees=2, year=2025)
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    with app.app_context():
        people = [db.session.get(Nomination, i).person_id for i in ids]
        from workflows.models import AwardType
        labour_order = db.session.execute(select(AwardType).where(AwardType.code == "HCLD3")).scalar_one()

        def held_before(person_id):
            findings = eligibility.evaluate_people(labour_order, 2026, [person_id])[person_id]
            return [f["met"] for f in findings if f["rule"] == "award_held_before"]

        assert held_before(people[0]) == [False] and held_before(people[1]) == [False]
    assert record_answer(api, decision_id, {ids[0]: "awarded", ids[1]: "not_awarded"}).status_code == 201
    with app.app_context():
        assert held_before(people[0]) == [True]
        assert held_before(people[1]) == [False]


def test_another_agency_sees_none_of_it(app, api):
    set_up_agencies(app)
    list_id, ids = signing_list(app, award="BKTTG", nominees=2)
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    assert record_answer(api, decision_id, {ids[0]: "awarded", ids[1]: "awarded"}).status_code == 201
    for outsider in OUTSIDERS:
        caller = api.as_(outsider)
        assert caller.get(f"/decisions/{decision_id}").status_code == 404, outsider
        assert caller.get(f"/decisions/{decision_id}/annex").status_code == 404, outsider
        assert caller.get(f"/decisions/{decision_id}/document.pdf").status_code == 404, outsider
        assert caller.get(f"/decisions/{decision_id}/outcome").status_code == 404, outsider
        assert caller.get(f"/decisions/{decision_id}/outcome/scan").status_code == 404, outsider
        listed = caller.get("/decisions")
        assert listed.status_code == 403 or decision_id not in [r["id"] for r in listed.get_json()], outsider
    # The list's own unit, and oversight, see it.
    assert api.as_("clerk_a").get(f"/decisions/{decision_id}/annex").status_code == 200
    assert api.as_("aud").get(f"/decisions/{decision_id}/annex").status_code == 200


def test_a_hostile_scan_is_refused(app, api):
    set_up_agencies(app)
    list_id, ids = signing_list(app, award="BKTTG", nominees=1)
    decision_id = sign(api, list_id).get_json()["decision"]["id"]
    results = {ids[0]: "awarded"}
    for content, filename in ((b"<html><script>alert(1)</script></html>", "qd.pdf"),
                              (b"MZ\x90\x00" + b"\x00" * 200, "qd.exe"), (PNG, "qd.pdf"), (b"", "qd.pdf")):
        refused = record_answer(api, decision_id, results, scan=content, filename=filename)
        assert 400 <= refused.status_code < 500, (filename, refused.status_code)
    too_big = record_answer(api, decision_id, results, scan=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    assert too_big.status_code == 413
    assert record_answer(api, decision_id, results, scan=None).status_code == 422
    assert record_answer(api, decision_id, {"x": "awarded"}).status_code == 422
    assert record_answer(api, decision_id, results, decided_on="tomorrow").status_code == 422
    assert record_answer(api, decision_id, results, raw="[not json").status_code == 422
    assert record_answer(api, decision_id, results, raw='["awarded"]').status_code == 422
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(UpwardOutcome)).scalar_one() == 0
    assert record_answer(api, decision_id, results, scan=PNG, filename="scan.png").status_code == 201


def _round(app, *, award_codes=("LDTT",), authority="VPTW", list_ids=()) -> int:
    from datetime import date

    from workflows.models import Authority, Round, User
    with app.app_context():
        owner = db.session.execute(select(Authority).where(Authority.code == authority)).scalar_one()
        office = db.session.execute(select(User).where(User.username == f"{authority.lower()}_office")).scalar_one()
        found = Round(authority_id=owner.id, name="Đợt xét cuối năm 2026", year=2026, award_codes=list(award_codes),
                      intake_deadline=date(2026, 11, 30), created_by_id=office.id)
        db.session.add(found)
        db.session.flush()
        for list_id in list_ids:
            db.session.get(Proposal, list_id).round_id = found.id
        db.session.commit()
        return found.id


def test_one_decision_covers_every_list_of_an_award_in_a_round(app, api):
    set_up_agencies(app)
    first, first_ids = signing_list(app, nominees=3)
    second, second_ids = signing_list(app, nominees=2)
    round_id = _round(app, list_ids=(first, second))
    assert api.as_("vptw_head").post(f"/rounds/{round_id}/awards/CSTDCS/decision",
                                     json={"password": PASSWORD}).status_code == 422
    assert api.as_("btctw_head").post(f"/rounds/{round_id}/awards/LDTT/decision",
                                      json={"password": PASSWORD}).status_code == 404
    signed = api.as_("vptw_head").post(f"/rounds/{round_id}/awards/LDTT/decision", json={"password": PASSWORD})
    assert signed.status_code == 200, signed.get_json()
    body = signed.get_json()
    assert sorted(body["lists"]) == sorted([first, second])
    decision = body["decision"]
    assert (decision["number"], decision["count"], decision["list_id"], decision["round_id"]) == (
        "1/QĐ-VPTW", 5, None, round_id)
    assert [row["nomination_id"] for row in decision["annex"]] == first_ids + second_ids
    again = api.as_("vptw_head").post(f"/rounds/{round_id}/awards/LDTT/decision", json={"password": PASSWORD})
    assert again.status_code == 409


def test_a_council_recommends_a_higher_form_and_the_office_opens_a_linked_proposal(app, api):
    from datetime import datetime

    from workflows.models import CouncilSession, Round, SessionItem, User
    set_up_agencies(app)
    list_id, ids = signing_list(app, award="CSTDCS", nominees=1)
    round_id = _round(app, award_codes=("CSTDCS",), list_ids=(list_id,))
    api.as_("vptw_head").post(f"/lists/{list_id}/decision", json={"password": PASSWORD})
    higher = {"award_type": "BKTTG", "reason": "Hội đồng kiến nghị đề nghị Bằng khen của Thủ tướng."}
    # Not recommended by the council: refused.
    assert api.as_("vptw_office").post(f"/nominations/{ids[0]}/higher-form", json=higher).status_code == 409
    with app.app_context():
        office = db.session.execute(select(User).where(User.username == "vptw_office")).scalar_one()
        session = CouncilSession(authority_id=db.session.get(Round, round_id).authority_id, round_id=round_id,
                                 scheduled_for=datetime(2026, 12, 1, 8), created_by_id=office.id)
        db.session.add(session)
        db.session.flush()
        db.session.add(SessionItem(session_id=session.id, nomination_id=ids[0], recommended_award_code="BKTTG"))
        db.session.commit()
    assert api.as_("vptw_head").post(f"/nominations/{ids[0]}/higher-form", json=higher).status_code == 403
    assert api.as_("btctw_office").post(f"/nominations/{ids[0]}/higher-form", json=higher).status_code == 404
    assert api.as_("vptw_office").post(f"/nominations/{ids[0]}/higher-form",
                                       json={**higher, "reason": " "}).status_code == 422
    opened = api.as_("vptw_office").post(f"/nominations/{ids[0]}/higher-form", json=higher)
    assert opened.status_code == 201, opened.get_json()
    body = opened.get_json()
    assert (body["recommended_from"], body["award_type"], body["authority"], body["status"]) == (
        ids[0], "BKTTG", "VPTW", "preparing")
    assert api.as_("vptw_office").post(f"/nominations/{ids[0]}/higher-form", json=higher).status_code == 409
    with app.app_context():
        original = db.session.get(Nomination, ids[0])
        assert (original.award_type.code, original.status) == ("CSTDCS", "awarded")  # never silently changed
        [linked] = db.session.execute(select(Nomination).where(Nomination.proposal_id == body["list_id"])).scalars()
        assert (linked.person_id, linked.award_type.code) == (original.person_id, "BKTTG")


def _statements(app, call):
    from sqlalchemy import event
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return response, statements


def test_signing_and_reading_a_long_list_costs_no_more_statements_than_a_short_one(app, api):
    """The annex is read in one query and the awardees written in bulk: a list of 150 takes the same
    number of statements to sign, show and print as a list of 5."""
    set_up_agencies(app)
    short, _ = signing_list(app, nominees=5)
    long, _ = signing_list(app, nominees=150)
    api.token("vptw_head")
    counts = {}
    for list_id in (short, long):
        signed, statements = _statements(app, lambda list_id=list_id: sign(api, list_id))
        assert signed.status_code == 200, signed.get_json()
        decision_id = signed.get_json()["decision"]["id"]
        shown, shown_statements = _statements(
            app, lambda decision_id=decision_id: api.as_("vptw_head").get(f"/decisions/{decision_id}/annex"))
        printed, printed_statements = _statements(
            app, lambda decision_id=decision_id: api.as_("vptw_head").get(f"/decisions/{decision_id}/document.pdf"))
        assert shown.status_code == printed.status_code == 200
        counts[list_id] = (len(statements), len(shown_statements), len(printed_statements))
    assert counts[long] == counts[short], counts
    assert counts[long][0] <= 60, counts
