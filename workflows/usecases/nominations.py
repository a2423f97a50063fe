"""Use cases of a nomination: start, read, list, upload, fetch and remove documents, withdraw."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import false, func, or_, select

from workflows.db import db, utcnow
from workflows.errors import Conflict, Damaged, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import AuditEvent, Document, IndexedTask, Nomination, ProcessInstance, User
from workflows.models.nominations import WITHDRAWABLE
from workflows.models.people import UNIT_ROLES
from workflows.rendering.diagram import Diagram, read_diagram
from workflows.services import (
    audit,
    authorities,
    documents,
    duplicates,
    eligibility,
    findings,
    instances,
    nominees,
    reference,
    routing,
)
from workflows.services.transactions import use_case
from workflows.usecases import accounts, integrity, trail

NOMINEE_KINDS = ("individual", "collective")
FIRST_YEAR = 2000
MAX_SUMMARY = 20_000


@dataclass(frozen=True)
class UploadLimits:
    folder: str
    max_bytes: int


# A lost race (the other start's row took the nominee's claim first) is tried again: the second
# try reads the winner and refuses with its number.
@use_case(retries=2)
def start(actor, *, award_type: str, nominee: dict, year, summary: str = "") -> Nomination:
    """Open a nomination for the actor's unit and start its process at the dossier step.

    Refused (Conflict) when the nominee already holds the award for the year or another
    nomination of theirs for it is still open, forwarded or awarded.
    """
    if not routing.may_start(actor):
        raise NotAllowed("nomination.clerks_start")
    award, nominee_user, registered, clean = _checked_start(award_type, nominee, year, summary, actor.unit_id)
    duplicates.refuse_duplicate(getattr(registered.person, "id", None), getattr(registered.collective, "id", None),
                                award, clean["year"])
    definition = instances.latest_definition()
    if definition is None:
        raise Conflict("process.not_deployed")
    nomination = Nomination(
        unit_id=actor.unit_id, award_type=award, year=clean["year"], nominee_kind=clean["kind"],
        nominee_name=clean["name"], nominee_position=clean["position"], nominee_user=nominee_user,
        summary=clean["summary"], created_by_id=actor.id, status="preparing",
        person=registered.person, collective=registered.collective,
        rule_set_id=getattr(eligibility.rule_set_in_force(date.today()), "id", None),
        authority=authorities.deciding(award, actor.unit_id, person=registered.person,
                                       collective=registered.collective),
    )
    db.session.add(nomination)
    db.session.flush()
    instance, _ = instances.start(nomination, definition)
    audit.record("process_started", actor=actor, nomination_id=nomination.id, details={
        "award_type": award.code, "nominee": nomination.nominee_name, "year": nomination.year,
        "process_version": definition.version, "authority": nomination.authority.code})
    db.session.commit()
    return nomination


def _checked_start(award_code, nominee, year, summary, unit_id):
    errors = {}
    award = reference.award_type(award_code) if isinstance(award_code, str) else None
    if award is None or not award.active:
        errors["award_type"] = Reason("award_type.unknown", code=str(award_code))
    if not isinstance(nominee, dict):
        nominee, errors["nominee"] = {}, Reason("field.object_needed")
    kind = nominee.get("kind")
    registered, problem = nominees.find(kind, nominee.get("code"), unit_id)
    if problem:
        errors["nominee.code"] = problem
    name = (nominee.get("name") or "").strip() if isinstance(nominee.get("name"), str) else ""
    name = name or registered.name or ""
    position = nominee.get("position") or registered.position
    if kind not in NOMINEE_KINDS:
        errors["nominee.kind"] = Reason("field.choose_one", choices=list(NOMINEE_KINDS))
    elif award is not None and award.kind != kind:
        errors["nominee.kind"] = Reason("award_type.for_kind_only", award=award.code, nominee_kind=award.kind)
    if not name:
        errors["nominee.name"] = Reason("nominee.name_needed")
    elif len(name) > 200:
        errors["nominee.name"] = Reason("field.too_long", max=200)
    if position is not None and (not isinstance(position, str) or len(position) > 200):
        errors["nominee.position"] = Reason("field.too_long", max=200)
    nominee_user = registered.person.user if registered.person is not None else None
    if nominee.get("username"):
        nominee_user = accounts.find_user(str(nominee["username"]))
        if nominee_user is None:
            errors["nominee.username"] = Reason("user.not_found", username=str(nominee["username"]))
    this_year = date.today().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= this_year + 1:
        errors["year"] = Reason("field.year_between", first=FIRST_YEAR, last=this_year + 1)
    if not isinstance(summary, str) or len(summary) > MAX_SUMMARY:
        errors["summary"] = Reason("field.too_long", max=MAX_SUMMARY)
    if errors:
        raise InvalidData("nomination.cannot_start", fields=errors)
    return award, nominee_user, registered, {"kind": kind, "name": name, "position": position or None,
                                 "year": year, "summary": summary or ""}


def get(actor, nomination_id: int) -> Nomination:
    """A nomination the actor may see; others are reported as not found, so ids leak nothing."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or not routing.may_view(actor, nomination):
        raise NotFound("nomination.not_found", id=nomination_id)
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
    if held := routing.authority_ids(actor):
        clauses.append(Nomination.submitted_at.is_not(None) & Nomination.authority_id.in_(sorted(held)))
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
        raise NotAllowed("dossier.clerk_adds")
    if kind not in documents.DOCUMENT_KINDS:
        raise InvalidData("document.unknown_kind", kind=str(kind),
                          fields={"kind": Reason("field.choose_one", choices=list(documents.DOCUMENT_KINDS))})
    if nomination.status != "preparing":
        raise Conflict("dossier.not_open_to_add", status=nomination.status)
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
    """The document and a binary stream of its content, if the actor may see the nomination.

    The content is checked against the SHA-256 recorded at upload as it is read: a file
    changed or lost on disk is refused (``Damaged``) and recorded, never served.
    """
    get(actor, nomination_id)
    document = db.session.get(Document, document_id)
    if document is None or document.nomination_id != nomination_id:
        raise NotFound("document.not_found", id=document_id, nomination=nomination_id)
    stream, problem = documents.read_checked(folder, document.storage_key, document.sha256, document.size)
    if problem is not None or document.integrity_problem is not None:
        facts = {"id": document.id, "filename": document.filename}
        integrity.note(document, problem, actor=actor)
        if problem is not None:
            raise Damaged("document.missing" if problem == documents.MISSING else "document.altered", **facts)
    return document, stream


@use_case(retries=3)
def withdraw(actor, nomination_id: int, reason: str) -> Nomination:
    """The nominating unit takes its nomination back before the council votes."""
    nomination = get(actor, nomination_id)
    if not routing.may_withdraw(actor, nomination):
        raise NotAllowed("nomination.unit_withdraws")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidData("withdrawal.reason_needed", fields={"reason": Reason("field.required")})
    if nomination.instance_id is None and nomination.proposal_id is not None:
        # A nominee of a list has no process of their own: they are taken off their list.
        from workflows.usecases import proposals  # proposals reads nominations: imported here

        return proposals.withdraw_nominee(actor, nomination_id, reason)
    instance, run = instances.load(nomination)
    db.session.refresh(nomination)
    if nomination.status not in WITHDRAWABLE:
        raise Conflict("withdrawal.too_late", status=nomination.status)
    run.cancel()
    nomination.status = "withdrawn"
    nomination.withdrawn_reason = reason
    instances.save(instance, run, nomination, actor=actor)
    audit.record("withdrawn", actor=actor, nomination_id=nomination.id, details={"reason": reason})
    db.session.commit()
    return nomination



# -- Reading a nomination as its page shows it ---------------------------------------------------

# Audit actions that carry a person's decision and comment on a step.
OPINION_ACTIONS = ("task_completed", "returned")


@dataclass(frozen=True)
class DocumentVersion:
    document: Document
    uploaded_by: str
    current: bool  # the version that counts for its kind: the newest one not removed
    removed: bool
    problem: str | None = None  # for the office: the stored file was altered or is missing


@dataclass(frozen=True)
class DossierKind:
    kind: str
    required: bool
    versions: list[DocumentVersion]  # newest first

    @property
    def present(self) -> bool:
        """Whether the kind counts as in the dossier: some version of it is not removed."""
        return any(v.current for v in self.versions)


@dataclass(frozen=True)
class Opinion:
    at: datetime
    actor: str
    task_key: str | None
    task_name: str
    decision: str | None
    comment: str
    reviewer: str | None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str | None  # None: the system
    action: str
    task_key: str | None
    task_name: str
    details: dict


@dataclass(frozen=True)
class OpenTask:
    task: IndexedTask
    holder: str | None
    may_act: bool


@dataclass(frozen=True)
class Progress:
    diagram: Diagram
    current: frozenset[str]
    done: frozenset[str]


@dataclass(frozen=True)
class NominationPage:
    nomination: Nomination
    dossier: list[DossierKind]
    opinions: list[Opinion]
    open_tasks: list[OpenTask]
    timeline: list[TimelineEntry]
    progress: Progress
    may_edit_dossier: bool
    may_withdraw: bool
    findings: findings.Findings


def page(actor, nomination_id: int, folder: str | None = None) -> NominationPage:
    """Everything the nomination's page shows, as far as the actor may see it; never a ballot's choice.

    With the upload ``folder``, the office is also warned of documents whose file is damaged.
    """
    nomination = get(actor, nomination_id)
    progress = _progress(nomination)
    names = {s.id: s.name for s in progress.diagram.shapes if s.name}
    events = audit.search(nomination_id=nomination.id, limit=5000)
    people = trail.full_names(events)
    holders = db.session.execute(
        select(IndexedTask, User.full_name).outerjoin(User, User.id == IndexedTask.assignee_id)
        .where(IndexedTask.nomination_id == nomination.id, IndexedTask.state == "ready")
        .order_by(IndexedTask.created_at, IndexedTask.id)).all()
    tasks = [OpenTask(task, holder, routing.may_act(actor, task)) for task, holder in holders]
    return NominationPage(
        nomination=nomination, dossier=dossier_of(nomination, actor, folder), opinions=_opinions(events, names, people),
        open_tasks=tasks, timeline=[_timeline_entry(e, names, people) for e in events], progress=progress,
        may_edit_dossier=may_change_dossier(actor, nomination),
        may_withdraw=nomination.status in WITHDRAWABLE and routing.may_withdraw(actor, nomination),
        findings=findings.shown(nomination))


def may_change_dossier(actor, nomination: Nomination) -> bool:
    """Whether the actor may add or remove documents now: the unit's clerk, while the dossier is prepared."""
    return nomination.status == "preparing" and routing.may_edit_dossier(actor, nomination)


def dossier_of(nomination: Nomination, actor=None, folder: str | None = None) -> list[DossierKind]:
    """The dossier by kind for a nomination the caller may see: required kinds first, even while missing.

    Given the reader, each version carries the damage the reader is to be warned of.
    """
    rows = db.session.execute(
        select(Document, User.full_name).join(User, User.id == Document.uploaded_by_id)
        .where(Document.nomination_id == nomination.id).order_by(Document.version.desc(), Document.id.desc())).all()
    by_kind: dict[str, list[DocumentVersion]] = {}
    for document, uploader in rows:
        versions = by_kind.setdefault(document.kind, [])
        current = document.removed_at is None and not any(v.current for v in versions)
        problem = integrity.shown_problem(actor, document, folder) if actor is not None else None
        versions.append(DocumentVersion(document, uploader, current, document.removed_at is not None, problem))
    required = list(nomination.award_type.required_documents)
    order = required + [k for k in documents.DOCUMENT_KINDS if k not in required]
    order += sorted(k for k in by_kind if k not in order)
    return [DossierKind(kind, kind in required, by_kind.get(kind, [])) for kind in order
            if kind in required or kind in by_kind]


def opinions_of(nomination: Nomination) -> list[Opinion]:
    """Decisions and comments given on the nomination's steps so far, oldest first; ballots are not opinions."""
    events = [e for e in audit.search(nomination_id=nomination.id, limit=5000) if e.action in OPINION_ACTIONS]
    names = {s.id: s.name for s in _progress(nomination).diagram.shapes if s.name}
    return _opinions(events, names, trail.full_names(events))


def _opinions(events, names: dict, people: dict) -> list[Opinion]:
    found = []
    for event in events:
        details = event.details or {}
        decision = details.get("decision") or details.get("recommendation")
        if event.action not in OPINION_ACTIONS or not (decision or details.get("comment")):
            continue
        found.append(Opinion(
            at=event.at, actor=people.get(event.actor, event.actor), task_key=event.task_key,
            task_name=names.get(event.task_key, event.task_key or ""),
            decision=decision, comment=details.get("comment") or "",
            reviewer=people.get(details.get("reviewer"), details.get("reviewer"))))
    return found


def _timeline_entry(event, names: dict, people: dict) -> TimelineEntry:
    # A ballot shows that a member voted, never how: its details are dropped whatever they hold.
    details = {} if event.action == "ballot_cast" else dict(event.details or {})
    if details.get("reviewer"):
        details["reviewer"] = people.get(details["reviewer"], details["reviewer"])  # people by their names
    actor = None if event.actor == audit.SYSTEM else people.get(event.actor, event.actor)
    return TimelineEntry(event.at, actor, event.action, event.task_key,
                         names.get(event.task_key, event.task_key or ""), details)


def _progress(nomination: Nomination) -> Progress:
    """The diagram of the nomination's own process version, with its open and completed steps.

    The instance keeps the ids of every element that ran, automatic ones included; the task
    index and the trail's automatic steps cover instances saved before it kept them.
    """
    # A nominee of a list has no process of their own: the list's shows where they stand.
    listed = nomination.proposal if nomination.instance_id is None and nomination.proposal_id else None
    instance_id = listed.instance_id if listed is not None else nomination.instance_id
    definition = instances.definition_of_instance(instance_id)
    if definition.sha256 not in _DIAGRAMS:
        _DIAGRAMS[definition.sha256] = read_diagram(definition.sources.get(f"{definition.key}.bpmn", ""))
    diagram = _DIAGRAMS[definition.sha256]
    subject = IndexedTask.proposal_id == listed.id if listed is not None else \
        IndexedTask.nomination_id == nomination.id
    rows = db.session.execute(select(IndexedTask.key, IndexedTask.state).where(
        subject, IndexedTask.state.in_(("ready", "completed")))).all()
    automatic = [] if listed is not None else db.session.execute(select(AuditEvent.task_key).distinct().where(
        AuditEvent.nomination_id == nomination.id, AuditEvent.actor == audit.SYSTEM,
        AuditEvent.task_key.is_not(None))).scalars()
    ran = db.session.execute(select(ProcessInstance.steps_done).where(
        ProcessInstance.id == instance_id)).scalar_one_or_none() or []
    started = {s.id for s in diagram.shapes if s.kind == "startEvent"}
    current = frozenset(k for k, s in rows if s == "ready")
    done = frozenset({k for k, s in rows if s == "completed"} | set(automatic) | set(ran) | started) - current
    return Progress(diagram, current, done)


_DIAGRAMS: dict[str, Diagram] = {}  # by content hash: a definition version never changes


@use_case
def remove_document(actor, nomination_id: int, document_id: int) -> Document:
    """Take a document version out of the dossier while the unit prepares it; the row and the file stay."""
    nomination = get(actor, nomination_id)
    if not routing.may_edit_dossier(actor, nomination):
        raise NotAllowed("dossier.clerk_removes")
    document = db.session.get(Document, document_id)
    if document is None or document.nomination_id != nomination.id:
        raise NotFound("document.not_found", id=document_id, nomination=nomination_id)
    # The instance lock (the list's, for a nominee of a list): a submission cannot slip in between.
    instances.lock_instance(nomination.instance_id if nomination.instance_id is not None
                            else nomination.proposal.instance_id)
    db.session.refresh(nomination)
    db.session.refresh(document)
    if nomination.status != "preparing":
        raise Conflict("dossier.not_open_to_remove", status=nomination.status)
    if document.removed_at is not None:
        raise Conflict("document.already_removed")
    document.removed_at, document.removed_by_id = utcnow(), actor.id
    audit.record("document_removed", actor=actor, nomination_id=nomination.id, details={
        "document_id": document.id, "kind": document.kind, "version": document.version,
        "filename": document.filename})
    db.session.commit()
    return document


def may_start(user) -> bool:
    return routing.may_start(user)


def open_holds(nomination) -> list:
    """The discipline or review holds on the nominee that keep the dossier from going on."""
    return nominees.open_holds(nomination)


def registry_of_unit(unit_id: int | None):
    """The people and collectives of a unit, to pick a nominee from."""
    return nominees.of_unit(unit_id)
