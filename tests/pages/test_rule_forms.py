"""Administrators publish rules in forms with a field per value: rows per rule, groups as sub-rows.

The forms work without scripts: adding and removing rows submits the form and shows it again. The
domain judges what is published; its refusals come back next to the row and field they name.
"""

import re
from datetime import date
from html import unescape

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from tests.pages.html_form import form_fields, replaced
from workflows.db import db
from workflows.models import CouncilRegulation, RuleSet

TODAY = date.today().isoformat()
VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}
HEADER = {"code": "TDKT-2027", "effective_from": TODAY, "title": "Criteria under Decree 1/2027/NĐ-CP",
          "title_vi": "Tiêu chí theo Nghị định số 1/2027/NĐ-CP", "legal_basis": "Decree 1/2027/NĐ-CP",
          "legal_basis_vi": "Nghị định số 1/2027/NĐ-CP"}


def page(response) -> str:
    return unescape(response.get_data(as_text=True))


def token(admin, path="/rules/new") -> str:
    return dict(form_fields(admin.get(path).get_data(as_text=True)))["csrf_token"]


def post(admin, path, fields, **pressed):
    """Submit the fields with one button pressed (``publish="1"``, ``remove="1.0"``...)."""
    return admin.client.post(path, data=MultiDict([*fields, *pressed.items()]))


def new_rules(admin, rows: dict, **header) -> list[tuple[str, str]]:
    """A form typed from scratch: its header, and ``rows`` as {field name: value or list of values}."""
    fields = [("csrf_token", token(admin)), *{**HEADER, **header}.items()]
    for name, value in rows.items():
        fields += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return fields


def rule_sets() -> list[tuple[str, object]]:
    return [(s.code, s.effective_to) for s in db.session.execute(select(RuleSet).order_by(RuleSet.id)).scalars()]


SEVERAL_KINDS = {
    "rule-0-for": "LDTT", "rule-0-kind": "assessment_at_least", "rule-0-grade": "HTXSNV",
    "rule-0-basis": "Law 06/2022/QH15, Art. 24", "rule-0-basis_vi": "Luật Thi đua, khen thưởng, Điều 24",
    "rule-1-for": "CSTDCS", "rule-1-kind": "any_of", "rule-1-basis": "Law 06/2022/QH15, Art. 23",
    "rule-1-basis_vi": "Luật Thi đua, khen thưởng, Điều 23",
    "rule-1.0-kind": "assessment_at_least", "rule-1.0-grade": "HTXSNV",
    "rule-1.1-kind": "all_of",
    "rule-1.1.0-kind": "unused_initiatives", "rule-1.1.0-count": "2", "rule-1.1.0-level": "agency",
    "rule-1.1.0-years": "3",
    "rule-1.1.1-kind": "consecutive_assessments", "rule-1.1.1-grade": "HTTNV", "rule-1.1.1-years": "5",
    "rule-1.1.1-after_award": "BKBAN",
    "rule-2-for": "TTLDTT", "rule-2-kind": "members_with_award", "rule-2-award": "LDTT", "rule-2-share": "70",
    "rule-2-basis": "Law 06/2022/QH15, Art. 28", "rule-2-basis_vi": "Luật Thi đua, khen thưởng, Điều 28",
    "rule-3-for": "CSTDCS", "rule-3-kind": "quota", "rule-3-of_award": "LDTT", "rule-3-max_share": "12,5",
    "rule-3-units": ["VPTW", "BTCTW"], "rule-3-basis": "Bloc agreement", "rule-3-basis_vi": "Giao ước thi đua",
    "rule-4-for": "GIAYKHEN", "rule-4-kind": "confirmed_by_people", "rule-4-what": "achievements of the year",
    "rule-4-what_vi": "thành tích trong năm", "rule-4-basis": "Law 06/2022/QH15, Art. 75",
    "rule-4-basis_vi": "Luật Thi đua, khen thưởng, Điều 75",
    # values typed for another kind are left out of the rule
    "rule-0-years": "9",
}


def test_the_form_starts_from_the_rules_in_force_as_fields_not_json(app, browser):
    html = page(browser("admin").get("/rules/new"))
    fields = dict(form_fields(html))
    with app.app_context():
        in_force = db.session.execute(select(RuleSet).where(RuleSet.code == "TDKT-2025")).scalar_one()
        count = len(in_force.rules)
    assert len([name for name in fields if re.fullmatch(r"rule-\d+-kind", name)]) == count
    assert (fields["rule-1-for"], fields["rule-1-kind"], fields["rule-1-grade"]) == (
        "LDTT", "assessment_at_least", "HTTNV")
    quota = next(k for k, v in fields.items() if v == "quota").split("-")[1]
    assert fields[f"rule-{quota}-max_share"] == "15" and fields[f"rule-{quota}-of_award"] == "LDTT"
    group = next(k for k, v in fields.items() if v == "any_of" and re.fullmatch(r"rule-\d+-kind", k)).split("-")[1]
    assert fields[f"rule-{group}.0-kind"] == "assessment_at_least" and fields[f"rule-{group}.1-count"] == "1"
    assert fields["rule-0-basis_vi"] == "Nghị định số 152/2025/NĐ-CP, Điều 4"
    assert "<textarea" not in html and '{"' not in html  # no JSON to edit
    assert '<option value="HTTNV" selected>“completed tasks well” (HTTNV)</option>' in html
    assert "rules.js" in html


def test_publishing_the_form_unchanged_but_for_its_code_keeps_every_rule(app, browser):
    admin = browser("admin")
    fields = replaced(form_fields(admin.get("/rules/new").get_data(as_text=True)), code="TDKT-2027")
    assert post(admin, "/rules/new", fields, publish="1").status_code == 302
    with app.app_context():
        sets = {s.code: s for s in db.session.execute(select(RuleSet)).scalars()}
        before, after = sets["TDKT-2025"], sets["TDKT-2027"]
        assert [(r.award_code, r.kind, r.params, r.legal_basis, r.legal_basis_vi) for r in after.rules] == [
            (r.award_code, r.kind, r.params, r.legal_basis, r.legal_basis_vi) for r in before.rules]
        assert (after.title_vi, after.legal_basis_vi) == (before.title_vi, before.legal_basis_vi)


def test_a_rule_set_of_several_kinds_with_nested_groups_is_published_from_the_form(app, browser):
    admin = browser("admin")
    response = post(admin, "/rules/new", new_rules(admin, SEVERAL_KINDS), publish="1")
    assert response.status_code == 302, page(response)[:3000]
    with app.app_context():
        published = db.session.execute(select(RuleSet).where(RuleSet.code == "TDKT-2027")).scalar_one()
        rules = [(r.award_code, r.kind, r.params, r.legal_basis_vi) for r in published.rules]
        assert published.title_vi == HEADER["title_vi"] and published.legal_basis_vi == HEADER["legal_basis_vi"]
    assert rules == [
        ("LDTT", "assessment_at_least", {"grade": "HTXSNV"}, "Luật Thi đua, khen thưởng, Điều 24"),
        ("CSTDCS", "any_of", {"checks": [
            {"kind": "assessment_at_least", "params": {"grade": "HTXSNV"}},
            {"kind": "all_of", "params": {"checks": [
                {"kind": "unused_initiatives", "params": {"count": 2, "level": "agency", "years": 3}},
                {"kind": "consecutive_assessments", "params": {"grade": "HTTNV", "years": 5,
                                                               "after_award": "BKBAN"}}]}}]},
         "Luật Thi đua, khen thưởng, Điều 23"),
        ("TTLDTT", "members_with_award", {"award": "LDTT", "share": 0.7}, "Luật Thi đua, khen thưởng, Điều 28"),
        ("CSTDCS", "quota", {"of_award": "LDTT", "max_share": 0.125, "units": ["VPTW", "BTCTW"]}, "Giao ước thi đua"),
        ("GIAYKHEN", "confirmed_by_people", {"what": "achievements of the year", "what_vi": "thành tích trong năm"},
         "Luật Thi đua, khen thưởng, Điều 75"),
    ]
    shown = page(browser("sec", **VI).get("/rules"))
    assert "Có ít nhất 70% số thành viên đạt Lao động tiên tiến trong năm" in shown
    assert "Do Thường trực và Hội đồng xem xét: thành tích trong năm" in shown
    assert "chỉ áp dụng với Văn phòng Trung ương Đảng, Ban Tổ chức Trung ương" in shown


def test_refusals_are_shown_at_their_row_and_field_and_nothing_is_published(app, browser):
    admin = browser("admin")
    rows = {**SEVERAL_KINDS, "rule-1.1.0-years": "three", "rule-0-basis_vi": " ", "rule-2-share": "170",
            "rule-3-of_award": ""}
    with app.app_context():
        before = rule_sets()
    response = post(admin, "/rules/new", new_rules(admin, rows, title_vi=""), publish="1")
    html = page(response)
    assert response.status_code == 422
    nested = html[html.index('id="rule-1.1.0"'):html.index('id="rule-1.1.1"')]
    assert 'id="rule-1.1.0-years-error">Give a whole number between 1 and 50.' in nested
    assert 'value="three"' in nested  # what was typed is kept
    assert 'id="rule-0-basis_vi-error">Give the legal basis in Vietnamese too.' in html
    assert 'id="rule-2-share-error">Give a share above 0 and at most 100 per cent.' in html
    assert 'id="rule-3-of_award-error">The check “Quota within the unit” needs: Share of the holders of.' in html
    assert 'id="title_vi-error"' in html
    summary = html[html.index('id="form-problems"'):html.index("</div>", html.index('id="form-problems"'))]
    assert "The rule set cannot be published." in summary
    for where in ('<a href="#rule-1.1.0">Rule 2, condition 2.1</a>', '<a href="#rule-0">Rule 1</a>',
                  '<a href="#rule-2">Rule 3</a>', '<a href="#rule-3">Rule 4</a>', '<a href="#title_vi">'):
        assert where in summary, where
    with app.app_context():
        assert rule_sets() == before


def test_refusals_on_the_form_are_in_vietnamese(browser):
    admin = browser("admin", **VI)
    response = post(admin, "/rules/new", new_rules(admin, {**SEVERAL_KINDS, "rule-0-basis_vi": ""}), publish="1")
    assert response.status_code == 422
    assert 'id="rule-0-basis_vi-error">Hãy ghi cả căn cứ pháp lý bằng tiếng Việt.' in page(response)


def test_rows_are_added_and_removed_by_submitting_the_form_and_nothing_is_published(app, browser):
    admin = browser("admin")
    with app.app_context():
        before = rule_sets()
    fields = new_rules(admin, SEVERAL_KINDS)

    added = page(post(admin, "/rules/new", fields, add_rule="1"))
    assert 'id="rule-5"' in added and 'id="rule-6"' not in added
    in_group = page(post(admin, "/rules/new", fields, add_check="1.1"))
    assert 'id="rule-1.1.2"' in in_group and 'id="rule-1.1.0"' in in_group
    removed = form_fields(page(post(admin, "/rules/new", fields, remove="1.1")))
    assert dict(removed)["rule-2-kind"] == "members_with_award" and "rule-1.1.0-kind" not in dict(removed)
    assert {name.rsplit("-", 1)[0] for name, _ in removed if name.startswith("rule-1.")} == {"rule-1.0"}
    renumbered = dict(form_fields(page(post(admin, "/rules/new", fields, remove="0"))))
    assert renumbered["rule-0-kind"] == "any_of" and renumbered["rule-0.1.0-count"] == "2"
    assert renumbered["rule-3-what_vi"] == "thành tích trong năm" and "rule-4-kind" not in renumbered

    # A kind changed to a group gets a first condition to fill in when the form is shown again.
    grouped = page(post(admin, "/rules/new", replaced(fields, **{"rule-0-kind": "all_of"}), refresh="1"))
    assert 'id="rule-0.0"' in grouped
    with app.app_context():
        assert rule_sets() == before


def test_hostile_rows_are_refused_without_an_error_page(app, browser):
    admin = browser("admin")
    rows = {"rule-0-for": "LDTT", "rule-0-kind": "telepathy", "rule-0-basis": "b", "rule-0-basis_vi": "c",
            "rule-99999-kind": "", "rule-1.2.3.4.5.6-kind": "any_of", "rule-x-kind": "any_of",
            "rule-2-for": "<script>", "rule-2-kind": "any_of", "rule-2-basis": "b", "rule-2-basis_vi": "c",
            "rule-2.0-kind": "any_of", "rule-2.0.0-kind": "any_of", "rule-2.0.0.0-kind": "any_of"}
    response = post(admin, "/rules/new", new_rules(admin, rows), publish="1")
    html = page(response)
    assert response.status_code == 422 and "Unknown kind of check: telepathy." in html
    assert "Groups may hold groups, 4 levels deep at most." in html
    assert "Unknown award type &lt;script&gt;" in response.get_data(as_text=True)
    assert not re.search(r'id="rule-(99999|x|1\.2)', html)
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(RuleSet)).scalar_one() == 2


def test_the_regulation_is_published_from_a_row_per_article(app, browser):
    admin = browser("admin")
    html = admin.get("/rules/regulations/new").get_data(as_text=True)
    fields = dict(form_fields(html))
    assert (fields["article-2-article"], fields["article-2-threshold"], fields["article-2-base"]) == (
        "agency", "70", "voters")
    assert fields["article-0-quorum"] == "66.66666667" and fields["rounding"] == "up"
    assert fields["article-0-legal_basis_vi"] == "Quy chế làm việc của Hội đồng, Điều 8 khoản 2"
    changed = replaced(form_fields(html), code="QC-2027", rounding="nearest", **{"article-3-threshold": "60,5"})
    assert post(admin, "/rules/regulations/new", changed, publish="1").status_code == 302
    with app.app_context():
        published = db.session.execute(
            select(CouncilRegulation).where(CouncilRegulation.code == "QC-2027")).scalar_one()
        articles = {r.article: r for r in published.rules}
        assert published.rounding == "nearest" and articles["grassroots"].threshold == 0.605
        assert articles["state"].quorum == 0.6666666667 and articles["state"].threshold == 0.9
        assert articles["agency"].legal_basis_vi == "Quy chế làm việc của Hội đồng, Điều 8 khoản 1"


def test_the_regulation_form_sets_the_awards_without_a_vote_and_written_ballots(app, browser):
    admin = browser("admin", HTTP_ACCEPT_LANGUAGE="vi")
    html = admin.get("/rules/regulations/new").get_data(as_text=True)
    assert "Thành viên vắng mặt tại phiên họp được gửi phiếu bầu bằng văn bản" in html
    fields = form_fields(html)
    # The version in force: Advanced Worker and Advanced Labour Collective without a vote, written ballots on.
    assert ("without_vote", "LDTT") in fields and ("without_vote", "TTLDTT") in fields
    assert ("written_ballots", "y") in fields
    changed = [(n, v) for n, v in replaced(fields, code="QC-2027")
               if (n, v) not in {("without_vote", "TTLDTT"), ("written_ballots", "y")}]
    assert post(admin, "/rules/regulations/new", changed, publish="1").status_code == 302
    with app.app_context():
        published = db.session.execute(
            select(CouncilRegulation).where(CouncilRegulation.code == "QC-2027")).scalar_one()
        assert published.without_vote == ["LDTT"] and published.written_ballots is False
    shown = admin.get("/rules").get_data(as_text=True)
    assert "Phiếu bầu bằng văn bản của thành viên vắng mặt: không nhận" in shown
    assert "Quyết định không qua bỏ phiếu của Hội đồng trong đợt xét: Lao động tiên tiến" in shown


def test_a_refused_regulation_shows_why_at_the_article_and_changes_nothing(app, browser):
    admin = browser("admin")
    fields = replaced(form_fields(admin.get("/rules/regulations/new").get_data(as_text=True)), code="QC-2027",
                      **{"article-1-threshold": "abc", "article-3-article": "agency", "article-0-legal_basis_vi": ""})
    response = post(admin, "/rules/regulations/new", fields, publish="1")
    html = page(response)
    assert response.status_code == 422
    assert 'id="article-1-threshold-error">Give a share between 0 and 100 per cent.' in html
    assert 'id="article-3-article-error">Given twice.' in html
    assert 'id="article-0-legal_basis_vi-error"' in html
    assert '<a href="#article-1">Article 2</a>' in html
    added = dict(form_fields(page(post(admin, "/rules/regulations/new", fields, add_article="1"))))
    assert "article-4-article" in added
    kept = dict(form_fields(page(post(admin, "/rules/regulations/new", fields, remove="0"))))
    assert kept["article-0-article"] == "state" and "article-3-article" not in kept
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(CouncilRegulation)).scalar_one() == 1


def test_the_script_that_shows_a_kinds_fields_is_served_by_the_app(browser):
    script = browser("admin").get("/static/rules.js")
    assert script.status_code == 200 and "data-kind-select" in script.get_data(as_text=True)
