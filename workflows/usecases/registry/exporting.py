"""Export the registry in the very format the import reads, so an export re-imports unchanged."""

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from workflows.db import db
from workflows.errors import InvalidData, NotFound, Reason
from workflows.models import Collective, Person, Unit
from workflows.services import audit
from workflows.services.registry import access, sheets
from workflows.services.registry.columns import COLUMNS, KINDS
from workflows.services.registry.history import HISTORY
from workflows.services.transactions import use_case

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    data: bytes
    rows: int


@use_case
def export(actor, *, kind: str, file_format: str, unit: str | None = None) -> Export:
    """One kind as CSV or XLSX, or every kind as one workbook (``kind="all"``, XLSX only).

    Unit staff export their own unit only. The trail records who took which records out.
    """
    scope = access.read_scope(actor)
    errors = {}
    if kind not in KINDS and not (kind == "all" and file_format == "xlsx"):
        errors["kind"] = Reason("export.bad_kind", choices=list(KINDS))
    if file_format not in FORMATS:
        errors["format"] = Reason("field.choose_one", choices=list(FORMATS))
    if errors:
        raise InvalidData("export.invalid", fields=errors)
    unit_id = scope.unit_id
    if unit:
        found = db.session.execute(select(Unit.id).where(Unit.code == unit)).scalar_one_or_none()
        if found is None or not scope.covers(found):
            raise NotFound("unit.not_found", code=unit)
        unit_id = found
    kinds = KINDS if kind == "all" else (kind,)
    tables = {k: ([c.name for c in COLUMNS[k]], rows_of(k, unit_id)) for k in kinds}
    count = sum(len(rows) for _, rows in tables.values())
    name = f"{kind}{'-' + unit if unit else ''}.{file_format}"
    if file_format == "csv":
        headers, rows = tables[kind]
        data, media = sheets.csv_bytes(headers, rows), "text/csv; charset=utf-8"
    else:
        data = sheets.xlsx_bytes(tables)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit.record("registry_exported", actor=actor, details={
        "kind": kind, "format": file_format, "unit": unit, "rows": count, "sha256": hashlib.sha256(data).hexdigest()})
    db.session.commit()
    return Export(name, media, data, count)


def rows_of(kind: str, unit_id: int | None) -> list[list]:
    """The kind's rows in the columns' order, values as the import reads them back."""
    if kind == "collectives":
        query = (select(Collective.code, Collective.name, Unit.code).join(Unit, Collective.unit_id == Unit.id)
                 .order_by(Collective.code))
        if unit_id is not None:
            query = query.where(Collective.unit_id == unit_id)
        return [list(row) for row in db.session.execute(query)]
    if kind == "persons":
        query = (select(Person.code, Person.full_name, Unit.code, Collective.code, Person.position,
                        Person.recruited_on)
                 .join(Unit, Person.unit_id == Unit.id).outerjoin(Collective, Person.collective_id == Collective.id)
                 .order_by(Person.code))
        if unit_id is not None:
            query = query.where(Person.unit_id == unit_id)
        return [[code, name, unit, collective or "", position or "", recruited]
                for code, name, unit, collective, position, recruited in db.session.execute(query)]
    return _history_rows(kind, unit_id)


def _history_rows(kind: str, unit_id: int | None) -> list[list]:
    spec = HISTORY[kind]
    model = spec.model
    person = aliased(Person)
    fields = [getattr(model, name) for name in spec.fields]
    if spec.has_collectives:
        owner = aliased(Collective)
        query = (select(person.code, owner.code, *fields)
                 .outerjoin(person, model.person_id == person.id).outerjoin(owner, model.collective_id == owner.id))
        if unit_id is not None:
            query = query.where((person.unit_id == unit_id) | (owner.unit_id == unit_id))
        query = query.order_by(person.code, owner.code, model.year, model.id)
    else:
        query = select(person.code, *fields).join(person, model.person_id == person.id)
        if unit_id is not None:
            query = query.where(person.unit_id == unit_id)
        query = query.order_by(person.code, model.year, model.id)
    if spec.live is not None:
        query = query.where(spec.live)
    order = [c.name for c in COLUMNS[kind]]
    names = {"award": "award_code"}
    result = []
    for row in db.session.execute(query):
        values = dict(zip(["person", "collective"] if spec.has_collectives else ["person"], row, strict=False))
        values.update(zip(spec.fields, row[2 if spec.has_collectives else 1:], strict=True))
        result.append([_cell(values.get(names.get(c, c))) for c in order])
    return result


def _cell(value):
    return "" if value is None else value
