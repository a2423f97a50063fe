"""Who a nomination is for: a person or a collective of the nominating unit's registry."""

from dataclasses import dataclass

from sqlalchemy import select

from workflows.db import db
from workflows.errors import Reason
from workflows.models import Collective, Nomination, Person, ReviewHold


@dataclass(frozen=True)
class Nominee:
    person: Person | None = None
    collective: Collective | None = None

    @property
    def name(self) -> str | None:
        if self.person is not None:
            return self.person.full_name
        return self.collective.name if self.collective is not None else None

    @property
    def position(self) -> str | None:
        return (self.person.position or None) if self.person is not None else None


def find(kind: str, code, unit_id: int) -> tuple[Nominee, Reason | None]:
    """The registry entry with this code in the unit, or why there is none (as a field error)."""
    if code in (None, ""):
        return Nominee(), None
    if not isinstance(code, str) or len(code) > 32:
        return Nominee(), Reason("field.too_long", max=32)
    model = Collective if kind == "collective" else Person
    found = db.session.execute(select(model).where(model.code == code.strip())).scalar_one_or_none()
    if found is None or found.unit_id != unit_id or not found.active:
        return Nominee(), Reason("nominee.not_in_unit_registry", code=code,
                                 nominee_kind="collective" if kind == "collective" else "individual")
    return (Nominee(collective=found) if kind == "collective" else Nominee(person=found)), None


def open_holds(nomination: Nomination) -> list[ReviewHold]:
    """The holds not yet lifted on the nominee: while there is one, the nomination cannot go to the vote."""
    if nomination.person_id is not None:
        subject = ReviewHold.person_id == nomination.person_id
    elif nomination.collective_id is not None:
        subject = ReviewHold.collective_id == nomination.collective_id
    else:
        return []
    return list(db.session.execute(select(ReviewHold).where(subject, ReviewHold.lifted_at.is_(None))
                                   .order_by(ReviewHold.placed_at)).scalars())


def of_unit(unit_id: int | None, limit: int = 5000) -> list[tuple[str, str, str]]:
    """The unit's active people and collectives as (code, name, kind), for choosing a nominee."""
    if unit_id is None:
        return []
    people = db.session.execute(select(Person.code, Person.full_name).where(
        Person.unit_id == unit_id, Person.active.is_(True)).order_by(Person.full_name).limit(limit))
    collectives = db.session.execute(select(Collective.code, Collective.name).where(
        Collective.unit_id == unit_id, Collective.active.is_(True)).order_by(Collective.name).limit(limit))
    return [(code, name, "collective") for code, name in collectives] + \
        [(code, name, "individual") for code, name in people]
