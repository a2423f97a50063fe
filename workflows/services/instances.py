"""Process definitions and instances in the database: deploy, start, load, save.

An instance is about one *subject*: a nomination (the single nomination's process) or a list
proposal (the list's process). Saving writes the workflow, the task index (linked to the
subject), the subject's status and the audit events of automatic steps in the caller's
transaction; the caller commits.
"""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import bindparam, select, update

from workflows.db import db, utcnow
from workflows.engine import Run, compile_process, forms_of, read_sources
from workflows.models import Document, IndexedTask, Nomination, ProcessDefinition, ProcessInstance, Proposal
from workflows.services import audit, council, eligibility, notifications, people, routing

PROCESS_KEY = "nomination"
# The processes the application runs, each from the diagram of its name in the bpmn folder:
# the single nomination's, a list proposal's and a council session's (see docs/rounds.md).
LIST_PROCESS_KEY = "proposal"
SESSION_PROCESS_KEY = "council_session"
PROCESS_KEYS = (PROCESS_KEY, LIST_PROCESS_KEY, SESSION_PROCESS_KEY)


def deploy(bpmn_dir: str | Path, key: str = PROCESS_KEY) -> tuple[ProcessDefinition, bool]:
    """Store the folder's files as a new version unless the newest stored version has the same content.

    Deploying the nomination process (the default) deploys every other process of the folder
    with it, so that wherever nominations can start, lists can too; the nomination's
    definition is returned, and True when any process got a new version.
    """
    definition, created = store_version(compile_process(key, read_sources(bpmn_dir, key)))
    if key == PROCESS_KEY:
        for other in PROCESS_KEYS[1:]:
            if (Path(bpmn_dir) / f"{other}.bpmn").is_file():
                created = store_version(compile_process(other, read_sources(bpmn_dir, other)))[1] or created
    return definition, created


def store_version(compiled, actor=None) -> tuple[ProcessDefinition, bool]:
    """Store a compiled process as its next version, in the caller's transaction; False if unchanged.

    Going back to an older version's files publishes them again as the newest version.
    """
    newest = latest_definition(compiled.key)
    if newest is not None and newest.sha256 == compiled.sha256:
        return newest, False
    version = (newest.version if newest else 0) + 1
    definition = ProcessDefinition(key=compiled.key, version=version, sha256=compiled.sha256,
                                   sources=compiled.sources, spec_json=compiled.spec_json)
    db.session.add(definition)
    db.session.flush()
    audit.record("process_deployed", actor=actor,
                 details={"key": compiled.key, "version": version, "sha256": compiled.sha256})
    return definition, True


def latest_definition(key: str = PROCESS_KEY) -> ProcessDefinition | None:
    return db.session.execute(select(ProcessDefinition).where(ProcessDefinition.key == key)
                              .order_by(ProcessDefinition.version.desc()).limit(1)).scalar_one_or_none()


def definition_of(nomination: Nomination) -> ProcessDefinition:
    """The definition version the nomination's instance runs on."""
    return definition_of_instance(nomination.instance_id)


def definition_of_instance(instance_id: int) -> ProcessDefinition:
    """The definition version an instance (a nomination's or a list's) runs on."""
    return db.session.execute(select(ProcessDefinition).join(
        ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id
    ).where(ProcessInstance.id == instance_id)).scalar_one()


def forms_for(nomination: Nomination) -> dict[str, dict]:
    """The task forms of the nomination's definition version (immutable, so cached)."""
    definition_id, sha256 = db.session.execute(
        select(ProcessDefinition.id, ProcessDefinition.sha256).join(
            ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id
        ).where(ProcessInstance.id == nomination.instance_id)).one()
    return forms_of_definition(definition_id, sha256)


def forms_of_definition(definition_id: int, sha256: str) -> dict[str, dict]:
    """The task forms of a definition version, cached by its content hash."""
    if sha256 not in _FORMS:
        _FORMS[sha256] = forms_of(db.session.get(ProcessDefinition, definition_id).sources)
    return _FORMS[sha256]


_FORMS: dict[str, dict[str, dict]] = {}  # by content hash: the same in every database


def helpers(nomination: Nomination) -> dict:
    """The functions the diagram's scripts call, bound to this nomination."""

    def eligibility_findings():
        found = eligibility.findings_for(nomination, current_document_kinds(nomination.id))
        nomination.findings = found
        return found

    def regulation_in_force():
        regulation = council.regulation_in_force(utcnow().date(), nomination.authority_id)
        if regulation is None:
            raise council.RegulationMissing("council.no_regulation_in_force")
        return regulation.code

    def count_votes(regulation_code, article, members, voted):
        return council.count_votes(nomination, regulation_code, article, list(members), list(voted))

    def voting_members():
        return people.council_voters(nomination.authority_id, nomination.nominee_user_id)

    def send_reminder(task_key):
        notifications.queue_reminder(nomination, task_key)
        audit.record("reminder_sent", nomination_id=nomination.id, task_key=task_key,
                     details={"reason": "overdue"})

    return {"eligibility_findings": eligibility_findings, "voting_members": voting_members,
            "regulation_in_force": regulation_in_force,
            "count_votes": count_votes, "send_reminder": send_reminder}


def start(nomination: Nomination, definition: ProcessDefinition) -> tuple[ProcessInstance, Run]:
    """Start the nomination's process and index its first tasks."""
    award = nomination.award_type
    return start_instance(nomination, definition, {
        "nomination_id": nomination.id, "award_type": award.code, "award_level": award.level,
        "award_kind": award.kind, "year": nomination.year,
    }, helpers(nomination))


def start_instance(subject, definition: ProcessDefinition, data: dict, bound_helpers: dict
                   ) -> tuple[ProcessInstance, Run]:
    """Start a process about ``subject`` (a nomination or a list) and index its first tasks."""
    run = Run.start(definition.spec_json, data, bound_helpers)
    instance = ProcessInstance(definition=definition, state=run.dump(), finished=run.finished,
                               next_timer_at=_naive(run.next_timer_at()))
    db.session.add(instance)
    db.session.flush()
    subject.instance_id = instance.id
    save(instance, run, subject)
    return instance, run


def load(nomination: Nomination, *, lock: bool = True) -> tuple[ProcessInstance, Run]:
    """The nomination's instance; with ``lock``, no other transaction can change it until ours ends."""
    instance = lock_instance(nomination.instance_id) if lock else db.session.execute(
        select(ProcessInstance).where(ProcessInstance.id == nomination.instance_id)
        .execution_options(populate_existing=True)).scalar_one()
    return instance, resume(instance, nomination)


def lock_instance(instance_id: int) -> ProcessInstance:
    """Lock the instance row until the transaction ends, then read it as it now stands.

    PostgreSQL takes a row lock (SELECT ... FOR UPDATE). SQLite has no row locks: a no-op
    UPDATE takes the database's write lock first, so what is read next is the latest state
    and concurrent requests queue instead of failing on a stale version. (It sets a column
    that is no key: updating the id would make SQLite check every row referring to it.)
    """
    params = {"instance_id": instance_id}
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(_TAKE_WRITE_LOCK, params)
        return db.session.execute(_READ_INSTANCE, params).scalar_one()
    return db.session.execute(_READ_INSTANCE_FOR_UPDATE, params).scalar_one()


# Built once: these run on every completion, and building a statement costs more than running it.
_READ_INSTANCE = (select(ProcessInstance).where(ProcessInstance.id == bindparam("instance_id"))
                  .execution_options(populate_existing=True))
_READ_INSTANCE_FOR_UPDATE = _READ_INSTANCE.with_for_update(of=ProcessInstance)
# A plain SQL update: the instance is read just after.
_TAKE_WRITE_LOCK = update(ProcessInstance.__table__).where(
    ProcessInstance.__table__.c.id == bindparam("instance_id")).values(version=ProcessInstance.__table__.c.version)


def resume(instance: ProcessInstance, nomination: Nomination) -> Run:
    """The engine's run of a loaded instance, its scripts bound to the nomination."""
    return resume_with(instance, helpers(nomination))


def resume_with(instance: ProcessInstance, bound_helpers: dict) -> Run:
    """The engine's run of a loaded instance, its scripts bound to the given helpers."""
    return Run.load(instance.definition.spec_json, instance.state, bound_helpers)


def save(instance: ProcessInstance, run: Run, subject, *,
         actor=None, completed_task_id: str | None = None) -> None:
    """Write the run back with everything derived from it, in the caller's transaction.

    ``subject`` is what the instance is about: a nomination, or a list proposal (whose tasks
    are indexed with ``proposal_id`` and whose automatic steps name it in the trail's details).
    """
    instance.state = run.dump()
    instance.finished = run.finished
    instance.steps_done = run.completed_steps()
    instance.next_timer_at = _naive(run.next_timer_at())
    ready = run.human_tasks()
    is_list = type(subject) is Proposal
    new_tasks = _sync_task_index(instance, run, subject, ready, actor, completed_task_id, is_list)
    if is_list:
        notifications.queue_list_notices(subject, new_tasks)
        for step in run.automatic_steps():
            audit.record(step.action, task_key=step.key, details={"proposal": subject.id, **step.details})
    else:
        notifications.queue_task_notices(subject, new_tasks)
        for step in run.automatic_steps():
            audit.record(step.action, nomination_id=subject.id, task_key=step.key, details=step.details)
    if run.finished:
        if subject.status not in ("withdrawn",):
            subject.status = run.outcome or subject.status
    elif ready:
        subject.status = ready[0].status or subject.status


def _sync_task_index(instance, run, subject, ready, actor, completed_task_id, is_list=False) -> list[IndexedTask]:
    """Close the rows of tasks that are gone, add rows for new ones; returns the new rows."""
    now = utcnow()
    ready_ids = {t.id for t in ready}
    open_rows = db.session.execute(_OPEN_TASKS, {"instance_id": instance.id}).scalars().all()
    gone = [row for row in open_rows if row.id not in ready_ids]
    states = run.task_states([row.id for row in gone])
    for row in gone:
        row.state = "completed" if states.get(row.id) == "COMPLETED" else "cancelled"
        row.completed_at = now
        if row.id == completed_task_id and actor is not None:
            row.completed_by_id = actor.id
    known = {row.id for row in open_rows}
    new = [t for t in ready if t.id not in known]
    ids = people.user_ids(t.assignee for t in new)
    rows = []
    nomination_id, proposal_id = (None, subject.id) if is_list else (subject.id, None)
    for task in new:
        route = routing.route(task.lane, task.role, task.assignee, subject.unit_id, subject.authority_id)
        rows.append(IndexedTask(
            id=task.id, instance_id=instance.id, nomination_id=nomination_id, proposal_id=proposal_id,
            key=task.key, name=task.name,
            lane=task.lane, role=route.role, unit_id=route.unit_id, authority_id=route.authority_id,
            assignee_id=ids.get(route.assignee),
            pooled=route.pooled, state="ready", form=task.form, secret=task.secret, created_at=now,
            due_at=now + timedelta(days=task.due_in_days) if task.due_in_days else None,
        ))
    db.session.add_all(rows)
    return rows


_OPEN_TASKS = select(IndexedTask).where(IndexedTask.instance_id == bindparam("instance_id"),
                                       IndexedTask.state == "ready")


def current_document_kinds(nomination_id: int) -> set[str]:
    return set(db.session.execute(select(Document.kind).where(
        Document.nomination_id == nomination_id, Document.removed_at.is_(None)).group_by(Document.kind)).scalars())


def next_timer_due(now=None) -> list[int]:
    """Ids of instances with a timer due."""
    now = now or utcnow()
    return list(db.session.execute(select(ProcessInstance.id).where(
        ProcessInstance.finished.is_(False), ProcessInstance.next_timer_at <= now)).scalars())


def _naive(moment):
    return moment.replace(tzinfo=None) if moment is not None else None
