"""Publishing rules: every value is judged where it stands, the Vietnamese citations are kept with the English."""

from datetime import date

import pytest
from sqlalchemy import select

from workflows.db import db
from workflows.errors import InvalidData
from workflows.models import Nomination, RuleSet
from workflows.services.eligibility import problems
from workflows.usecases import accounts, rulebook

TODAY = date.today().isoformat()
GOOD = {"award": "LDTT", "kind": "assessment_at_least", "params": {"grade": "HTTNV"}, "basis": "Law, Art. 24",
        "basis_vi": "Luật, Điều 24"}
AWARDS, UNITS = {"LDTT", "CSTDCS"}, {"VPTW"}


@pytest.mark.parametrize("check, where, code", [
    ({"kind": "consecutive_awards", "params": {"award": "CSTDCS", "years": "3"}}, "kind", "rule.bad_number"),
    ({"kind": "consecutive_awards", "params": {"award": "CSTDCS", "years": 0}}, "kind", "rule.bad_number"),
    ({"kind": "consecutive_awards", "params": {"award": "NOPE", "years": 3}}, "kind", "rule.unknown_award"),
    ({"kind": "awards_in_window", "params": {"award": "LDTT", "count": True, "years": 3}}, "kind",
     "rule.bad_number"),
    ({"kind": "members_with_award", "params": {"award": "LDTT", "share": 1.5}}, "kind", "rule.bad_share"),
    ({"kind": "quota", "params": {"of_award": "LDTT", "max_share": "15%"}}, "kind", "rule.bad_share"),
    ({"kind": "quota", "params": {"of_award": "LDTT", "max_share": 0.15, "units": ["HANOI"]}}, "kind",
     "rule.unknown_units"),
    ({"kind": "quota", "params": {"of_award": "LDTT", "max_share": 0.15, "units": "VPTW"}}, "kind", "rule.bad_units"),
    ({"kind": "confirmed_by_people", "params": {"what": "x", "what_vi": " "}}, "kind", "rule.text_needed"),
    ({"kind": "recruited_before_year_end", "params": {"months": 6.5}}, "kind", "rule.bad_months"),
    ({"kind": "any_of", "params": {"checks": []}}, "kind", "rule.checks_needed"),
    ({"kind": "any_of", "params": {"checks": [{"kind": "no_open_hold"}, {"kind": "award_in_year",
                                                                          "params": {"award": "X"}}]}},
     "params.checks[1].kind", "rule.unknown_award"),
    ({"kind": "any_of", "params": {"checks": [{"kind": "all_of", "params": {"checks": [
        {"kind": "any_of", "params": {"checks": [{"kind": "all_of", "params": {"checks": [
            {"kind": "no_open_hold"}]}}]}}]}}]}},
     "params.checks[0].params.checks[0].params.checks[0].kind", "rule.too_deep"),
])
def test_each_value_of_a_check_is_judged_at_its_place(check, where, code):
    found = problems(check, awards=AWARDS, units=UNITS)
    assert {name: reason.code for name, reason in found.items()} == {where: code}


def test_every_problem_of_a_rule_set_is_named_at_once_and_nothing_is_published(app):
    with app.app_context():
        admin = accounts.find_user("admin")
        rules = [GOOD, {**GOOD, "basis_vi": ""},
                 {**GOOD, "kind": "any_of", "params": {"checks": [{"kind": "assessment_at_least",
                                                                    "params": {"grade": "BEST"}},
                                                                   {"kind": "telepathy"}]}}]
        with pytest.raises(InvalidData) as refused:
            rulebook.publish_rule_set(admin, code="TDKT-X", title="t", title_vi=" ", legal_basis="b",
                                      legal_basis_vi="c", effective_from="2020-01-01", rules=rules)
        assert {name: reason.code for name, reason in refused.value.fields.items()} == {
            "title_vi": "field.required", "effective_from": "version.not_after_latest",
            "rules[1].basis_vi": "rule.basis_vi_needed", "rules[2].params.checks[0].kind": "rule.bad_value",
            "rules[2].params.checks[1].kind": "rule.unknown_kind"}
        assert [s.code for s in db.session.execute(select(RuleSet)).scalars()] == ["TDKT-2024", "TDKT-2025"]


def test_the_vietnamese_citations_are_kept_and_carried_into_the_findings(app, api, nominate, walk):
    with app.app_context():
        rulebook.publish_rule_set(accounts.find_user("admin"), code="TDKT-VI", title="Criteria",
                                  title_vi="Tiêu chí", legal_basis="Decree 9/2026/NĐ-CP",
                                  legal_basis_vi="Nghị định số 9/2026/NĐ-CP", effective_from=TODAY, rules=[GOOD])
    nid = nominate()
    walk(nid, "check_dossier")
    with app.app_context():
        published = db.session.execute(select(RuleSet).where(RuleSet.code == "TDKT-VI")).scalar_one()
        assert (published.title_vi, published.legal_basis_vi, published.rules[0].legal_basis_vi) == (
            "Tiêu chí", "Nghị định số 9/2026/NĐ-CP", "Luật, Điều 24")
        findings = {f["rule"]: f for f in db.session.get(Nomination, nid).findings}
    assert findings["assessment_at_least"]["basis_vi"] == "Luật, Điều 24"
    assert findings["dossier_complete"]["basis_vi"] == "Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 84"
    one = api.as_("aud").get("/rule-sets/TDKT-VI").get_json()
    assert one["title_vi"] == "Tiêu chí" and one["rules"][0]["basis_vi"] == "Luật, Điều 24"


def test_the_api_refuses_a_blank_vietnamese_basis_but_not_a_missing_one(api):
    body = {"code": "TDKT-2027", "title": "New", "legal_basis": "Law", "effective_from": TODAY,
            "rules": [{**GOOD, "basis_vi": "  "}]}
    refused = api.as_("admin").post("/rule-sets", json=body)
    assert refused.status_code == 422 and refused.get_json()["error"]["field_codes"] == {
        "rules[0].basis_vi": "rule.basis_vi_needed"}
    without = {**GOOD}
    del without["basis_vi"]
    assert api.as_("admin").post("/rule-sets", json={**body, "rules": [without]}).status_code == 201
