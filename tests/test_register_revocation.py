"""The decision register (search, paging, who sees what) and revocation."""

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, snapshot
from tests.decision_helpers import link_to_registry, pdf_text, sign, to_signing
from workflows.db import db
from workflows.models import AuditEvent, AwardRecord, Initiative, Nomination, Setting
from workflows.services.eligibility import history as histories


@pytest.fixture
def three(api, nominate, walk):
    """Two decisions and a proposal, signed in this order: Hằng (1/QĐ), Đức (1/TTr), Bình (2/QĐ)."""
    ids = {"hang": to_signing(api, nominate, walk, name="Nguyễn Thị Hằng"),
           "duc": to_signing(api, nominate, walk, award_type="BKTTG", name="Trần Văn Đức")}
    for nid in ids.values():
        sign(api, nid)
    ids["binh"] = to_signing(api, nominate, walk, name="Lê Thị Bình")
    sign(api, ids["binh"])
    return ids


def numbers(response):
    assert response.status_code == 200, response.get_json()
    return [entry["number"] for entry in response.get_json()]


def test_the_register_lists_newest_first_with_rewards(api, three):
    response = api.as_("sec").get("/decisions")
    assert numbers(response) == ["2/QĐ-KTĐ", "1/TTr-KTĐ", "1/QĐ-KTĐ"]
    assert response.headers["X-Total-Count"] == "3"
    first = response.get_json()[-1]
    assert (first["awardee"], first["unit"], first["award_type"], first["kind"]) == (
        "Nguyễn Thị Hằng", "VPTW", "CSTDCS", "decision")
    assert first["reward"] == {"coefficient": 1.0, "base_salary": 2_340_000, "amount": 2_340_000}
    assert first["signed_by"] == "chair" and first["revoked"] is None and len(first["content_sha256"]) == 64


@pytest.mark.parametrize("query, expected", [
    ("?kind=proposal", ["1/TTr-KTĐ"]),
    ("?kind=decision", ["2/QĐ-KTĐ", "1/QĐ-KTĐ"]),
    ("?q=hằng", ["1/QĐ-KTĐ"]),
    ("?q=TRẦN", ["1/TTr-KTĐ"]),
    ("?q=2/QĐ", ["2/QĐ-KTĐ"]),
    ("?q=%25", []),
    ("?unit=VPTW&year=2026", ["2/QĐ-KTĐ", "1/TTr-KTĐ", "1/QĐ-KTĐ"]),
    ("?unit=BTCTW", []),
    ("?year=2025", []),
    ("?limit=1&offset=1", ["1/TTr-KTĐ"]),
])
def test_the_register_searches(api, three, query, expected):
    assert numbers(api.as_("m2").get(f"/decisions{query}")) == expected


def test_a_bad_filter_is_refused(api, three):
    response = api.as_("sec").get("/decisions?kind=order")
    assert response.status_code == 422 and "kind" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("who, expected", [
    ("clerk_a", 3), ("head_a", 3), ("clerk_b", 0), ("aud", 3), ("admin", 3), ("chair", 3),
])
def test_unit_staff_see_only_their_own_units_decisions(api, three, who, expected):
    assert len(numbers(api.as_(who).get("/decisions"))) == expected


def test_reviewers_have_no_register(api, three):
    assert api.as_("rev").get("/decisions").status_code == 403
    assert api.as_(None).get("/decisions").status_code == 401


# -- revocation ------------------------------------------------------------------------------------


def signed_with_initiative(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    [initiative] = link_to_registry(app, nid, initiatives=1)
    sign(api, nid)
    decision_id = api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]["id"]
    return nid, decision_id, initiative


def test_revocation_takes_the_award_out_of_the_history_and_frees_per_setting(app, api, nominate, walk):
    nid, decision_id, initiative = signed_with_initiative(app, api, nominate, walk)
    response = api.as_("admin").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "criteria_unmet", "reason": "Sáng kiến chưa được công nhận đúng thẩm quyền."})
    assert response.status_code == 200, response.get_json()
    revoked = response.get_json()["revoked"]
    assert (revoked["by"], revoked["reason_code"]) == ("admin", "criteria_unmet")
    with app.app_context():
        [record] = db.session.execute(select(AwardRecord)).scalars()
        assert record.revoked_at is not None and record.decision_ref == "1/QĐ-KTĐ"  # kept, marked revoked
        assert db.session.get(Initiative, initiative).used_by_nomination_id is None
        [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "decision_revoked")).scalars()
        assert event.actor == "admin" and event.nomination_id == nid
        assert event.details["reason_code"] == "criteria_unmet" and event.details["initiatives_freed"] == [initiative]
        assert event.details["award_records_revoked"] == [record.id]
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["decision"]["revoked_at"]
    [entry] = api.as_("sec").get("/decisions").get_json()
    assert entry["revoked"]["reason"] == "Sáng kiến chưa được công nhận đúng thẩm quyền."
    text = pdf_text(api.as_("clerk_a").get(f"/nominations/{nid}/decision.pdf").data)
    assert "ĐÃ THU HỒI" in text and "Không đủ tiêu chuẩn" in text and "Sáng kiến chưa được công nhận" in text
    again = api.as_("admin").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "criteria_unmet", "reason": "again"})
    assert again.status_code == 409


def test_a_false_declaration_keeps_the_initiative_used(app, api, nominate, walk):
    _, decision_id, initiative = signed_with_initiative(app, api, nominate, walk)
    response = api.as_("chair").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "false_declaration", "reason": "Khai tăng số liệu thành tích.", "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    with app.app_context():
        assert db.session.get(Initiative, initiative).used_by_nomination_id is not None


def test_the_setting_decides_which_reasons_free_initiatives(app, api, nominate, walk):
    _, decision_id, initiative = signed_with_initiative(app, api, nominate, walk)
    with app.app_context():
        db.session.get(Setting, "revocation_frees_initiative").value = ["forged_dossier"]
        db.session.commit()
    api.as_("admin").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "forged_dossier", "reason": "Giấy chứng nhận sáng kiến giả."})
    with app.app_context():
        assert db.session.get(Initiative, initiative).used_by_nomination_id is None


@pytest.mark.parametrize("who, body, status, field", [
    ("chair", {"reason_code": "criteria_unmet", "reason": "x", "password": "wrong"}, 422, "password"),
    ("chair", {"reason_code": "criteria_unmet", "reason": "x"}, 422, "password"),
    ("admin", {"reason_code": "changed_mind", "reason": "x"}, 422, "reason_code"),
    ("admin", {"reason_code": "criteria_unmet", "reason": "   "}, 422, "reason"),
    ("admin", {"reason_code": "criteria_unmet"}, 422, "reason"),
    ("sec", {"reason_code": "criteria_unmet", "reason": "x"}, 403, None),
    ("clerk_a", {"reason_code": "criteria_unmet", "reason": "x"}, 403, None),
])
def test_a_refused_revocation_changes_nothing(app, api, nominate, walk, who, body, status, field):
    _, decision_id, _ = signed_with_initiative(app, api, nominate, walk)
    api.token(who)  # signing in is not part of what is checked
    with app.app_context():
        before = snapshot()
    response = api.as_(who).post(f"/decisions/{decision_id}/revoke", json=body)
    assert response.status_code == status, response.get_json()
    if field:
        assert field in response.get_json()["error"]["fields"]
    with app.app_context():
        after = snapshot()
    changed = {name for name in before if before[name] != after[name]}
    # A wrong password is recorded as a failed attempt; nothing else moves.
    assert changed <= {"sign_in_counter", "audit_event", "audit_head"}
    assert ("sign_in_counter" in changed) == (body.get("password") == "wrong")


def test_an_unknown_decision_is_not_found(api):
    assert api.as_("admin").post("/decisions/999/revoke", json={
        "reason_code": "criteria_unmet", "reason": "x"}).status_code == 404


def test_a_revoked_award_leaves_the_history_next_nominations_are_judged_on(app, api, nominate, walk):
    earlier = to_signing(api, nominate, walk, name="Phạm Văn Long")
    sign(api, earlier)
    later = nominate(name="Phạm Văn Long")

    def history_of_later():
        person_id = db.session.get(Nomination, later).person_id
        return histories.of_people([person_id])[person_id].awards

    with app.app_context():
        assert history_of_later() == {("CSTDCS", 2026)}
    decision_id = api.as_("sec").get(f"/nominations/{earlier}").get_json()["decision"]["id"]
    assert api.as_("admin").post(f"/decisions/{decision_id}/revoke", json={
        "reason_code": "false_declaration", "reason": "Khai man."}).status_code == 200
    with app.app_context():
        assert history_of_later() == set()
