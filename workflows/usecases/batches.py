"""Batch use cases: a council member's ballots and the chair's signatures in one submission.

A batch is not a transaction: every ballot and every signature goes through
``tasks.complete`` and commits on its own, so one refused or conflicting item never undoes
the others. Each item reports its own outcome instead of raising.
"""

from dataclasses import dataclass

from sqlalchemy import select

from workflows.db import db
from workflows.errors import InvalidData, NotAllowed, Reason, WorkflowError
from workflows.models import AuditEvent, Document, IndexedTask, Nomination, TallyRecord
from workflows.services.documents import DOCUMENT_KINDS
from workflows.usecases import accounts, tasks, trail

VOTE, SIGN = "vote", "sign_decision"


@dataclass(frozen=True)
class Appraisal:
    """The reviewer's advice to the council, as the trail recorded it."""

    reviewer: str  # their full name
    recommendation: str | None
    comment: str


@dataclass(frozen=True)
class Tally:
    """A closed vote: counts and the rule applied, never who voted which way."""

    yes: int
    no: int
    members: int
    voters: int
    needed_voters: int
    needed_yes: int
    quorum_met: bool
    passed: bool
    rule_basis: str
    # The rule applied, as numbers: the share of yes votes needed, of whom, and the quorum.
    threshold: float | None = None
    base: str | None = None
    quorum: float | None = None
    rule_basis_vi: str = ""  # from the tally minutes; "" for minutes written before they kept it


@dataclass(frozen=True)
class SheetItem:
    """One waiting task with what the council needs to decide on it."""

    task: tasks.InboxEntry
    nomination: Nomination
    appraisal: Appraisal | None
    tally: Tally | None
    documents: tuple[Document, ...] = ()  # the dossier as it counts: each kind's current version


@dataclass(frozen=True)
class CastBallot:
    """A nomination the member voted on; ``tally`` stays None until the vote has closed."""

    nomination: Nomination
    tally: Tally | None


@dataclass(frozen=True)
class Sheet:
    items: list[SheetItem]
    total: int  # waiting in all; more than len(items) when the sheet was cut at its limit
    cast: list[CastBallot]


@dataclass(frozen=True)
class Outcome:
    """What became of one item of a batch. A ballot's outcome never says which way it went."""

    task_id: str
    nomination: Nomination | None = None
    error: WorkflowError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def ballot_sheet(user, *, limit: int = 200, cast_limit: int = 50) -> Sheet:
    """Every ballot waiting for this council member, and the votes they took part in.

    Raises NotAllowed for users who are not council members.
    """
    _require_role(user, "council_member", "ballot.members_only")
    entries, total = tasks.inbox(user, key=VOTE, limit=limit)
    full = _load_in_full(e.nomination_id for e in entries)
    cast = list(db.session.execute(
        select(Nomination).join(IndexedTask, IndexedTask.nomination_id == Nomination.id)
        .where(IndexedTask.key == VOTE, IndexedTask.state == "completed", IndexedTask.completed_by_id == user.id)
        .order_by(IndexedTask.completed_at.desc(), IndexedTask.id).limit(cast_limit)).scalars())
    ids = [e.nomination_id for e in entries]
    appraisals, tallies, dossiers = _appraisals(ids), _tallies(n.id for n in cast), _dossiers(ids)
    return Sheet([SheetItem(e, full[e.nomination_id], appraisals.get(e.nomination_id), None,
                            dossiers.get(e.nomination_id, ())) for e in entries],
                 total, [CastBallot(n, tallies.get(n.id)) for n in cast])


def signing_sheet(user, *, limit: int = 200) -> Sheet:
    """Every nomination waiting for this chair's signature, with its tally and appraisal.

    Raises NotAllowed for users who are not the council chair.
    """
    _require_role(user, "council_chair", "signing.chair_only")
    entries, total = tasks.inbox(user, key=SIGN, limit=limit)
    ids = [e.nomination_id for e in entries]
    full = _load_in_full(ids)
    appraisals, tallies, dossiers = _appraisals(ids), _tallies(ids), _dossiers(ids)
    return Sheet([SheetItem(e, full[e.nomination_id], appraisals.get(e.nomination_id), tallies.get(e.nomination_id),
                            dossiers.get(e.nomination_id, ())) for e in entries], total, [])


def cast_ballots(user, choices: dict[str, str]) -> list[Outcome]:
    """Cast each ``{task_id: "yes" | "no"}`` ballot in its own transaction; outcomes in the given order.

    The choice goes to the tally sheet only (see ``tasks.complete``) and is not echoed in
    the outcome. Raises NotAllowed for users who are not council members.
    """
    _require_role(user, "council_member", "ballot.members_only")
    return [_complete(user, task_id, VOTE, {"vote": choice}) for task_id, choice in choices.items()]


def sign_decisions(user, decisions: dict[str, dict], password=None) -> list[Outcome]:
    """Sign or refuse each ``{task_id: {"decision", "comment"}}`` in its own transaction.

    The chair's password is checked once for the whole batch (the electronic signature) and
    never passed on: each item gets only the proof that it was just confirmed. A wrong
    password raises InvalidData (field ``password``) before anything is signed.
    An approval issues the decision (or proposal) number, found on ``outcome.nomination.decision``;
    a refusal without a comment fails for that item alone. Raises NotAllowed for users who
    are not the council chair.
    """
    _require_role(user, "council_chair", "signing.chair_only")
    if not decisions:
        return []
    confirmation = accounts.confirm_password(user, password, purpose="signature:batch")
    outcomes = []
    for task_id, form in decisions.items():
        form = form if isinstance(form, dict) else {}
        values = {"decision": form.get("decision"), "comment": form.get("comment") or ""}
        outcomes.append(_complete(user, task_id, SIGN, values, confirmation=confirmation))
    return outcomes


def _complete(user, task_id: str, key: str, values: dict, confirmation=None) -> Outcome:
    nomination = None
    try:
        task, _ = tasks.get(user, task_id)
        nomination = db.session.get(Nomination, task.nomination_id)
        if task.key != key:
            raise InvalidData("task.wrong_kind", id=task_id, expected=key, fields={"task": Reason("task.wrong_kind")})
        nomination = tasks.complete(user, task_id, values, confirmation=confirmation)
    except WorkflowError as error:
        return Outcome(task_id, nomination, error)
    return Outcome(task_id, nomination)


def _load_in_full(nomination_ids) -> dict[int, Nomination]:
    """Every column of the listed nominations, by id, in one query: a sheet shows the whole
    dossier, while the inbox reads only what a list needs."""
    ids = sorted(set(nomination_ids))
    if not ids:
        return {}
    rows = db.session.execute(select(Nomination).where(Nomination.id.in_(ids))
                              .execution_options(populate_existing=True)).scalars()
    return {nomination.id: nomination for nomination in rows}


def _require_role(user, role: str, code: str) -> None:
    if not user.active or role not in user.roles:
        raise NotAllowed(code)


def _appraisals(nomination_ids) -> dict[int, Appraisal]:
    """The latest appraisal of each nomination, from its ``task_completed`` event."""
    found = {}
    events = _events("task_completed", nomination_ids, task_key="appraise")
    names = trail.full_names(events)
    for event in events:
        details = event.details or {}
        found[event.nomination_id] = Appraisal(names.get(event.actor, event.actor), details.get("recommendation"),
                                               details.get("comment", ""))
    return found


def _dossiers(nomination_ids) -> dict[int, tuple[Document, ...]]:
    """Each nomination's documents as they count: the newest version of each kind not removed, in one query."""
    ids = sorted(set(nomination_ids))
    if not ids:
        return {}
    rows = db.session.execute(select(Document).where(Document.nomination_id.in_(ids), Document.removed_at.is_(None))
                              .order_by(Document.nomination_id, Document.version.desc(), Document.id.desc())).scalars()
    newest: dict[int, dict[str, Document]] = {}
    for document in rows:
        newest.setdefault(document.nomination_id, {}).setdefault(document.kind, document)
    order = {kind: place for place, kind in enumerate(DOCUMENT_KINDS)}
    return {nid: tuple(sorted(kinds.values(), key=lambda d: (order.get(d.kind, len(order)), d.kind)))
            for nid, kinds in newest.items()}


def _tallies(nomination_ids) -> dict[int, Tally]:
    """Each closed vote's tally, from its ``tally`` event: the only place the counts are published."""
    found = {}
    events = _events("tally", nomination_ids)
    minutes = {record.nomination_id: record for record in db.session.execute(select(TallyRecord).where(
        TallyRecord.nomination_id.in_({event.nomination_id for event in events}))).scalars()} if events else {}
    for event in events:
        details = event.details or {}
        result = details.get("tally_result") or {}
        record = minutes.get(event.nomination_id)
        basis_vi = (record.rule or {}).get("legal_basis_vi") if record is not None else ""
        found[event.nomination_id] = Tally(
            yes=result.get("yes", 0), no=result.get("no", 0), members=result.get("members", 0),
            voters=result.get("voters", 0), needed_voters=result.get("needed_voters", 0),
            needed_yes=result.get("needed_yes", 0), quorum_met=bool(result.get("quorum_met")),
            passed=bool(result.get("passed")), rule_basis=details.get("rule_basis") or "",
            threshold=result.get("threshold"), base=result.get("base"), quorum=result.get("quorum"),
            rule_basis_vi=f"{record.regulation_code}: {basis_vi}" if basis_vi else "")
    return found


def _events(action: str, nomination_ids, task_key: str | None = None) -> list[AuditEvent]:
    ids = sorted(set(nomination_ids))
    if not ids:
        return []
    query = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.nomination_id.in_(ids))
    if task_key:
        query = query.where(AuditEvent.task_key == task_key)
    return list(db.session.execute(query.order_by(AuditEvent.seq)).scalars())
