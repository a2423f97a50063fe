"""Rules as data in force: the versions a nomination and a vote are judged by, holds, tally minutes."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import register
from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, NotAllowed
from workflows.models import Nomination, Person, ReviewHold, RuleSet, TallyRecord
from workflows.usecases import accounts, rulebook

TODAY = date.today()


def findings(api, nid, who="sec"):
    return {f["rule"]: f for f in api.as_(who).get(f"/nominations/{nid}").get_json()["findings"]}


def publish_strict_rules(app, code="TDKT-STRICT"):
    """A rule set from today on under which an advanced worker must be excellent (HTXSNV)."""
    with app.app_context():
        admin = accounts.find_user("admin")
        rulebook.publish_rule_set(admin, code=code, title="Stricter criteria", legal_basis="Decree 999/2026/NĐ-CP",
                                  effective_from=TODAY.isoformat(), rules=[
                                      {"award": "LDTT", "kind": "assessment_at_least", "params": {"grade": "HTXSNV"},
                                       "basis": "Decree 999/2026/NĐ-CP, Art. 3"}])


def test_a_rule_set_replaced_mid_year_leaves_earlier_nominations_on_the_old_rules(app, api, nominate, walk):
    before = nominate(name="Phan Văn Cũ")
    publish_strict_rules(app)
    after = nominate(name="Phan Văn Mới")
    for nid in (before, after):
        walk(nid, "check_dossier")
    old, new = findings(api, before), findings(api, after)
    assert old["assessment_at_least"]["met"] is True and "HTTNV or better" in old["assessment_at_least"]["message"]
    assert new["assessment_at_least"]["met"] is False
    assert new["assessment_at_least"]["message"] == "needs HTXSNV or better in 2026; found HTTNV"
    assert "recruited_before_year_end" in old and "recruited_before_year_end" not in new
    assert api.as_("sec").get(f"/nominations/{before}").get_json()["rule_set"] == "TDKT-2025"
    assert api.as_("sec").get(f"/nominations/{after}").get_json()["rule_set"] == "TDKT-STRICT"
    with app.app_context():
        sets = {s.code: s for s in db.session.execute(select(RuleSet)).scalars()}
        assert sets["TDKT-2025"].effective_to == date.fromordinal(TODAY.toordinal() - 1)
        assert sets["TDKT-STRICT"].effective_to is None


def test_publishing_rules_refuses_bad_data_and_changes_nothing(app):
    with app.app_context():
        admin, sec = accounts.find_user("admin"), accounts.find_user("sec")
        good = {"award": "LDTT", "kind": "assessment_at_least", "params": {"grade": "HTTNV"}, "basis": "Law"}
        with pytest.raises(NotAllowed):
            rulebook.publish_rule_set(sec, code="X", title="t", legal_basis="b", effective_from=TODAY.isoformat(),
                                      rules=[good])
        for rules, field in [
            ([{**good, "kind": "telepathy"}], "rules[0].kind"),
            ([{**good, "award": "NOPE"}], "rules[0].award"),
            ([{**good, "basis": " "}], "rules[0].basis"),
            ([{**good, "params": {"grade": "SUPER"}}], "rules[0].kind"),
            ([], "rules"),
        ]:
            with pytest.raises(InvalidData) as refused:
                rulebook.publish_rule_set(admin, code="X", title="t", legal_basis="b",
                                          effective_from=TODAY.isoformat(), rules=rules)
            assert field in refused.value.fields
        with pytest.raises(InvalidData) as refused:
            rulebook.publish_rule_set(admin, code="X", title="t", legal_basis="b", effective_from="2025-01-01",
                                      rules=[good])
        assert "effective_from" in refused.value.fields
        with pytest.raises(Conflict):
            rulebook.publish_rule_set(admin, code="TDKT-2025", title="t", legal_basis="b",
                                      effective_from=TODAY.isoformat(), rules=[good])
        assert [s.code for s in db.session.execute(select(RuleSet).order_by(RuleSet.id)).scalars()] == [
            "TDKT-2024", "TDKT-2025"]
        assert db.session.execute(select(RuleSet.effective_to).where(RuleSet.code == "TDKT-2025")).scalar_one() \
            is None


def place_hold(app, nid, kind="complaint"):
    with app.app_context():
        nomination = db.session.get(Nomination, nid)
        hold = ReviewHold(person_id=nomination.person_id, kind=kind, reason="A complaint under verification",
                          placed_by_id=accounts.find_user("sec").id)
        db.session.add(hold)
        db.session.commit()
        return hold.id


def test_a_hold_keeps_the_nomination_from_the_vote_until_it_is_lifted(app, api, nominate, walk):
    nid = nominate(name="Hồ Thị Chờ")
    walk(nid, "appraise")
    hold = place_hold(app, nid)
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["on_hold"] is True
    task = api.as_("rev").task(nid, "appraise")
    assert api.as_("rev").post(f"/tasks/{task}/claim").status_code == 200
    refused = api.as_("rev").post(f"/tasks/{task}/complete", json={"recommendation": "approve", "comment": "ok"})
    assert refused.status_code == 409
    assert "on hold (complaint pending)" in refused.get_json()["error"]["message"]
    assert api.as_("rev").get(f"/nominations/{nid}").get_json()["status"] == "appraising"
    with app.app_context():
        lifted = db.session.get(ReviewHold, hold)
        lifted.lifted_at, lifted.lifted_by_id, lifted.lift_reason = utcnow(), accounts.find_user("sec").id, "cleared"
        db.session.commit()
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["on_hold"] is False
    done = api.as_("rev").post(f"/tasks/{task}/complete", json={"recommendation": "approve", "comment": "ok"})
    assert done.status_code == 200 and done.get_json()["status"] == "voting"


def test_a_hold_placed_before_the_check_is_an_unmet_finding(app, api, nominate, walk):
    nid = nominate(name="Hồ Văn Treo")
    place_hold(app, nid, kind="discipline_review")
    walk(nid, "check_dossier")
    found = findings(api, nid)["no_open_hold"]
    assert found["met"] is False and "discipline_review" in found["message"]


def publish_regulation(app, code, threshold):
    with app.app_context():
        rulebook.publish_regulation(
            accounts.find_user("admin"), code=code, title="Amended regulation", legal_basis="Decision 12/QĐ-HĐ",
            effective_from=TODAY.isoformat(), rounding="up", articles=[
                {"article": a, "quorum": 2 / 3, "threshold": threshold, "base": "voters", "legal_basis": "Art. 9"}
                for a in ("grassroots", "agency", "state", "emulation_fighter")])


def test_the_tally_applies_the_regulation_in_force_when_the_vote_opened(app, api, nominate, walk):
    opened_before = nominate(name="Lý Văn Trước")
    walk(opened_before, "vote")
    publish_regulation(app, "QC-2026-UNANIMOUS", threshold=1.0)
    opened_after = nominate(name="Lý Văn Sau")
    walk(opened_after, "vote")
    for nid in (opened_before, opened_after):
        for task in api.as_("sec").get(f"/nominations/{nid}").get_json()["open_tasks"]:
            api.as_(task["assignee"]).complete(nid, "vote", {"vote": "no" if task["assignee"] == "m4" else "yes"})
    # 4 of 5 is 80 %: enough under the 70 % of the old regulation, not under the new unanimity.
    assert api.as_("sec").get(f"/nominations/{opened_before}").get_json()["status"] == "signing"
    assert api.as_("sec").get(f"/nominations/{opened_after}").get_json()["status"] == "not_approved"
    with app.app_context():
        old, new = db.session.get(TallyRecord, opened_before), db.session.get(TallyRecord, opened_after)
        assert (old.regulation_code, old.rule["threshold"], old.passed) == ("QC-HDTDKT-2024", 0.7, True)
        assert (new.regulation_code, new.rule["threshold"], new.passed) == ("QC-2026-UNANIMOUS", 1.0, False)
    trail = api.as_("aud").get(f"/nominations/{opened_after}/audit").get_json()
    [tally] = [e for e in trail if e["action"] == "tally"]
    assert tally["details"]["tally_result"]["regulation"] == "QC-2026-UNANIMOUS"


def test_the_tally_minutes_list_members_voters_counts_rule_and_result_never_choices(app, api, nominate, walk):
    nid = nominate(name="Trịnh Thị Biên", username="m1")  # the nominee sits on the council
    walk(nid, "vote")
    for task in api.as_("sec").get(f"/nominations/{nid}").get_json()["open_tasks"]:
        api.as_(task["assignee"]).complete(nid, "vote", {"vote": "yes" if task["assignee"] != "m2" else "no"})
    with app.app_context():
        minutes = db.session.get(TallyRecord, nid)
        assert minutes.members == ["Chair", "M2", "M3", "M4"]  # m1 is not entitled to vote on themself
        assert minutes.voters == minutes.members
        assert (minutes.yes, minutes.no, minutes.needed_voters, minutes.needed_yes) == (3, 1, 3, 3)
        assert minutes.quorum_met and minutes.passed
        assert minutes.rule["article"] == "grassroots" and minutes.rule["base"] == "voters"
        assert minutes.regulation_code == "QC-HDTDKT-2024" and minutes.opened_at is not None
        assert "m2" not in repr(minutes.rule) and "no" not in minutes.voters


def test_a_regulation_with_a_bad_article_is_refused(app):
    with app.app_context():
        admin = accounts.find_user("admin")
        for article, field in [({"article": "x", "quorum": 1.5, "threshold": 0.5, "base": "voters"},
                                "articles[0].quorum"),
                               ({"article": "x", "quorum": 0.5, "threshold": 0.5, "base": "all"}, "articles[0].base"),
                               ({"article": "x"}, "articles[0]")]:
            with pytest.raises(InvalidData) as refused:
                rulebook.publish_regulation(admin, code="Q", title="t", legal_basis="b",
                                            effective_from=TODAY.isoformat(), rounding="up", articles=[article])
            assert field in refused.value.fields


def test_a_vote_under_a_regulation_without_the_article_stops_with_a_clear_error(app, api, nominate, walk):
    with app.app_context():
        rulebook.publish_regulation(
            accounts.find_user("admin"), code="QC-INCOMPLETE", title="t", legal_basis="b",
            effective_from=TODAY.isoformat(), rounding="up",
            articles=[{"article": "state", "quorum": 0.5, "threshold": 0.5, "base": "voters"}])
    nid = nominate(name="Mai Văn Thiếu")
    walk(nid, "vote")
    tasks = api.as_("sec").get(f"/nominations/{nid}").get_json()["open_tasks"]
    for task in tasks[:-1]:
        api.as_(task["assignee"]).complete(nid, "vote", {"vote": "yes"})
    last = tasks[-1]["assignee"]
    response = api.as_(last).post(f"/tasks/{api.as_(last).task(nid, 'vote')}/complete", json={"vote": "yes"})
    assert response.status_code >= 400
    error = response.get_json()["error"]
    assert response.status_code == 409 and error["code"] == "council.article_missing"
    assert error["params"]["article"] == "grassroots" and "has no article grassroots" in error["message"]
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["status"] == "voting"


def test_a_nominee_from_the_registry_of_another_unit_is_refused(app, api):
    code = register(app, "BTCTW", "Người Đơn Vị Khác")
    response = api.as_("clerk_a").post("/nominations", json={
        "award_type": "LDTT", "nominee": {"kind": "individual", "name": "X", "code": code}, "year": 2026})
    assert response.status_code == 422
    assert "nominee.code" in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.execute(select(Nomination)).first() is None
        assert db.session.execute(select(Person).where(Person.code == code)).scalar_one()


def test_a_collective_is_judged_on_its_members(app, api, nominate, walk):
    nid = nominate(award_type="TTLDTT", name="Phòng Tổng hợp", kind="collective")
    walk(nid, "check_dossier")
    found = findings(api, nid)
    assert found["members_with_award"]["met"] is True
    assert found["members_with_award"]["message"].endswith("found 10 of 10 (100 %)")
    assert found["no_member_discipline"]["met"] is True
    assert "recruited_before_year_end" not in found


def test_the_nomination_page_shows_the_hold_and_the_rule_set(app, api, nominate, walk):
    from tests.pages.conftest import Browser

    nid = nominate(name="Hồ Văn Trang")
    place_hold(app, nid, kind="inspection")
    walk(nid, "check_dossier")
    page = Browser(app).sign_in("sec").get(f"/nominations/{nid}").get_data(as_text=True)
    assert "On hold" in page and "A complaint under verification" in page and "Inspection" in page
    assert "Judged by the rule set TDKT-2025" in page


def test_the_units_quota_counts_holders_and_open_nominations(app, api, nominate, walk):
    from workflows.models import AwardRecord

    holders = [register(app, "VPTW", f"Người Tiên Tiến {i}") for i in range(7)]
    with app.app_context():
        for code in holders:
            person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
            db.session.add(AwardRecord(person_id=person.id, award_code="LDTT", year=2026))
        db.session.commit()
    # 15 % of 7 advanced workers allows one grassroots emulation fighter in the unit.
    first, second = nominate(award_type="CSTDCS", name="Người Tiên Tiến 0"), \
        nominate(award_type="CSTDCS", name="Người Tiên Tiến 1")
    walk(first, "check_dossier")
    walk(second, "check_dossier")
    assert findings(api, second)["quota"]["met"] is False
    assert findings(api, second)["quota"]["message"].endswith("1 allowed; 2 nominated or held")


def test_an_initiative_that_earned_an_award_is_not_grounds_for_another(app, api, nominate, walk):
    from workflows.models import AwardRecord, Initiative

    code = register(app, "VPTW", "Lê Thị Sáng Kiến")
    with app.app_context():
        person = db.session.execute(select(Person).where(Person.code == code)).scalar_one()
        db.session.add(AwardRecord(person_id=person.id, award_code="LDTT", year=2026))
        db.session.add(Initiative(person_id=person.id, title="Phần mềm theo dõi hồ sơ", level="grassroots",
                                  year=2026))
        db.session.commit()
    first = nominate(award_type="CSTDCS", name="Lê Thị Sáng Kiến")
    walk(first, "check_dossier")
    grounds = findings(api, first)["any_of"]
    assert grounds["met"] is True and len(grounds["initiative_ids"]) == 1
    api.as_("sec").complete(first, "check_dossier", {"decision": "accept", "comment": "Đủ."})
    task = api.as_("rev").task(first, "appraise")
    assert api.as_("rev").post(f"/tasks/{task}/claim").status_code == 200
    api.as_("rev").complete(first, "appraise", {"recommendation": "approve", "comment": "Đạt."})
    for member in ("m1", "m2", "m3", "m4", "chair"):
        api.as_(member).complete(first, "vote", {"vote": "yes"})
    assert api.as_("chair").complete(first, "sign_decision", {"decision": "approve", "comment": "Đồng ý."})[
        "status"] == "awarded"
    with app.app_context():
        assert db.session.get(Initiative, grounds["initiative_ids"][0]).used_by_nomination_id == first

    # One title a year: only once the award is revoked (for a reason that does not free the
    # initiative) may the nominee be proposed for it again.
    decision = api.as_("sec").get(f"/nominations/{first}").get_json()["decision"]["id"]
    assert api.as_("admin").post(f"/decisions/{decision}/revoke", json={
        "reason_code": "false_declaration", "reason": "Khai sai thành tích."}).status_code == 200
    second = nominate(award_type="CSTDCS", name="Lê Thị Sáng Kiến")
    walk(second, "check_dossier")
    again = findings(api, second)["any_of"]
    assert again["met"] is False and "initiative_ids" not in again
    assert "found 0 unused, 1 already used" in again["message"]
