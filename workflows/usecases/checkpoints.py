"""Checkpoints: the audit chain's head written down outside the database, and checked later.

A keyed chain stops someone who can write the database but not read the key. A checkpoint
also stops someone who has both: once the head (seq, hash, key) has left the building in a
file and in the auditors' mailboxes, no later rewrite or truncation of the events up to it
can match it again. ``take`` records the checkpoint in the trail (the checkpoint anchors that
very event), queues a notice to every auditor, and returns what the file holds; ``check``
says whether the chain still contains the head a file names.
"""

import hmac
import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from workflows.db import db
from workflows.errors import Conflict, InvalidData
from workflows.models import OutboxMessage, User, UserRole
from workflows.services import audit, audit_keys
from workflows.services.transactions import use_case

FORMAT = "laurel-audit-checkpoint"
VERSION = 1
TEMPLATE = "audit_checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    key_id: str | None
    at: datetime  # naive UTC
    mac: str = ""  # HMAC of the other fields under key_id: a file edited by hand shows

    def fields(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "seq": self.seq, "hash": self.hash, "key_id": self.key_id,
                "at": self.at.isoformat(timespec="seconds") + "Z"}

    def text(self) -> str:
        """The file's content: the fields and their seal, as JSON."""
        return json.dumps({**self.fields(), "mac": self.mac}, indent=2, sort_keys=True) + "\n"


@dataclass(frozen=True)
class Taken:
    checkpoint: Checkpoint
    notified: int  # auditors with an address to whom the notice was queued


@use_case
def take() -> Taken:
    """Verify the chain, record the checkpoint as its newest event, and queue the auditors' notice."""
    verification = audit.verify()
    if not verification.ok:
        raise Conflict("audit.chain_broken", seq=verification.first_bad_seq, problem=verification.problem)
    auditors = list(db.session.execute(
        select(User).join(UserRole).where(UserRole.role == "auditor", User.active.is_(True),
                                          User.email.is_not(None), User.email != "")
        .order_by(User.username)).scalars().unique())
    event = audit.record("audit_checkpoint", details={"events": verification.checked + 1,
                                                      "auditors_notified": len(auditors)})
    unsealed = Checkpoint(event.seq, event.hash, event.key_id, event.at.replace(microsecond=0))
    checkpoint = replace(unsealed, mac=_mac(unsealed))
    for auditor in auditors:
        db.session.add(OutboxMessage(to_address=auditor.email, template=TEMPLATE, locale=auditor.locale, params={
            "recipient": auditor.full_name or auditor.username, "seq": checkpoint.seq, "hash": checkpoint.hash,
            "key_id": checkpoint.key_id, "at": checkpoint.at.isoformat()}))
    db.session.commit()
    return Taken(checkpoint, len(auditors))


def _mac(checkpoint: Checkpoint) -> str:
    canonical = json.dumps(checkpoint.fields(), sort_keys=True, separators=(",", ":")).encode("utf-8")
    return audit.keyring().mac(checkpoint.key_id, canonical) or ""


def read(text: str) -> Checkpoint:
    """The checkpoint a file holds; InvalidData when it is not one."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not a checkpoint")
        seq, digest, key, mac = data["seq"], data["hash"], data.get("key_id"), data.get("mac", "")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0 or not isinstance(digest, str) \
                or len(digest) != 64 or not isinstance(key, (str, type(None))) or not isinstance(mac, str):
            raise ValueError("bad fields")
        at = datetime.fromisoformat(str(data["at"]).removesuffix("Z"))
    except (ValueError, KeyError, TypeError):
        raise InvalidData("checkpoint.unreadable") from None
    return Checkpoint(seq, digest, key, at.replace(tzinfo=None), mac)


@dataclass(frozen=True)
class CheckpointCheck:
    ok: bool
    verification: audit.Verification
    # What is wrong, when something is: chain (the chain itself fails verification), sealed (the
    # file's own seal does not match: it was edited), gone (the chain no longer reaches that far)
    # or different (the event at that place is not the one written down).
    problem: str = ""


def check(checkpoint: Checkpoint) -> CheckpointCheck:
    """Verify the whole chain, then that it still holds the checkpoint's event exactly."""
    verification = audit.verify()
    if checkpoint.key_id and checkpoint.key_id in audit.keyring().keys \
            and not hmac.compare_digest(_mac(checkpoint), checkpoint.mac):
        return CheckpointCheck(False, verification, "sealed")
    if not verification.ok:
        return CheckpointCheck(False, verification, "chain")
    if audit.head().seq < checkpoint.seq:
        return CheckpointCheck(False, verification, "gone")
    if not audit.holds(audit.Head(checkpoint.seq, checkpoint.hash, checkpoint.key_id)):
        return CheckpointCheck(False, verification, "different")
    return CheckpointCheck(True, verification)


def record_rotation(previous: str, current: str) -> None:
    """The first event under a new key says which key it follows: the rotation is in the trail."""
    audit.record("audit_key_rotated", details={"previous_key_id": previous, "key_id": current})
    db.session.commit()


def verify_chain() -> audit.Verification:
    """The operator's check of the whole chain, from the command line."""
    return audit.verify()


def add_key(key_file: str) -> str:
    """Add a sealing key to the key file; the caller records the rotation once the app uses it."""
    return audit_keys.add_key(key_file)
