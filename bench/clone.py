"""Many nominations fast: copies of real template nominations, inserted in bulk.

Driving 10,000 nominations through the process would take far longer than the benchmark
may run. A copy of a template is as real as the template: its workflow state is the
template's JSON with every task id swapped for a fresh one (the same swap in the task
index), so the engine loads it and completes its tasks like any other. Only the audit
trail is not copied: nothing measured here reads it.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from workflows.db import db
from workflows.models import (
    Decision,
    Document,
    IndexedTask,
    Nomination,
    NumberCounter,
    ProcessInstance,
    SealedBallot,
)
from workflows.services import ballot_box

from .world import World, clerk

# Task ids, and the nomination id the process keeps in its data: the tokens a copy changes.
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TOKEN = re.compile(rf'({UUID}|"nomination_id":\d+)')
BATCH = 1000
TABLES = [("instance", ProcessInstance), ("nomination", Nomination), ("task", IndexedTask),
          ("document", Document), ("ballot", SealedBallot), ("decision", Decision)]


@dataclass
class Template:
    """One driven nomination and everything stored for it, as plain rows."""

    nomination: dict
    instance: dict
    tasks: list[dict]
    documents: list[dict]
    choices: list[str]  # of the ballots cast so far: a copy's ballots are sealed anew, bound to its nomination
    decision: dict | None
    pieces: list[str]  # the state split at its tokens: text, token, text, token, ...
    task_ids: set[str]

    def state_for(self, nomination_id: int, new_ids: dict[str, str]) -> str:
        out = []
        for i, piece in enumerate(self.pieces):
            if i % 2 == 0:
                out.append(piece)
            elif piece.startswith('"nomination_id"'):
                out.append(f'"nomination_id":{nomination_id}')
            else:
                out.append(new_ids.get(piece, piece))
        return "".join(out)


def _rows(model, *where) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(select(model.__table__).where(*where))]


def _task_ids(state: dict) -> set[str]:
    """Ids of every task of the workflow and of its subprocesses."""
    ids = set(state.get("tasks", {}))
    for key, sub in state.get("subprocesses", {}).items():
        ids |= {key} | _task_ids(sub)
    return ids


def load_template(nomination_id: int) -> Template:
    nomination = _rows(Nomination, Nomination.id == nomination_id)[0]
    instance = _rows(ProcessInstance, ProcessInstance.id == nomination["instance_id"])[0]
    tasks = _rows(IndexedTask, IndexedTask.nomination_id == nomination_id)
    decisions = _rows(Decision, Decision.nomination_id == nomination_id)
    task_ids = _task_ids(json.loads(instance["state"])) | {t["id"] for t in tasks}
    return Template(nomination, instance, tasks, _rows(Document, Document.nomination_id == nomination_id),
                    [ballot_box.opened(nomination_id, row["id"], row["sealed"])
                     for row in _rows(SealedBallot, SealedBallot.nomination_id == nomination_id)],
                    decisions[0] if decisions else None,
                    TOKEN.split(instance["state"]), task_ids)


def _shift(row: dict, delta: timedelta, *names: str) -> None:
    for name in names:
        if row.get(name) is not None:
            row[name] = row[name] - delta


def _next_id(model) -> int:
    return (db.session.execute(select(func.max(model.id))).scalar_one() or 0) + 1


class Cloner:
    """Inserts copies of templates, spreading them over the units round-robin."""

    def __init__(self, world: World):
        self.world = world
        self.units = sorted(world.unit_ids.values())
        self.made = 0  # copies so far: drives the unit and the time shift of the next one

    def clone(self, template: Template, count: int) -> list[int]:
        """``count`` copies of ``template``, committed in batches; their nomination ids."""
        ids = []
        while len(ids) < count:
            ids += self._batch(template, min(BATCH, count - len(ids)))
            db.session.commit()
        return ids

    def _batch(self, template: Template, count: int) -> list[int]:
        rows = {table: [] for table, _ in TABLES}
        nomination_id, instance_id = _next_id(Nomination), _next_id(ProcessInstance)
        document_id, decision_id = _next_id(Document), _next_id(Decision)
        numbers = self._numbers(template, count)
        made = []
        for n in range(count):
            unit_id = self.units[self.made % len(self.units)]
            delta = timedelta(minutes=self.made % (60 * 24 * 90))  # spread over 90 days: due dates differ
            self.made += 1
            new_ids = {old: str(uuid.uuid4()) for old in template.task_ids}
            nid, iid = nomination_id + n, instance_id + n
            state = template.state_for(nid, new_ids)
            instance = template.instance | {"id": iid, "state": state, "version": 1}
            _shift(instance, delta, "created_at", "updated_at", "next_timer_at")
            nomination = template.nomination | {
                "id": nid, "instance_id": iid, "unit_id": unit_id,
                "nominee_name": f"{template.nomination['nominee_name']} {nid}",
                "created_by_id": self.world.user_ids[clerk(self.world.unit_code(unit_id))]}
            _shift(nomination, delta, "created_at", "updated_at", "submitted_at")
            rows["instance"].append(instance)
            rows["nomination"].append(nomination)
            for task in template.tasks:
                copy = task | {"id": new_ids[task["id"]], "instance_id": iid, "nomination_id": nid,
                               "unit_id": unit_id if task["unit_id"] is not None else None}
                _shift(copy, delta, "created_at", "due_at", "completed_at")
                rows["task"].append(copy)
            for document in template.documents:
                rows["document"].append(document | {"id": document_id, "nomination_id": nid})
                document_id += 1
            rows["ballot"] += [ballot_box.sealed_row(nid, choice) for choice in template.choices]
            if template.decision:
                rows["decision"].append(template.decision | {"id": decision_id + n, "nomination_id": nid,
                                                             "number": numbers[n]})
            made.append(nid)
        for table, model in TABLES:  # parents before children: foreign keys are enforced
            if rows[table]:
                db.session.execute(insert(model.__table__), rows[table])
        return made

    def _numbers(self, template: Template, count: int) -> list[str]:
        """Fresh register numbers for copies of a signed decision, consumed from the real counter."""
        decision = template.decision
        if decision is None:
            return []
        kind, year = decision["kind"], decision["year"]
        where = (NumberCounter.kind == kind, NumberCounter.year == year)
        first = db.session.execute(select(NumberCounter.last).where(*where)).scalar_one() + 1
        db.session.execute(update(NumberCounter).where(*where).values(last=first + count - 1))
        suffix = decision["number"].split("/", 1)[1]
        return [f"{first + n}/{suffix}" for n in range(count)]
