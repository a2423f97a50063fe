"""Telling officials by e-mail that work is waiting for them.

Messages are queued in the outbox inside the transaction that creates the work, so mail goes
out only for changes that were committed; `flask tick` delivers the queue over SMTP and keeps
what could not be sent for the next tick. The outbox keeps what a message is about and the
recipient's language; the caller of ``deliver`` words it (``render``) as it goes out.
"""

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import bindparam, select

from workflows.db import db, utcnow
from workflows.models import IndexedTask, OutboxMessage, User, UserRole

MAX_ATTEMPTS = 5
TASK_WAITING, TASK_OVERDUE = "task_waiting", "task_overdue"
# (subject, body) of a queued message, in its recipient's language.
Renderer = Callable[[OutboxMessage], tuple[str, str]]


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
    """The named person, or everyone with the task's role (in its unit, if narrowed) and an address."""
    query = select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "")
    if task.assignee_id is not None:
        query = query.where(User.id == task.assignee_id)
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


def deliver(smtp_url: str, sender: str, render: Renderer, batch: int = 200) -> tuple[int, int]:
    """Send queued messages, each worded by ``render``; returns (sent, failed).

    Failures are kept and retried a few times.
    """
    pending = list(db.session.execute(select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS
    ).order_by(OutboxMessage.id).limit(batch)).scalars())
    if not pending:
        return 0, 0
    sent = failed = 0
    try:
        connection = _connect(smtp_url)
    except (OSError, smtplib.SMTPException) as exc:
        for message in pending:
            message.attempts += 1
            message.last_error = f"cannot connect: {exc}"[:500]
        db.session.commit()
        return 0, len(pending)
    with connection:
        for message in pending:
            message.attempts += 1
            try:
                email = _email(message, sender, *render(message))
            except (KeyError, ValueError, TypeError) as exc:  # a message this version cannot word
                message.last_error, failed = f"cannot write the message: {exc!r}"[:500], failed + 1
                db.session.commit()
                continue
            try:
                connection.send_message(email)
                message.sent_at, message.last_error = utcnow(), None
                sent += 1
            except smtplib.SMTPException as exc:
                message.last_error = str(exc)[:500]
                failed += 1
            db.session.commit()  # one message at a time: a crash never re-sends what went out
    return sent, failed


def _email(message: OutboxMessage, sender: str, subject: str, body: str) -> EmailMessage:
    """A UTF-8 message: non-ASCII headers are RFC 2047 encoded, the body quoted-printable or base64."""
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = sender, message.to_address, subject
    email.set_content(body, charset="utf-8")
    return email


def _connect(smtp_url: str) -> smtplib.SMTP:
    """smtp://[user:password@]host[:port], smtp+starttls://..., or smtps://..."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
        raise smtplib.SMTPException(f"unsupported mail URL scheme {parts.scheme!r}")
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        connection = smtplib.SMTP_SSL(host, parts.port or 465, timeout=15)
    else:
        connection = smtplib.SMTP(host, parts.port or 25, timeout=15)
        if parts.scheme == "smtp+starttls":
            connection.starttls()
    if parts.username:
        connection.login(unquote(parts.username), unquote(parts.password or ""))
    return connection
