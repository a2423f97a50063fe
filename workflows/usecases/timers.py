"""Firing process timers: nothing fires by itself, so `tick` calls this every minute."""

from sqlalchemy import select

from workflows.db import db, utcnow
from workflows.engine import ProcessFault
from workflows.errors import WorkflowError
from workflows.models import Nomination
from workflows.services import audit, instances
from workflows.services.transactions import use_case
from workflows.usecases import tasks


def fire_due(now=None) -> int:
    """Advance every instance with a timer due; one transaction each, so one failure stops no other."""
    fired = 0
    for instance_id in instances.next_timer_due(now or utcnow()):
        try:
            fired += _fire(instance_id)
        except WorkflowError:
            continue
    return fired


@use_case
def _fire(instance_id: int) -> bool:
    """Fire what is due on one instance; False when its timers were not due after all."""
    nomination = db.session.execute(select(Nomination).where(Nomination.instance_id == instance_id)).scalar_one()
    instance, run = instances.load(nomination)
    try:
        run.fire_due_timers()
    except ProcessFault as fault:
        db.session.rollback()
        audit.record("process_failed", nomination_id=nomination.id, task_key=fault.task_key,
                     details=tasks.fault_details(fault))
        db.session.commit()
        return False
    before = instance.state
    instances.save(instance, run, nomination)
    if instance.state == before:
        db.session.rollback()
        return False
    audit.record("timer_fired", nomination_id=nomination.id)
    db.session.commit()
    return True
