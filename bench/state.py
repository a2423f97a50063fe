"""The serialized workflow: how big it is stored, and what the engine costs per completion.

Every completion loads the instance, completes one task and writes the instance back, so
both the stored size and the engine's load/complete/dump time are paid on every request.
"""

import gzip
from dataclasses import dataclass

from workflows.db import db
from workflows.engine import Run
from workflows.models import IndexedTask, Nomination, ProcessInstance
from workflows.services import instances

from .drive import Journey, ready_task, walk
from .measure import Stats, Stopwatch, repeat_part, stats
from .world import World

CYCLES = 60
CHECK_FORM = {"decision": "accept", "comment": "Hồ sơ đầy đủ.", "reviewer": "rev"}


@dataclass(frozen=True)
class Size:
    label: str
    status: str
    tasks: int  # task index rows of the instance
    raw: int  # bytes as stored
    gzipped: int


@dataclass(frozen=True)
class EngineCycle:
    label: str
    state_bytes: int
    load: Stats
    complete: Stats
    dump: Stats
    cycle: Stats


def stored_size(world: World, label: str, journey: Journey) -> Size:
    """Drive a fresh nomination along ``journey`` and weigh its stored state."""
    with world.app.app_context():
        nomination_id = walk(world, "BTCTW", journey)
        nomination = db.session.get(Nomination, nomination_id)
        state = db.session.get(ProcessInstance, nomination.instance_id).state.encode("utf-8")
        rows = db.session.query(IndexedTask).filter_by(nomination_id=nomination_id).count()
        return Size(label, nomination.status, rows, len(state), len(gzip.compress(state)))


def engine_cycle(world: World, label: str, journey: Journey) -> EngineCycle:
    """Load + complete check_dossier + dump, in memory only, on a nomination waiting at checking.

    Nothing is saved, so the same stored state is used for every cycle; the app context
    gives the diagram's scripts their real helpers (the database queries they make count).
    """
    with world.app.app_context():
        nomination_id = walk(world, "BTCTW", journey)
        nomination = db.session.get(Nomination, nomination_id)
        instance = db.session.get(ProcessInstance, nomination.instance_id)
        spec_json, state = instance.definition.spec_json, instance.state
        task_id = ready_task(nomination_id, "check_dossier")
        parts = {"load": Stopwatch(), "complete": Stopwatch(), "dump": Stopwatch()}

        def cycle(watch):
            helpers = instances.helpers(nomination)
            with watch:
                with parts["load"]:
                    run = Run.load(spec_json, state, helpers)
                with parts["complete"]:
                    run.complete(task_id, CHECK_FORM)
                with parts["dump"]:
                    run.dump()

        total = repeat_part(cycle, CYCLES)
        db.session.rollback()
        measured = {name: watch.samples[-CYCLES:] for name, watch in parts.items()}
        return EngineCycle(label, len(state.encode("utf-8")), stats(measured["load"]),
                           stats(measured["complete"]), stats(measured["dump"]), total)
