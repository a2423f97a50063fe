"""Import of a large registry spreadsheet (5,500 people, three years of assessments each) and
eligibility for all of them.

Run with the rest (``python -m bench``) or on its own (``python -m bench.registry``); on its own
it also takes a database URL (``--database postgresql://...``) to measure PostgreSQL.
"""

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from webapp import create_app
from workflows.db import db
from workflows.models import Assessment, AwardRecord, AwardType, Person, Unit
from workflows.services import eligibility, reference
from workflows.services.registry import sheets
from workflows.services.registry.access import OPERATOR
from workflows.services.registry.columns import COLUMNS
from workflows.usecases.registry import importing

from .report import Line, lines_table
from .world import _instance_path

PEOPLE = 5_500
YEARS = (2023, 2024, 2025)
TARGET_SECONDS = 30.0
ELIGIBILITY_TARGET_SECONDS = 10.0
ELIGIBILITY_AWARDS = ("LDTT", "CSTDCS", "CSTDBO")
BAD_ROWS = (17, 2_750, 5_431)  # data rows (0-based) spoiled in the bad file
POSITIONS = ("Chuyên viên", "Chuyên viên chính", "Phó Vụ trưởng", "Vụ trưởng")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
GIVEN = ("Văn Đức", "Thị Hương", "Minh Tuấn", "Thu Hà", "Quốc Bảo", "Thị Ánh", "Hữu Nghĩa", "Ngọc Lan")
GRADES = ("HTXSNV", "HTTNV", "HTTNV", "HTNV")


@dataclass(frozen=True)
class Figures:
    xlsx_seconds: float
    csv_seconds: float
    unchanged_seconds: float
    bad_seconds: float
    bad_reported: int
    bad_left_nothing: bool
    rows: int
    xlsx_bytes: int
    csv_bytes: int
    eligibility_seconds: dict  # award code -> seconds to judge every imported person
    eligible: dict  # award code -> how many met every rule


def people_rows(prefix: str, units: list[str]) -> list[list]:
    return [[f"{prefix}{i:05d}", f"{FAMILY[i % 10]} {GIVEN[i % 8]} {i}", units[i % len(units)], "",
             POSITIONS[i % 4], f"20{10 + i % 15:02d}-0{1 + i % 9}-1{i % 10}"] for i in range(PEOPLE)]


def assessment_rows(prefix: str) -> list[list]:
    return [[f"{prefix}{i:05d}", "", year, GRADES[(i + year) % 4]] for i in range(PEOPLE) for year in YEARS]


def _header(kind: str) -> list[str]:
    return [c.name for c in COLUMNS[kind]]


def measure() -> Figures:
    """In the current app context, on a database with the reference data."""
    units = sorted(db.session.execute(select(Unit.code)).scalars())
    workbook = sheets.xlsx_bytes({"persons": (_header("persons"), people_rows("X", units)),
                                  "assessments": (_header("assessments"), assessment_rows("X"))})
    xlsx_seconds = _timed(lambda: importing.import_file(OPERATOR, workbook, "people.xlsx"))
    unchanged_seconds = _timed(lambda: importing.import_file(OPERATOR, workbook, "people.xlsx"))

    people_csv = sheets.csv_bytes(_header("persons"), people_rows("C", units))
    grades_csv = sheets.csv_bytes(_header("assessments"), assessment_rows("C"))
    csv_seconds = _timed(lambda: (importing.import_file(OPERATOR, people_csv, "persons.csv"),
                                  importing.import_file(OPERATOR, grades_csv, "assessments.csv")))

    bad = people_rows("B", units)
    bad[BAD_ROWS[0]][2] = "NO-SUCH-UNIT"
    bad[BAD_ROWS[1]][5] = "31/02/2020"
    bad[BAD_ROWS[2]][0] = bad[0][0]
    bad_file = sheets.xlsx_bytes({"persons": (_header("persons"), bad)})
    before = _count(Person), _count(Assessment)
    started = time.perf_counter()
    try:
        importing.import_file(OPERATOR, bad_file, "bad.xlsx")
        reported = 0
    except importing.ImportRejected as rejected:
        reported = rejected.total
    bad_seconds = time.perf_counter() - started
    seconds, eligible = _eligibility_of_everyone()
    return Figures(xlsx_seconds, csv_seconds, unchanged_seconds, bad_seconds, reported,
                   (_count(Person), _count(Assessment)) == before, PEOPLE * (1 + len(YEARS)), len(workbook),
                   len(people_csv) + len(grades_csv), seconds, eligible)


def _eligibility_of_everyone() -> tuple[dict, dict]:
    """The annual round: every person of the spreadsheet judged for each award, records read in bulk."""
    ids = list(db.session.execute(select(Person.id).where(Person.code.like("X%")).order_by(Person.id)).scalars())
    # Awards held, so the chains of titles have something to find: LDTT for three in four people
    # each year, CSTDCS three years running for one in five, with a gap year for one in ten.
    held = [{"person_id": pid, "award_code": "LDTT", "year": year} for i, pid in enumerate(ids) for year in YEARS
            if i % 4] + [{"person_id": pid, "award_code": "CSTDCS", "year": year} for i, pid in enumerate(ids)
                         for year in YEARS if i % 5 == 1 and (i % 10 != 1 or year != YEARS[1])]
    db.session.execute(insert(AwardRecord), held)
    db.session.flush()
    seconds, eligible = {}, {}
    for code in ELIGIBILITY_AWARDS:
        award = db.session.execute(select(AwardType).where(AwardType.code == code)).scalar_one()
        db.session.expire_all()  # nothing cached from the import: as a fresh request would see it
        started = time.perf_counter()
        found = eligibility.evaluate_people(award, YEARS[-1], ids)
        seconds[code] = time.perf_counter() - started
        assert len(found) == PEOPLE
        eligible[code] = sum(all(f["met"] is not False for f in findings) for findings in found.values())
    return seconds, eligible


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def lines(figures: Figures) -> list[Line]:
    what = f"{PEOPLE:,} people + {PEOPLE * len(YEARS):,} assessments"
    target = f"<= {TARGET_SECONDS:.0f} s"
    return [
        Line(f"6. registry import, {what}, XLSX ({figures.xlsx_bytes // 1024:,} KiB)",
             f"{figures.xlsx_seconds:.1f} s", target, figures.xlsx_seconds <= TARGET_SECONDS),
        Line(f"6. registry import, {what}, two CSV files ({figures.csv_bytes // 1024:,} KiB)",
             f"{figures.csv_seconds:.1f} s", target, figures.csv_seconds <= TARGET_SECONDS),
        Line(f"6. registry import, {PEOPLE:,} people with {len(BAD_ROWS)} bad rows: report, nothing imported",
             f"{figures.bad_seconds:.1f} s; {figures.bad_reported} row(s) reported; "
             f"{'nothing' if figures.bad_left_nothing else 'SOMETHING'} imported", target,
             figures.bad_seconds <= TARGET_SECONDS and figures.bad_reported == len(BAD_ROWS)
             and figures.bad_left_nothing),
    ] + [
        Line(f"7. eligibility of all {PEOPLE:,} people for {code} in {YEARS[-1]} ({figures.eligible[code]:,} meet "
             "every rule)", f"{seconds:.2f} s", f"<= {ELIGIBILITY_TARGET_SECONDS:.0f} s",
             seconds <= ELIGIBILITY_TARGET_SECONDS)
        for code, seconds in figures.eligibility_seconds.items()
    ]


def information(figures: Figures) -> list[Line]:
    return [Line("registry re-import of the same XLSX (every row unchanged)", f"{figures.unchanged_seconds:.1f} s")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.registry", description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL of an EMPTY database to use (default: temporary SQLite)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="laurel-bench-registry-") as folder:
        url = options.database or f"sqlite:///{os.path.join(folder, 'bench.sqlite')}"
        with _instance_path(os.path.join(folder, "instance")):  # never the project's own instance folder
            app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                              "UPLOAD_FOLDER": os.path.join(folder, "uploads")})
        with app.app_context():
            db.create_all()
            try:
                reference.load_reference_data()
                figures = measure()
            finally:
                db.session.rollback()
                if options.database:
                    db.drop_all()
            db.engine.dispose()
    print(lines_table(f"Registry import ({url.split(':', 1)[0]})", lines(figures) + information(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
