"""Telling officials by e-mail that work is waiting for them.

Messages are queued in the outbox inside the transaction that creates the work, so mail goes
out only for changes that were committed; `flask tick` delivers the queue over SMTP and keeps
what could not be sent for the next tick (``usecases/mailing.py``). The outbox keeps what a message
is about and the recipient's language; the sender words it as it goes out.
"""


from sqlalchemy import bindparam, select

from workflows.db import db
from workflows.models import AuthorityRole, IndexedTask, OutboxMessage, User, UserRole
from workflows.models.people import ACTS_AS

MAX_ATTEMPTS = 5
TASK_WAITING, TASK_OVERDUE = "task_waiting", "task_overdue"
LIST_TASK_WAITING = "list_task_waiting"
# (subject, body) of a queued message, in its recipient's language.


def queue_task_notices(nomination, tasks: list[IndexedTask]) -> None:
    """A message to everyone who may now do one of the new tasks."""
    named = _users_by_id({task.assignee_id for task in tasks if task.assignee_id is not None})
    for task in tasks:
        if task.assignee_id is None:
            people = recipients(task)
        else:
            people = [named[task.assignee_id]] if task.assignee_id in named else []
        for user in people:
            _queue(user, TASK_WAITING, nomination, task)


def queue_list_notices(proposal, tasks: list[IndexedTask]) -> None:
    """A message to everyone who may now take a step of a list (the council's wait excepted)."""
    award = proposal.award_type
    for task in tasks:
        if task.key == "await_session":  # nobody acts on it: the session's close moves the list
            continue
        for user in recipients(task):
            db.session.add(OutboxMessage(to_address=user.email, template=LIST_TASK_WAITING, locale=user.locale, params={
                "recipient": user.full_name, "task": task.key, "task_name": task.name, "proposal_id": proposal.id,
                "title": proposal.title, "award_code": award.code, "award_name": award.name,
                "award_name_vi": award.name_vi, "unit": proposal.unit.code, "year": proposal.year,
                "due_at": task.due_at.isoformat() if task.due_at else None}))


def queue_reminder(nomination, task_key: str) -> None:
    """Remind whoever holds the overdue task."""
    tasks = db.session.execute(select(IndexedTask).where(
        IndexedTask.nomination_id == nomination.id, IndexedTask.key == task_key,
        IndexedTask.state == "ready")).scalars()
    for task in tasks:
        for user in recipients(task):
            _queue(user, TASK_OVERDUE, nomination, task)


def _users_by_id(ids) -> dict[int, User]:
    """The named people with an address, in one query: a ballot opens one task per member."""
    if not ids:
        return {}
    rows = db.session.execute(_NAMED_USERS, {"ids": sorted(ids)}).scalars()
    return {user.id: user for user in rows}


# Built once: every completion that opens a named task runs it.
_NAMED_USERS = select(User).where(User.id.in_(bindparam("ids", expanding=True)), User.active.is_(True),
                                  User.email.is_not(None), User.email != "")


def recipients(task: IndexedTask) -> list[User]:
    """The named person, or everyone with the task's role (within its authority, or in its unit,
    if narrowed) and an address."""
    query = select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "")
    if task.assignee_id is not None:
        query = query.where(User.id == task.assignee_id)
    elif task.authority_id is not None:
        within = [role for role, acts_as in ACTS_AS.items() if acts_as == task.role]
        query = query.join(AuthorityRole, AuthorityRole.user_id == User.id).where(
            AuthorityRole.authority_id == task.authority_id, AuthorityRole.role.in_(within))
    else:
        query = query.join(UserRole).where(UserRole.role == task.role)
        if task.unit_id is not None:
            query = query.where(User.unit_id == task.unit_id)
    return list(db.session.execute(query.order_by(User.username)).scalars())


def _queue(user: User, template: str, nomination, task: IndexedTask) -> None:
    """Everything the message will say, as data: the task, the nomination, the deadline (UTC)."""
    award = nomination.award_type
    db.session.add(OutboxMessage(to_address=user.email, template=template, locale=user.locale, params={
        "recipient": user.full_name, "task": task.key, "task_name": task.name, "nomination_id": nomination.id,
        "award_code": award.code, "award_name": award.name, "award_name_vi": award.name_vi,
        "nominee": nomination.nominee_name, "unit": nomination.unit.code, "year": nomination.year,
        "due_at": task.due_at.isoformat() if task.due_at else None}))
