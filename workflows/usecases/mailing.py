"""Sending the outbox: the mail the process queued, handed to the SMTP server one message at a time."""

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from workflows.db import db, utcnow
from workflows.models import OutboxMessage
from workflows.services.notifications import MAX_ATTEMPTS

Renderer = Callable[[OutboxMessage], tuple[str, str]]


def send_queued(smtp_url: str, sender: str, render: Renderer, batch: int = 200) -> tuple[int, int]:
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
