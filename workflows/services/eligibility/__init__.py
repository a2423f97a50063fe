"""Eligibility: an award's prerequisites, as the rule set in force says, checked against the record.

It flags; people decide. Each finding names its rule and legal basis and states the evidence
found, so the secretariat and the council see why, not just a red mark. The rule set is the one
in force on the day the nomination was made; a nomination keeps it when the rules change.
"""

from datetime import date

from sqlalchemy import func, select

from workflows.db import db, in_chunks
from workflows.models import AwardRecord, AwardType, Decision, Nomination, Person, RuleSet
from workflows.services import duplicates
from workflows.services.eligibility import history as histories
from workflows.services.eligibility.checks import COLLECTIVE_KINDS, KINDS, Context, RuleError, run
from workflows.services.eligibility.history import History
from workflows.services.eligibility.validation import problems, validate

__all__ = ["COLLECTIVE_KINDS", "KINDS", "RuleError", "evaluate", "evaluate_people", "findings_for",
           "findings_for_many", "problems", "rule_set_in_force", "validate"]

LAW = "Law 06/2022/QH15"
LAW_VI = "Luật Thi đua, khen thưởng số 06/2022/QH15"
# Nominations that no longer count towards a unit's quota.
_NOT_COUNTED = ("withdrawn", "rejected", "not_approved")


def rule_set_in_force(on: date) -> RuleSet | None:
    return db.session.execute(RuleSet.in_force_on(on)).scalar_one_or_none()


def evaluate(rule_set: RuleSet | None, award: AwardType, year: int, record: History,
             ctx: Context = Context()) -> list[dict]:
    """The findings of one nominee's record against one award's rules, as plain dicts to store."""
    if rule_set is None:
        return [_finding("rule_set", (LAW, LAW_VI), False, {"kind": "rule_set", "year": year},
                         f"no eligibility rule set is in force for {year}; an administrator must add one")]
    found = []
    for rule in rule_set.rules:
        if rule.award_code not in (award.code, "*"):
            continue
        check = {"kind": rule.kind, "params": dict(rule.params or {})}
        if rule.kind in COLLECTIVE_KINDS and record.kind != "collective":
            continue
        if rule.kind == "quota":
            check["params"].setdefault("award", award.code)
        result = run(check, record, year, ctx)
        found.append(_finding(rule.kind, (rule.legal_basis, rule.legal_basis_vi), result.met, result.facts,
                              result.message, result.initiative_ids))
    return found


def findings_for(nomination: Nomination, documents: set[str]) -> list[dict]:
    """Every finding for one nomination: who the nominee is, the dossier, then the award's rules."""
    return _findings(nomination, documents, _record_of(nomination))


def findings_for_many(nominations: list[Nomination], documents: set[str]) -> dict[int, list[dict]]:
    """The findings of every nominee of a list at once, their records read in bulk; ``documents``
    are the list's own papers. By nomination id."""
    people = histories.of_people(sorted({n.person_id for n in nominations if n.person_id is not None}))
    collectives = histories.of_collectives(sorted({n.collective_id for n in nominations
                                                   if n.person_id is None and n.collective_id is not None}))
    held = _held_already_many(nominations)
    counters = {}  # one counter per unit for this call: its counts are read once, not once per nominee
    # The rule sets held for the whole call: the session holds them only weakly, and would read each
    # (and its rules) again for every nominee.
    rule_sets = {rid: db.session.get(RuleSet, rid) for rid in {n.rule_set_id for n in nominations if n.rule_set_id}}
    found = {}
    for nomination in nominations:
        if nomination.person_id is not None:
            record = people[nomination.person_id]
        elif nomination.collective_id is not None:
            record = collectives[nomination.collective_id]
        else:
            record = History("unknown")
        if nomination.unit_id not in counters:
            counters[nomination.unit_id] = _counted_once(_unit_counter(nomination.unit_id))
        found[nomination.id] = _findings(nomination, documents, record, held=held,
                                         unit_count=counters[nomination.unit_id], rule_sets=rule_sets)
    return found


def _held_already_many(nominations: list[Nomination]) -> dict[int, AwardRecord | None]:
    """``_held_already`` of many nominations in a few statements, whatever their number: by nomination id."""
    ids = [n.id for n in nominations if n.id is not None]
    own = {}
    for chunk in in_chunks(ids):
        own.update((nid, did) for did, nid in db.session.execute(
            select(Decision.id, Decision.nomination_id).where(Decision.nomination_id.in_(chunk))))
    groups = {}
    for nomination in nominations:
        groups.setdefault((nomination.award_type.code, nomination.year), []).append(nomination)
    records = {}  # ("p" | "c", subject id, award code, year) -> the subject's records of it, oldest first
    for (code, year), members in groups.items():
        for kind, column, subjects in (
                ("p", AwardRecord.person_id, sorted({n.person_id for n in members if n.person_id is not None})),
                ("c", AwardRecord.collective_id, sorted({n.collective_id for n in members
                                                         if n.person_id is None and n.collective_id is not None}))):
            for start in range(0, len(subjects), 900):
                for row in db.session.execute(select(AwardRecord).where(
                        column.in_(subjects[start:start + 900]), AwardRecord.award_code == code,
                        AwardRecord.year == year, AwardRecord.revoked_at.is_(None)).order_by(AwardRecord.id)).scalars():
                    subject = row.person_id if kind == "p" else row.collective_id
                    records.setdefault((kind, subject, code, year), []).append(row)
    found = {}
    for nomination in nominations:
        if nomination.person_id is not None:
            key = ("p", nomination.person_id)
        elif nomination.collective_id is not None:
            key = ("c", nomination.collective_id)
        else:
            found[nomination.id] = None
            continue
        decision = own.get(nomination.id)
        found[nomination.id] = next((r for r in records.get((*key, nomination.award_type.code, nomination.year), ())
                                     if decision is None or r.decision_id is None or r.decision_id != decision), None)
    return found


def _counted_once(count):
    """``count`` asked once per award and year; what it answered before is answered again."""
    answers = {}

    def counted(award_code: str, year: int) -> int:
        if (award_code, year) not in answers:
            answers[award_code, year] = count(award_code, year)
        return answers[award_code, year]

    return counted


def _findings(nomination: Nomination, documents: set[str], record: History, *, held: dict | None = None,
              unit_count=None, rule_sets: dict | None = None) -> list[dict]:
    award = nomination.award_type
    registered = record.kind != "unknown"
    structural = [
        _finding("nominee_kind", _article(7), award.kind == nomination.nominee_kind,
                 {"kind": "nominee_kind", "award_kind": award.kind, "nominee_kind": nomination.nominee_kind},
                 f"the award is for {award.kind} nominees; the nominee is {nomination.nominee_kind}"),
        _dossier_complete(documents, award.required_documents),
        _finding("registered", _article(84), registered, {"kind": "registered", "registered": registered},
                 "the nominee is in the registry" if registered else
                 "the nominee is not in the registry: their assessments and awards cannot be checked"),
    ]
    held = held[nomination.id] if held is not None and nomination.id in held else _held_already(nomination)
    if held is not None:
        structural.append(_finding(
            "not_held_already", _article(5), False,
            {"kind": "not_held_already", "award": award.code, "year": nomination.year, "decision": held.decision_ref},
            f"the nominee already holds {award.code} for {nomination.year} ({held.decision_ref or 'no reference'})"))
    rule_set = (rule_sets[nomination.rule_set_id] if rule_sets and nomination.rule_set_id in rule_sets
                else db.session.get(RuleSet, nomination.rule_set_id)) if nomination.rule_set_id else None
    ctx = Context(nomination_id=nomination.id, unit_code=nomination.unit.code,
                  unit_count=unit_count or _unit_counter(nomination.unit_id))
    return structural + evaluate(rule_set, award, nomination.year, record, ctx)


def evaluate_people(award: AwardType, year: int, person_ids: list[int], *, on: date | None = None
                    ) -> dict[int, list[dict]]:
    """The findings of many people for one award at once (the annual round): records read in bulk."""
    rule_set = rule_set_in_force(on or date(year, 12, 31))
    records = histories.of_people(person_ids)
    return {pid: evaluate(rule_set, award, year, records[pid]) for pid in person_ids}


def _record_of(nomination: Nomination) -> History:
    if nomination.person_id is not None:
        return histories.of_people([nomination.person_id])[nomination.person_id]
    if nomination.collective_id is not None:
        return histories.of_collectives([nomination.collective_id])[nomination.collective_id]
    return History("unknown")


def _held_already(nomination: Nomination) -> AwardRecord | None:
    """The same award for the same year already in the nominee's history (not revoked, not from this
    nomination's own decision): one achievement earns one form, so the reader is told. Only a
    finding: such an award arrived after the start (an import), and people decide what to do."""
    own = nomination.decision.id if nomination.decision is not None else None
    return duplicates.held(nomination.person_id, nomination.collective_id, nomination.award_type.code,
                           nomination.year, besides_decision=own)


def _unit_counter(unit_id: int):
    """How many of the unit's people hold an award in a year or are nominated for it."""

    def count(award_code: str, year: int) -> int:
        held = select(AwardRecord.person_id).join(Person, Person.id == AwardRecord.person_id).where(
            Person.unit_id == unit_id, AwardRecord.award_code == award_code, AwardRecord.year == year,
            AwardRecord.revoked_at.is_(None))
        nominated = select(Nomination.person_id).join(AwardType, AwardType.id == Nomination.award_type_id).where(
            Nomination.unit_id == unit_id, AwardType.code == award_code, Nomination.year == year,
            Nomination.person_id.is_not(None), Nomination.status.not_in(_NOT_COUNTED))
        people = held.union(nominated).subquery()
        return db.session.execute(select(func.count()).select_from(people)).scalar_one()

    return count


def _dossier_complete(documents: set[str], required: list[str]) -> dict:
    missing = [kind for kind in required if kind not in documents]
    message = "all required documents are present" if not missing else "missing: " + ", ".join(missing)
    return _finding("dossier_complete", _article(84), not missing, {"kind": "dossier_complete",
                                                                          "missing": missing}, message)


def _article(number: int) -> tuple[str, str]:
    return f"{LAW}, Art. {number}", f"{LAW_VI}, Điều {number}"


def _finding(rule: str, basis: tuple[str, str], met: bool | None, facts: dict, message: str,
             initiative_ids=()) -> dict:
    """A finding as stored: the rule, its legal basis (in English and, when the rule has it, in
    Vietnamese), the verdict, the evidence as data and in English."""
    english, vietnamese = basis
    finding = {"rule": rule, "basis": english, "met": met, "message": message, "facts": facts}
    if vietnamese:
        finding["basis_vi"] = vietnamese
    if initiative_ids:
        finding["initiative_ids"] = list(initiative_ids)
    return finding

