"""Use cases of tasks: the inbox, a task's page, claiming from a pool, and completing a task.

Completing is one transaction: the workflow, the task index, the nomination, ballots,
the decision and the audit events commit together or not at all.
"""

from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased, joinedload, load_only

from . import audit, decisions, forms, instances, nominations, routing
from .db import db, utcnow
from .engine import ProcessFault, TaskNotReady, UnknownTask
from .errors import Conflict, InvalidData, NotAllowed, NotFound, ProcessError
from .models import AwardType, Ballot, IndexedTask, Nomination, Unit, User, UserRole
from .transactions import use_case

# Decisions that send the dossier back, and decisions that refuse: both need a comment.
RETURN_DECISIONS = frozenset({"return"})


@dataclass(frozen=True)
class InboxEntry:
    task: IndexedTask
    assignee: str | None
    nomination: Nomination


def entry(task: IndexedTask) -> InboxEntry:
    """One task as the inbox shows it."""
    return InboxEntry(task, task.assignee.username if task.assignee_id else None,
                      db.session.get(Nomination, task.nomination_id))


def inbox_condition(user):
    """The SQL form of routing.may_act: ready tasks of the user's roles, unit and person."""
    if not user.active or not user.roles:
        return IndexedTask.id.is_(None)
    return (
        (IndexedTask.state == "ready")
        & IndexedTask.role.in_(sorted(user.roles))
        & or_(IndexedTask.unit_id.is_(None), IndexedTask.unit_id == user.unit_id)
        & or_(IndexedTask.assignee_id.is_(None), IndexedTask.assignee_id == user.id)
    )


def inbox(user, *, key: str | None = None, limit: int = 100, offset: int = 0,
          count: bool = True) -> tuple[list[InboxEntry], int | None]:
    """Tasks waiting for the user, soonest due first, and how many there are in all.

    The page of task ids is chosen from the task index alone (a covering index answers it),
    and only those rows are then joined to their nominations: sorting thousands of fully
    joined rows to keep a hundred is what made large inboxes slow. Without ``count`` the total
    is None, for a caller that knows it already (from ``inbox_counts``).
    """
    condition = inbox_condition(user)
    if key:
        condition = condition & (IndexedTask.key == key)
    total = db.session.execute(select(func.count(IndexedTask.id)).where(condition)).scalar_one() if count else None
    order = (IndexedTask.due_at.is_(None), IndexedTask.due_at, IndexedTask.created_at, IndexedTask.id)
    ids = list(db.session.execute(
        select(IndexedTask.id).where(condition).order_by(*order).limit(limit).offset(offset)).scalars())
    if not ids:
        return [], total
    assignee = aliased(User)
    rows = db.session.execute(
        select(IndexedTask, assignee.username, Nomination)
        .join(Nomination, Nomination.id == IndexedTask.nomination_id)
        .outerjoin(assignee, assignee.id == IndexedTask.assignee_id)
        .where(IndexedTask.id.in_(ids))
        .options(load_only(Nomination.id, Nomination.nominee_name, Nomination.unit_id, Nomination.award_type_id,
                           Nomination.year, Nomination.status),
                 joinedload(Nomination.unit).load_only(Unit.code, Unit.name),
                 joinedload(Nomination.award_type).load_only(AwardType.code, AwardType.name, AwardType.name_vi))
    ).all()
    position = {task_id: index for index, task_id in enumerate(ids)}
    rows.sort(key=lambda row: position[row[0].id])
    return [InboxEntry(task, name, nomination) for task, name, nomination in rows], total


def inbox_counts(user) -> dict[str, int]:
    """How many ready tasks of each kind wait for the user."""
    rows = db.session.execute(select(IndexedTask.key, IndexedTask.name, func.count(IndexedTask.id))
                              .where(inbox_condition(user)).group_by(IndexedTask.key, IndexedTask.name))
    return {key: (name, count) for key, name, count in rows}


def now():
    """The current time as stored (naive UTC), to mark overdue tasks."""
    return utcnow()


def get(user, task_id: str) -> tuple[IndexedTask, dict]:
    """A task the user may act on, with its form definition."""
    task = _visible_task(user, task_id)
    if not routing.may_act(user, task):
        raise NotAllowed("This task is not yours to do.")
    return task, task_form(task)


def task_form(task: IndexedTask) -> dict:
    nomination = db.session.get(Nomination, task.nomination_id)
    return instances.forms_for(nomination).get(task.form or "", {"fields": []})


def _visible_task(user, task_id: str) -> IndexedTask:
    task = db.session.get(IndexedTask, task_id) if isinstance(task_id, str) and len(task_id) <= 36 else None
    if task is None:
        raise NotFound(f"No task {task_id}.")
    nomination = db.session.get(Nomination, task.nomination_id)
    if not (routing.may_act(user, task) or routing.may_view(user, nomination)):
        raise NotFound(f"No task {task_id}.")
    return task


@use_case
def claim(user, task_id: str) -> IndexedTask:
    """Take a pool task so that nobody else in the pool works on it."""
    task = _visible_task(user, task_id)
    if task.state != "ready":
        raise Conflict(f"The task is already {task.state}.")
    if not routing.may_claim(user, task):
        raise Conflict("The task is already held by someone.") if task.assignee_id else \
            NotAllowed("This task is not offered to you.")
    # Conditional update: of two people claiming at once, exactly one gets it.
    changed = db.session.execute(update(IndexedTask).where(
        IndexedTask.id == task.id, IndexedTask.state == "ready", IndexedTask.assignee_id.is_(None)
    ).values(assignee_id=user.id).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Conflict("Someone else claimed the task first.")
    audit.record("task_claimed", actor=user, nomination_id=task.nomination_id, task_key=task.key, task_id=task.id)
    db.session.commit()
    db.session.refresh(task)
    return task


@use_case
def unclaim(user, task_id: str) -> IndexedTask:
    """Give a claimed pool task back to the pool."""
    task = _visible_task(user, task_id)
    if task.state != "ready":
        raise Conflict(f"The task is already {task.state}.")
    if not routing.may_unclaim(user, task):
        raise NotAllowed("Only the person holding a pool task can give it back.")
    task.assignee_id = None
    audit.record("task_unclaimed", actor=user, nomination_id=task.nomination_id, task_key=task.key,
                 task_id=task.id)
    db.session.commit()
    return task


@use_case(retries=3)
def complete(user, task_id: str, submitted) -> Nomination:
    """Complete a ready task as ``user`` and run the process to its next human step."""
    task = _visible_task(user, task_id)
    nomination = db.session.get(Nomination, task.nomination_id)
    _check_can_complete(user, task)
    instance, run = instances.load(nomination)
    db.session.refresh(task)  # another request may have finished it while we waited for the lock
    db.session.refresh(nomination)
    _check_can_complete(user, task)
    form = task_form(task)
    values = forms.clean(form, submitted)
    _check_users(form, values)
    _check_rules(task, nomination, values)
    if task.secret:
        engine_values = {"voted": True}
        _cast_ballot(nomination.id, values)
    else:
        engine_values = values
    try:
        run.complete(task.id, engine_values)
    except TaskNotReady as exc:
        raise Conflict(f"The task can no longer be completed: {exc}.") from exc
    except UnknownTask as exc:
        raise NotFound(f"No task {task_id}.") from exc
    except ProcessFault as fault:
        db.session.rollback()
        _record_fault(user, nomination.id, task, fault)
        raise ProcessError(f"The process failed at {fault.task_key or task.key}: {fault}. "
                           "Nothing was changed; the administrators have been told through the audit trail.") \
            from fault
    if task.key == "endorse" and values.get("decision") == "endorse" and nomination.submitted_at is None:
        nomination.submitted_at = utcnow()
    # The person's step goes into the trail before the automatic steps it set off.
    _record_completion(user, task, nomination, values)
    instances.save(instance, run, nomination, actor=user, completed_task_id=task.id)
    if run.finished and run.outcome in ("awarded", "forwarded"):
        decision = decisions.issue(nomination, run.outcome, signer=user, comment=values.get("comment", ""))
        audit.record("decision_signed", actor=user, nomination_id=nomination.id, task_key=task.key,
                     task_id=task.id, details={"kind": decision.kind, "number": decision.number,
                                               "outcome": run.outcome})
    db.session.commit()
    return nomination


def _check_can_complete(user, task) -> None:
    if task.state != "ready":
        raise Conflict(f"The task is already {task.state}.")
    if not routing.may_act(user, task):
        if task.pooled and task.assignee_id is not None and task.assignee_id != user.id:
            raise Conflict("Someone else has claimed this task.")
        raise NotAllowed("This task is not yours to do.")


def _check_users(form: dict, values: dict) -> None:
    """A user field must name an active user who holds the field's role."""
    errors = {}
    for field in form.get("fields", []):
        name = field["name"]
        if field["type"] != "user" or name not in values:
            continue
        user = db.session.execute(select(User).where(User.username == values[name])).scalar_one_or_none()
        role = field.get("role")
        if user is None or not user.active or (role and role not in user.roles):
            errors[name] = f"{values[name]} is not an active user" + (f" with the {role} role." if role else ".")
    if errors:
        raise InvalidData("Some fields are not valid: " + ", ".join(sorted(errors)) + ".", errors)


def _check_rules(task, nomination, values) -> None:
    """Business rules a form cannot express: a complete dossier before submission."""
    if task.key == "prepare_dossier":
        present = instances.current_document_kinds(nomination.id)
        missing = [k for k in nomination.award_type.required_documents if k not in present]
        if missing:
            raise InvalidData("The dossier is missing required documents: " + ", ".join(missing) + ".",
                              {"documents": "Missing: " + ", ".join(missing) + "."})


def _cast_ballot(nomination_id: int, values: dict) -> None:
    """Count one ballot; the tally sheet holds counts only, never who cast what."""
    choice = values["vote"]
    changed = db.session.execute(update(Ballot).where(
        Ballot.nomination_id == nomination_id, Ballot.choice == choice
    ).values(count=Ballot.count + 1).execution_options(synchronize_session=False)).rowcount
    if changed == 0:
        db.session.add(Ballot(nomination_id=nomination_id, choice=choice, count=1))


def _record_completion(user, task, nomination, values) -> None:
    if task.secret:
        # Participation only: the choice went to the tally sheet and nowhere else.
        audit.record("ballot_cast", actor=user, nomination_id=nomination.id, task_key=task.key, task_id=task.id)
        return
    decision = values.get("decision") or values.get("recommendation")
    action = "returned" if decision in RETURN_DECISIONS else "task_completed"
    details = {k: v for k, v in values.items() if k in ("decision", "recommendation", "comment", "reviewer")}
    audit.record(action, actor=user, nomination_id=nomination.id, task_key=task.key, task_id=task.id,
                 details=details)


def _record_fault(user, nomination_id, task, fault) -> None:
    audit.record("process_failed", actor=user, nomination_id=nomination_id, task_key=fault.task_key or task.key,
                 task_id=task.id, details={"message": str(fault)[:500], "line": fault.line})
    db.session.commit()


def users_with_role(role: str) -> list[User]:
    """Active users holding ``role``, by name: the people a user field of a form may name."""
    return list(db.session.execute(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))
        .order_by(User.full_name, User.username)).scalars())


@dataclass(frozen=True)
class TaskView:
    task: IndexedTask
    nomination: Nomination
    form: dict
    holder: User | None
    completed_by: User | None
    may_complete: bool
    may_claim: bool
    may_unclaim: bool
    candidates: dict[str, list[User]]  # user field name -> who may be named in it
    may_change_dossier: bool
    dossier: list[nominations.DossierKind]
    opinions: list[nominations.Opinion]


def view(user, task_id: str) -> TaskView:
    """A task as its page shows it: the dossier to decide on, earlier opinions, the form, and what the user may do.

    Anyone who may see the nomination may look at its tasks; only those the task is routed
    to get ``may_complete``. A secret (vote) task shows no earlier ballots, only opinions.
    """
    task = _visible_task(user, task_id)
    nomination = db.session.get(Nomination, task.nomination_id)
    form = task_form(task)
    ready = task.state == "ready"
    candidates = {f["name"]: users_with_role(f["role"]) for f in form.get("fields", [])
                  if f["type"] == "user" and f.get("role")}
    return TaskView(
        task=task, nomination=nomination, form=form,
        holder=task.assignee if task.assignee_id else None,
        completed_by=db.session.get(User, task.completed_by_id) if task.completed_by_id else None,
        may_complete=ready and routing.may_act(user, task),
        may_claim=ready and routing.may_claim(user, task),
        may_unclaim=ready and routing.may_unclaim(user, task),
        candidates=candidates, may_change_dossier=nominations.may_change_dossier(user, nomination),
        dossier=nominations.dossier_of(nomination),
        opinions=nominations.opinions_of(nomination))
