"""Writing checked import rows: one bulk INSERT and one bulk UPDATE by id per kind, never row by row."""

from dataclasses import dataclass, field

from sqlalchemy import insert, select, update

from workflows.db import db
from workflows.models import Collective, Person
from workflows.services.registry.columns import KINDS
from workflows.services.registry.history import HISTORY

CHUNK = 900  # identifiers per IN (...) list, within every database's limit


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class ImportResult:
    counts: dict[str, Counts] = field(default_factory=dict)  # by kind, in import order

    def as_dict(self) -> dict:
        return {kind: counts.as_dict() for kind, counts in self.counts.items()}

    @property
    def rows(self) -> int:
        return sum(c.created + c.updated + c.unchanged for c in self.counts.values())


class Writer:
    """Writes checked rows with one statement per batch: bulk inserts and bulk updates by id."""

    def __init__(self, check):  # the importer's finished check: rows by kind, stored subjects, units
        self.check = check
        self.result = ImportResult()

    def write(self) -> ImportResult:
        check = self.check
        self._subjects("collectives", Collective, check.collectives,
                       lambda v, ids: {"unit_id": v["unit_id"], "name": v["name"]},
                       lambda stored: {"unit_id": stored[1], "name": stored[2]})
        collective_ids = self._ids(Collective, check.collective_units)
        self._subjects("persons", Person, check.people,
                       lambda v, ids: {"unit_id": v["unit_id"], "full_name": v["full_name"],
                                       "collective_id": ids.get(v.get("collective_code")) or None,
                                       "position": v.get("position", ""), "recruited_on": v.get("recruited_on")},
                       lambda stored: {"unit_id": stored[1], "full_name": stored[2], "collective_id": stored[3],
                                       "position": stored[4], "recruited_on": stored[5]},
                       collective_ids)
        ids = {"person": self._ids(Person, check.person_units), "collective": collective_ids}
        for kind in KINDS[2:]:
            if kind in check.rows:
                self._history(kind, ids)
        return self.result

    def _subjects(self, kind, model, stored, new_values, stored_values, collective_ids=None) -> None:
        if kind not in self.check.rows:
            return
        counts = self.result.counts.setdefault(kind, Counts())
        inserts, updates = [], []
        for row in self.check.rows[kind]:
            values = new_values(row.values, collective_ids or {})
            code = row.values["code"]
            if code not in stored:
                inserts.append({"code": code, "active": True, **values})
                continue
            if "position" in values and "position" not in row.labels:
                values.pop("position")  # a column left out of the file keeps what is stored
            if "recruited_on" in values and "recruited_on" not in row.labels:
                values.pop("recruited_on")
            if "collective_id" in values and "collective" not in row.labels:
                values.pop("collective_id")
            old = stored_values(stored[code])
            changed = {k: v for k, v in values.items() if old.get(k) != v}
            if changed:
                updates.append({"id": stored[code][0], **changed})
                counts.updated += 1
            else:
                counts.unchanged += 1
        _bulk_insert(model, inserts)
        _bulk_update(model, updates)
        counts.created += len(inserts)

    def _ids(self, model, codes) -> dict[str, int]:
        found, ordered = {}, sorted(codes)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            found.update(db.session.execute(select(model.code, model.id).where(model.code.in_(chunk))).all())
        return found

    def _history(self, kind: str, ids: dict) -> None:
        spec = HISTORY[kind]
        counts = self.result.counts.setdefault(kind, Counts())
        rows = self.check.rows[kind]
        stored = _stored_history(spec, {(r.subject[0], ids[r.subject[0]][r.subject[1]]) for r in rows})
        inserts, updates = [], []
        for row in rows:
            subject, code = row.subject
            owner = {"person_id": None, "collective_id": None} if spec.has_collectives else {}
            owner[f"{subject}_id"] = ids[subject][code]
            values = {name: row.values.get(name, "") for name in spec.key + spec.values}
            key = (owner.get("person_id"), owner.get("collective_id")) + tuple(values[k] for k in spec.key)
            match = stored.get(key)
            if match is None:
                inserts.append({**owner, **values})
                stored[key] = (None,) + tuple(values[v] for v in spec.values)  # a later equal row is no change
                continue
            changed = {name: values[name] for i, name in enumerate(spec.values) if match[i + 1] != values[name]}
            if changed:
                updates.append({"id": match[0], **changed})
                counts.updated += 1
            else:
                counts.unchanged += 1
        _bulk_insert(spec.model, inserts)
        _bulk_update(spec.model, updates)
        counts.created += len(inserts)


def _stored_history(spec, subjects: set[tuple[str, int]]) -> dict[tuple, tuple]:
    """(person_id, collective_id, *key) -> (id, *values) of the stored rows of these subjects."""
    model, found = spec.model, {}
    wanted = [model.id, model.person_id, getattr(model, "collective_id", None)]
    wanted = [c for c in wanted if c is not None]
    columns_ = wanted + [getattr(model, k) for k in spec.key] + [getattr(model, v) for v in spec.values]
    for subject in ("person", "collective"):
        ordered = sorted(i for s, i in subjects if s == subject)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            query = select(*columns_).where(getattr(model, f"{subject}_id").in_(chunk))
            if spec.live is not None:
                query = query.where(spec.live)
            for row in db.session.execute(query):
                person_id = row[1]
                collective_id = row[2] if spec.has_collectives else None
                offset = 3 if spec.has_collectives else 2
                key = (person_id, collective_id) + tuple(row[offset:offset + len(spec.key)])
                found.setdefault(key, (row[0],) + tuple(row[offset + len(spec.key):]))
    return found


def _bulk_insert(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(insert(model), rows)


def _bulk_update(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(update(model), rows)
