"""The rules pages: everyone who applies the rules reads them; administrators publish new versions."""

import json
from datetime import date

from sqlalchemy import select

from workflows.db import db
from workflows.models import CouncilRegulation, CouncilSeat, RuleSet


def test_officials_read_the_rules_in_force_with_their_legal_basis(browser):
    page = browser("clerk_a").get("/rules").get_data(as_text=True)
    assert "TDKT-2025" in page and "TDKT-2024" in page and "QC-HDTDKT-2024" in page
    assert "Law 06/2022/QH15, Art. 22" in page and "consecutive_awards" in page
    assert "70% of the members who voted" in page
    assert "Publish a new version" not in page


def test_the_rules_page_in_vietnamese(browser):
    page = browser("sec", HTTP_ACCEPT_LANGUAGE="vi").get("/rules").get_data(as_text=True)
    assert "Quy chế của Hội đồng" in page and "Bộ tiêu chí xét khen thưởng" in page


def test_only_administrators_reach_the_publishing_forms(browser):
    assert browser("sec").get("/rules/new").status_code == 403
    assert browser("chair").get("/rules/regulations/new").status_code == 403


def test_an_administrator_publishes_a_rule_set_from_the_current_one(app, browser):
    admin = browser("admin")
    form = admin.get("/rules/new").get_data(as_text=True)
    assert "assessment_at_least" in form  # the current rules are offered as the starting point
    rules = [{"award": "LDTT", "kind": "assessment_at_least", "params": {"grade": "HTXSNV"}, "basis": "Art. 24"}]
    data = {"code": "TDKT-2027", "title": "Tiêu chí mới", "legal_basis": "Luật 06/2026/QH16",
            "effective_from": date.today().isoformat()}
    refused = admin.post_form("/rules/new", "/rules/new", {**data, "rules": "[{not json"})
    assert refused.status_code == 422 and "not valid JSON" in refused.get_data(as_text=True)
    bad = admin.post_form("/rules/new", "/rules/new", {**data, "rules": json.dumps([{**rules[0], "kind": "x"}])})
    assert bad.status_code == 422 and "rules[0].kind" in bad.get_data(as_text=True)
    assert bad.get_data(as_text=True).count("Tiêu chí mới") >= 1  # the input is kept
    done = admin.post_form("/rules/new", "/rules/new", {**data, "rules": json.dumps(rules)})
    assert done.status_code == 302
    with app.app_context():
        published = db.session.execute(select(RuleSet).where(RuleSet.code == "TDKT-2027")).scalar_one()
        assert [(r.award_code, r.params) for r in published.rules] == [("LDTT", {"grade": "HTXSNV"})]


def test_an_administrator_publishes_a_regulation_and_seats_members(app, browser):
    admin = browser("admin")
    articles = [{"article": "grassroots", "quorum": 0.5, "threshold": 0.6, "base": "voters", "legal_basis": "Đ. 5"}]
    done = admin.post_form("/rules/regulations/new", "/rules/regulations/new", {
        "code": "QC-2027", "title": "Quy chế sửa đổi", "legal_basis": "Quyết định 3/QĐ-HĐ",
        "effective_from": date.today().isoformat(), "rounding": "nearest", "articles": json.dumps(articles)})
    assert done.status_code == 302
    seated = admin.post_form("/rules", "/rules/seats", {"username": "m1", "position": "standing_vice_chair"})
    assert seated.status_code == 302
    with app.app_context():
        regulation = db.session.execute(
            select(CouncilRegulation).where(CouncilRegulation.code == "QC-2027")).scalar_one()
        assert regulation.rounding == "nearest" and regulation.rules[0].threshold == 0.6
        assert db.session.execute(select(CouncilSeat.position)).scalar_one() == "standing_vice_chair"
    assert "Standing vice-chair" in browser("m2").get("/rules").get_data(as_text=True)


def test_a_seat_form_without_csrf_is_refused(browser):
    response = browser("admin").client.post("/rules/seats", data={"username": "m1", "position": "member"})
    assert response.status_code == 400
