"""A CSTDBO nominee one year short of the chain: every official along the path sees the finding,
and the council still decides (it flags; people decide)."""

from sqlalchemy import select

from tests.conftest import register
from workflows.db import db
from workflows.models import Assessment, AwardRecord, Initiative, Person

GAP = "needs CSTDCS in 2024, 2025, 2026; found 2024, 2026"


def a_fighter_with_a_gap(app) -> str:
    code = register(app, "VPTW", "Vũ Thị Khoảng")
    with app.app_context():
        person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
        db.session.execute(select(Assessment).where(Assessment.person_id == person.id)).scalar_one().grade = "HTXSNV"
        db.session.add_all([AwardRecord(person_id=person.id, award_code="CSTDCS", year=y, decision_ref=f"{y}/QĐ")
                            for y in (2024, 2026)])
        db.session.add(Initiative(person_id=person.id, title="Số hoá hồ sơ thi đua", level="agency", year=2025))
        db.session.commit()
    return code


def test_cstdbo_with_one_year_missing_shows_the_finding_to_everyone_and_the_council_still_decides(
        app, api, browser, walk):
    code = a_fighter_with_a_gap(app)
    response = api.as_("clerk_a").post("/nominations", json={
        "award_type": "CSTDBO", "year": 2026, "summary": "Ba năm liền hoàn thành xuất sắc nhiệm vụ.",
        "nominee": {"kind": "individual", "name": "Vũ Thị Khoảng", "code": code}})
    assert response.status_code == 201, response.get_json()
    nid = response.get_json()["id"]
    assert response.get_json()["nominee"]["code"] == code

    def finding_seen_by(who: str) -> dict:
        found = {f["rule"]: f for f in api.as_(who).get(f"/nominations/{nid}").get_json()["findings"]}
        return found["consecutive_awards"]

    def page_of(who: str, path: str) -> str:
        return browser(who).get(path).get_data(as_text=True)

    walk(nid, "check_dossier")
    finding = finding_seen_by("sec")
    assert finding["met"] is False and finding["message"] == GAP
    assert finding["basis"] == "Law 06/2022/QH15, Art. 22"
    assert GAP in page_of("sec", f"/tasks/{api.as_('sec').task(nid, 'check_dossier')}")
    # The initiative with agency-wide influence is there and not yet used: that finding is met.
    initiative = {f["rule"]: f for f in api.as_("sec").get(f"/nominations/{nid}").get_json()["findings"]}[
        "unused_initiatives"]
    assert initiative["met"] is True and len(initiative["initiative_ids"]) == 1

    api.as_("sec").complete(nid, "check_dossier", {"decision": "accept", "comment": "Đủ hồ sơ; xem kết quả rà soát."})
    assert finding_seen_by("rev") == finding
    task = api.as_("rev").task(nid, "appraise")
    assert api.as_("rev").post(f"/tasks/{task}/claim").status_code == 200
    assert GAP in page_of("rev", f"/tasks/{task}")
    api.as_("rev").complete(nid, "appraise", {"recommendation": "approve",
                                              "comment": "Thiếu năm 2025 nhưng thành tích nổi bật."})

    for member in ("m1", "m2", "m3", "m4", "chair"):
        assert finding_seen_by(member) == finding
        assert GAP in page_of(member, "/ballot")
        api.as_(member).complete(nid, "vote", {"vote": "yes"})

    assert finding_seen_by("chair") == finding
    assert GAP in page_of("chair", "/signing")
    signed = api.as_("chair").complete(nid, "sign_decision", {"decision": "approve", "comment": "Đồng ý."})
    assert signed["status"] == "awarded"

    trail = api.as_("aud").get(f"/nominations/{nid}/audit").get_json()
    [checked] = [e for e in trail if e["action"] == "eligibility_checked"]
    assert GAP in [f["message"] for f in checked["details"]["findings"]]
    [tally] = [e for e in trail if e["action"] == "tally"]
    assert tally["details"]["tally_result"]["article"] == "emulation_fighter"
    assert tally["details"]["tally_result"]["needed_yes"] == 5
