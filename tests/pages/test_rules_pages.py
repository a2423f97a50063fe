"""The rules pages: everyone who applies the rules reads them; administrators publish new versions."""

from datetime import date

from sqlalchemy import select

from workflows.db import db
from workflows.models import CouncilRegulation, CouncilSeat, RuleSet


def test_officials_read_the_rules_in_force_with_their_legal_basis(browser):
    page = browser("clerk_a").get("/rules").get_data(as_text=True)
    assert "TDKT-2025" in page and "TDKT-2024" in page and "QC-HDTDKT-2024" in page
    assert "Law 06/2022/QH15, Art. 22" in page and "Holds Grassroots Emulation Fighter 3 years in a row" in page
    assert "70% of the members who voted" in page and "consecutive_awards" not in page
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
    assert 'value="assessment_at_least" selected' in form  # the current rules are offered as the starting point
    data = {"code": "TDKT-2027", "title": "New criteria", "title_vi": "Tiêu chí mới", "legal_basis": "Law 06/2026/QH16",
            "legal_basis_vi": "Luật 06/2026/QH16", "effective_from": date.today().isoformat(), "publish": "1",
            "rule-0-for": "LDTT", "rule-0-kind": "assessment_at_least", "rule-0-grade": "HTXSNV",
            "rule-0-basis": "Art. 24", "rule-0-basis_vi": "Điều 24"}
    bad = admin.post_form("/rules/new", "/rules/new", {**data, "rule-0-kind": "x"})
    assert bad.status_code == 422 and "Unknown kind of check: x." in bad.get_data(as_text=True)
    assert bad.get_data(as_text=True).count("Tiêu chí mới") >= 1  # the input is kept
    done = admin.post_form("/rules/new", "/rules/new", data)
    assert done.status_code == 302
    with app.app_context():
        published = db.session.execute(select(RuleSet).where(RuleSet.code == "TDKT-2027")).scalar_one()
        assert [(r.award_code, r.params) for r in published.rules] == [("LDTT", {"grade": "HTXSNV"})]


def test_an_administrator_publishes_a_regulation_and_seats_members(app, browser):
    admin = browser("admin")
    done = admin.post_form("/rules/regulations/new", "/rules/regulations/new", {
        "code": "QC-2027", "title": "Amended regulation", "title_vi": "Quy chế sửa đổi",
        "legal_basis": "Decision 3/QĐ-HĐ", "legal_basis_vi": "Quyết định 3/QĐ-HĐ",
        "effective_from": date.today().isoformat(), "rounding": "nearest", "publish": "1",
        "article-0-article": "grassroots", "article-0-quorum": "50", "article-0-threshold": "60",
        "article-0-base": "voters", "article-0-legal_basis": "Art. 5", "article-0-legal_basis_vi": "Điều 5"})
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
