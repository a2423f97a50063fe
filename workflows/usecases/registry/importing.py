"""Import a spreadsheet into the registry: check every row first, then write all or nothing.

People and collectives are matched by their code; history rows by their natural key (an
assessment by subject and year, an award by subject, award and year, an initiative by subject,
title and year, a discipline record by person, year and level): a row that matches updates
the stored one, any other row is added. On any error nothing is written and the caller gets
every error found, each with the row and column as the spreadsheet shows them.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from workflows.db import db
from workflows.errors import InvalidData, Reason
from workflows.models import AwardType, Collective, Person, Unit
from workflows.services import audit
from workflows.services.registry import access, columns
from workflows.services.registry.bounds import SheetLimits
from workflows.services.registry.columns import COLUMNS, KINDS
from workflows.services.registry.history import natural_key
from workflows.services.registry.sheets import Table, read_tables
from workflows.services.registry.sheets import read_upload as _read_upload
from workflows.services.registry.writing import CHUNK, ImportResult, Writer
from workflows.services.transactions import use_case

MAX_REPORTED = 1000  # past this many errors, the first ones are enough to act on


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str | None
    reason: Reason


class ImportRejected(InvalidData):
    """The file has errors; ``rows`` lists them (at most MAX_REPORTED) and nothing was imported."""

    def __init__(self, errors: list[RowError], total: int):
        super().__init__("import.rejected", count=total, listed=len(errors),
                         fields={"file": Reason("import.row_errors", count=total)})
        self.rows = errors
        self.total = total


@use_case
def import_file(actor, data: bytes, filename: str, kind: str | None = None,
                limits: SheetLimits | None = None) -> ImportResult:
    """Import a CSV or XLSX file (already read within the upload limit) as ``actor``, within ``limits``."""
    scope = access.change_scope(actor)
    if kind is not None and kind not in KINDS:
        raise InvalidData("import.unknown_kind", kind=str(kind),
                          fields={"kind": Reason("field.choose_one", choices=list(KINDS))})
    tables = _choose(read_tables(data, filename, limits), kind)
    check = _Check(scope)
    for table in tables:
        check.parse(table)
    check.resolve()
    if check.errors:
        # In the order the user reads the file: sheet by sheet, row by row.
        sheets_order = {table.label: i for i, table in enumerate(tables)}
        errors = sorted(check.errors, key=lambda e: (sheets_order.get(e.sheet, -1), e.row))
        raise ImportRejected(errors[:MAX_REPORTED], len(errors))
    result = Writer(check).write()
    audit.record("registry_imported", actor=actor, details={
        "filename": filename, "sha256": hashlib.sha256(data).hexdigest(), "counts": result.as_dict()})
    db.session.commit()
    return result


def _choose(tables: list[Table], kind: str | None) -> list[Table]:
    if kind is not None:
        chosen = [t for t in tables if t.kind == kind] or tables[:1]
        for table in chosen:
            table.kind = kind
        return chosen
    for table in tables:
        table.kind = table.kind or columns.guess_kind(table.headers)
    return tables


# -- checking ----------------------------------------------------------------------------------

@dataclass
class _Row:
    number: int
    sheet: str
    values: dict  # model attribute -> value
    subject: tuple[str, str] | None = None  # ("person" | "collective", code) for history rows
    labels: dict = field(default_factory=dict)  # column name -> header as written in the file


class _Check:
    """Parses every table, then checks every reference against the file and the database."""

    def __init__(self, scope: access.Scope):
        self.scope = scope
        self.errors: list[RowError] = []
        self.rows: dict[str, list[_Row]] = {}
        self.units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
        self.unit_codes = {v: k for k, v in self.units.items()}
        self.award_kinds = dict(db.session.execute(select(AwardType.code, AwardType.kind)).all())

    def fail(self, row: _Row | None, sheet: str, number: int, column: str | None, code: str, /, **params) -> None:
        self.refuse(row, sheet, number, column, Reason(code, **params))

    def refuse(self, row: _Row | None, sheet: str, number: int, column: str | None, reason: Reason) -> None:
        label = row.labels.get(column, column) if row is not None and column else column
        self.errors.append(RowError(sheet, number, label, reason))

    # Parsing: each cell on its own.

    def parse(self, table: Table) -> None:
        if table.kind is None:
            self.fail(None, table.label, 1, None, "import.sheet_kind_unknown", kinds=list(KINDS))
            return
        if table.kind in self.rows:
            self.fail(None, table.label, 1, None, "import.second_sheet", kind=table.kind)
            return
        positions = self._headers(table)
        if positions is None:
            return
        labels = {name: table.headers[i].strip() for name, i in positions.items()}
        parsed = self.rows.setdefault(table.kind, [])
        for number, cells in table.rows:
            raw = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
            if all(v is None or str(v).strip() == "" for v in raw.values()):
                continue
            row = _Row(number, table.label, {}, labels=labels)
            self._parse_row(table.kind, row, raw)
            parsed.append(row)

    def _headers(self, table: Table) -> dict[str, int] | None:
        index, positions, ok = columns.header_index(table.kind), {}, True
        for i, header in enumerate(table.headers):
            if not str(header or "").strip():
                continue  # trailing empty columns are common in spreadsheets
            name = index.get(columns.normal(header).casefold())
            if name is None:
                self.fail(None, table.label, 1, header, "import.unknown_column", kind=table.kind,
                          expected=[c.name for c in COLUMNS[table.kind]])
                ok = False
            elif name in positions:
                self.fail(None, table.label, 1, header, "import.column_twice")
                ok = False
            else:
                positions[name] = i
        for column in COLUMNS[table.kind]:
            if column.required and column.name not in positions:
                self.fail(None, table.label, 1, column.name, "import.column_missing", column=column.name,
                          heading_vi=column.heading_vi)
                ok = False
        return positions if ok else None

    def _parse_row(self, kind: str, row: _Row, raw: dict) -> None:
        values, errors = columns.parse(kind, raw)
        row.subject = values.pop("subject", None)
        row.values = values
        for column, reason in errors.items():
            self.refuse(row, row.sheet, row.number, column, reason)

    # Resolving: references between rows, and to what is stored.

    def resolve(self) -> None:
        self.collectives = self._stored(Collective, self._codes("collective"))
        self.people = self._stored(Person, self._codes("person"))
        # Where each subject will belong once the file is in: the file's unit wins over the stored one.
        self.collective_units = {code: row[1] for code, row in self.collectives.items()}
        self.person_units = {code: row[1] for code, row in self.people.items()}
        self._subjects("collectives", self.collectives, self.collective_units)
        self._subjects("persons", self.people, self.person_units)
        for row in self.rows.get("persons", []):
            self._person_collective(row)
        for kind in KINDS[2:]:
            self._history(kind)

    def _codes(self, subject: str) -> set[str]:
        own = "collectives" if subject == "collective" else "persons"
        codes = {r.values["code"] for r in self.rows.get(own, []) if "code" in r.values}
        if subject == "collective":
            codes |= {r.values.get("collective_code") for r in self.rows.get("persons", [])} - {None, ""}
        for kind in KINDS[2:]:
            codes |= {r.subject[1] for r in self.rows.get(kind, []) if r.subject and r.subject[0] == subject}
        return codes

    def _stored(self, model, codes: set[str]) -> dict[str, tuple]:
        """code -> the stored row's columns, for the codes the file names."""
        wanted = [model.id, model.unit_id] + (
            [model.name] if model is Collective else
            [model.full_name, model.collective_id, model.position, model.recruited_on])
        found, ordered = {}, sorted(codes)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            for row in db.session.execute(select(model.code, *wanted).where(model.code.in_(chunk))):
                found[row[0]] = tuple(row[1:])
        return found

    def _subjects(self, kind: str, stored: dict, units: dict) -> None:
        seen: dict[str, int] = {}
        for row in self.rows.get(kind, []):
            code, unit_code = row.values.get("code"), row.values.get("unit_code")
            if code is None:
                continue
            if code in seen:
                self.fail(row, row.sheet, row.number, "code", "import.code_twice", code=code, row=seen[code])
                continue
            seen[code] = row.number
            if code in stored and not self.scope.covers(stored[code][1]):
                self.fail(row, row.sheet, row.number, "code", "import.other_units_record", code=code)
                continue
            if unit_code is None:
                continue
            unit_id = self.units.get(unit_code)
            if unit_id is None:
                self.fail(row, row.sheet, row.number, "unit", "unit.not_found", code=unit_code)
            elif not self.scope.covers(unit_id):
                self.fail(row, row.sheet, row.number, "unit", "import.only_own_unit", unit=unit_code)
            else:
                row.values["unit_id"] = unit_id
                units[code] = unit_id
            if kind == "persons":
                recruited = row.values.get("recruited_on")
                if recruited is not None and recruited > date.today():
                    self.fail(row, row.sheet, row.number, "recruited_on", "import.recruited_in_future",
                              day=recruited)

    def _person_collective(self, row: _Row) -> None:
        code = row.values.get("collective_code")
        if not code:
            return
        if code not in self.collective_units:
            self.fail(row, row.sheet, row.number, "collective", "import.unknown_subject", subject="collective",
                      code=code)
            return
        unit_id = row.values.get("unit_id")
        if unit_id is not None and self.collective_units[code] != unit_id:
            other = self.unit_codes.get(self.collective_units[code], "?")
            self.fail(row, row.sheet, row.number, "collective", "import.collective_of_other_unit", code=code,
                      unit=other, expected=self.unit_codes[unit_id])

    def _history(self, kind: str) -> None:
        seen: dict[tuple, int] = {}
        for row in self.rows.get(kind, []):
            if row.subject is None:
                continue
            subject, code = row.subject
            units = self.person_units if subject == "person" else self.collective_units
            column = subject
            if code not in units:
                self.fail(row, row.sheet, row.number, column, "import.unknown_subject", subject=subject, code=code)
                continue
            if not self.scope.covers(units[code]):
                self.fail(row, row.sheet, row.number, column, "import.other_units_record", code=code)
                continue
            if kind == "awards" and "award_code" in row.values:
                award = row.values["award_code"]
                award_kind = self.award_kinds.get(award)
                if award_kind is None:
                    self.fail(row, row.sheet, row.number, "award", "award_type.unknown", code=award)
                    continue
                expected = "person" if award_kind == "individual" else "collective"
                if subject != expected:
                    self.fail(row, row.sheet, row.number, "award", "award_type.for_kind_only", award=award,
                              nominee_kind=award_kind)
                    continue
            key = natural_key(kind, row.subject, row.values)
            if key is None:
                continue  # a key column already failed to parse
            if key in seen:
                self.fail(row, row.sheet, row.number, None, "import.same_as_row", row=seen[key])
            else:
                seen[key] = row.number


def read_upload(stream, limit: int) -> bytes:
    """An uploaded file's bytes, refused past ``limit`` without reading on."""
    return _read_upload(stream, limit)
