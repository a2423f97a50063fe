"""Stored documents checked against the SHA-256 recorded at upload: on every download, and all at once.

A file changed or removed on disk is never served. What was found goes into the audit trail,
once per document per day (a page reloaded a hundred times is one event, not a hundred), and
the document keeps a mark that the office sees on the nomination's page until the file is
found intact again (put back from a backup, say).
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from workflows.db import db, utcnow
from workflows.models import Document
from workflows.services import audit, documents
from workflows.services.transactions import use_case

# Who sees a damaged file's warning on the nomination's page: the bloc's office and oversight.
OFFICE_ROLES = frozenset({"secretariat", "admin", "auditor"})
NOTE_AGAIN_AFTER = timedelta(days=1)
ACTIONS = {documents.ALTERED: "document_altered", documents.MISSING: "document_missing"}


def note(document: Document, problem: str | None, actor=None) -> bool:
    """Record what was found about a document's file, and commit; True when the trail got an event.

    A problem already noted less than a day ago is not recorded again; a file found intact
    after a problem clears the mark, and that is recorded too.
    """
    now = utcnow()
    if problem is None:
        if document.integrity_problem is None:
            return False
        cleared = db.session.execute(update(Document).where(
            Document.id == document.id, Document.integrity_problem.is_not(None)).values(
            integrity_problem=None, integrity_noted_at=None).execution_options(synchronize_session=False)).rowcount
        if cleared:
            audit.record("document_intact", actor=actor, nomination_id=document.nomination_id,
                         details=_facts(document))
        db.session.commit()
        return bool(cleared)
    # One conditional update decides who records it: two downloads at once make one event.
    claimed = db.session.execute(update(Document).where(
        Document.id == document.id,
        or_(Document.integrity_problem.is_(None), Document.integrity_problem != problem,
            Document.integrity_noted_at.is_(None), Document.integrity_noted_at <= now - NOTE_AGAIN_AFTER))
        .values(integrity_problem=problem, integrity_noted_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed:
        audit.record(ACTIONS[problem], actor=actor, nomination_id=document.nomination_id,
                     details=_facts(document))
    db.session.commit()
    return bool(claimed)


def _facts(document: Document) -> dict:
    return {"document_id": document.id, "kind": document.kind, "version": document.version,
            "filename": document.filename, "sha256": document.sha256}


@dataclass(frozen=True)
class Damage:
    document_id: int
    nomination_id: int
    filename: str
    problem: str  # documents.ALTERED or documents.MISSING


@dataclass(frozen=True)
class Report:
    checked: int
    damaged: list[Damage]


@use_case
def verify_all(folder: str, batch: int = 500) -> Report:
    """Read every stored document and compare it with its recorded SHA-256; record what is wrong."""
    checked, damaged, last_id = 0, [], 0
    while True:
        rows = list(db.session.execute(select(Document).where(Document.id > last_id)
                                       .order_by(Document.id).limit(batch)).scalars())
        if not rows:
            break
        for document in rows:
            problem = documents.check_stored(folder, document.storage_key, document.sha256, document.size)
            if problem is not None:
                damaged.append(Damage(document.id, document.nomination_id, document.filename, problem))
            if problem is not None or document.integrity_problem is not None:
                note(document, problem)
            checked, last_id = checked + 1, document.id
        db.session.expunge_all()  # keep memory flat over many documents
    audit.record("documents_verified", details={
        "checked": checked, "altered": sum(d.problem == documents.ALTERED for d in damaged),
        "missing": sum(d.problem == documents.MISSING for d in damaged)})
    db.session.commit()
    return Report(checked, damaged)


def shown_problem(actor, document: Document, folder: str | None) -> str | None:
    """What the office is warned of on the nomination's page: the noted problem, or what a glance
    at the file shows now (gone, another size); nothing for other readers, who are refused on download."""
    if not (actor.roles & OFFICE_ROLES):
        return None
    if document.integrity_problem:
        return document.integrity_problem
    return documents.glance(folder, document.storage_key, document.size) if folder else None
