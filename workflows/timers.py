"""Firing process timers: nothing fires by itself, so `tick` calls this every minute."""

from sqlalchemy import select

from . import audit, instances
from .db import db, utcnow
from .errors import WorkflowError
from .models import Nomination
from .transactions import use_case


def fire_due(now=None) -> int:
    """Advance every instance with a timer due; one transaction each, so one failure stops no other."""
    fired = 0
    for instance_id in instances.next_timer_due(now or utcnow()):
        try:
            _fire(instance_id)
            fired += 1
        except WorkflowError:
            continue
    return fired


@use_case
def _fire(instance_id: int) -> None:
    nomination = db.session.execute(select(Nomination).where(Nomination.instance_id == instance_id)).scalar_one()
    instance, run = instances.load(nomination)
    run.fire_due_timers()
    instances.save(instance, run, nomination)
    audit.record("timer_fired", nomination_id=nomination.id)
    db.session.commit()
