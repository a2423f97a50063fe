"""Use cases of a list proposal: a unit proposes a list of nominees for one award, its head
endorses it, the office of the deciding authority checks each nominee.

A list runs its process once for the whole list (``services/lists.py``); each nominee is a
``Nomination`` with ``proposal_id`` set and its own status (docs/rounds.md, "Statuses").
"""

import os
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm.attributes import set_committed_value

from workflows.db import db, in_chunks, utcnow
from workflows.errors import Conflict, Damaged, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import (
    Collective,
    IndexedTask,
    LateEntry,
    Nomination,
    Person,
    Proposal,
    ProposalDocument,
    Round,
)
from workflows.models.nominations import RELEASED
from workflows.models.people import UNIT_ROLES
from workflows.services import (
    audit,
    authorities,
    documents,
    duplicates,
    eligibility,
    instances,
    lists,
    reference,
    routing,
)
from workflows.services.eligibility import history as histories
from workflows.services.progress import Progress, of_instance
from workflows.services.transactions import use_case

MAX_NOMINEES = 500
MAX_TITLE = 300
MAX_REASON = 2000
OUTCOMES = ("accept", "return", "hold")
# What a nominee may be withdrawn from: anything before the council's session takes them up.
WITHDRAWABLE = frozenset({"preparing", "endorsing", "checking", "on_hold"})
ZONE = os.environ.get("TIMEZONE", "Asia/Ho_Chi_Minh")


def today() -> date:
    """Today on the bloc's calendar (deadlines are days there)."""
    try:
        return datetime.now(ZoneInfo(ZONE)).date()
    except Exception:  # an unknown zone name: UTC rather than a crash
        return utcnow().date()


# -- who may see and do what -------------------------------------------------------------------

def may_view(actor, proposal: Proposal) -> bool:
    """The unit sees its own lists; the deciding authority's office, council and head see them once
    the unit head has sent them; oversight sees every list."""
    if not actor.active:
        return False
    if actor.roles & routing.OVERSIGHT_ROLES:
        return True
    if actor.roles & UNIT_ROLES and actor.unit_id == proposal.unit_id:
        return True
    return proposal.submitted_at is not None and proposal.authority_id in routing.authority_ids(actor)


def visible_to(actor):
    """The SQL form of ``may_view``."""
    if not actor.active:
        return false()
    if actor.roles & routing.OVERSIGHT_ROLES:
        return Proposal.id.is_not(None)
    clauses = []
    if actor.roles & UNIT_ROLES and actor.unit_id is not None:
        clauses.append(Proposal.unit_id == actor.unit_id)
    if held := routing.authority_ids(actor):
        clauses.append(Proposal.submitted_at.is_not(None) & Proposal.authority_id.in_(sorted(held)))
    return or_(*clauses) if clauses else false()


def is_office(actor, proposal: Proposal) -> bool:
    return actor.active and actor.acts_as("secretariat", proposal.authority_id)


def is_unit(actor, proposal: Proposal, role: str | None = None) -> bool:
    roles = {role} if role else UNIT_ROLES
    return actor.active and bool(actor.roles & roles) and actor.unit_id == proposal.unit_id


def get(actor, proposal_id) -> Proposal:
    """A list the actor may see; any other is reported as not found, so ids leak nothing."""
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None or not may_view(actor, proposal):
        raise NotFound("list.not_found", id=str(proposal_id))
    return proposal


def search(actor, *, round_id: int | None = None, status: str | None = None, limit: int = 500
           ) -> list[tuple[Proposal, str | None, int, int]]:
    """The lists the actor may see, newest first: each with the step it waits at, how many are on it
    and how many wait for the office's decision."""
    query = select(Proposal).where(visible_to(actor))
    if round_id is not None:
        query = query.where(Proposal.round_id == round_id)
    if status:
        query = query.where(Proposal.status == status)
    found = list(db.session.execute(query.order_by(Proposal.id.desc()).limit(limit)).scalars())
    ids = [p.id for p in found]
    if not ids:
        return []
    steps = dict(db.session.execute(select(IndexedTask.proposal_id, IndexedTask.key).where(
        IndexedTask.proposal_id.in_(ids), IndexedTask.state == "ready")).all())
    counts: dict[int, list[int]] = {i: [0, 0] for i in ids}
    for proposal_id, state in db.session.execute(select(Nomination.proposal_id, Nomination.status).where(
            Nomination.proposal_id.in_(ids), Nomination.status.not_in(lists.OFF_THE_LIST))):
        counts[proposal_id][0] += 1
        counts[proposal_id][1] += state == "checking"
    return [(p, steps.get(p.id), *counts[p.id]) for p in found]


def nominees(actor, proposal_id: int, *, all_of_them: bool = True) -> list[Nomination]:
    return _with_registry_rows(lists.nominees(get(actor, proposal_id), all_of_them=all_of_them))


def _with_registry_rows(found: list[Nomination]) -> list[Nomination]:
    """The nominees with their registry person or collective read in one statement each, not one per nominee."""
    for attribute, model, key in (("person", Person, "person_id"), ("collective", Collective, "collective_id")):
        wanted = [n for n in found if attribute not in n.__dict__]
        ids = sorted({getattr(n, key) for n in wanted if getattr(n, key) is not None})
        rows = {}
        for chunk in in_chunks(ids):
            rows.update((row.id, row) for row in db.session.execute(select(model).where(model.id.in_(chunk))).scalars())
        for nomination in wanted:
            row_id = getattr(nomination, key)
            if row_id is None or row_id in rows:
                set_committed_value(nomination, attribute, rows.get(row_id))
    return found


def progress(actor, proposal_id) -> Progress:
    """Where the list stands on its process's diagram, for those who may see the list."""
    proposal = get(actor, proposal_id)
    return of_instance(proposal.instance_id, IndexedTask.proposal_id == proposal.id)


def step_of(proposal: Proposal) -> str | None:
    return lists.step_of(proposal)


# -- proposing ---------------------------------------------------------------------------------

# A lost race for a nominee's claim is tried again: the second try reads the winner and names it.
@use_case(retries=2)
def propose(actor, *, award_code, unit_id: int | None = None, round_id: int | None = None, nominees=(),
            title: str = "", year: int | None = None, on: date | None = None) -> Proposal:
    """Propose a list of nominees for one award from the actor's unit, and start its process.

    ``nominees`` are ``{"person_id"}``, ``{"collective_id"}`` (of the unit's registry) or
    ``{"name", "position"?}`` (someone not in the registry). Into a round, only its award types
    are taken, and only until its intake deadline unless the office let the unit in late.
    A nominee who already holds the award for the year, or whom another open nomination claims,
    is refused, named.
    """
    if not routing.may_start(actor):
        raise NotAllowed("list.clerks_propose")
    unit_id = actor.unit_id if unit_id is None else unit_id
    if unit_id != actor.unit_id:
        raise NotAllowed("list.own_unit_only")
    errors = {}
    award = reference.award_type(award_code) if isinstance(award_code, str) else None
    if award is None or not award.active:
        errors["award_code"] = Reason("award_type.unknown", code=str(award_code))
    if not isinstance(title, str) or len(title) > MAX_TITLE:
        errors["title"] = Reason("field.too_long", max=MAX_TITLE)
    if not isinstance(nominees, (list, tuple)) or not nominees:
        errors["nominees"] = Reason("list.no_nominees")
    elif len(nominees) > MAX_NOMINEES:
        errors["nominees"] = Reason("list.too_many_nominees", max=MAX_NOMINEES)
    round_ = None
    if round_id is not None:
        from workflows.usecases import rounds  # rounds reads lists: imported here, not at the top

        # An unknown round and one the unit does not propose to read the same: not found.
        round_ = db.session.get(Round, round_id) if isinstance(round_id, int) and not isinstance(round_id, bool) \
            else None
        if round_ is None or not rounds.may_view(actor, round_):
            raise NotFound("round.not_found", id=str(round_id))
    if round_ is None and year is not None and (isinstance(year, bool) or not isinstance(year, int)
                                                or not 2000 <= year <= today().year + 1):
        errors["year"] = Reason("field.year_between", first=2000, last=today().year + 1)
    if errors:
        raise InvalidData("list.cannot_propose", fields=errors)
    year = round_.year if round_ is not None else (year or today().year)
    authority = authorities.deciding(award, unit_id)
    if round_ is not None:
        if round_.authority_id != authority.id:
            raise Conflict("round.other_authority", round=round_.name, award=award.code)
    late_reason = _round_admits(round_, award, unit_id, on or today()) if round_ is not None else None
    chosen = _nominees(nominees, award, unit_id, year, authority)
    proposal = Proposal(round_id=getattr(round_, "id", None), authority_id=authority.id, unit_id=unit_id,
                        award_type_id=award.id, year=year, title=(title or "").strip(), status="preparing",
                        late_reason=late_reason, created_by_id=actor.id)
    db.session.add(proposal)
    db.session.flush()
    rule_set_id = getattr(eligibility.rule_set_in_force(today()), "id", None)
    rows = []
    for nominee in chosen:
        rows.append(Nomination(
            unit_id=unit_id, authority_id=authority.id, award_type_id=award.id, year=year,
            nominee_kind=award.kind, nominee_name=nominee["name"], nominee_position=nominee["position"],
            nominee_user_id=getattr(nominee["person"], "user_id", None),
            person_id=getattr(nominee["person"], "id", None), collective_id=getattr(nominee["collective"], "id", None),
            rule_set_id=rule_set_id, round_id=proposal.round_id, proposal_id=proposal.id,
            summary="", status="preparing", created_by_id=actor.id))
    db.session.add_all(rows)
    db.session.flush()  # a claim taken meanwhile fails here, and the use case is tried again
    lists.start(proposal)
    audit.record("list_proposed", actor=actor, details={
        "proposal": proposal.id, "award": award.code, "year": year, "unit": actor.unit.code if actor.unit else "",
        "authority": authority.code, "nominees": len(rows), "round": proposal.round_id or "",
        "late_reason": late_reason or ""})
    for row in rows:
        audit.record("nominee_listed", actor=actor, nomination_id=row.id, details={
            "proposal": proposal.id, "award": award.code, "nominee": row.nominee_name, "year": year})
    db.session.commit()
    return proposal


def _round_admits(round_: Round, award, unit_id: int, on: date) -> str | None:
    """Refuse what the round does not take; the late reason when the unit comes in under a late entry."""
    if round_.status != "open":
        raise Conflict("round.closed", round=round_.name)
    if award.code not in (round_.award_codes or []):
        raise Conflict("round.award_not_taken", award=award.code, round=round_.name)
    if on <= round_.intake_deadline:
        return None
    late = db.session.get(LateEntry, (round_.id, unit_id))
    if late is None or on > late.until:
        raise Conflict("round.intake_closed", deadline=round_.intake_deadline, round=round_.name)
    return late.reason


def _nominees(given, award, unit_id: int, year: int, authority) -> list[dict]:
    """The nominees as registry rows and names; each refusal names the nominee (field ``nominees.<i>``)."""
    errors, chosen, seen = {}, [], set()
    # The registry rows named, read at once; they stay in the session, so reading each below costs nothing.
    by_code, loaded = _registry_rows(given, award)
    departments = {row.id if isinstance(row, Collective) else row.collective_id for row in loaded}
    deciders = authorities.deciding_by_department(award, unit_id, departments) if loaded else {}
    for index, entry in enumerate(given):
        field = f"nominees.{index}"
        person = collective = None
        if not isinstance(entry, dict):
            errors[field] = Reason("field.object_needed")
            continue
        if entry.get("code") not in (None, ""):  # a registry code, as the API and the registry name people
            code = entry["code"]
            model = Collective if award.kind == "collective" else Person
            row = by_code[model].get(code) if isinstance(code, str) and len(code) <= 32 else None
            if row is None or row.unit_id != unit_id or not row.active:
                errors[field] = Reason("list.nominee_not_in_registry", nominee=str(code)[:32])
                continue
            entry = {"collective_id": row.id} if award.kind == "collective" else {"person_id": row.id}
        if entry.get("person_id") is not None:
            person = _registry_row(Person, entry["person_id"], unit_id)
            if person is None:
                errors[field] = Reason("list.nominee_not_in_registry", nominee=str(entry["person_id"]))
                continue
            name, position = person.full_name, person.position or None
        elif entry.get("collective_id") is not None:
            collective = _registry_row(Collective, entry["collective_id"], unit_id)
            if collective is None:
                errors[field] = Reason("list.nominee_not_in_registry", nominee=str(entry["collective_id"]))
                continue
            name, position = collective.name, None
        else:
            name = entry.get("name").strip() if isinstance(entry.get("name"), str) else ""
            position = entry.get("position") if isinstance(entry.get("position"), str) else None
            if not name:
                errors[field] = Reason("nominee.name_needed")
                continue
            if len(name) > 200 or (position and len(position) > 200):
                errors[field] = Reason("field.too_long", max=200)
                continue
        kind = "collective" if collective is not None else "individual" if person is not None else award.kind
        if kind != award.kind:
            errors[field] = Reason("list.nominee_wrong_kind", nominee=name, award=award.code, nominee_kind=award.kind)
            continue
        key = ("p", person.id) if person else ("c", collective.id) if collective else ("n", name.casefold())
        if key in seen:
            errors[field] = Reason("list.nominee_twice", nominee=name)
            continue
        seen.add(key)
        if (person or collective) and _deciding(deciders, award, unit_id, person, collective).id != authority.id:
            errors[field] = Reason("list.nominee_other_authority", nominee=name)
            continue
        chosen.append({"person": person, "collective": collective, "name": name, "position": position,
                       "index": index})
    if errors:
        raise InvalidData("list.nominees_refused", fields=errors, count=len(errors))
    person_ids = [n["person"].id for n in chosen if n["person"] is not None]
    collective_ids = [n["collective"].id for n in chosen if n["person"] is None and n["collective"] is not None]
    held = duplicates.held_by_many(person_ids, collective_ids, award.code, year)
    claims = duplicates.claiming_many(person_ids, collective_ids, award.id, year)
    for nominee in chosen:
        _refuse_duplicate(nominee, award, year, held, claims)
    return chosen


def _registry_rows(given, award) -> tuple[dict, list]:
    """The registry rows the entries name by code or id, read in a few statements: by model and code, and all."""
    ids = {Person: set(), Collective: set()}
    codes = set()
    for entry in given if isinstance(given, (list, tuple)) else ():
        if not isinstance(entry, dict):
            continue
        code = entry.get("code")
        if code not in (None, ""):
            if isinstance(code, str) and len(code) <= 32:
                codes.add(code)
            continue
        for model, key in ((Person, "person_id"), (Collective, "collective_id")):
            value = entry.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                ids[model].add(value)
    by_code, loaded = {Person: {}, Collective: {}}, []
    model = Collective if award.kind == "collective" else Person
    for chunk in in_chunks(sorted(codes)):
        for row in db.session.execute(select(model).where(model.code.in_(chunk))).scalars():
            by_code[model][row.code] = row
            loaded.append(row)
    for model, wanted in ids.items():
        for chunk in in_chunks(sorted(wanted)):
            loaded.extend(db.session.execute(select(model).where(model.id.in_(chunk))).scalars())
    return by_code, loaded


def _deciding(deciders: dict, award, unit_id: int, person, collective):
    department = collective.id if collective is not None else getattr(person, "collective_id", None)
    if department in deciders:
        return deciders[department]
    return authorities.deciding(award, unit_id, person=person, collective=collective)


def _registry_row(model, row_id, unit_id: int):
    if isinstance(row_id, bool) or not isinstance(row_id, int):
        return None
    found = db.session.get(model, row_id)
    return found if found is not None and found.unit_id == unit_id and found.active else None


def _refuse_duplicate(nominee: dict, award, year: int, held: dict | None = None, claims: dict | None = None) -> None:
    """One title a year: refuse, naming the nominee, one who holds it or whom another nomination claims.

    ``held`` and ``claims`` are what ``duplicates.held_by_many`` and ``claiming_many`` read for the whole list.
    """
    person_id = getattr(nominee["person"], "id", None)
    collective_id = getattr(nominee["collective"], "id", None)
    subject = ("p", person_id) if person_id is not None else ("c", collective_id) if collective_id is not None \
        else None
    if held is not None and claims is not None:
        record = held.get(subject)
    else:
        record = duplicates.held(person_id, collective_id, award.code, year)
    if record is not None:
        raise Conflict("list.nominee_already_awarded", nominee=nominee["name"], award=award.code, year=year,
                       decision=record.decision_ref or "", fields={
                           f"nominees.{nominee['index']}": Reason("list.nominee_claimed", nominee=nominee["name"])})
    if held is not None and claims is not None:
        other = claims.get(subject)
    else:
        other = duplicates.claiming(person_id, collective_id, award.id, year)
    if other is not None:
        raise Conflict("list.nominee_already_nominated", nominee=nominee["name"], award=award.code, year=year,
                       nomination=other.id, status=other.status, fields={
                           f"nominees.{nominee['index']}": Reason("list.nominee_claimed", nominee=nominee["name"])})


# -- the unit's steps --------------------------------------------------------------------------

@use_case
def submit(actor, proposal_id: int, comment: str = "") -> Proposal:
    """The unit clerk sends the prepared list to the unit head."""
    proposal = get(actor, proposal_id)
    if not is_unit(actor, proposal, "unit_clerk"):
        raise NotAllowed("list.clerk_submits")
    if not lists.nominees(proposal):
        raise Conflict("list.nobody_on_it")
    comment = _text(comment, "comment")
    lists.complete_step(proposal, "prepare_list", {"comment": comment}, actor)
    _move_nominees(proposal, ("preparing",), "endorsing")
    audit.record("list_submitted", actor=actor, task_key="prepare_list",
                 details={"proposal": proposal.id, "comment": comment})
    db.session.commit()
    return proposal


@use_case
def endorse(actor, proposal_id: int, approve: bool = True, comment: str = "") -> Proposal:
    """The unit head sends the list to the deciding authority's office, or returns it to the clerk."""
    proposal = get(actor, proposal_id)
    if not is_unit(actor, proposal, "unit_head"):
        raise NotAllowed("list.head_endorses")
    comment = _text(comment, "comment")
    if not approve and not comment:
        raise InvalidData("list.reason_needed", fields={"comment": Reason("list.reason_needed")})
    decision = "endorse" if approve else "return"
    if approve:
        # The office sees the list (and its nominees) from now on; findings are made for them.
        now = utcnow()
        proposal.submitted_at = proposal.submitted_at or now
        for nomination in lists.nominees(proposal):
            nomination.submitted_at = nomination.submitted_at or now
    lists.complete_step(proposal, "endorse_list", {"decision": decision, "comment": comment}, actor)
    if approve:
        _move_nominees(proposal, ("endorsing",), "checking")
    else:
        _move_nominees(proposal, ("endorsing",), "preparing")
    audit.record("list_endorsed" if approve else "list_returned", actor=actor, task_key="endorse_list",
                 details={"proposal": proposal.id, "decision": decision, "comment": comment})
    db.session.commit()
    return proposal


@use_case
def withdraw_nominee(actor, nomination_id: int, reason: str, *, proposal_id: int | None = None) -> Nomination:
    """The unit takes one nominee off its list, with a reason, before the council takes them up."""
    nomination, proposal = _listed(actor, nomination_id, proposal_id)
    if not is_unit(actor, proposal):
        raise NotAllowed("list.unit_withdraws")
    reason = _text(reason, "reason")
    if not reason:
        raise InvalidData("list.reason_needed", fields={"reason": Reason("list.reason_needed")})
    _lock(proposal, nomination)
    if nomination.status not in WITHDRAWABLE:
        raise Conflict("list.nominee_not_withdrawable", nominee=nomination.nominee_name, status=nomination.status)
    before = nomination.status
    nomination.status = "withdrawn"
    nomination.withdrawn_reason = reason
    audit.record("withdrawn", actor=actor, nomination_id=nomination.id,
                 details={"proposal": proposal.id, "reason": reason, "status": before})
    db.session.flush()
    _advance_if_checked(actor, proposal)
    db.session.commit()
    return nomination


# -- the office's step -------------------------------------------------------------------------

@use_case
def check(actor, proposal_id: int, decisions: dict) -> Proposal:
    """The office decides on nominees of the list: accept, return (with a reason) or hold (with a reason).

    Accepted nominees go to the council's vote where the award needs one, else straight to the
    head's signature. Some nominees may be decided now and the rest later; once none is left
    undecided, the list moves on. Refusals name the nominee (field ``decisions.<id>``).
    """
    proposal = get(actor, proposal_id)
    if not is_office(actor, proposal):
        raise NotAllowed("list.office_checks")
    _lock(proposal)
    if lists.step_of(proposal) != "check_list":
        raise Conflict("list.step_not_ready", list=proposal.id, step="check_list", at=lists.step_of(proposal) or "")
    if not isinstance(decisions, dict) or not decisions:
        raise InvalidData("list.cannot_check", fields={"decisions": Reason("list.no_decisions")})
    on_list = {n.id: n for n in lists.nominees(proposal, all_of_them=True)}
    errors, chosen = {}, []
    for key, decided in decisions.items():
        field = f"decisions.{key}"
        nomination = on_list.get(_as_id(key))
        if nomination is None:
            errors[field] = Reason("list.nominee_not_on_list", nomination=str(key))
            continue
        if not isinstance(decided, dict) or decided.get("outcome") not in OUTCOMES:
            errors[field] = Reason("field.choose_one", choices=list(OUTCOMES))
            continue
        reason = decided.get("reason") or ""
        if not isinstance(reason, str) or len(reason) > MAX_REASON:
            errors[field] = Reason("field.too_long", max=MAX_REASON)
            continue
        reason = reason.strip()
        if decided["outcome"] in ("return", "hold") and not reason:
            errors[field] = Reason("list.nominee_reason_needed", nominee=nomination.nominee_name)
            continue
        if nomination.status not in ("checking", "on_hold"):
            errors[field] = Reason("list.nominee_not_checking", nominee=nomination.nominee_name,
                                   status=nomination.status)
            continue
        chosen.append((nomination, decided["outcome"], reason))
    if errors:
        raise InvalidData("list.cannot_check", fields=errors, count=len(errors))
    vote = lists.needs_vote(proposal)
    for nomination, outcome, reason in chosen:
        if outcome == "accept":
            nomination.status = "voting" if vote else "signing"
            audit.record("nominee_accepted", actor=actor, nomination_id=nomination.id, task_key="check_list",
                         details={"proposal": proposal.id, "status": nomination.status})
        elif outcome == "return":
            nomination.status = "returned"  # the claim on the award is released with it
            audit.record("returned", actor=actor, nomination_id=nomination.id, task_key="check_list",
                         details={"proposal": proposal.id, "comment": reason})
        else:
            nomination.status = "on_hold"
            audit.record("nominee_held", actor=actor, nomination_id=nomination.id, task_key="check_list",
                         details={"proposal": proposal.id, "reason": reason})
    db.session.flush()
    _advance_if_checked(actor, proposal, vote=vote)
    db.session.commit()
    return proposal


@use_case
def release_hold(actor, nomination_id: int, *, proposal_id: int | None = None) -> Nomination:
    """The office releases a held nominee: to the council's vote, or to the head's signature."""
    nomination, proposal = _listed(actor, nomination_id, proposal_id)
    if not is_office(actor, proposal):
        raise NotAllowed("list.office_checks")
    _lock(proposal, nomination)
    if nomination.status != "on_hold":
        raise Conflict("list.nominee_not_on_hold", nominee=nomination.nominee_name, status=nomination.status)
    nomination.status = "voting" if lists.needs_vote(proposal) else "signing"
    audit.record("nominee_released", actor=actor, nomination_id=nomination.id,
                 details={"proposal": proposal.id, "status": nomination.status})
    db.session.commit()
    return nomination


def _advance_if_checked(actor, proposal: Proposal, *, vote: bool | None = None) -> None:
    """Move the list past ``check_list`` once no nominee on it waits for the office's decision."""
    if lists.step_of(proposal) != "check_list":
        return
    statuses = [n.status for n in lists.nominees(proposal)]
    if "checking" in statuses:
        return
    vote = lists.needs_vote(proposal) if vote is None else vote
    lists.complete_step(proposal, "check_list", {
        "needs_vote": vote and any(s in ("voting", "on_hold") for s in statuses),
        "remaining": len(statuses)}, actor)


# -- helpers -----------------------------------------------------------------------------------

def _listed(actor, nomination_id, proposal_id=None) -> tuple[Nomination, Proposal]:
    """A nominee on a list the actor may see (on the list named, when one is)."""
    nomination = db.session.get(Nomination, nomination_id) if isinstance(nomination_id, int) else None
    proposal = db.session.get(Proposal, nomination.proposal_id) if nomination and nomination.proposal_id else None
    if proposal is None or not may_view(actor, proposal) or proposal_id not in (None, proposal.id):
        raise NotFound("nomination.not_found", id=str(nomination_id))
    return nomination, proposal


def _lock(proposal: Proposal, *fresh) -> None:
    """Take the list's instance lock: decisions on its nominees queue behind each other, so the
    last one sees every other and moves the list on. Rows read before are read again."""
    instances.lock_instance(proposal.instance_id)
    for row in fresh:
        db.session.refresh(row)


def _move_nominees(proposal: Proposal, from_statuses, to: str) -> None:
    for nomination in lists.nominees(proposal):
        if nomination.status in from_statuses:
            nomination.status = to


def _text(value, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_REASON:
        raise InvalidData("list.cannot_change", fields={field: Reason("field.too_long", max=MAX_REASON)})
    return value.strip()


def _as_id(key) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, str) and key.isdigit() and len(key) < 12:
        return int(key)
    return None


# -- the list's own papers: the proposal letter and the minutes of the unit's review ---------------

def papers(actor, proposal_id: int) -> list[ProposalDocument]:
    """Every version of the list's papers, newest version of each kind first."""
    get(actor, proposal_id)
    return list(db.session.execute(select(ProposalDocument).where(ProposalDocument.proposal_id == proposal_id)
                                   .order_by(ProposalDocument.kind, ProposalDocument.version.desc())).scalars())


@use_case
def upload_paper(actor, proposal_id: int, *, kind: str, stream, filename: str, limits) -> ProposalDocument:
    """Attach a version of the list's proposal letter or review minutes while the unit prepares it.

    The upload is checked as a dossier document is (type sniffed, size bounded, name made safe).
    """
    proposal = get(actor, proposal_id)
    if not is_unit(actor, proposal, "unit_clerk"):
        raise NotAllowed("list.clerk_submits")
    if kind not in lists.PAPER_KINDS:
        raise InvalidData("document.unknown_kind", kind=str(kind),
                          fields={"kind": Reason("field.choose_one", choices=list(lists.PAPER_KINDS))})
    if lists.step_of(proposal) != "prepare_list":
        raise Conflict("list.step_not_ready", list=proposal.id, step="prepare_list",
                       at=lists.step_of(proposal) or "")
    stored = documents.store_upload(stream, filename or "", limits.folder, limits.max_bytes)
    try:
        previous = db.session.execute(select(func.max(ProposalDocument.version)).where(
            ProposalDocument.proposal_id == proposal.id, ProposalDocument.kind == kind)).scalar_one()
        paper = ProposalDocument(proposal_id=proposal.id, kind=kind, version=(previous or 0) + 1,
                                 filename=stored.filename, media_type=stored.media_type, size=stored.size,
                                 sha256=stored.sha256, storage_key=stored.storage_key, uploaded_by_id=actor.id)
        db.session.add(paper)
        db.session.flush()
        audit.record("document_uploaded", actor=actor, details={
            "proposal": proposal.id, "kind": kind, "version": paper.version, "filename": paper.filename,
            "size": paper.size, "sha256": paper.sha256})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if db.session.execute(select(ProposalDocument.id).where(
                ProposalDocument.storage_key == stored.storage_key).limit(1)).first() is None:
            documents.remove_stored(limits.folder, stored.storage_key)
        raise
    return paper


def open_paper(actor, proposal_id: int, paper_id: int, folder: str):
    """A paper of the list and a stream of its content, checked against its fingerprint."""
    get(actor, proposal_id)
    paper = db.session.get(ProposalDocument, paper_id) if isinstance(paper_id, int) else None
    if paper is None or paper.proposal_id != proposal_id:
        raise NotFound("document.not_found", id=paper_id, nomination=proposal_id)
    stream, problem = documents.read_checked(folder, paper.storage_key, paper.sha256, paper.size)
    if problem is not None:
        raise Damaged("document.missing" if problem == documents.MISSING else "document.altered",
                      id=paper.id, filename=paper.filename)
    return paper, stream


# -- what the registry offers a unit for a list --------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """Someone of the unit's registry the list may take, with how they stand against the award's rules."""

    kind: str  # individual | collective
    id: int  # the person's or collective's id
    code: str
    name: str
    position: str | None
    unmet: int  # findings not met
    findings: list
    taken: str | None  # why they cannot be proposed (already awarded / nominated), else None

    @property
    def eligible(self) -> bool:
        return self.taken is None and self.unmet == 0


def candidates(actor, award_code: str, year: int, *, limit: int = 2000) -> list[Candidate]:
    """Everyone of the actor's unit registry the award can go to this year, judged in one batch
    against the rules in force: the eligible first, then the others (with what they lack), and
    those already awarded or nominated marked so."""
    if not routing.may_start(actor):
        raise NotAllowed("list.clerks_propose")
    award = reference.award_type(award_code) if isinstance(award_code, str) else None
    if award is None or not award.active:
        return []
    rule_set = eligibility.rule_set_in_force(today())
    if award.kind == "collective":
        rows = list(db.session.execute(select(Collective).where(
            Collective.unit_id == actor.unit_id, Collective.active.is_(True)).order_by(Collective.name)
            .limit(limit)).scalars())
        records = histories.of_collectives([r.id for r in rows])
        claimed = _claimed(Nomination.collective_id, [r.id for r in rows], award, year)
    else:
        rows = list(db.session.execute(select(Person).where(
            Person.unit_id == actor.unit_id, Person.active.is_(True)).order_by(Person.full_name)
            .limit(limit)).scalars())
        records = histories.of_people([r.id for r in rows])
        claimed = _claimed(Nomination.person_id, [r.id for r in rows], award, year)
    found = []
    for row in rows:
        findings = eligibility.evaluate(rule_set, award, year, records[row.id])
        unmet = sum(1 for f in findings if f.get("met") is False)
        held = award.code, year
        taken = "awarded" if held in records[row.id].awards else claimed.get(row.id)
        person = award.kind != "collective"
        found.append(Candidate("individual" if person else "collective", row.id, row.code,
                               row.full_name if person else row.name, (row.position or None) if person else None,
                               unmet, findings, taken))
    return sorted(found, key=lambda c: (c.taken is not None, c.unmet > 0))


def _claimed(column, ids, award, year) -> dict[int, str]:
    """Who of ``ids`` another open nomination already claims for the award and year."""
    if not ids:
        return {}
    rows = db.session.execute(select(column).where(column.in_(ids), Nomination.award_type_id == award.id,
                                                   Nomination.year == year, Nomination.status.not_in(RELEASED)))
    return {subject: "nominated" for subject in rows.scalars()}
