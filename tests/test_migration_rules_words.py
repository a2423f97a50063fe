"""Revision 0005_rules_words gives the shipped rules their Vietnamese citations; others keep theirs."""

import json
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from workflows.db import db

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
NOW = datetime(2026, 1, 1)

rule_set = sa.table("rule_set", *(sa.column(c) for c in ("id", "code", "title", "legal_basis", "effective_from",
                                                         "created_at")))
eligibility_rule = sa.table("eligibility_rule", sa.column("id"), sa.column("rule_set_id"), sa.column("award_code"),
                            sa.column("position"), sa.column("kind"), sa.column("params", sa.JSON()),
                            sa.column("legal_basis"))
regulation = sa.table("council_regulation", *(sa.column(c) for c in (
    "id", "code", "title", "legal_basis", "effective_from", "created_at", "rounding")))
vote_rule = sa.table("vote_rule", *(sa.column(c) for c in (
    "id", "regulation_id", "position", "article", "quorum", "threshold", "base", "legal_basis")))


def load_as_before(connection) -> None:
    """The reference rules as init-db loaded them before they had Vietnamese, and a set an administrator wrote."""
    data = json.loads((REFERENCE / "rule_sets.json").read_text(encoding="utf-8"))
    spec = next(s for s in data["rule_sets"] if s["code"] == "TDKT-2025")
    connection.execute(rule_set.insert().values(id=1, code="TDKT-2025", title=spec["title"],
                                                legal_basis=spec["legal_basis"], effective_from=date(2025, 7, 1),
                                                created_at=NOW))
    for position, rule in enumerate(data["common_rules"]):
        params = {k: v for k, v in rule["params"].items() if k != "what_vi"}
        basis = rule["basis"].format(**spec) if position != 1 else "Edited by an administrator"
        connection.execute(eligibility_rule.insert().values(
            id=position + 1, rule_set_id=1, award_code=rule["award"], position=position, kind=rule["kind"],
            params=params, legal_basis=basis))
    connection.execute(rule_set.insert().values(id=2, code="TDKT-OWN", title="Own", legal_basis="Own basis",
                                                effective_from=date(2026, 1, 1), created_at=NOW))
    connection.execute(eligibility_rule.insert().values(
        id=100, rule_set_id=2, award_code="LDTT", position=0, kind="no_open_hold", params={},
        legal_basis="Law 06/2022/QH15, Art. 24"))
    shipped = json.loads((REFERENCE / "council_regulations.json").read_text(encoding="utf-8"))["regulations"][0]
    connection.execute(regulation.insert().values(id=1, code=shipped["code"], title=shipped["title"],
                                                  legal_basis=shipped["legal_basis"], rounding="up",
                                                  effective_from=date(2024, 1, 1), created_at=NOW))
    for position, article in enumerate(shipped["rules"]):
        connection.execute(vote_rule.insert().values(
            id=position + 1, regulation_id=1, position=position, article=article["article"],
            quorum=article["quorum"], threshold=article["threshold"], base=article["base"],
            legal_basis=article["legal_basis"]))


def test_the_shipped_rules_get_their_vietnamese_and_the_others_keep_what_they_had(empty_app):
    folder = empty_app.extensions["migrate"].directory
    with empty_app.app_context():
        upgrade(directory=folder, revision="0004_web")
        with db.engine.begin() as connection:
            load_as_before(connection)
        upgrade(directory=folder)
        with db.engine.connect() as connection:
            sets = {row.code: row for row in connection.execute(sa.text(
                "SELECT code, title_vi, legal_basis_vi FROM rule_set"))}
            rules = {row.id: row for row in connection.execute(sa.text(
                "SELECT id, kind, params, legal_basis_vi FROM eligibility_rule"))}
            articles = {row.article: row.legal_basis_vi for row in connection.execute(sa.text(
                "SELECT article, legal_basis_vi FROM vote_rule"))}
            regulations = connection.execute(sa.text("SELECT title_vi FROM council_regulation")).scalars().all()
        assert sets["TDKT-2025"].title_vi == "Tiêu chí khen thưởng theo Nghị định số 152/2025/NĐ-CP"
        assert sets["TDKT-2025"].legal_basis_vi.startswith("Luật Thi đua, khen thưởng số 06/2022/QH15")
        assert rules[1].legal_basis_vi == "Nghị định số 152/2025/NĐ-CP, Điều 4"
        assert rules[2].legal_basis_vi == ""  # no longer the shipped rule: left as the administrator wrote it
        assert rules[3].legal_basis_vi.endswith("Thông tư số 01/2024/TT-BNV, Điều 1 khoản 5 điểm d")
        judged = next(row for row in rules.values() if row.kind == "confirmed_by_people")
        params = judged.params if isinstance(judged.params, dict) else json.loads(judged.params)
        assert params["what_vi"] == "thành tích trong các phong trào thi đua của đơn vị"
        assert (sets["TDKT-OWN"].title_vi, rules[100].legal_basis_vi) == ("", "")
        assert articles["grassroots"] == "Quy chế làm việc của Hội đồng, Điều 8 khoản 1"
        assert regulations == ["Quy chế làm việc của Hội đồng Thi đua – Khen thưởng Khối"]

        downgrade(directory=folder, revision="0004_web")
        assert "legal_basis_vi" not in {c["name"] for c in inspect(db.engine).get_columns("eligibility_rule")}
        assert "title_vi" not in {c["name"] for c in inspect(db.engine).get_columns("rule_set")}
