"""Importing the registry from spreadsheets: all rows or none, with a report the user can act on."""

import pytest
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select

from tests import registry_files as files
from tests.conftest import snapshot
from webapp import vocabulary
from workflows.db import db
from workflows.errors import InvalidData, NotAllowed, TooLarge
from workflows.models import Assessment, AuditEvent, AwardRecord, Collective, DisciplineRecord, Initiative, Person
from workflows.services.registry.access import OPERATOR
from workflows.services.registry.sheets import read_upload
from workflows.usecases import accounts
from workflows.usecases.registry import exporting, importing


def user(name):
    return accounts.find_user(name)


def load_everything():
    return importing.import_file(user("sec"), files.workbook(), "registry.xlsx")


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_workbook_with_every_kind_imports_in_one_go(app):
    with app.app_context():
        result = load_everything()
        assert result.as_dict()["persons"] == {"created": 3, "updated": 0, "unchanged": 0}
        assert [count(m) for m in (Collective, Person, Assessment, AwardRecord, Initiative, DisciplineRecord)] == \
            [2, 3, 4, 2, 1, 1]
        person = db.session.execute(select(Person).where(Person.code == "A002")).scalar_one()
        assert person.full_name == "Trần Đức Lương" and person.recruited_on.isoformat() == "2009-08-15"
        member = db.session.execute(select(Person).where(Person.code == "A001")).scalar_one()
        assert member.collective.code == "VPTW-TH"
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "registry_imported")).scalar_one()
        assert event.actor == "sec" and event.details["counts"]["assessments"]["created"] == 4


@pytest.mark.parametrize("delimiter, bom", [(",", False), (",", True), (";", True), (";", False)])
def test_csv_with_or_without_bom_and_with_semicolons(app, delimiter, bom):
    with app.app_context():
        importing.import_file(user("sec"), files.csv_file(*files.COLLECTIVES, delimiter=delimiter, bom=bom),
                              "collectives.csv")
        data = files.csv_file(*files.PERSONS, delimiter=delimiter, bom=bom)
        result = importing.import_file(user("sec"), data, "export.csv", kind="persons")
        assert result.counts["persons"].created == 3
        names = set(db.session.execute(select(Person.full_name)).scalars())
        assert "Nguyễn Thị Ánh Tuyết" in names and "Lê Hoàng Yến" in names


def test_vietnamese_headers_and_values_are_understood(app):
    with app.app_context():
        load_everything()
        header = ["Mã cá nhân", "Năm", "Hình thức kỷ luật", "Số quyết định"]
        data = files.csv_file(header, [["A001", "2022", "Cảnh cáo", "3/QĐ"]], bom=True, delimiter=";")
        result = importing.import_file(user("sec"), data, "ky-luat.csv")  # the kind is told by the headers
        assert result.counts["discipline"].created == 1
        row = db.session.execute(select(DisciplineRecord).where(DisciplineRecord.year == 2022)).scalar_one()
        assert row.level == "warning"


def test_decomposed_accents_from_a_mac_are_stored_composed(app):
    import unicodedata
    with app.app_context():
        load_everything()
        name = unicodedata.normalize("NFD", "Phạm Thị Hường")
        importing.import_file(user("sec"), files.csv_file(files.PERSONS_HEADER, [["A009", name, "VPTW", "", "",
                                                                                   ""]]), "persons.csv")
        stored = db.session.execute(select(Person.full_name).where(Person.code == "A009")).scalar_one()
        assert stored == unicodedata.normalize("NFC", "Phạm Thị Hường")


def bad_rows(data, filename="persons.csv", kind=None, actor="sec"):
    before = snapshot()
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.import_file(user(actor), data, filename, kind)
    assert snapshot() == before, "a refused import changed the database"
    with current_app.test_request_context(), force_locale("en"):  # as an English reader sees the report
        return [(r.row, r.column, vocabulary.refusal_words(r.reason)) for r in rejected.value.rows]


def test_every_bad_row_is_reported_and_nothing_is_imported(app):
    with app.app_context():
        load_everything()
        rows = [
            ["P1", "Đỗ Văn Một", "VPTW", "", "", "2020-01-01"],
            ["P2", "Đỗ Văn Hai", "NOPE", "", "", ""],
            ["P1", "Đỗ Văn Ba", "VPTW", "", "", ""],
            ["P4", "Đỗ Văn Bốn", "VPTW", "NO-SUCH", "", ""],
            ["P5", "Đỗ Văn Năm", "VPTW", "", "", "31/02/2020"],
            ["P6", "Đỗ Văn Sáu", "VPTW", "", "", "2999-01-01"],
            ["P7", "Đỗ Văn Bảy", "VPTW", "BTCTW-CS", "", ""],
            ["P8", "", "VPTW", "", "", ""],
        ]
        report = bad_rows(files.csv_file(files.PERSONS_HEADER, rows, bom=True))
        assert sorted((r, c) for r, c, _ in report) == [
            (3, "unit"), (4, "code"), (5, "collective"), (6, "recruited_on"), (7, "recruited_on"),
            (8, "collective"), (9, "full_name")]
        messages = {row: message for row, _, message in report}
        assert "No unit with code NOPE" in messages[3]
        assert "row 2" in messages[4]
        assert "Unknown collective NO-SUCH" in messages[5]
        assert "not a date" in messages[6]
        assert "future" in messages[7]
        assert "belongs to unit BTCTW" in messages[8]
        assert "required" in messages[9]


def test_history_errors_name_the_row_and_column(app):
    with app.app_context():
        load_everything()
        rows = [
            ["A001", "", "CSTDCS", 2025, "1/QĐ"],  # fine
            ["A001", "", "NOAWARD", 2025, ""],
            ["A001", "", "TTLDXS", 2025, ""],  # a collective's award for a person
            ["", "VPTW-TH", "LDTT", 2025, ""],  # a person's award for a collective
            ["Z999", "", "LDTT", 2025, ""],
            ["A001", "VPTW-TH", "LDTT", 2025, ""],
            ["A001", "", "CSTDCS", 2025, "again"],
            ["A001", "", "LDTT", "năm ngoái", ""],
        ]
        report = bad_rows(files.csv_file(files.AWARDS[0], rows), "awards.csv")
        assert sorted(row for row, _, _ in report) == [3, 4, 5, 6, 7, 8, 9]
        messages = {row: (column, message) for row, column, message in report}
        assert messages[3] == ("award", "Unknown award type NOAWARD.")
        assert "individuals" not in messages[4][1] and "collectives" in messages[4][1]
        assert "individuals" in messages[5][1]
        assert messages[6] == ("person", "Unknown person Z999.")
        assert messages[8][1] == "The same record as row 2."
        assert messages[9][0] == "year"


def test_unknown_grades_levels_and_columns(app):
    with app.app_context():
        load_everything()
        report = bad_rows(files.csv_file(["person", "year", "grade"], [["A001", 2023, "TOT"]]), "assessments.csv")
        assert report == [(2, "grade", "“TOT” is not a grade; use one of HTXSNV, HTTNV, HTNV, KHTNV.")]
        report = bad_rows(files.csv_file(["person", "year", "grade", "note"], [["A001", 2023, "HTNV", ""]]),
                          "assessments.csv")
        assert report[0][:2] == (1, "note")
        report = bad_rows(files.csv_file(["person", "grade"], [["A001", "HTNV"]]), "assessments.csv")
        assert report[0][:2] == (1, "year")


def test_a_sheet_of_unknown_kind_is_refused(app):
    with app.app_context():
        report = bad_rows(files.csv_file(["a", "b"], [["1", "2"]]), "data.csv")
        assert report[0][0] == 1 and "Cannot tell" in report[0][2]


def test_an_xlsx_row_number_is_the_one_the_spreadsheet_shows(app):
    with app.app_context():
        load_everything()
        header, rows = files.ASSESSMENTS
        data = files.xlsx_file({"assessments": (header, rows + [["A002", "", 2025, "BAD"]])})
        assert bad_rows(data, "a.xlsx")[0][:2] == (6, "grade")


def test_reimport_updates_changed_rows_and_counts_the_rest(app):
    with app.app_context():
        load_everything()
        header, rows = files.PERSONS
        changed = [list(r) for r in rows]
        changed[1][4] = "Vụ trưởng"
        result = importing.import_file(user("sec"), files.csv_file(header, changed), "persons.csv")
        assert result.counts["persons"].as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
        grades = files.csv_file(["person", "year", "grade"], [["A001", 2025, "HTXSNV"], ["A001", 2026, "HTNV"]])
        result = importing.import_file(user("sec"), grades, "assessments.csv")
        assert result.counts["assessments"].as_dict() == {"created": 1, "updated": 1, "unchanged": 0}
        assert count(Assessment) == 5


def test_round_trip_csv_and_xlsx_change_nothing(app):
    with app.app_context():
        load_everything()
        before = snapshot()
        for kind in ("collectives", "persons", "assessments", "awards", "initiatives", "discipline"):
            made = exporting.export(user("sec"), kind=kind, file_format="csv")
            assert made.data.startswith(b"\xef\xbb\xbf")
            result = importing.import_file(user("sec"), made.data, made.filename)
            assert result.counts[kind].created == 0 and result.counts[kind].updated == 0, kind
        workbook = exporting.export(user("sec"), kind="all", file_format="xlsx")
        result = importing.import_file(user("sec"), workbook.data, workbook.filename)
        assert all(c.created == c.updated == 0 for c in result.counts.values())
        assert result.rows == 13
        after = snapshot()
        ignored = {"audit_event", "audit_head"}  # the imports and exports themselves are on the trail
        assert {k: v for k, v in before.items() if k not in ignored} == \
            {k: v for k, v in after.items() if k not in ignored}
        assert "Nguyễn Thị Ánh Tuyết".encode() in exporting.export(user("sec"), kind="persons",
                                                                    file_format="csv").data


def test_a_unit_clerk_imports_only_their_own_units_people(app):
    with app.app_context():
        load_everything()
        header, rows = files.PERSONS
        own = [r for r in rows if r[2] == "VPTW"]
        result = importing.import_file(user("clerk_a"), files.csv_file(header, own), "persons.csv")
        assert result.counts["persons"].unchanged == 2
        report = bad_rows(files.csv_file(header, rows), "persons.csv", actor="clerk_a")
        assert [r for r, _, _ in report] == [4]
        moved = [["B001", "Lê Hoàng Yến", "VPTW", "", "", ""]]
        assert "another unit" in bad_rows(files.csv_file(header, moved), actor="clerk_a")[0][2]
        history = files.csv_file(["person", "year", "grade"], [["B001", 2020, "HTNV"]])
        assert "another unit" in bad_rows(history, "assessments.csv", actor="clerk_a")[0][2]


@pytest.mark.parametrize("name", ["head_a", "aud", "rev", "m1", "chair"])
def test_roles_that_may_not_import(app, name):
    with app.app_context():
        before = snapshot()
        with pytest.raises(NotAllowed):
            importing.import_file(user(name), files.workbook(), "registry.xlsx")
        assert snapshot() == before


def test_content_that_is_neither_csv_nor_xlsx(app):
    with app.app_context():
        for data, name in ((b"%PDF-1.4 \x00\x01binary", "persons.csv"), (b"PK\x03\x04broken zip", "p.xlsx"),
                           (b"not a workbook", "p.xlsx"), ("code,tên\n".encode("latin-1"), "persons.csv"),
                           (b"", "x.csv")):
            with pytest.raises(InvalidData):
                importing.import_file(user("sec"), data, name)


def test_upload_is_read_no_further_than_the_limit():
    import io
    with pytest.raises(TooLarge):
        read_upload(io.BytesIO(b"x" * 1001), 1000)
    assert read_upload(io.BytesIO(b"x" * 1000), 1000) == b"x" * 1000


def test_the_command_line_operator_imports_bloc_wide(app):
    with app.app_context():
        assert importing.import_file(OPERATOR, files.workbook(), "r.xlsx").counts["persons"].created == 3
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "registry_imported")).scalar_one()
        assert event.actor == "system"


def test_5500_people_import_quickly_and_a_few_bad_rows_stop_all(app):
    import time
    with app.app_context():
        rows = [[f"P{i:05d}", f"Nguyễn Văn Thử {i}", "VPTW" if i % 2 else "BTCTW", "", "Chuyên viên", "2015-06-01"]
                for i in range(5500)]
        started = time.perf_counter()
        result = importing.import_file(user("sec"), files.csv_file(files.PERSONS_HEADER, rows, bom=True), "p.csv")
        assert time.perf_counter() - started < 30
        assert result.counts["persons"].created == 5500
        grades = [[f"P{i:05d}", y, "HTTNV"] for i in range(5500) for y in (2024, 2025)]
        grades[777][2], grades[4321][0] = "XX", "NOBODY"
        report = bad_rows(files.csv_file(["person", "year", "grade"], grades), "assessments.csv")
        assert [r for r, _, _ in report] == [779, 4323]
        assert count(Assessment) == 0


def test_the_documented_example_imports(app):
    with app.app_context():
        load_everything()
        data = ("Mã;Họ và tên;Đơn vị;Mã tập thể;Chức vụ;Ngày tuyển dụng\r\n"
                "VP003;Lê Quang Huy;VPTW;VPTW-TH;Chuyên viên chính;01/07/2012\r\n"
                "VP004;Phạm Thị Ngọc Ánh;VPTW;VPTW-TH;Chuyên viên;2016-10-01\r\n").encode("utf-8-sig")
        assert importing.import_file(user("clerk_a"), data, "persons.csv").counts["persons"].created == 2
        huy = db.session.execute(select(Person).where(Person.code == "VP003")).scalar_one()
        assert huy.recruited_on.isoformat() == "2012-07-01" and huy.collective.code == "VPTW-TH"


def test_formulas_are_refused_so_an_export_never_carries_one(app):
    with app.app_context():
        rows = [["P1", '=HYPERLINK("http://evil.example","x")', "VPTW", "", "", ""],
                ["P2", "Nguyễn Văn Hai", "VPTW", "", "@SUM(A1)", ""]]
        report = bad_rows(files.csv_file(files.PERSONS_HEADER, rows))
        assert [(r, c) for r, c, _ in report] == [(2, "full_name"), (3, "position")]
