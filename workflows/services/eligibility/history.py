"""What eligibility is judged on: a nominee's record, read from the registry in bulk."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from workflows.db import db, in_chunks
from workflows.models import Assessment, AwardRecord, DisciplineRecord, Initiative, Person, ReviewHold


@dataclass(frozen=True)
class InitiativeHeld:
    id: int
    level: str
    year: int
    used_by_nomination_id: int | None


@dataclass
class History:
    """One subject's record; a collective also carries its members' records."""

    kind: str  # person | collective | unknown
    recruited_on: date | None = None
    assessments: dict[int, str] = field(default_factory=dict)  # year -> grade
    awards: set[tuple[str, int]] = field(default_factory=set)  # (award code, year), revoked ones left out
    initiatives: list[InitiativeHeld] = field(default_factory=list)
    discipline: list[tuple[int, str]] = field(default_factory=list)  # (year, level)
    open_holds: list[tuple[str, str]] = field(default_factory=list)  # (kind, reason)
    members: list["History"] = field(default_factory=list)

    def award_years(self, code: str) -> set[int]:
        return {year for award, year in self.awards if award == code}


def of_people(person_ids: list[int]) -> dict[int, History]:
    """The records of many people at once: one query per kind of record, whatever their number."""
    histories = {pid: History("person") for pid in person_ids}
    if not histories:
        return histories
    for pid, recruited_on in _rows(select(Person.id, Person.recruited_on), Person.id, person_ids):
        histories[pid].recruited_on = recruited_on
    _fill(histories, Assessment.person_id, ReviewHold.person_id, Initiative.person_id,
          AwardRecord.person_id, person_ids)
    for pid, year, level in _rows(select(DisciplineRecord.person_id, DisciplineRecord.year, DisciplineRecord.level),
                                  DisciplineRecord.person_id, person_ids):
        histories[pid].discipline.append((year, level))
    return histories


def of_collectives(collective_ids: list[int]) -> dict[int, History]:
    histories = {cid: History("collective") for cid in collective_ids}
    if not histories:
        return histories
    _fill(histories, Assessment.collective_id, ReviewHold.collective_id, Initiative.collective_id,
          AwardRecord.collective_id, collective_ids)
    members = defaultdict(list)
    for pid, cid in _rows(select(Person.id, Person.collective_id).where(Person.active.is_(True)),
                          Person.collective_id, collective_ids):
        members[cid].append(pid)
    people = of_people([pid for pids in members.values() for pid in pids])
    for cid, pids in members.items():
        histories[cid].members = [people[pid] for pid in pids]
    return histories


def _fill(histories, assessment_col, hold_col, initiative_col, award_col, ids) -> None:
    for sid, year, grade in _rows(select(assessment_col, Assessment.year, Assessment.grade), assessment_col, ids):
        histories[sid].assessments[year] = grade
    for sid, code, year in _rows(select(award_col, AwardRecord.award_code, AwardRecord.year)
                                 .where(AwardRecord.revoked_at.is_(None)), award_col, ids):
        histories[sid].awards.add((code, year))
    for sid, iid, level, year, used in _rows(
            select(initiative_col, Initiative.id, Initiative.level, Initiative.year,
                   Initiative.used_by_nomination_id), initiative_col, ids):
        histories[sid].initiatives.append(InitiativeHeld(iid, level, year, used))
    for sid, kind, reason in _rows(select(hold_col, ReviewHold.kind, ReviewHold.reason)
                                   .where(ReviewHold.lifted_at.is_(None)), hold_col, ids):
        histories[sid].open_holds.append((kind, reason))


def _rows(query, column, ids):
    for chunk in in_chunks(ids):
        yield from db.session.execute(query.where(column.in_(chunk)))
