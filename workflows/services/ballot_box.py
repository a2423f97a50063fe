"""The ballot box: a secret ballot is sealed when cast and opened only to be counted at the close.

A cast ballot is one row of ``sealed_ballot``: a random id, the nomination, and the choice
sealed with AES-256-GCM under a key the database does not hold (the application hands it over
at start-up, ``use_keys``). The row has no voter, no time and no counter, and casting only
inserts: no row that another voter touched is ever updated. So what the database can say of a
ballot while the vote is open (its columns, PostgreSQL's xmin naming the voter's transaction,
its place in the table) ties a member to a ciphertext at most, which is useless without the key.

The counts exist only from the close: ``count_and_clear`` opens every ballot of the nomination,
counts them and deletes them, in the closing transaction. Once that transaction has committed
the box is swept (``sweep``): a VACUUM on PostgreSQL and a WAL checkpoint on SQLite, so the
deleted ciphertexts do not stay in the database's files. docs/security.md, "The secret ballot",
says who can learn what, and what is left.
"""

import base64
import binascii
import logging
import secrets
from collections import Counter
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import bindparam, delete, event, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from workflows.db import db, in_chunks
from workflows.errors import Conflict
from workflows.models import SealedBallot

log = logging.getLogger(__name__)

KEY_BYTES = 32  # AES-256
FORMAT = b"\x01"  # the first byte of every sealed ballot: how the rest is laid out
NONCE_BYTES = 12
# Every choice is padded to this many bytes before sealing: "yes" and "no" seal to ciphertexts
# of one length, which would otherwise tell them apart without the key.
CHOICE_BYTES = 16
SEALED_BYTES = len(FORMAT) + NONCE_BYTES + CHOICE_BYTES + 16  # 16: the GCM tag

_keys: tuple[AESGCM, ...] = ()
_CLEARED = "ballot_box.cleared"  # session.info flag: this transaction emptied a box


def use_keys(keys: Iterable[bytes]) -> None:
    """Seal with the first key; open with any of them (the others are keys being retired)."""
    global _keys
    keys = list(keys)
    if not keys or any(len(key) != KEY_BYTES for key in keys):
        raise ValueError(f"ballot keys must be {KEY_BYTES} bytes each, and there must be at least one")
    _keys = tuple(AESGCM(key) for key in keys)


def parse_keys(text: str) -> list[bytes]:
    """Keys written as URL-safe base64, separated by commas; the first one seals."""
    keys = []
    for part in "".join(text.split()).split(","):  # spaces and line ends are not part of a key
        if not part:
            continue
        try:
            key = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            raise ValueError("a ballot key is not URL-safe base64") from None
        if len(key) != KEY_BYTES:
            raise ValueError(f"a ballot key must be {KEY_BYTES} bytes, not {len(key)}")
        keys.append(key)
    if not keys:
        raise ValueError("no ballot key given")
    return keys


def new_key_text() -> str:
    """A fresh random key, written as ``parse_keys`` reads it."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def seal(nomination_id: int, choice: str) -> None:
    """Put one sealed ballot for the nomination into the box, in the caller's transaction."""
    db.session.execute(_INSERT, sealed_row(nomination_id, choice))


def sealed_row(nomination_id: int, choice: str) -> dict:
    """The row of one sealed ballot: a random id, the nomination, the sealed choice."""
    if not _keys:
        raise RuntimeError("no ballot key: the application must call ballot_box.use_keys at start-up")
    plain = choice.encode("utf-8") if isinstance(choice, str) else b""
    if not plain or len(plain) > CHOICE_BYTES or b"\0" in plain:
        raise ValueError("a ballot choice is a short word")
    ballot_id = secrets.token_hex(16)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = _keys[0].encrypt(nonce, plain.ljust(CHOICE_BYTES, b"\0"), _bound_to(nomination_id, ballot_id))
    return {"id": ballot_id, "nomination_id": nomination_id, "sealed": FORMAT + nonce + sealed}


def opened(nomination_id: int, ballot_id: str, sealed: bytes) -> str:
    """The choice a sealed ballot holds; refuses one that no key opens, or that was moved or altered."""
    sealed = bytes(sealed)
    if len(sealed) == SEALED_BYTES and sealed[:1] == FORMAT:
        nonce, body = sealed[1:1 + NONCE_BYTES], sealed[1 + NONCE_BYTES:]
        for key in _keys:
            try:
                return key.decrypt(nonce, body, _bound_to(nomination_id, ballot_id)).rstrip(b"\0").decode("utf-8")
            except (InvalidTag, UnicodeDecodeError):
                continue
    raise Conflict("ballot.unreadable", nomination=nomination_id)


def count_and_clear(nomination_id: int, *, expected: int | None = None) -> dict[str, int]:
    """Open and count the nomination's ballots and empty its box, in the caller's (closing) transaction.

    ``expected`` is how many members took part (the process knows who did): a box holding
    another number of ballots was tampered with, and nothing is counted. The caller holds the
    process instance's lock, as every ballot cast for it did, so no ballot arrives meanwhile.
    """
    rows = db.session.execute(_BOX, {"nomination_id": nomination_id}).all()
    if expected is not None and len(rows) != expected:
        raise Conflict("ballot.count_mismatch", nomination=nomination_id, count=len(rows), expected=expected)
    counts = Counter(opened(nomination_id, ballot_id, sealed) for ballot_id, sealed in rows)
    db.session.execute(_EMPTY, {"nomination_id": nomination_id})
    db.session.info[_CLEARED] = True
    return dict(counts)


def count_and_clear_many(expected: dict[int, int]) -> dict[int, dict[str, int]]:
    """``count_and_clear`` of many nominations at once (nomination id -> how many took part), in
    one read and one delete whatever their number; refused, for the first in the given order whose
    box holds another number of ballots, as ``count_and_clear`` refuses it."""
    ids = list(expected)
    boxes: dict[int, list] = {nomination_id: [] for nomination_id in ids}
    for chunk in in_chunks(ids):
        for nomination_id, ballot_id, sealed in db.session.execute(_BOXES, {"ids": chunk}):
            boxes[nomination_id].append((ballot_id, sealed))
    for nomination_id in ids:
        if expected[nomination_id] is not None and len(boxes[nomination_id]) != expected[nomination_id]:
            raise Conflict("ballot.count_mismatch", nomination=nomination_id, count=len(boxes[nomination_id]),
                           expected=expected[nomination_id])
    counts = {nomination_id: dict(Counter(opened(nomination_id, ballot_id, sealed) for ballot_id, sealed in rows))
              for nomination_id, rows in boxes.items()}
    for chunk in in_chunks(ids):
        db.session.execute(_EMPTY_MANY, {"ids": chunk})
    if ids:
        db.session.info[_CLEARED] = True
    return counts


def sealed_count(nomination_id: int) -> int:
    """How many ballots the nomination's box holds (who cast them is public; what they say is not)."""
    return db.session.execute(select(func.count()).select_from(SealedBallot)
                              .where(SealedBallot.nomination_id == nomination_id)).scalar_one()


def sweep(engine) -> None:
    """Rid the database's files of ballots deleted at a close; outside any transaction, best effort.

    PostgreSQL keeps a deleted row's old version in the table until VACUUM reclaims it; SQLite
    zeroes deleted rows (``secure_delete``, set on every connection by the web app's database
    settings) but keeps earlier page images in its write-ahead log until a checkpoint.
    Neither waits: a VACUUM or checkpoint that would have to is left to the database's own.
    """
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"VACUUM (SKIP_LOCKED) {SealedBallot.__tablename__}")
            elif connection.dialect.name == "sqlite":
                waits = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
                connection.exec_driver_sql("PRAGMA busy_timeout = 0")
                try:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(waits or 0)}")
    except SQLAlchemyError as error:
        # The ballots are counted and deleted all the same; only their old bytes wait longer.
        log.warning("ballot_box.sweep_failed: %s", type(error).__name__)


def _bound_to(nomination_id: int, ballot_id: str) -> bytes:
    # Authenticated with the ciphertext: a sealed ballot copied to another row or nomination no longer opens.
    return f"laurel-ballot|{int(nomination_id)}|{ballot_id}".encode("ascii")


_INSERT = insert(SealedBallot.__table__)
_BOX = select(SealedBallot.id, SealedBallot.sealed).where(SealedBallot.nomination_id == bindparam("nomination_id"))
_BOXES = select(SealedBallot.nomination_id, SealedBallot.id, SealedBallot.sealed).where(
    SealedBallot.nomination_id.in_(bindparam("ids", expanding=True)))
_EMPTY_MANY = delete(SealedBallot.__table__).where(
    SealedBallot.__table__.c.nomination_id.in_(bindparam("ids", expanding=True)))
_EMPTY = delete(SealedBallot.__table__).where(SealedBallot.__table__.c.nomination_id == bindparam("nomination_id"))


@event.listens_for(Session, "after_commit")
def _sweep_after_a_close(session):
    if session.info.pop(_CLEARED, False):
        sweep(session.get_bind())


@event.listens_for(Session, "after_rollback")
def _nothing_to_sweep(session):
    session.info.pop(_CLEARED, None)
