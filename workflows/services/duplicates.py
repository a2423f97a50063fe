"""Whether a nominee already holds an award for a year, or is already nominated for it.

One achievement earns one form: a person or collective of the registry holds a title once a
year, so a second nomination for it is refused at the start, with the award or the nomination
that stands in its way. The check reads; the partial unique indexes on ``nomination`` (see
``models.nominations.CLAIMING``) make it hold when two starts race. A nominee known only by
name cannot be told from a namesake, so only registry nominees are checked.
"""

from sqlalchemy import select

from workflows.db import db, in_chunks
from workflows.errors import Conflict
from workflows.models import AwardRecord, Nomination
from workflows.models.nominations import RELEASED


def held(person_id: int | None, collective_id: int | None, award_code: str, year: int,
         *, besides_decision: int | None = None) -> AwardRecord | None:
    """The award record (not revoked) of this award and year in the subject's history, if any."""
    subject = _subject(AwardRecord, person_id, collective_id)
    if subject is None:
        return None
    query = select(AwardRecord).where(subject, AwardRecord.award_code == award_code, AwardRecord.year == year,
                                      AwardRecord.revoked_at.is_(None))
    if besides_decision is not None:
        query = query.where((AwardRecord.decision_id.is_(None)) | (AwardRecord.decision_id != besides_decision))
    return db.session.execute(query.order_by(AwardRecord.id).limit(1)).scalar_one_or_none()


def claiming(person_id: int | None, collective_id: int | None, award_type_id: int, year: int) -> Nomination | None:
    """The nomination that already claims this nominee's award for the year, if any."""
    subject = _subject(Nomination, person_id, collective_id)
    if subject is None:
        return None
    return db.session.execute(select(Nomination).where(
        subject, Nomination.award_type_id == award_type_id, Nomination.year == year,
        Nomination.status.not_in(RELEASED)).order_by(Nomination.id).limit(1)).scalar_one_or_none()


def held_by_many(person_ids, collective_ids, award_code: str, year: int) -> dict:
    """``held`` for many subjects at once: ``("p", person_id)`` or ``("c", collective_id)`` -> record."""
    found = {}
    for kind, column, ids in (("p", AwardRecord.person_id, person_ids), ("c", AwardRecord.collective_id,
                                                                        collective_ids)):
        for chunk in in_chunks(sorted(set(ids))):
            for record in db.session.execute(select(AwardRecord).where(
                    column.in_(chunk), AwardRecord.award_code == award_code, AwardRecord.year == year,
                    AwardRecord.revoked_at.is_(None)).order_by(AwardRecord.id)).scalars():
                found.setdefault((kind, record.person_id if kind == "p" else record.collective_id), record)
    return found


def claiming_many(person_ids, collective_ids, award_type_id: int, year: int) -> dict:
    """``claiming`` for many subjects at once: ``("p", person_id)`` or ``("c", collective_id)`` -> nomination."""
    found = {}
    for kind, column, ids in (("p", Nomination.person_id, person_ids), ("c", Nomination.collective_id,
                                                                       collective_ids)):
        for chunk in in_chunks(sorted(set(ids))):
            for other in db.session.execute(select(Nomination).where(
                    column.in_(chunk), Nomination.award_type_id == award_type_id, Nomination.year == year,
                    Nomination.status.not_in(RELEASED)).order_by(Nomination.id)).scalars():
                found.setdefault((kind, other.person_id if kind == "p" else other.collective_id), other)
    return found




def refuse_duplicate(person_id: int | None, collective_id: int | None, award, year: int) -> None:
    """Raise Conflict when the nominee holds the award for the year or another nomination claims it."""
    record = held(person_id, collective_id, award.code, year)
    if record is not None:
        raise Conflict("nomination.already_awarded", award=award.code, year=year, decision=record.decision_ref or "")
    other = claiming(person_id, collective_id, award.id, year)
    if other is not None:
        raise Conflict("nomination.already_nominated", award=award.code, year=year, nomination=other.id,
                       status=other.status)


def _subject(model, person_id, collective_id):
    if person_id is not None:
        return model.person_id == person_id
    if collective_id is not None:
        return model.collective_id == collective_id
    return None
