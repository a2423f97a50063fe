"""The registry's commands and its demo data."""

from sqlalchemy import func, select

from tests import registry_files as files
from workflows.db import db
from workflows.demo.registry import GAP, HELD, STREAK, SeededRegistry, seed_registry
from workflows.models import Assessment, AwardRecord, Collective, DisciplineRecord, Person, ReviewHold


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_import_and_export_from_the_command_line(app, tmp_path):
    source = tmp_path / "registry.xlsx"
    source.write_bytes(files.workbook())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["registry", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "persons: 3 added, 0 changed, 0 unchanged." in result.output
    out = tmp_path / "people.csv"
    result = runner.invoke(args=["registry", "export", "--kind", "persons", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0 and "Wrote 3 row(s)" in result.output
    assert "Nguyễn Thị Ánh Tuyết" in out.read_bytes().decode("utf-8-sig")
    again = runner.invoke(args=["registry", "import", str(out), "--kind", "persons"])
    assert "persons: 0 added, 0 changed, 3 unchanged." in again.output


def test_a_bad_file_prints_one_line_per_error_and_exits_1(app, tmp_path):
    source = tmp_path / "assessments.csv"
    source.write_bytes(files.csv_file(["person", "year", "grade"], [["X1", 2024, "HTNV"], ["X2", 20, "OK"]]))
    result = app.test_cli_runner().invoke(args=["registry", "import", str(source)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("assessments.csv")]
    assert lines == ["assessments.csv, row 2, column person: Unknown person X1.",
                     "assessments.csv, row 3, column year: 20 is not a plausible year (1945–2100).",
                     "assessments.csv, row 3, column grade: “OK” is not a grade; use one of "
                     "HTXSNV, HTTNV, HTNV, KHTNV.",
                     "assessments.csv, row 3, column person: Unknown person X2."]
    assert "nothing was imported" in result.output
    with app.app_context():
        assert count(Assessment) == 0


def test_demo_registry_is_complete_and_idempotent(app):
    with app.app_context():
        assert seed_registry().hold_placed
        totals = [count(m) for m in (Collective, Person, Assessment, AwardRecord, DisciplineRecord, ReviewHold)]
        assert totals[:2] == [4, 20] and totals[2] == 20 * 4 + 4 * 4 and totals[4:] == [1, 1]
        assert seed_registry() == SeededRegistry(0, False)
        assert [count(m) for m in (Collective, Person, Assessment, AwardRecord, DisciplineRecord, ReviewHold)] == \
            totals

        def fighter_years(code):
            return sorted(db.session.execute(select(AwardRecord.year).join(Person, AwardRecord.person_id == Person.id)
                                             .where(Person.code == code, AwardRecord.award_code == "CSTDCS"))
                          .scalars())
        assert fighter_years(GAP) == [2024, 2026]
        assert fighter_years(STREAK) == [2024, 2025, 2026]
        hold = db.session.execute(select(ReviewHold)).scalar_one()
        assert hold.lifted_at is None and db.session.get(Person, hold.person_id).code == HELD
        disciplined = db.session.execute(select(DisciplineRecord)).scalar_one()
        assert disciplined.level == "warning"
        assert db.session.get(Person, disciplined.person_id).collective.code == "BTCTW-CB"
