"""A council session's process instance (bpmn/council_session.bpmn): deploy, start, load, save.

The engine runs the session's steps once for the whole agenda: attendance, the quorum gate, the
opening and the closing of every ballot together, the count of every nominee and the minutes.
Saving writes the workflow, the task index (rows with ``session_id``) and the session's status in
the caller's transaction; the caller commits.
"""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from workflows.db import db, utcnow
from workflows.engine import Run
from workflows.models import CouncilSession, IndexedTask, ProcessDefinition, ProcessInstance
from workflows.services import audit, instances, people, sittings

PROCESS_KEY = instances.SESSION_PROCESS_KEY
# A session's steps are taken on the session's page by whoever the session's rules allow (the office,
# the secretary, the chair), not from an inbox: their index rows carry a role no inbox routes
# ("session_secretariat", "session_council_chair") and record who took each step and when.
ROLE_PREFIX = "session_"


def deploy(bpmn_dir: str | Path) -> tuple[ProcessDefinition, bool]:
    """Store the session's diagram (with every decision table and form) as its next version if it changed."""
    return instances.deploy(bpmn_dir, key=PROCESS_KEY)


def latest_definition() -> ProcessDefinition | None:
    return instances.latest_definition(PROCESS_KEY)


def helpers(session: CouncilSession) -> dict:
    """The functions the diagram's scripts call, bound to this session."""

    def count_session():
        return sittings.count(session)

    def write_minutes():
        issued = sittings.minutes(session)
        session.minutes_sha256 = issued.sha256
        return issued.sha256

    return {"count_session": count_session, "write_minutes": write_minutes}


def start(session: CouncilSession, definition: ProcessDefinition, agenda: list[dict]) -> Run:
    """Start the session's process; its first step looks up every nominee's article in the rules table."""
    run = Run.start(definition.spec_json, {"session_id": session.id, "agenda": agenda}, helpers(session))
    instance = ProcessInstance(definition=definition, state=run.dump(), finished=run.finished)
    db.session.add(instance)
    db.session.flush()
    session.instance_id = instance.id
    save(instance, run, session)
    return run


def load(session: CouncilSession) -> tuple[ProcessInstance, Run]:
    """The session's instance, locked until the transaction ends: ballots and the close queue on it."""
    instance = instances.lock_instance(session.instance_id)
    return instance, Run.load(instance.definition.spec_json, instance.state, helpers(session))


def lock(session: CouncilSession) -> ProcessInstance:
    """Lock the session's instance without loading the engine: a ballot sheet and the close queue on it."""
    return instances.lock_instance(session.instance_id)


def ready_task(session: CouncilSession, key: str) -> IndexedTask | None:
    return db.session.execute(select(IndexedTask).where(
        IndexedTask.session_id == session.id, IndexedTask.key == key, IndexedTask.state == "ready")
        .limit(1)).scalar_one_or_none()


def save(instance: ProcessInstance, run: Run, session: CouncilSession, *, actor=None,
         completed_task_id: str | None = None) -> None:
    """Write the run back with the task index and the session's status, in the caller's transaction."""
    instance.state = run.dump()
    instance.finished = run.finished
    instance.steps_done = run.completed_steps()
    ready = run.human_tasks()
    now = utcnow()
    open_rows = list(db.session.execute(select(IndexedTask).where(
        IndexedTask.instance_id == instance.id, IndexedTask.state == "ready")).scalars())
    ready_ids = {t.id for t in ready}
    states = run.task_states([row.id for row in open_rows if row.id not in ready_ids])
    for row in open_rows:
        if row.id in ready_ids:
            continue
        row.state = "completed" if states.get(row.id) == "COMPLETED" else "cancelled"
        row.completed_at = now
        if row.id == completed_task_id and actor is not None:
            row.completed_by_id = actor.id
    known = {row.id for row in open_rows}
    ids = people.user_ids(t.assignee for t in ready if t.id not in known)
    for task in ready:
        if task.id in known:
            continue
        db.session.add(IndexedTask(
            id=task.id, instance_id=instance.id, session_id=session.id, key=task.key, name=task.name,
            lane=task.lane, role=f"{ROLE_PREFIX}{task.role}", unit_id=None, authority_id=session.authority_id,
            assignee_id=ids.get(task.assignee), pooled=False, state="ready", form=task.form, secret=False,
            created_at=now, due_at=now + timedelta(days=task.due_in_days) if task.due_in_days else None))
    for step in run.automatic_steps():
        audit.record(step.action, actor=actor, task_key=step.key,
                     details={"session_id": session.id, **step.details})
    if run.finished:
        session.status = "closed"
    elif ready:
        session.status = ready[0].status or session.status
