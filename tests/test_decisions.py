"""Signed decisions and proposals: e-signature, reward, content hash, award history, PDFs."""

import json
import logging

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, snapshot
from tests.decision_helpers import (
    CHAIR_NAME,
    NOMINEE,
    link_to_registry,
    pdf_text,
    seat_the_chair,
    sign,
    to_signing,
    write_tally,
)
from workflows.db import db
from workflows.errors import InvalidData
from workflows.models import (
    AuditEvent,
    AwardRecord,
    AwardType,
    Decision,
    Initiative,
    Nomination,
    Setting,
    Signature,
    SignInCounter,
)
from workflows.services import reference
from workflows.usecases import accounts, batches, decisions


def decision_of(nid) -> Decision:
    return db.session.execute(select(Decision).where(Decision.nomination_id == nid)).scalar_one()


def failures() -> dict:
    """The sign-in counters holding failures: {(scope, username or source): failures}."""
    rows = db.session.execute(select(SignInCounter)).scalars()
    return {(row.scope, row.username or row.source): row.failures for row in rows if row.failures}


def test_approval_records_basis_reward_hash_signature_and_history(app, api, nominate, walk):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk)
    [initiative] = link_to_registry(app, nid, initiatives=1)
    assert sign(api, nid)["status"] == "awarded"
    with app.app_context():
        decision = decision_of(nid)
        assert decision.number == "1/QĐ-KTĐ" and decision.kind == "decision"
        assert decisions.basis_lines(decision) == reference.SETTINGS["decision_legal_basis"]
        assert (decision.reward_coefficient, decision.base_salary, decision.reward_amount) == (1.0, 2_340_000,
                                                                                             2_340_000)
        assert len(decision.content_sha256) == 64 and decisions.verify(decision)
        content = decisions.content_of(decision)
        assert decision.signed_content == content
        assert content["awardee"] == {"name": NOMINEE, "kind": "individual", "position": "Chuyên viên",
                                      "unit": "Văn phòng Trung ương Đảng", "code": "VPTW-0001"}
        assert content["signer"]["name"] == CHAIR_NAME and content["signer"]["position"] == "CHỦ TỊCH HỘI ĐỒNG"
        [signature] = db.session.execute(select(Signature).where(Signature.nomination_id == nid)).scalars()
        assert (signature.meaning, signature.content_sha256, signature.signer.username) == (
            "approved", decision.content_sha256, "chair")
        assert signature.signed_at == decision.signed_at
        [record] = db.session.execute(select(AwardRecord)).scalars()
        assert (record.award_code, record.year, record.decision_ref, record.decision_id, record.revoked_at) == (
            "CSTDCS", 2026, "1/QĐ-KTĐ", decision.id, None)
        assert record.person_id == db.session.get(Nomination, nid).person_id
        assert db.session.get(Initiative, initiative).used_by_nomination_id == nid
        [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "decision_signed")).scalars()
        assert event.details["sha256"] == decision.content_sha256
        assert event.details["award_record"] == record.id and event.details["initiatives_used"] == [initiative]


def test_changing_the_signed_content_breaks_the_hash(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    with app.app_context():
        decision = decision_of(nid)
        assert decisions.verify(decision)
        decision.signed_content = {**decision.signed_content, "reward": {
            **decision.signed_content["reward"], "amount": decision.reward_amount + 1}}
        assert not decisions.verify(decision)


def test_the_pdf_keeps_what_was_signed_when_names_change_later(app, api, nominate, walk):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    with app.app_context():
        reference.unit("VPTW").name_vi = "Văn phòng (tên mới)"
        reference.award_type("CSTDCS").name_vi = "Danh hiệu đổi tên"
        decision_of(nid).signed_by.full_name = "Người khác"
        db.session.commit()
        assert decisions.verify(decision_of(nid))
        assert decisions.content_of(decision_of(nid)) != decision_of(nid).signed_content
    text = pdf_text(api.as_("clerk_a").get(f"/nominations/{nid}/decision.pdf").data)
    assert "Văn phòng Trung ương Đảng" in text and "Chiến sĩ thi đua cơ sở" in text and CHAIR_NAME in text
    assert "tên mới" not in text and "Người khác" not in text


def test_a_nominee_outside_the_registry_is_noted_not_recorded(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk, registered=False)
    sign(api, nid)
    with app.app_context():
        assert db.session.execute(select(func.count(AwardRecord.id))).scalar_one() == 0
        [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "decision_signed")).scalars()
        assert event.details["award_record"].startswith("skipped")


def test_a_state_award_is_a_proposal_with_its_reward_and_no_award_yet(app, api, nominate, walk):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk, award_type="BKTTG", name="Trần Văn Đức")
    link_to_registry(app, nid)
    assert sign(api, nid)["status"] == "forwarded"
    with app.app_context():
        decision = decision_of(nid)
        assert (decision.kind, decision.number, decision.reward_amount) == ("proposal", "1/TTr-KTĐ", 3_510_000)
        assert db.session.execute(select(func.count(AwardRecord.id))).scalar_one() == 0
        sha = decision.content_sha256
    text = pdf_text(api.as_("clerk_a").get(f"/nominations/{nid}/decision.pdf").data)
    for expected in ("TỜ TRÌNH", "Về việc đề nghị khen thưởng", "Số: 1/TTr-KTĐ", "Trần Văn Đức",
                     "Bằng khen của Thủ tướng", "1,5 × mức lương cơ sở 2.340.000 đồng = 3.510.000 đồng",
                     f"Mã kiểm tra (SHA-256): {sha}", "Kính gửi: Hội đồng Thi đua – Khen thưởng Trung ương"):
        assert expected in text, expected


def test_decision_pdf_reads_back_with_vietnamese_intact(app, api, nominate, walk):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    response = api.as_("clerk_a").get(f"/nominations/{nid}/decision.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    with app.app_context():
        decision = decision_of(nid)
        signed_at = decisions.local(decision.signed_at)
        sha = decision.content_sha256
    for expected in (
            "KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG TRUNG ƯƠNG", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Số: 1/QĐ-KTĐ", "QUYẾT ĐỊNH", "Về việc khen thưởng",
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15", "Căn cứ Nghị định số 152/2025/NĐ-CP",
            f"Tặng “Chiến sĩ thi đua cơ sở” năm 2026 cho đồng chí {NOMINEE}, Chuyên viên, Văn phòng Trung ương Đảng",
            "1 × mức lương cơ sở 2.340.000 đồng = 2.340.000 đồng", "Điều 2.", "Điều 3.",
            "TM. HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG", CHAIR_NAME,
            f"Đã ký điện tử lúc {signed_at:%H:%M} ngày {signed_at:%d/%m/%Y}",
            f"Mã kiểm tra (SHA-256): {sha}"):
        assert expected in text, expected
    assert f"ngày {signed_at:%d} tháng" in text and "ĐÃ THU HỒI" not in text


def test_there_are_no_tally_minutes_before_the_vote_closes(app, api, nominate, walk):
    nid = nominate(award_type="CSTDCS", name=NOMINEE)
    walk(nid, "vote")
    assert api.as_("sec").get(f"/nominations/{nid}/tally.pdf").status_code == 404


def test_the_tally_writes_its_minutes_under_the_regulation_in_force(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    text = pdf_text(api.as_("sec").get(f"/nominations/{nid}/tally.pdf").data)
    for expected in ("BIÊN BẢN KIỂM PHIẾU", "Thành viên Hội đồng (5)", "Thành viên đã bỏ phiếu (5)", "Đồng ý 5",
                     "Không đồng ý 0", "Quy chế QC-HDTDKT-2024", "70%"):
        assert expected in text, expected


def test_tally_minutes_name_who_voted_and_never_how(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    write_tally(app, nid, voters=("m1", "m2", "m3", "chair"), yes=3, no=1)
    seat_the_chair(app, "Lê Thị Thu Hà")
    text = pdf_text(api.as_("sec").get(f"/nominations/{nid}/tally.pdf").data)
    for expected in ("BIÊN BẢN KIỂM PHIẾU", f"cho {NOMINEE}", "Chiến sĩ thi đua cơ sở",
                     "Thành viên Hội đồng (5): M1, M2, M3, M4, Lê Thị Thu Hà",
                     "Thành viên đã bỏ phiếu (4): M1, M2, M3, Lê Thị Thu Hà",
                     "Đồng ý 3", "Không đồng ý 1", "Quy chế QC-HĐTĐKT-2026", "70%", "làm tròn lên",
                     "Quy chế hoạt động của Hội đồng, Điều 8", "không được thông qua (3 phiếu đồng ý, cần 4)"):
        assert expected in text, expected


@pytest.mark.parametrize("who, status", [("clerk_b", 404), ("head_b", 404), ("clerk_a", 200), ("aud", 200),
                                         ("m3", 200)])
def test_documents_follow_the_nominations_access(app, api, nominate, walk, who, status):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    write_tally(app, nid)
    assert api.as_(who).get(f"/nominations/{nid}/decision.pdf").status_code == status
    assert api.as_(who).get(f"/nominations/{nid}/tally.pdf").status_code == status


def test_documents_need_a_token(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    assert api.as_(None).get(f"/nominations/{nid}/decision.pdf").status_code == 401


# -- the electronic signature -------------------------------------------------------------------


def test_a_wrong_password_signs_nothing_and_counts_as_a_failed_attempt(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    with app.app_context():
        before = snapshot()
    response = api.as_("chair").post(f"/tasks/{task}/complete",
                                     json={"decision": "approve", "comment": "", "password": "wrong horse"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"password"}
    with app.app_context():
        after = snapshot()
        changed = {name for name in before if before[name] != after[name]}
        assert changed == {"sign_in_counter", "audit_event", "audit_head"}
        assert failures() == {("account", "chair"): 1, ("pair", "chair"): 1, ("source", "127.0.0.1"): 1}
        [event] = db.session.execute(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")).scalars()
        assert event.actor == "chair" and "wrong horse" not in json.dumps(event.details)
    assert api.as_("chair").get(f"/nominations/{nid}").get_json()["status"] == "signing"


def test_a_missing_password_is_a_field_error_and_no_attempt(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    response = api.as_("chair").post(f"/tasks/{task}/complete", json={"decision": "approve"})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"password"}
    with app.app_context():
        assert failures() == {}


def test_repeated_wrong_passwords_throttle_the_signer(app, api, nominate, walk):
    nid = to_signing(api, nominate, walk)
    task = api.as_("chair").task(nid, "sign_decision")
    for _ in range(3):
        assert api.as_("chair").post(f"/tasks/{task}/complete",
                                     json={"decision": "approve", "password": "guess"}).status_code == 422
    right = api.as_("chair").post(f"/tasks/{task}/complete", json={"decision": "approve", "password": PASSWORD})
    assert right.status_code == 429 and right.headers["Retry-After"] == "1"
    assert right.get_json()["error"]["code"] == "sign_in.throttled"
    assert api.as_("chair").get(f"/nominations/{nid}").get_json()["decision"] is None


def test_the_password_is_never_stored_nor_logged(app, api, nominate, walk, caplog):
    caplog.set_level(logging.DEBUG)
    approved, refused = to_signing(api, nominate, walk), to_signing(api, nominate, walk, name="Trần Thị Bình")
    sign(api, approved)
    sign(api, refused, decision="reject", comment="Chưa đủ thành tích.")
    with app.app_context():
        rows = snapshot()
        holders = {name for name, table_rows in rows.items()
                   if any(PASSWORD in value for row in table_rows for value in row)}
        assert holders == set()
        meanings = db.session.execute(select(Signature.meaning, Signature.content_sha256)
                                      .order_by(Signature.id)).all()
        assert [m for m, _ in meanings] == ["approved", "refused"] and meanings[1][1] == ""
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    assert PASSWORD not in logged


# -- reference data ---------------------------------------------------------------------------------


def test_seeds_are_idempotent_and_keep_administrators_edits(app):
    with app.app_context():
        award = reference.award_type("CSTDTQ")
        assert award.reward_coefficient == 4.5 and reference.award_type("COTDCP").reward_coefficient == 12.0
        award.reward_coefficient = 5.0
        db.session.get(Setting, "base_salary").value = 2_500_000
        db.session.commit()
        assert reference.load_reference_data()["settings"] == 0
        assert reference.award_type("CSTDTQ").reward_coefficient == 5.0
        assert db.session.get(Setting, "base_salary").value == 2_500_000
        assert db.session.get(Setting, "revocation_frees_initiative").value == ["criteria_unmet"]
        assert all(a.reward_coefficient > 0 for a in db.session.execute(select(AwardType)).scalars())


def test_reward_is_coefficient_times_base_salary_in_whole_dong():
    assert decisions.reward(4.5, 2_340_000) == 10_530_000
    assert decisions.reward(0.3, 2_340_000) == 702_000
    assert decisions.reward(0.8, 2_340_001) == 1_872_001  # 1,872,000.8 rounds to the nearest đồng


def test_a_batch_checks_the_password_once_and_passes_on_only_a_proof(app, api, nominate, walk):
    nids = [to_signing(api, nominate, walk), to_signing(api, nominate, walk, name="Trần Thị Bình")]
    tasks_ = {api.as_("chair").task(nid, "sign_decision"): {"decision": "approve"} for nid in nids}
    with app.app_context():
        chair = accounts.find_user("chair")
        with pytest.raises(InvalidData) as refused:
            batches.sign_decisions(chair, tasks_, "wrong horse")
        assert set(refused.value.fields) == {"password"}
        assert failures() == {("account", "chair"): 1, ("pair", "chair"): 1, ("source", "local"): 1}
        # A proof made for someone else covers nobody else.
        proof = accounts.confirm_password(accounts.find_user("m1"), PASSWORD, purpose="test")
        assert not proof.covers(chair) and proof.covers(accounts.find_user("m1"))
        outcomes = batches.sign_decisions(chair, tasks_, PASSWORD)
        assert all(o.ok for o in outcomes)
        assert db.session.execute(select(Signature.meaning)).scalars().all() == ["approved", "approved"]
