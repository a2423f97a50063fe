"""Append to the audit trail, verify its hash chain, and search it.

Every event carries the hash of its predecessor, so editing, deleting or reordering any
stored event breaks the chain at that point, and ``verify`` names it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from .db import db, utcnow
from .models import AuditEvent, AuditHead
from .models.audit import GENESIS

SYSTEM = "system"


def record(action: str, *, actor=None, nomination_id: int | None = None, task_key: str | None = None,
           task_id: str | None = None, details: dict | None = None) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    ``actor`` is a user or None for the system. Appending locks the chain's head row until
    the transaction ends, so callers record late, just before they commit.
    """
    head = _lock_head()
    event = AuditEvent(
        seq=head.seq + 1, at=utcnow(), actor_id=getattr(actor, "id", None),
        actor=getattr(actor, "username", None) or SYSTEM, nomination_id=nomination_id, action=action,
        task_key=task_key, task_id=task_id, details=details or {}, prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    head.seq, head.hash = event.seq, event.hash
    db.session.add(event)
    return event


def _lock_head() -> AuditHead:
    # The no-op UPDATE takes the lock before the head is read: a row lock on PostgreSQL,
    # the database write lock on SQLite. The lock lasts until the transaction ends, so a
    # transaction recording several events takes it once.
    transaction = db.session().get_transaction()
    held = db.session.info.get("audit_head")
    if held is not None and held[0] is transaction:
        return held[1]
    # RETURNING reads the locked head in the same statement (SQLite 3.35+ and PostgreSQL).
    head = db.session.execute(_LOCK_HEAD).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        db.session.add(head)
        db.session.flush()
    db.session.info["audit_head"] = (transaction, head)
    return head


_LOCK_HEAD = (update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq).returning(AuditHead)
              .execution_options(populate_existing=True, synchronize_session=False))


def event_hash(event: AuditEvent) -> str:
    """The sha256 of the event's content and its predecessor's hash."""
    content = {
        "seq": event.seq, "at": _stamp(event.at), "actor_id": event.actor_id, "actor": event.actor,
        "nomination_id": event.nomination_id, "action": event.action, "task_key": event.task_key,
        "task_id": event.task_id, "details": event.details or {},
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((event.prev_hash + canonical).encode("utf-8")).hexdigest()


def _stamp(at: datetime) -> str:
    return at.replace(tzinfo=None).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    # What broke, as a key a reader's language can name: missing, link, content or truncated.
    problem: str = ""


def verify(batch: int = 5000) -> Verification:
    """Recompute the whole chain in order; stop at the first event that does not match."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return Verification(False, checked, expected_seq, "missing")
            if event.prev_hash != expected_prev:
                return Verification(False, checked, event.seq, "link")
            if event_hash(event) != event.hash:
                return Verification(False, checked, event.seq, "content")
            expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
            last_seq = event.seq
        for event in rows:  # keep memory flat over a long trail, without touching the caller's objects
            db.session.expunge(event)
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        return Verification(False, checked, last_seq + 1, "truncated")
    return Verification(True, checked)


def search(*, actor: str | None = None, nomination_id: int | None = None, action: str | None = None,
           since: datetime | None = None, until: datetime | None = None,
           limit: int = 500, offset: int = 0) -> list[AuditEvent]:
    """Events matching every given filter, in the order they happened."""
    query = select(AuditEvent)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if nomination_id is not None:
        query = query.where(AuditEvent.nomination_id == nomination_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at <= until)
    query = query.order_by(AuditEvent.seq).limit(limit).offset(offset)
    return list(db.session.execute(query).scalars())
