"""Use cases of tasks: the inbox, a task's page, claiming from a pool, and completing a task.

Completing is one transaction: the workflow, the task index, the nomination, sealed ballots,
the decision and the audit events commit together or not at all.
"""

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, literal, or_, select, union_all, update
from sqlalchemy.orm import aliased

from workflows.db import db, utcnow
from workflows.engine import ProcessFault, TaskNotReady, UnknownTask
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, ProcessError, Reason
from workflows.models import (
    Authority,
    AwardType,
    IndexedTask,
    Nomination,
    ProcessDefinition,
    ProcessInstance,
    Proposal,
    Unit,
    User,
    UserRole,
)
from workflows.models.people import ACTS_AS
from workflows.services import audit, authorities, ballot_box, findings, forms, instances, nominees, returns, routing
from workflows.services.transactions import commit_keeping, use_case
from workflows.usecases import accounts, decisions, nominations

# Decisions that send the dossier back, and decisions that refuse: both need a comment.
RETURN_DECISIONS = frozenset({"return"})


class InboxEntry(NamedTuple):
    """One task as an inbox lists it: the columns shown, no entities.

    A page holds up to a few hundred of these; plain tuples built from one query cost a
    fraction of loading task and nomination objects with their unit and award.
    """

    id: str
    key: str
    name: str
    lane: str | None
    nomination_id: int | None  # None for a step of a list (``proposal_id``)
    assignee: str | None  # the username of whoever the task is named to or claimed by
    pooled: bool
    secret: bool
    created_at: datetime
    due_at: datetime | None
    nominee: str
    award_type: str  # code
    award_name: str
    award_name_vi: str
    unit: str  # code
    assignee_name: str | None = None  # their full name, as people are shown
    authority: str = ""  # the code of the deciding authority
    proposal_id: int | None = None  # the list a list's step is about


def entry(task: IndexedTask) -> InboxEntry:
    """One task as the inbox shows it."""
    nomination = db.session.get(Nomination, task.nomination_id)
    return InboxEntry(task.id, task.key, task.name, task.lane, task.nomination_id,
                      task.assignee.username if task.assignee_id else None, task.pooled, task.secret,
                      task.created_at, task.due_at, nomination.nominee_name, nomination.award_type.code,
                      nomination.award_type.name, nomination.award_type.name_vi, nomination.unit.code,
                      task.assignee.full_name if task.assignee_id else None, nomination.authority.code)


def access(user) -> tuple[tuple[str, int | None], ...]:
    """(role, authority) pairs a task may reach the user through: their own roles everywhere
    (authority None) and the diagram's roles they act as within each authority."""
    own = {(r.role, None) for r in user.role_rows}
    return tuple(sorted(own | set(user.grants), key=lambda pair: (pair[0], pair[1] or 0)))


def inbox_condition(user):
    """The SQL form of routing.may_act: ready tasks of the user's roles, authorities, unit and person."""
    if not user.active or not user.roles:
        return IndexedTask.id.is_(None)
    pairs = access(user)
    everywhere = sorted(role for role, authority in pairs if authority is None)
    within = [and_(IndexedTask.role == role, IndexedTask.authority_id == authority)
              for role, authority in pairs if authority is not None]
    return (
        (IndexedTask.state == "ready")
        & or_(and_(IndexedTask.role.in_(everywhere), IndexedTask.authority_id.is_(None)), *within)
        & or_(IndexedTask.unit_id.is_(None), IndexedTask.unit_id == user.unit_id)
        & or_(IndexedTask.assignee_id.is_(None), IndexedTask.assignee_id == user.id)
    )


def inbox(user, *, key: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[InboxEntry], int]:
    """Tasks waiting for the user, soonest due first (undated last), and how many there are in all.

    The page of task ids is chosen from the task index alone: each of the user's routes
    (see ``_routes``) gives its first ``offset + limit`` tasks in index order, and only the
    page kept from those is joined to the nominations. So the work grows with the page,
    not with the inbox: sorting thousands of fully joined rows to keep a hundred is what
    made large inboxes slow. The rows are the columns shown, not entities.
    """
    if not user.active or not user.roles:
        return [], 0
    count, page = _inbox_statements(access(user), user.unit_id is not None, key is not None)
    params = {"unit_id": user.unit_id, "user_id": user.id, "key": key}
    total = db.session.execute(count, params).scalar_one()
    if total <= offset:
        return [], total
    rows = db.session.execute(page, {**params, "first": offset + limit, "limit": limit, "offset": offset})
    return [InboxEntry._make(row) for row in rows], total


@functools.lru_cache(maxsize=256)
def _inbox_statements(roles: tuple[tuple[str, int | None], ...], has_unit: bool, has_key: bool):
    """The count and the page query of an inbox, built once per shape (they are large, and
    building them cost more than running them); the user, key and page are parameters."""
    routes = _routes(roles, has_unit, has_key)
    counted = union_all(*(select(IndexedTask.id).where(route) for route in routes)).subquery()
    count = select(func.count()).select_from(counted)
    firsts = union_all(*(part for route in routes for part in _first_of_route(route))).subquery()
    page = (select(firsts.c.id)
            .order_by(firsts.c.due_at.is_(None), firsts.c.due_at, firsts.c.created_at, firsts.c.id)
            .limit(bindparam("limit")).offset(bindparam("offset")))
    assignee = aliased(User)
    # A task is about a nomination or a list: its award, unit and authority come from whichever.
    rows = (
        select(IndexedTask.id, IndexedTask.key, IndexedTask.name, IndexedTask.lane, IndexedTask.nomination_id,
               assignee.username, IndexedTask.pooled, IndexedTask.secret, IndexedTask.created_at,
               IndexedTask.due_at, func.coalesce(Nomination.nominee_name, Proposal.title, literal("")),
               AwardType.code, AwardType.name, AwardType.name_vi,
               Unit.code, assignee.full_name, Authority.code, IndexedTask.proposal_id)
        .outerjoin(Nomination, Nomination.id == IndexedTask.nomination_id)
        .outerjoin(Proposal, Proposal.id == IndexedTask.proposal_id)
        .join(Authority, Authority.id == func.coalesce(Nomination.authority_id, Proposal.authority_id))
        .join(AwardType, AwardType.id == func.coalesce(Nomination.award_type_id, Proposal.award_type_id))
        .join(Unit, Unit.id == func.coalesce(Nomination.unit_id, Proposal.unit_id))
        .outerjoin(assignee, assignee.id == IndexedTask.assignee_id)
        .where(IndexedTask.id.in_(page.scalar_subquery()))
        .order_by(IndexedTask.due_at.is_(None), IndexedTask.due_at, IndexedTask.created_at, IndexedTask.id))
    return count, rows


def _routes(roles: tuple[tuple[str, int | None], ...], has_unit: bool, has_key: bool) -> list:
    """``inbox_condition`` split into conditions that each fix the whole prefix of the inbox index.

    A task reaches the user through one of their roles — held everywhere, open to every unit or
    narrowed to theirs, or held within one authority — and is held by nobody or by them. Each
    such route is one equality range of ``ix_task_index_inbox``, already in due order; the single
    OR condition instead reads every ready task of the role (all five members' ballots, for a
    council member) and sorts them.
    """
    units = [IndexedTask.unit_id.is_(None)] + ([IndexedTask.unit_id == bindparam("unit_id")] if has_unit else [])
    holders = [IndexedTask.assignee_id.is_(None), IndexedTask.assignee_id == bindparam("user_id")]
    key = [IndexedTask.key == bindparam("key")] if has_key else []
    found = []
    for role, authority in roles:
        places = [and_(unit, IndexedTask.authority_id.is_(None)) for unit in units] if authority is None else \
            [and_(IndexedTask.unit_id.is_(None), IndexedTask.authority_id == authority)]
        found += [and_(IndexedTask.state == "ready", IndexedTask.role == role, place, holder, *key)
                  for place in places for holder in holders]
    return found


def _first_of_route(route) -> tuple:
    """The route's first tasks by due date, up to the page's end: dated ones, then undated
    ones, each read in index order (an index keeps NULLs first, the inbox shows them last)."""
    columns = (IndexedTask.id, IndexedTask.due_at, IndexedTask.created_at)
    dated = (select(*columns).where(route, IndexedTask.due_at.is_not(None))
             .order_by(IndexedTask.due_at, IndexedTask.created_at, IndexedTask.id)
             .limit(bindparam("first")).subquery())
    undated = (select(*columns).where(route, IndexedTask.due_at.is_(None))
               .order_by(IndexedTask.created_at, IndexedTask.id).limit(bindparam("first")).subquery())
    return select(dated), select(undated)


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
        raise NotAllowed("task.not_yours")
    return task, task_form(task)


def task_form(task: IndexedTask) -> dict:
    nomination = db.session.get(Nomination, task.nomination_id)
    return instances.forms_for(nomination).get(task.form or "", {"fields": []})


def _visible_task(user, task_id: str, *, probe=None) -> IndexedTask:
    """The task if the user may act on it or see its nomination; with ``probe`` (a select of
    some of its columns by ``task_id``), that row instead of the entity."""
    task = None
    if isinstance(task_id, str) and len(task_id) <= 36:
        task = db.session.get(IndexedTask, task_id) if probe is None else \
            db.session.execute(probe, {"task_id": task_id}).first()
    if task is None or task.nomination_id is None:  # a list's steps are taken on the list's own page
        raise NotFound("task.not_found", id=str(task_id))
    if not (routing.may_act(user, task) or routing.may_view(user, db.session.get(Nomination, task.nomination_id))):
        raise NotFound("task.not_found", id=str(task_id))
    return task


# What the checks before the lock need of a task: who it is routed to, its state, its instance.
# Statements run on every completion are built once: building one costs more than running it.
_ROUTE_PROBE = select(
    IndexedTask.id, IndexedTask.instance_id, IndexedTask.nomination_id, IndexedTask.state, IndexedTask.key,
    IndexedTask.role, IndexedTask.unit_id, IndexedTask.authority_id, IndexedTask.assignee_id, IndexedTask.pooled,
    IndexedTask.form,
    ProcessInstance.definition_id, ProcessDefinition.sha256.label("definition_sha256"),
).join(ProcessInstance, ProcessInstance.id == IndexedTask.instance_id).join(
    ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id,
).where(IndexedTask.id == bindparam("task_id"))


@use_case
def claim(user, task_id: str) -> IndexedTask:
    """Take a pool task so that nobody else in the pool works on it."""
    task = _visible_task(user, task_id)
    if task.state != "ready":
        raise Conflict("task.already", state=task.state)
    if not routing.may_claim(user, task):
        raise Conflict("task.held_by_someone") if task.assignee_id else NotAllowed("task.not_offered")
    # Conditional update: of two people claiming at once, exactly one gets it.
    changed = db.session.execute(update(IndexedTask).where(
        IndexedTask.id == task.id, IndexedTask.state == "ready", IndexedTask.assignee_id.is_(None)
    ).values(assignee_id=user.id).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise Conflict("task.claimed_first_by_someone")
    audit.record("task_claimed", actor=user, nomination_id=task.nomination_id, task_key=task.key, task_id=task.id)
    db.session.commit()
    db.session.refresh(task)
    return task


@use_case
def unclaim(user, task_id: str) -> IndexedTask:
    """Give a claimed pool task back to the pool."""
    task = _visible_task(user, task_id)
    if task.state != "ready":
        raise Conflict("task.already", state=task.state)
    if not routing.may_unclaim(user, task):
        raise NotAllowed("task.only_holder_gives_back")
    task.assignee_id = None
    audit.record("task_unclaimed", actor=user, nomination_id=task.nomination_id, task_key=task.key,
                 task_id=task.id)
    db.session.commit()
    return task


@use_case(retries=3)
def complete(user, task_id: str, submitted, *, confirmation: accounts.PasswordConfirmation | None = None) -> Nomination:
    """Complete a ready task as ``user`` and run the process to its next human step.

    A form with a password field is an electronic signature: the password is checked here
    (or was, for a batch: ``confirmation``), then dropped before the values reach the
    engine, the trail or anything stored; a Signature row records who signed, when, and what.
    """
    seen = _visible_task(user, task_id, probe=_ROUTE_PROBE)
    _check_can_complete(user, seen)
    form = instances.forms_of_definition(seen.definition_id, seen.definition_sha256).get(seen.form or "",
                                                                                         {"fields": []})
    secret_fields = forms.secret_names(form)
    confirmed = confirmation is not None and confirmation.covers(user)
    values, secrets = forms.split_secrets(form, forms.clean(
        form, submitted, satisfied=secret_fields if confirmed else frozenset()))
    _check_users(form, values, seen.nomination_id)
    if not confirmed:
        # Before the lock: a refused signature commits its failed attempt and nothing else.
        for name, password in secrets.items():
            accounts.confirm_password(user, password, purpose=f"signature:{seen.key}", field=name)
    instance = instances.lock_instance(seen.instance_id)
    # Read after the lock: another request may have finished the task while we waited for it.
    task, nomination = _task_with_nomination(seen.id)
    if nomination.instance_id != instance.id:
        raise NotFound("task.not_found", id=str(task_id))
    _check_can_complete(user, task)
    # Sending the form of a pool task nobody holds claims it: the sender takes it, as the page says.
    claimed_on_send = task.pooled and task.assignee_id is None
    if claimed_on_send:
        task.assignee_id = user.id
    run = instances.resume(instance, nomination)
    _check_rules(task, nomination, values)
    if task.secret:
        # The engine learns only that the member voted; the choice is sealed into the ballot box.
        engine_values = {"voted": True}
        ballot_box.seal(nomination.id, values["vote"])
    else:
        engine_values = values
    try:
        run.complete(task.id, engine_values)
    except TaskNotReady as exc:
        raise Conflict("task.no_longer_ready") from exc
    except UnknownTask as exc:
        raise NotFound("task.not_found", id=str(task_id)) from exc
    except ProcessFault as fault:
        db.session.rollback()
        _record_fault(user, nomination.id, task, fault)
        raise process_error(fault, task.key) from fault
    # From here on nothing reads what is written, so everything goes to the database in one
    # flush at the commit (the version check of the instance included) instead of several.
    with db.session.no_autoflush:
        if task.key == "endorse" and values.get("decision") == "endorse" and nomination.submitted_at is None:
            nomination.submitted_at = utcnow()
        # The person's step goes into the trail before the automatic steps it set off.
        if claimed_on_send:
            audit.record("task_claimed", actor=user, nomination_id=nomination.id, task_key=task.key,
                         task_id=task.id)
        _record_completion(user, task, nomination, values)
        instances.save(instance, run, nomination, actor=user, completed_task_id=task.id)
        decision = recorded = None
        if run.finished and run.outcome in ("awarded", "forwarded"):
            decision = decisions.issue(nomination, run.outcome, signer=user, comment=values.get("comment", ""))
            recorded = decisions.record_award(nomination, decision)
        if secret_fields:
            signature = decisions.record_signature(nomination, user, decision)
            audit.record("signature_given", actor=user, nomination_id=nomination.id, task_key=task.key,
                         task_id=task.id, details={"meaning": signature.meaning,
                                                   "content_sha256": signature.content_sha256})
        if decision is not None:
            audit.record("decision_signed", actor=user, nomination_id=nomination.id, task_key=task.key,
                         task_id=task.id, details={"kind": decision.kind, "number": decision.number,
                                                   "outcome": run.outcome, "sha256": decision.content_sha256,
                                                   **recorded})
    commit_keeping(nomination)
    return nomination


def _task_with_nomination(task_id: str) -> tuple[IndexedTask, Nomination]:
    """The task's row and its nomination's, both as they stand now, in one query."""
    return db.session.execute(_TASK_WITH_NOMINATION, {"task_id": task_id}).one()


_TASK_WITH_NOMINATION = (
    select(IndexedTask, Nomination).join(Nomination, Nomination.id == IndexedTask.nomination_id)
    .where(IndexedTask.id == bindparam("task_id")).execution_options(populate_existing=True))


def _check_can_complete(user, task) -> None:
    if task.state != "ready":
        raise Conflict("task.already", state=task.state)
    if not routing.may_act(user, task):
        if task.pooled and task.assignee_id is not None and task.assignee_id != user.id:
            raise Conflict("task.claimed_by_someone")
        raise NotAllowed("task.not_yours")


def _check_users(form: dict, values: dict, nomination_id: int) -> None:
    """A user field must name an active user who holds the field's role (within the nomination's
    authority, for a role held within one). Most forms name nobody: the nomination is read only
    for those that do."""
    errors = {}
    for field in form.get("fields", []):
        name = field["name"]
        if field["type"] != "user" or name not in values:
            continue
        user = db.session.execute(select(User).where(User.username == values[name])).scalar_one_or_none()
        role = field.get("role")
        authority_id = db.session.get(Nomination, nomination_id).authority_id
        if user is None or not user.active or (role and not _holds(user, role, authority_id)):
            errors[name] = Reason("form.not_an_active_user", username=values[name], role=role or "")
    if errors:
        raise InvalidData("form.invalid", fields=errors, names=sorted(errors))


def _check_rules(task, nomination, values) -> None:
    """Business rules a form cannot express: a complete dossier before submission; no vote on hold."""
    if task.key == "appraise" and (holds := nominees.open_holds(nomination)):
        raise Conflict("nomination.on_hold", holds=[h.kind for h in holds])
    if task.key == "prepare_dossier":
        present = instances.current_document_kinds(nomination.id)
        missing = [k for k in nomination.award_type.required_documents if k not in present]
        if missing:
            raise InvalidData("dossier.incomplete", missing=missing,
                              fields={"documents": Reason("dossier.missing", missing=missing)})


def _record_completion(user, task, nomination, values) -> None:
    if task.secret:
        # Participation only: the choice went sealed into the ballot box and nowhere else.
        audit.record("ballot_cast", actor=user, nomination_id=nomination.id, task_key=task.key, task_id=task.id)
        return
    decision = values.get("decision") or values.get("recommendation")
    action = "returned" if decision in RETURN_DECISIONS else "task_completed"
    details = {k: v for k, v in values.items() if k in ("decision", "recommendation", "comment", "reviewer")}
    audit.record(action, actor=user, nomination_id=nomination.id, task_key=task.key, task_id=task.id,
                 details=details)


def _record_fault(user, nomination_id, task, fault) -> None:
    audit.record("process_failed", actor=user, nomination_id=nomination_id, task_key=fault.task_key or task.key,
                 task_id=task.id, details=fault_details(fault))
    db.session.commit()


def process_error(fault: ProcessFault, task_key: str) -> ProcessError:
    """The refusal a failed process step gives the person who set it off: the helper's own, else a general one."""
    where = fault.task_key or task_key
    if fault.refusal is not None:  # the helper's own refusal, of its own kind: a missing regulation is a conflict
        return type(fault.refusal)(fault.refusal.code, task=where, **fault.refusal.params)
    return ProcessError("process.failed", task=where)


def fault_details(fault: ProcessFault) -> dict:
    """What the trail keeps of a failed step: the refusal's code, and the engine's account for administrators."""
    refusal = fault.refusal
    return {"code": refusal.code if refusal else "process.failed", "params": dict(refusal.params) if refusal else {},
            "detail": fault.detail[:500], "line": fault.line}


def _holds(user, role: str, authority_id: int | None) -> bool:
    if role in routing.AUTHORITY_ROLES:
        return user.acts_as(role, authority_id)
    return role in user.roles


def users_with_role(role: str, authority_id: int | None = None) -> list[User]:
    """Active users holding ``role`` (within the authority, for a role held within one), by name:
    the people a user field of a form may name."""
    if role in routing.AUTHORITY_ROLES:
        return [u for u in authorities.holders(authority_id, _WITHIN[role]) if u.active]
    return list(db.session.execute(
        select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))
        .order_by(User.full_name, User.username)).scalars())


# The role within an authority that a diagram role's user field names.
_WITHIN = {acts_as: within for within, acts_as in ACTS_AS.items()}


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
    findings: findings.Findings
    returned: returns.Return | None  # the return that sent the dossier back, when it opened this task


def view(user, task_id: str) -> TaskView:
    """A task as its page shows it: the dossier to decide on, earlier opinions, the form, and what the user may do.

    Anyone who may see the nomination may look at its tasks; only those the task is routed
    to get ``may_complete``. A secret (vote) task shows no earlier ballots, only opinions.
    """
    task = _visible_task(user, task_id)
    nomination = db.session.get(Nomination, task.nomination_id)
    form = task_form(task)
    ready = task.state == "ready"
    candidates = {f["name"]: users_with_role(f["role"], nomination.authority_id) for f in form.get("fields", [])
                  if f["type"] == "user" and f.get("role")}
    return TaskView(
        task=task, nomination=nomination, form=form,
        holder=task.assignee if task.assignee_id else None,
        completed_by=db.session.get(User, task.completed_by_id) if task.completed_by_id else None,
        may_complete=ready and routing.may_act(user, task),
        may_claim=ready and routing.may_claim(user, task),
        may_unclaim=ready and routing.may_unclaim(user, task),
        candidates=candidates, may_change_dossier=nominations.may_change_dossier(user, nomination),
        dossier=nominations.dossier_of(nomination, user),  # the office sees damaged files marked
        opinions=nominations.opinions_of(nomination),
        findings=findings.shown(nomination), returned=returns.behind(task))


def public_fields(form: dict) -> list[dict]:
    """A form's fields as a reader sees them (what the engine keeps for itself left out)."""
    return forms.public_fields(form)


def secret_names(form: dict) -> set[str]:
    """The fields of a form never sent back to the browser (passwords)."""
    return forms.secret_names(form)
