"""The append-only audit trail, chained by hashes so that any edit shows."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db, utcnow

GENESIS = "0" * 64


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    # seq is the chain position; it is assigned under the audit head's lock.
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)  # no foreign key: events outlive users
    actor: Mapped[str] = mapped_column(String(64))
    nomination_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(48), index=True)
    task_key: Mapped[str | None] = mapped_column(String(64))
    task_id: Mapped[str | None] = mapped_column(String(36))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The fingerprint of the key whose HMAC ``hash`` is; None for events hashed before keying.
    key_id: Mapped[str | None] = mapped_column(String(16))


class AuditHead(db.Model):
    """The single row holding the chain's tail.

    Appending updates it first, which takes a row lock on PostgreSQL and the write lock on
    SQLite, so two transactions can never extend the chain from the same tail.
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
