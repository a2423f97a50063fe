"""Use cases of a round (đợt xét): the office of an authority opens it for some award types until an
intake deadline, lets a unit in late with a written reason, closes it; everyone entitled reads it,
and the office follows it on one panel (counts per unit and award type, with the lists to act on).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import false, or_, select

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import Authority, IndexedTask, LateEntry, Nomination, Proposal, Round, TallyRecord, Unit, User
from workflows.models.people import UNIT_ROLES
from workflows.services import audit, authorities, reference, routing
from workflows.services.transactions import use_case
from workflows.usecases import proposals

MAX_NAME = 200
MAX_REASON = 2000
# What the panel counts per unit and award type, in the order it shows them.
COUNTS = ("proposed", "checking", "returned", "withdrawn", "eligible", "on_hold", "voting", "voted", "signing",
          "decided")
DECIDED = ("awarded", "forwarded", "not_approved", "rejected")


# -- who may see and do what -------------------------------------------------------------------

def _unit_authorities(unit_id: int | None) -> list[int]:
    """The authorities a unit proposes to: its agency (and the units with legal status inside it) and the bloc."""
    if unit_id is None:
        return []
    found = {authorities.bloc().id}
    agency = authorities.agency_of(unit_id)
    if agency is not None:
        found.add(agency.id)
        found.update(db.session.execute(select(Authority.id).where(Authority.parent_id == agency.id)).scalars())
    return sorted(found)


def may_view(actor, round_: Round) -> bool:
    """The authority's office, council and head; the units that propose to it; oversight."""
    if not actor.active:
        return False
    if actor.roles & routing.OVERSIGHT_ROLES or round_.authority_id in routing.authority_ids(actor):
        return True
    return bool(actor.roles & UNIT_ROLES) and round_.authority_id in _unit_authorities(actor.unit_id)


def is_office(actor, authority_id: int) -> bool:
    return actor.active and actor.acts_as("secretariat", authority_id)


def get(actor, round_id) -> Round:
    round_ = db.session.get(Round, round_id) if isinstance(round_id, int) and not isinstance(round_id, bool) \
        else None
    if round_ is None or not may_view(actor, round_):
        raise NotFound("round.not_found", id=str(round_id))
    return round_


def listing(actor, *, status: str | None = None) -> list[Round]:
    """The rounds the actor may see, newest first."""
    if not actor.active:
        return []
    query = select(Round)
    if not actor.roles & routing.OVERSIGHT_ROLES:
        clauses = []
        if held := routing.authority_ids(actor):
            clauses.append(Round.authority_id.in_(sorted(held)))
        if actor.roles & UNIT_ROLES:
            clauses.append(Round.authority_id.in_(_unit_authorities(actor.unit_id)))
        query = query.where(or_(*clauses) if clauses else false())
    if status:
        query = query.where(Round.status == status)
    return list(db.session.execute(query.order_by(Round.year.desc(), Round.id.desc())).scalars())


def offices(actor) -> list[Authority]:
    """The authorities whose office the actor is: where they may open rounds."""
    return [a for a, roles in authorities.held_by(actor) if "office" in roles]


def open_for(actor, award_code: str | None = None) -> list[Round]:
    """Open rounds a unit clerk may propose into (optionally: taking this award)."""
    found = [r for r in listing(actor, status="open")]
    return [r for r in found if award_code is None or award_code in (r.award_codes or [])]


@dataclass(frozen=True)
class LateLine:
    """A late entry as it is shown: the unit's code and who accepted it."""

    entry: LateEntry
    unit_code: str
    accepted_by: str


def late_entries(round_id: int) -> list[LateLine]:
    rows = db.session.execute(select(LateEntry, Unit.code, User.username)
                              .join(Unit, Unit.id == LateEntry.unit_id)
                              .join(User, User.id == LateEntry.accepted_by_id)
                              .where(LateEntry.round_id == round_id).order_by(LateEntry.accepted_at)).all()
    return [LateLine(entry, code, username) for entry, code, username in rows]


# -- changing ------------------------------------------------------------------------------------

@use_case
def open_round(actor, authority, name, year, award_codes, intake_deadline, council_date=None) -> Round:
    """Open a round of the authority (its code or id) for the award types named, until the deadline."""
    found = _authority(authority)
    if found is None or not is_office(actor, found.id):
        raise NotAllowed("round.office_opens")
    clean = _checked(name, year, award_codes, intake_deadline, council_date)
    round_ = Round(authority_id=found.id, status="open", created_by_id=actor.id, **clean)
    db.session.add(round_)
    db.session.flush()
    audit.record("round_opened", actor=actor, details={
        "round": round_.id, "name": round_.name, "authority": found.code, "year": round_.year,
        "award_codes": list(round_.award_codes), "intake_deadline": round_.intake_deadline.isoformat(),
        "council_date": round_.council_date.isoformat() if round_.council_date else ""})
    db.session.commit()
    return round_


@use_case
def edit_round(actor, round_id, *, name=None, year=None, award_codes=None, intake_deadline=None,
               council_date=None) -> Round:
    """Change what the round says; what is not given stays."""
    round_ = _own(actor, round_id)
    clean = _checked(round_.name if name is None else name, round_.year if year is None else year,
                     round_.award_codes if award_codes is None else award_codes,
                     round_.intake_deadline if intake_deadline is None else intake_deadline,
                     round_.council_date if council_date is None else council_date)
    changes = {}
    for key, value in clean.items():
        old = getattr(round_, key)
        if old != value:
            changes[key] = [_shown(old), _shown(value)]
            setattr(round_, key, value)
    if changes:
        audit.record("round_changed", actor=actor, details={"round": round_.id, "changes": changes})
    db.session.commit()
    return round_


@use_case
def close_round(actor, round_id) -> Round:
    """Take no more lists into the round."""
    round_ = _own(actor, round_id)
    if round_.status == "closed":
        raise Conflict("round.closed", round=round_.name)
    round_.status = "closed"
    audit.record("round_closed", actor=actor, details={"round": round_.id, "name": round_.name})
    db.session.commit()
    return round_


@use_case
def accept_late(actor, round_id, unit_id, reason, until) -> LateLine:
    """Let one unit propose into the round after its deadline, until a day, for a written reason."""
    round_ = _own(actor, round_id)
    if round_.status != "open":
        raise Conflict("round.closed", round=round_.name)
    errors = {}
    unit = _unit(unit_id)
    if unit is None:
        errors["unit"] = Reason("unit.not_found", code=str(unit_id))
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        errors["reason"] = Reason("field.reason_needed")
    elif len(reason) > MAX_REASON:
        errors["reason"] = Reason("field.too_long", max=MAX_REASON)
    day = _day(until)
    if day is None:
        errors["until"] = Reason("field.date_needed")
    elif day < round_.intake_deadline:
        errors["until"] = Reason("round.late_before_deadline", deadline=round_.intake_deadline)
    if errors:
        raise InvalidData("round.cannot_accept_late", fields=errors)
    entry = db.session.get(LateEntry, (round_.id, unit.id))
    if entry is None:
        entry = LateEntry(round_id=round_.id, unit_id=unit.id, reason=reason, until=day, accepted_by_id=actor.id)
        db.session.add(entry)
    else:
        entry.reason, entry.until, entry.accepted_by_id, entry.accepted_at = reason, day, actor.id, utcnow()
    audit.record("late_entry_accepted", actor=actor, details={
        "round": round_.id, "unit": unit.code, "reason": reason, "until": day.isoformat()})
    db.session.commit()
    return LateLine(entry, unit.code, actor.username)


# -- the office's panel ------------------------------------------------------------------------

@dataclass
class PanelRow:
    """One unit and award type of a round: how many nominees stand where."""

    unit: Unit
    award_code: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))


@dataclass
class ListLine:
    """One list of the round as the panel shows it, with the step it waits at."""

    proposal: Proposal
    step: str | None
    nominees: int
    to_decide: int  # nominees waiting for the office's decision


@dataclass
class Panel:
    round: Round
    rows: list[PanelRow]
    totals: dict[str, int]
    lists: list[ListLine]
    late: list[LateLine]
    is_office: bool
    intake_open: bool


def panel(actor, round_id) -> Panel:
    """The round as its office follows it: per unit and award type the counts, and every list with
    its step. A unit sees the round with its own lists only."""
    round_ = get(actor, round_id)
    seen = select(Proposal).where(Proposal.round_id == round_.id, proposals.visible_to(actor))
    found = list(db.session.execute(seen.order_by(Proposal.unit_id, Proposal.id)).scalars())
    ids = [p.id for p in found]
    # Only the columns counted: whole nominations would bring their unit, authority and award joined, row by row.
    nominees = list(db.session.execute(select(
        Nomination.id, Nomination.proposal_id, Nomination.status, Nomination.findings, Nomination.list_decision_id)
        .where(Nomination.proposal_id.in_(ids)))) if ids else []
    voted = set(db.session.execute(select(TallyRecord.nomination_id).where(
        TallyRecord.nomination_id.in_([n.id for n in nominees]))).scalars()) if nominees else set()
    by_list = defaultdict(list)
    for nomination in nominees:
        by_list[nomination.proposal_id].append(nomination)
    rows: dict[tuple[int, str], PanelRow] = {}
    steps = dict(db.session.execute(select(IndexedTask.proposal_id, IndexedTask.key).where(
        IndexedTask.proposal_id.in_(ids), IndexedTask.state == "ready")).all()) if ids else {}
    lines = []
    for proposal in found:
        row = rows.setdefault((proposal.unit_id, proposal.award_type.code),
                              PanelRow(proposal.unit, proposal.award_type.code))
        on_it = by_list[proposal.id]
        for nomination in on_it:
            _count(row.counts, nomination, nomination.id in voted)
        lines.append(ListLine(proposal, steps.get(proposal.id), len(on_it),
                              sum(1 for n in on_it if n.status == "checking")))
    totals = dict.fromkeys(COUNTS, 0)
    for row in rows.values():
        for key, value in row.counts.items():
            totals[key] += value
    ordered = sorted(rows.values(), key=lambda r: (r.unit.code, r.award_code))
    office = is_office(actor, round_.authority_id)
    return Panel(round_, ordered, totals, lines, late_entries(round_.id) if office else [], office,
                 round_.status == "open" and proposals.today() <= round_.intake_deadline)


def _count(counts: dict, nomination: Nomination, voted: bool) -> None:
    status = nomination.status
    counts["proposed"] += 1
    for key in ("checking", "returned", "withdrawn", "on_hold", "voting", "signing"):
        if status == key:
            counts[key] += 1
    if status not in ("returned", "withdrawn") and nomination.findings and not any(
            f.get("met") is False for f in nomination.findings):
        counts["eligible"] += 1
    if voted:
        counts["voted"] += 1
    if status in DECIDED or nomination.list_decision_id is not None:
        counts["decided"] += 1


# -- helpers -----------------------------------------------------------------------------------

def _own(actor, round_id) -> Round:
    round_ = get(actor, round_id)
    if not is_office(actor, round_.authority_id):
        raise NotAllowed("round.office_changes")
    return round_


def _authority(value) -> Authority | None:
    if isinstance(value, Authority):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return authorities.by_id(value)
    if isinstance(value, str):
        return authorities.by_code(value)
    return None


def _unit(value) -> Unit | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return db.session.get(Unit, value)
    if isinstance(value, str):
        return reference.unit(value)
    return None


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _checked(name, year, award_codes, intake_deadline, council_date) -> dict:
    errors = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME:
        errors["name"] = Reason("field.name_needed", max=MAX_NAME)
    this_year = proposals.today().year
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= this_year + 1:
        errors["year"] = Reason("field.year_between", first=2000, last=this_year + 1)
    codes = []
    if not isinstance(award_codes, (list, tuple)) or not award_codes:
        errors["award_codes"] = Reason("round.award_codes_needed")
    else:
        for code in award_codes:
            award = reference.award_type(code) if isinstance(code, str) else None
            if award is None or not award.active:
                errors["award_codes"] = Reason("award_type.unknown", code=str(code))
                break
            if code not in codes:
                codes.append(code)
    deadline = _day(intake_deadline)
    if deadline is None:
        errors["intake_deadline"] = Reason("field.date_needed")
    council = None
    if council_date not in (None, ""):
        council = _day(council_date)
        if council is None:
            errors["council_date"] = Reason("field.date_needed")
        elif deadline is not None and council < deadline:
            errors["council_date"] = Reason("round.council_before_deadline", deadline=deadline)
    if errors:
        raise InvalidData("round.invalid", fields=errors)
    return {"name": name, "year": year, "award_codes": codes, "intake_deadline": deadline, "council_date": council}


def _shown(value):
    return value.isoformat() if isinstance(value, date) else value
