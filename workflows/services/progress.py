"""Where a process instance stands, for its diagram: the version's drawing, the steps waiting now
and every step that has run — for a nomination, a list, or a council session alike."""

from dataclasses import dataclass

from sqlalchemy import select

from workflows.db import db
from workflows.models import AuditEvent, IndexedTask, ProcessInstance
from workflows.rendering.diagram import Diagram, read_diagram
from workflows.services import audit, instances


@dataclass(frozen=True)
class Progress:
    diagram: Diagram
    current: frozenset[str]
    done: frozenset[str]


def of_instance(instance_id: int, subject, *, automatic_of_nomination: int | None = None) -> Progress:
    """The drawing of the instance's own process version, with its open and completed steps.

    ``subject`` picks the instance's rows of the task index (e.g. ``IndexedTask.proposal_id == 3``).
    The instance keeps the ids of every element that ran, automatic ones included; for a
    nomination saved before it kept them, ``automatic_of_nomination`` adds the trail's automatic steps.
    """
    definition = instances.definition_of_instance(instance_id)
    if definition.sha256 not in _DIAGRAMS:
        _DIAGRAMS[definition.sha256] = read_diagram(definition.sources.get(f"{definition.key}.bpmn", ""))
    diagram = _DIAGRAMS[definition.sha256]
    rows = db.session.execute(select(IndexedTask.key, IndexedTask.state).where(
        subject, IndexedTask.state.in_(("ready", "completed")))).all()
    automatic = [] if automatic_of_nomination is None else db.session.execute(
        select(AuditEvent.task_key).distinct().where(
            AuditEvent.nomination_id == automatic_of_nomination, AuditEvent.actor == audit.SYSTEM,
            AuditEvent.task_key.is_not(None))).scalars()
    ran = db.session.execute(select(ProcessInstance.steps_done).where(
        ProcessInstance.id == instance_id)).scalar_one_or_none() or []
    started = {s.id for s in diagram.shapes if s.kind == "startEvent"}
    current = frozenset(k for k, s in rows if s == "ready")
    done = frozenset({k for k, s in rows if s == "completed"} | set(automatic) | set(ran) | started) - current
    return Progress(diagram, current, done)


_DIAGRAMS: dict[str, Diagram] = {}  # by content hash: a definition version never changes
