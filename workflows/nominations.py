"""Use cases of a nomination: start, read, list, upload and fetch documents, withdraw."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func, or_, select

from . import accounts, audit, documents, instances, reference, routing
from .db import db
from .errors import Conflict, InvalidData, NotAllowed, NotFound
from .models import Document, IndexedTask, Nomination
from .models.nominations import WITHDRAWABLE
from .models.people import UNIT_ROLES
from .transactions import use_case

NOMINEE_KINDS = ("individual", "collective")
FIRST_YEAR = 2000
MAX_SUMMARY = 20_000


@dataclass(frozen=True)
class UploadLimits:
    folder: str
    max_bytes: int


@use_case
def start(actor, *, award_type: str, nominee: dict, year, summary: str = "") -> Nomination:
    """Open a nomination for the actor's unit and start its process at the dossier step."""
    if not routing.may_start(actor):
        raise NotAllowed("Only a unit's emulation officer (unit_clerk) can start a nomination.")
    award, nominee_user, clean = _checked_start(award_type, nominee, year, summary)
    definition = instances.latest_definition()
    if definition is None:
        raise Conflict("No process definition is deployed; run init-db first.")
    nomination = Nomination(
        unit_id=actor.unit_id, award_type=award, year=clean["year"], nominee_kind=clean["kind"],
        nominee_name=clean["name"], nominee_position=clean["position"], nominee_user=nominee_user,
        summary=clean["summary"], created_by_id=actor.id, status="preparing",
    )
    db.session.add(nomination)
    db.session.flush()
    instance, _ = instances.start(nomination, definition)
    audit.record("process_started", actor=actor, nomination_id=nomination.id, details={
        "award_type": award.code, "nominee": nomination.nominee_name, "year": nomination.year,
        "process_version": definition.version})
    db.session.commit()
    return nomination


def _checked_start(award_code, nominee, year, summary):
    errors = {}
    award = reference.award_type(award_code) if isinstance(award_code, str) else None
    if award is None or not award.active:
        errors["award_type"] = f"Unknown award type {award_code!r}."
    if not isinstance(nominee, dict):
        nominee, errors["nominee"] = {}, "Give the nominee as an object."
    kind = nominee.get("kind")
    name = (nominee.get("name") or "").strip() if isinstance(nominee.get("name"), str) else ""
    position = nominee.get("position")
    if kind not in NOMINEE_KINDS:
        errors["nominee.kind"] = "Choose individual or collective."
    elif award is not None and award.kind != kind:
        errors["nominee.kind"] = f"{award.code} is awarded to {award.kind} nominees only."
    if not name:
        errors["nominee.name"] = "The nominee's name is required."
    elif len(name) > 200:
        errors["nominee.name"] = "At most 200 characters."
    if position is not None and (not isinstance(position, str) or len(position) > 200):
        errors["nominee.position"] = "At most 200 characters of text."
    nominee_user = None
    if nominee.get("username"):
        nominee_user = accounts.find_user(str(nominee["username"]))
        if nominee_user is None:
            errors["nominee.username"] = f"No user named {nominee['username']}."
    this_year = date.today().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= this_year + 1:
        errors["year"] = f"Give a year between {FIRST_YEAR} and {this_year + 1}."
    if not isinstance(summary, str) or len(summary) > MAX_SUMMARY:
        errors["summary"] = f"At most {MAX_SUMMARY:,} characters of text."
    if errors:
        raise InvalidData("The nomination cannot be started: " + " ".join(errors.values()), errors)
    return award, nominee_user, {"kind": kind, "name": name, "position": position or None,
                                 "year": year, "summary": summary or ""}


def get(actor, nomination_id: int) -> Nomination:
    """A nomination the actor may see; others are reported as not found, so ids leak nothing."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or not routing.may_view(actor, nomination):
        raise NotFound(f"No nomination {nomination_id}.")
    return nomination


def visible_to(actor):
    """The SQL form of routing.may_view, for lists."""
    roles = actor.roles
    if not actor.active:
        return false()
    if roles & routing.OVERSIGHT_ROLES:
        return Nomination.id.is_not(None)
    clauses = []
    if roles & UNIT_ROLES and actor.unit_id is not None:
        clauses.append(Nomination.unit_id == actor.unit_id)
    if roles & routing.BLOC_ROLES:
        clauses.append(Nomination.submitted_at.is_not(None))
    return or_(*clauses) if clauses else false()


def search(actor, *, status=None, unit=None, year=None, award_type=None, limit=100, offset=0):
    """Nominations the actor may see, newest first, with the total before paging."""
    query = select(Nomination).where(visible_to(actor))
    if status:
        query = query.where(Nomination.status == status)
    if unit:
        found = reference.unit(unit)
        query = query.where(Nomination.unit_id == (found.id if found else -1))
    if year:
        query = query.where(Nomination.year == year)
    if award_type:
        award = reference.award_type(award_type)
        query = query.where(Nomination.award_type_id == (award.id if award else -1))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.order_by(Nomination.id.desc()).limit(limit).offset(offset)).scalars()
    return list(rows), total


def open_tasks(nomination_id: int) -> list[IndexedTask]:
    return list(db.session.execute(select(IndexedTask).where(
        IndexedTask.nomination_id == nomination_id, IndexedTask.state == "ready")
        .order_by(IndexedTask.created_at, IndexedTask.id)).scalars())


def document_list(actor, nomination_id: int) -> list[Document]:
    """Every version of every document, newest version of each kind first."""
    get(actor, nomination_id)
    return list(db.session.execute(select(Document).where(Document.nomination_id == nomination_id)
                                   .order_by(Document.kind, Document.version.desc())).scalars())


@use_case
def upload_document(actor, nomination_id: int, *, kind: str, stream, filename: str,
                    limits: UploadLimits) -> Document:
    """Add a document version to the dossier while the unit holds it."""
    nomination = get(actor, nomination_id)
    if not routing.may_edit_dossier(actor, nomination):
        raise NotAllowed("Only the nominating unit's emulation officer can add documents.")
    if kind not in documents.DOCUMENT_KINDS:
        raise InvalidData(f"Unknown document kind {kind!r}.",
                          {"kind": "Choose one of: " + ", ".join(documents.DOCUMENT_KINDS) + "."})
    if nomination.status != "preparing":
        raise Conflict(f"The dossier is {nomination.status}; documents can be added while it is being prepared.")
    stored = documents.store_upload(stream, filename or "", limits.folder, limits.max_bytes)
    try:
        document = _record_document(actor, nomination, kind, stored)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _forget_unreferenced(limits.folder, stored.storage_key)
        raise
    return document


def _record_document(actor, nomination, kind, stored) -> Document:
    previous = db.session.execute(select(func.max(Document.version)).where(
        Document.nomination_id == nomination.id, Document.kind == kind)).scalar_one()
    document = Document(nomination_id=nomination.id, kind=kind, version=(previous or 0) + 1,
                        filename=stored.filename, media_type=stored.media_type, size=stored.size,
                        sha256=stored.sha256, storage_key=stored.storage_key, uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    audit.record("document_uploaded", actor=actor, nomination_id=nomination.id, details={
        "document_id": document.id, "kind": kind, "version": document.version, "filename": document.filename,
        "size": document.size, "sha256": document.sha256})
    return document


def _forget_unreferenced(folder: str, storage_key: str) -> None:
    """Remove a file stored for a failed upload, unless another document holds the same bytes."""
    if db.session.execute(select(Document.id).where(Document.storage_key == storage_key).limit(1)).first() is None:
        documents.remove_stored(folder, storage_key)


def open_document(actor, nomination_id: int, document_id: int, folder: str):
    """The document and a binary stream of its content, if the actor may see the nomination."""
    get(actor, nomination_id)
    document = db.session.get(Document, document_id)
    if document is None or document.nomination_id != nomination_id:
        raise NotFound(f"No document {document_id} in nomination {nomination_id}.")
    return document, documents.open_stored(folder, document.storage_key)


@use_case(retries=3)
def withdraw(actor, nomination_id: int, reason: str) -> Nomination:
    """The nominating unit takes its nomination back before the council votes."""
    nomination = get(actor, nomination_id)
    if not routing.may_withdraw(actor, nomination):
        raise NotAllowed("Only the nominating unit can withdraw its nomination.")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidData("Give a reason for the withdrawal.", {"reason": "This field is required."})
    instance, run = instances.load(nomination)
    db.session.refresh(nomination)
    if nomination.status not in WITHDRAWABLE:
        raise Conflict(f"A nomination that is {nomination.status} cannot be withdrawn.")
    run.cancel()
    nomination.status = "withdrawn"
    nomination.withdrawn_reason = reason
    instances.save(instance, run, nomination, actor=actor)
    audit.record("withdrawn", actor=actor, nomination_id=nomination.id, details={"reason": reason})
    db.session.commit()
    return nomination

