"""Append to the audit trail, verify its hash chain, and search it.

Every event carries the hash of its predecessor, so editing, deleting or reordering any
stored event breaks the chain at that point, and ``verify`` names it. The hash is an
HMAC-SHA256 under a key kept outside the database (``audit_keys``): someone who can write the
database but not read the key cannot re-hash the chain after an edit so that it verifies.

Events written before the chain was keyed have no key id; they were hashed with plain SHA-256
and are verified that way, but only as the chain's first events: once a keyed event has
been seen, an unkeyed one is refused, so nobody can downgrade later events to the old rule.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from workflows.db import db, utcnow
from workflows.models import AuditEvent, AuditHead
from workflows.models.audit import GENESIS
from workflows.services.audit_keys import Keyring

SYSTEM = "system"

_keyring_source: Callable[[], Keyring] | None = None


def use_keyring(source: Callable[[], Keyring]) -> None:
    """Say where the keys come from: a function giving the ring of the running application."""
    global _keyring_source
    _keyring_source = source


def keyring() -> Keyring:
    """The ring of the running application; appending or verifying without one is a setup error."""
    if _keyring_source is None:
        raise RuntimeError("no audit keyring configured: call audit.use_keyring() first")
    return _keyring_source()


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
    event.key_id, event.hash = keyring().seal(_message(event))
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


def event_hash(event: AuditEvent, ring: Keyring | None = None) -> str | None:
    """The event's hash as it should be: the HMAC under the key it names, or for an event
    written before keying the plain sha256; None when the ring lacks the named key."""
    message = _message(event)
    if not event.key_id:
        return hashlib.sha256(message).hexdigest()
    return (ring or keyring()).mac(event.key_id, message)


def _message(event: AuditEvent) -> bytes:
    """What the hash covers: the predecessor's hash and the event's content, canonical JSON."""
    content = {
        "seq": event.seq, "at": _stamp(event.at), "actor_id": event.actor_id, "actor": event.actor,
        "nomination_id": event.nomination_id, "action": event.action, "task_key": event.task_key,
        "task_id": event.task_id, "details": event.details or {},
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (event.prev_hash + canonical).encode("utf-8")


def _stamp(at: datetime) -> str:
    return at.replace(tzinfo=None).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    # What broke, as a key a reader's language can name: missing, link, content, truncated,
    # unkeyed (a plain hash after keyed events) or key_unknown (sealed by a key the ring lacks).
    problem: str = ""
    unkeyed: int = 0  # how many of the checked events were written before keying (plain sha256)


def verify(batch: int = 5000) -> Verification:
    """Recompute the whole chain in order; stop at the first event that does not match."""
    ring = keyring()
    expected_prev, expected_seq, checked, unkeyed, keyed_seen = GENESIS, 1, 0, 0, False
    last_seq = 0
    while True:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return Verification(False, checked, expected_seq, "missing", unkeyed)
            if event.prev_hash != expected_prev:
                return Verification(False, checked, event.seq, "link", unkeyed)
            if event.key_id:
                keyed_seen = True
                if event.key_id not in ring.keys:
                    return Verification(False, checked, event.seq, "key_unknown", unkeyed)
            elif keyed_seen:
                return Verification(False, checked, event.seq, "unkeyed", unkeyed)
            else:
                unkeyed += 1
            if event_hash(event, ring) != event.hash:
                return Verification(False, checked, event.seq, "content", unkeyed)
            expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
            last_seq = event.seq
        for event in rows:  # keep memory flat over a long trail, without touching the caller's objects
            db.session.expunge(event)
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        return Verification(False, checked, last_seq + 1, "truncated", unkeyed)
    return Verification(True, checked, unkeyed=unkeyed)


@dataclass(frozen=True)
class Head:
    """The chain's newest event: what a checkpoint or a signed paper anchors outside the database."""

    seq: int
    hash: str
    key_id: str | None


def head() -> Head:
    """The newest event of the chain as it stands (the genesis, seq 0, when it is empty)."""
    row = db.session.execute(select(AuditEvent.seq, AuditEvent.hash, AuditEvent.key_id)
                             .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return Head(row.seq, row.hash, row.key_id) if row else Head(0, GENESIS, None)


def head_now() -> tuple[int, str]:
    """(seq, hash) of the newest event as this transaction sees the chain, its own events included."""
    held = _lock_head()
    return held.seq, held.hash


def holds(anchor: Head) -> bool:
    """Whether the chain still has the anchored event at its place, with the same hash and key."""
    if anchor.seq == 0:
        return anchor.hash == GENESIS
    row = db.session.execute(select(AuditEvent.hash, AuditEvent.key_id).where(AuditEvent.seq == anchor.seq)).first()
    return row is not None and row.hash == anchor.hash and (row.key_id or None) == (anchor.key_id or None)


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
