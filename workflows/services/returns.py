"""Why a task is waiting again: the return that sent the dossier back to the unit, as the trail recorded it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflows.db import db
from workflows.models import AuditEvent, IndexedTask, User

# The trail's actions that carry a person's decision on a step; a return is one of them.
DECISIONS = ("task_completed", "returned")


@dataclass(frozen=True)
class Return:
    at: datetime
    by: str  # the full name of whoever returned it
    step: str | None  # the key of the step it was returned from
    reason: str


def behind(task: IndexedTask) -> Return | None:
    """The return that opened ``task``, or None when the task came the ordinary way.

    A task opened by a return is created in the same transaction, just after the return is
    recorded: the last decision on the nomination before the task existed is that return. A
    task opened by a step done (or by the start) has a completion there, or nothing at all.
    """
    row = db.session.execute(
        select(AuditEvent, User.full_name).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.nomination_id == task.nomination_id, AuditEvent.action.in_(DECISIONS),
               AuditEvent.at <= task.created_at)
        .order_by(AuditEvent.seq.desc()).limit(1)).first()
    if row is None or row[0].action != "returned":
        return None
    event, full_name = row
    return Return(at=event.at, by=full_name or event.actor, step=event.task_key,
                  reason=(event.details or {}).get("comment") or "")
