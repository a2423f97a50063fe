"""Up and back: the answer from above to a proposal sent up, and a council's recommendation of a
higher form.

A list of a state award goes up as one numbered proposal (tờ trình). When the higher authority
answers, the office of the authority that sent it records the answer: who decided, its number and
date, for each nominee awarded or not, and the scan of that decision. Awarded nominees' histories
get the award at once, so next year's eligibility sees it (a Prime Minister's Certificate of Merit
counts towards a Labour Order). A council that finds a nominee worthy of more recommends a higher
form: the office opens a new proposal for it to the authority that decides it, linked to the
nominee it came from; the nominee's own award never changes.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update

from workflows.db import db
from workflows.errors import Conflict, Damaged, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import AwardType, Decision, Nomination, Proposal, SessionItem, UpwardOutcome, User
from workflows.services import audit, authorities, documents
from workflows.services.transactions import use_case
from workflows.usecases import decisions, integrity, list_decisions

RESULTS = ("awarded", "not_awarded")
MAX_AUTHORITY = 300
MAX_NUMBER = 64
MAX_REASON = 2000


@dataclass(frozen=True)
class UploadLimits:
    folder: str
    max_bytes: int


def may_record(user, decision: Decision) -> bool:
    """The office of the authority that sent the proposal up records the answer to it."""
    return user.active and user.holds("office", decision.authority_id)


def outcome_of(decision: Decision) -> UpwardOutcome | None:
    return db.session.execute(select(UpwardOutcome).where(UpwardOutcome.decision_id == decision.id)
                              .order_by(UpwardOutcome.id.desc()).limit(1)).scalars().first()


def forwarded(decision: Decision) -> list[Nomination]:
    return list(db.session.execute(select(Nomination).where(Nomination.list_decision_id == decision.id)
                                   .order_by(Nomination.id)).scalars())


@use_case
def record_outcome(actor, decision_id: int, *, higher_authority, number, decided_on, results,
                   scan: tuple | None, limits: UploadLimits) -> UpwardOutcome:
    """Record the answer from above to a proposal sent up (a list's, or a single nomination's).

    ``results`` maps each nominee of the proposal (nomination id) to ``awarded`` or
    ``not_awarded``; every nominee needs one. ``scan`` is (filename, binary stream) of the
    higher authority's decision, checked like every upload (bounded, its type read from its
    bytes). Raises NotFound, NotAllowed (not the office of the sending authority), Conflict (not
    a proposal upward, revoked, or answered already), InvalidData.
    """
    decision = decisions.get(actor, decision_id)
    if not may_record(actor, decision):
        raise NotAllowed("upward.office_records")
    if decision.kind != "proposal":
        raise Conflict("upward.not_a_proposal", number=decision.number)
    if decision.revoked_at is not None:
        raise Conflict("upward.revoked", number=decision.number)
    if outcome_of(decision) is not None:
        raise Conflict("upward.already_recorded", number=decision.number)
    nominees = [decision.nomination] if decision.nomination_id else forwarded(decision)
    clean = _checked(higher_authority, number, decided_on, results, {n.id for n in nominees}, scan)
    stored = None
    if scan is not None:
        filename, stream = scan
        stored = documents.store_upload(stream, filename or "", limits.folder, limits.max_bytes)
    try:
        outcome = _record(actor, decision, nominees, clean, stored)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if stored is not None and not _referenced(stored.storage_key):
            documents.remove_stored(limits.folder, stored.storage_key)
        raise
    return outcome


def _checked(higher_authority, number, decided_on, results, expected: set[int], scan) -> dict:
    errors = {}
    higher_authority = higher_authority.strip() if isinstance(higher_authority, str) else ""
    number = number.strip() if isinstance(number, str) else ""
    if not higher_authority:
        errors["higher_authority"] = Reason("field.required")
    elif len(higher_authority) > MAX_AUTHORITY:
        errors["higher_authority"] = Reason("field.too_long", max=MAX_AUTHORITY)
    if not number:
        errors["number"] = Reason("field.required")
    elif len(number) > MAX_NUMBER:
        errors["number"] = Reason("field.too_long", max=MAX_NUMBER)
    if isinstance(decided_on, str):
        try:
            decided_on = date.fromisoformat(decided_on)
        except ValueError:
            decided_on = None
    if not isinstance(decided_on, date) or decided_on > date.today() or decided_on.year < 2000:
        errors["decided_on"] = Reason("upward.date_needed")
        decided_on = None
    clean_results = {}
    if not isinstance(results, dict):
        errors["results"] = Reason("field.object_needed")
    else:
        for key, value in results.items():
            try:
                nid = int(key)
            except (TypeError, ValueError):
                nid = None
            if nid not in expected:
                errors[f"results.{key}"] = Reason("upward.not_on_proposal")
            elif value not in RESULTS:
                errors[f"results.{key}"] = Reason("field.choose_one", choices=list(RESULTS))
            else:
                clean_results[nid] = value
        missing = sorted(expected - set(clean_results))
        if missing and "results" not in errors and not any(k.startswith("results.") for k in errors):
            errors["results"] = Reason("upward.result_missing", ids=missing)
    if scan is None:
        errors["scan"] = Reason("upward.scan_needed")
    if errors:
        raise InvalidData("upward.invalid", fields=errors)
    return {"higher_authority": higher_authority, "number": number, "decided_on": decided_on,
            "results": clean_results}


def _record(actor, decision: Decision, nominees: list[Nomination], clean: dict, stored) -> UpwardOutcome:
    outcome = UpwardOutcome(decision_id=decision.id, higher_authority=clean["higher_authority"],
                            number=clean["number"], decided_on=clean["decided_on"], recorded_by_id=actor.id,
                            filename=stored.filename, media_type=stored.media_type, size=stored.size,
                            sha256=stored.sha256, storage_key=stored.storage_key)
    db.session.add(outcome)
    db.session.flush()
    results = clean["results"]
    for value in RESULTS:
        ids = sorted(nid for nid, result in results.items() if result == value)
        if ids:
            db.session.execute(update(Nomination).where(Nomination.id.in_(ids))
                               .values(upward_result=value, upward_outcome_id=outcome.id)
                               .execution_options(synchronize_session=False))
    awarded = [n for n in nominees if results.get(n.id) == "awarded"]
    records = list_decisions.write_history(awarded, decision, clean["number"])
    # The lists sent up are answered now.
    list_ids = sorted({n.proposal_id for n in nominees if n.proposal_id})
    if list_ids:
        db.session.execute(update(Proposal).where(Proposal.id.in_(list_ids)).values(status="answered")
                           .execution_options(synchronize_session=False))
    audit.record("upward_outcome_recorded", actor=actor, nomination_id=decision.nomination_id, details={
        "number": decision.number, "higher_authority": clean["higher_authority"],
        "decision_ref": clean["number"], "decided_on": clean["decided_on"].isoformat(),
        "awarded": len(awarded), "not_awarded": len(nominees) - len(awarded), "award_records": records,
        "filename": stored.filename, "sha256": stored.sha256})
    return outcome


def _referenced(storage_key: str) -> bool:
    return db.session.execute(select(UpwardOutcome.id).where(UpwardOutcome.storage_key == storage_key)
                              .limit(1)).first() is not None


def get_outcome(actor, decision_id: int) -> UpwardOutcome:
    """The recorded answer to a proposal the actor may see; NotFound until it is recorded."""
    decision = decisions.get(actor, decision_id)
    outcome = outcome_of(decision)
    if outcome is None:
        raise NotFound("upward.no_outcome", number=decision.number)
    return outcome


def recorded_by(outcome: UpwardOutcome) -> str:
    return db.session.execute(select(User.username).where(User.id == outcome.recorded_by_id)).scalar_one()


def results_of(outcome: UpwardOutcome) -> dict[str, list[int]]:
    """The nominees awarded and not awarded from above, by nomination id."""
    rows = db.session.execute(select(Nomination.id, Nomination.upward_result)
                              .where(Nomination.upward_outcome_id == outcome.id).order_by(Nomination.id)).all()
    return {value: [nid for nid, result in rows if result == value] for value in RESULTS}


def open_scan(actor, decision_id: int, folder: str):
    """The recorded answer and a stream of its scan, checked against its SHA-256 as it is read."""
    decision = decisions.get(actor, decision_id)
    outcome = outcome_of(decision)
    if outcome is None or not outcome.storage_key:
        raise NotFound("upward.no_outcome", number=decision.number)
    stream, problem = documents.read_checked(folder, outcome.storage_key, outcome.sha256, outcome.size)
    if problem is not None:
        audit.record(integrity.ACTIONS[problem], actor=actor, nomination_id=decision.nomination_id,
                     details={"number": outcome.number, "filename": outcome.filename, "sha256": outcome.sha256})
        db.session.commit()
        raise Damaged("document.missing" if problem == documents.MISSING else "document.altered",
                      id=outcome.id, filename=outcome.filename)
    return outcome, stream


# -- a higher form, recommended by the council --------------------------------------------------


def may_recommend(user, nomination: Nomination) -> bool:
    return user.active and user.holds("office", nomination.authority_id)


@use_case
def recommend_higher(actor, nomination_id: int, award_code, reason) -> Proposal:
    """Open a proposal of the higher form the council recommended for a nominee, to the authority
    that decides that form, linked to the nominee (``recommended_from_id``). The nominee's own
    nomination keeps its award: the new proposal runs its own course.

    Raises NotFound, NotAllowed (not the office of the nominee's authority), Conflict (the council
    did not recommend that form, or it is open already), InvalidData.
    """
    from workflows.usecases import nominations  # the nominee as the actor may see them

    nomination = nominations.get(actor, nomination_id)
    if not may_recommend(actor, nomination):
        raise NotAllowed("upward.office_recommends")
    reason = reason.strip() if isinstance(reason, str) else ""
    errors = {}
    award = db.session.execute(select(AwardType).where(AwardType.code == award_code)).scalar_one_or_none() \
        if isinstance(award_code, str) else None
    if award is None or not award.active or award.id == nomination.award_type_id:
        errors["award_type"] = Reason("upward.higher_form_needed")
    elif award.kind != nomination.nominee_kind:
        errors["award_type"] = Reason("award_type.for_kind_only", award=award.code, nominee_kind=award.kind)
    if not reason:
        errors["reason"] = Reason("field.required")
    elif len(reason) > MAX_REASON:
        errors["reason"] = Reason("field.too_long", max=MAX_REASON)
    if errors:
        raise InvalidData("upward.invalid", fields=errors)
    recommended = db.session.execute(select(SessionItem.id).where(
        SessionItem.nomination_id == nomination.id, SessionItem.recommended_award_code == award.code)
        .limit(1)).first()
    if recommended is None:
        raise Conflict("upward.not_recommended", award=award.code)
    open_already = db.session.execute(select(Proposal.id).where(
        Proposal.recommended_from_id == nomination.id, Proposal.award_type_id == award.id,
        Proposal.status != "withdrawn").limit(1)).first()
    if open_already is not None:
        raise Conflict("upward.already_proposed", award=award.code, list=open_already[0])
    target = authorities.deciding(award, nomination.unit_id, person=nomination.person,
                                  collective=nomination.collective)
    proposal = Proposal(
        round_id=None, authority_id=target.id, unit_id=nomination.unit_id, award_type_id=award.id,
        year=nomination.year, status="preparing", recommended_from_id=nomination.id, created_by_id=actor.id,
        title=f"{decisions.award_name(award)} — {nomination.nominee_name}"[:300])
    db.session.add(proposal)
    db.session.flush()
    db.session.add(Nomination(
        unit_id=nomination.unit_id, authority_id=target.id, award_type_id=award.id, year=nomination.year,
        nominee_kind=nomination.nominee_kind, nominee_name=nomination.nominee_name,
        nominee_position=nomination.nominee_position, nominee_user_id=nomination.nominee_user_id,
        person_id=nomination.person_id, collective_id=nomination.collective_id,
        rule_set_id=nomination.rule_set_id, proposal_id=proposal.id, summary=reason, status="preparing",
        created_by_id=actor.id))
    audit.record("higher_form_recommended", actor=actor, nomination_id=nomination.id, details={
        "award": award.code, "from_award": nomination.award_type.code, "list": proposal.id,
        "authority": target.code, "reason": reason})
    db.session.commit()
    return proposal
