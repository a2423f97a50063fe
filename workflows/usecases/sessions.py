"""Browser sessions kept on the server, so that a session that has ended stays ended.

The browser's cookie carries only a random token (256 bits); the table keeps its sha256, the user,
when the session began and was last seen, and when and why it ended. A session ends at sign-out;
all of a user's sessions end when their password is changed or reset, or when they are
deactivated; and a session found idle for longer than ``Limits.idle``, or older than
``Limits.lifetime``, ends then. An ended session is never resumed, whatever its cookie says.
API tokens are separate (see ``accounts``).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from workflows.db import db, utcnow
from workflows.models import User, UserSession
from workflows.services import audit
from workflows.services.transactions import commit_keeping

# Last-seen is written at most this often per session: a page view mostly only reads.
TOUCH_EVERY = timedelta(minutes=1)
# Why a session ended. Sign-outs and the ends a person asks for are in the audit trail; idle and
# too-old sessions are not (every session that is not signed out ends so): the row keeps that.
# How long a session's row is kept after it was last seen, for its user's and the auditors' questions.
KEPT_FOR = timedelta(days=90)
REASONS = ("signed_out", "ended_elsewhere", "password_changed", "password_reset", "deactivated", "idle", "expired")


@dataclass(frozen=True)
class Limits:
    idle: timedelta = timedelta(minutes=30)
    lifetime: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class Resumed:
    """A session's user and id, or why it cannot go on (``ended``: one of REASONS, or "unknown")."""

    user: User | None
    session_id: int | None = None
    ended: str | None = None


def start(user: User, *, source: str | None = None, device: str | None = None) -> str:
    """Open a session for a user who has just proved who they are; return the token for their cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(UserSession(token_hash=_digest(token), user_id=user.id, created_at=now, last_seen_at=now,
                               source=(source or "")[:64] or None, device=(device or "")[:100] or None))
    commit_keeping(user)
    return token


def resume(token: str, limits: Limits) -> Resumed:
    """The user of the session holding ``token``, or why not; a session found idle or too old ends here."""
    row = db.session.execute(_BY_TOKEN, {"token_hash": _digest(token or "")}).unique().scalar_one_or_none()
    if row is None:
        return Resumed(None, ended="unknown")
    if row.ended_at is not None:
        return Resumed(None, row.id, ended=row.end_reason)
    now = utcnow()
    ended = ("deactivated" if not row.user.active else "expired" if now - row.created_at >= limits.lifetime
             else "idle" if now - row.last_seen_at >= limits.idle else None)
    if ended:
        _end(UserSession.id == row.id, ended, now)
        db.session.commit()
        return Resumed(None, row.id, ended=ended)
    if now - row.last_seen_at >= TOUCH_EVERY:
        db.session.execute(update(UserSession).where(UserSession.id == row.id, UserSession.ended_at.is_(None))
                           .values(last_seen_at=now).execution_options(synchronize_session=False))
        commit_keeping(row.user)
    return Resumed(row.user, row.id)


def end(token: str) -> None:
    """Sign out: end the session holding ``token`` (if it is still open) and record it."""
    row = db.session.execute(_BY_TOKEN, {"token_hash": _digest(token or "")}).unique().scalar_one_or_none()
    if row is None or row.ended_at is not None:
        return
    _end(UserSession.id == row.id, "signed_out", utcnow())
    audit.record("signed_out", actor=row.user, details={"session": row.id})
    db.session.commit()


def end_all(user: User, reason: str) -> int:
    """End every open session of ``user`` in the caller's transaction; how many there were."""
    return _end(UserSession.user_id == user.id, reason, utcnow())


def end_others(user: User, keep_id: int | None) -> int:
    """End the user's open sessions but ``keep_id`` (the one asking), recorded; how many ended."""
    ended = _end((UserSession.user_id == user.id) & (UserSession.id != (keep_id or 0)), "ended_elsewhere", utcnow())
    if ended:
        audit.record("sessions_ended", actor=user, details={"count": ended, "kept": keep_id})
    db.session.commit()
    return ended


def active(user: User, limits: Limits) -> list[UserSession]:
    """The user's sessions still open and within their limits, the most recently seen first."""
    now = utcnow()
    rows = db.session.execute(select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                                        UserSession.created_at > now - limits.lifetime,
                                                        UserSession.last_seen_at > now - limits.idle)
                              .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())).scalars()
    return list(rows)


def purge(now: datetime | None = None) -> int:
    """Delete the sessions not seen for KEPT_FOR, ended or abandoned (the trail keeps sign-ins and -outs)."""
    purged = db.session.execute(delete(UserSession).where(UserSession.last_seen_at < (now or utcnow()) - KEPT_FOR)
                                ).rowcount
    db.session.commit()
    return purged


def _end(condition, reason: str, now: datetime) -> int:
    if reason not in REASONS:
        raise ValueError(f"not a reason to end a session: {reason!r}")
    return db.session.execute(update(UserSession).where(condition, UserSession.ended_at.is_(None))
                              .values(ended_at=now, end_reason=reason)
                              .execution_options(synchronize_session=False)).rowcount


def _digest(token: str) -> str:
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


# Built once: every page view runs it. The user's roles (and those held within authorities) come in
# the same statement.
_BY_TOKEN = (select(UserSession).where(UserSession.token_hash == bindparam("token_hash"))
             .options(joinedload(UserSession.user).joinedload(User.role_rows),
                      joinedload(UserSession.user).joinedload(User.authority_roles)))
