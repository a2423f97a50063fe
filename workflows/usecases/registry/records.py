"""One subject at a time: find people and collectives, read a whole history, correct it, hold it."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, NotFound, Reason
from workflows.models import AwardRecord, AwardType, Collective, Person, ReviewHold, Unit, User
from workflows.models.registry import HOLD_KINDS
from workflows.services import audit
from workflows.services.registry import access, columns
from workflows.services.registry.history import HISTORY
from workflows.services.transactions import use_case

PAGE_SIZE = 50
MAX_REASON = 2000
SUBJECTS = {"person": Person, "collective": Collective}


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Record:
    """A person or collective with everything the registry knows of them, oldest year first."""

    kind: str  # "person" | "collective"
    subject: object
    assessments: list
    awards: list
    initiatives: list
    discipline: list
    holds: list
    members: list  # a collective's people; empty for a person

    @property
    def open_holds(self) -> list:
        return [h for h in self.holds if h.lifted_at is None]


# -- finding -----------------------------------------------------------------------------------

def people(actor, *, unit: str | None = None, q: str | None = None, page: int = 1,
           per_page: int = PAGE_SIZE) -> Page:
    """People the caller may read, by code; narrowed by unit code and by a piece of name or code."""
    return _search(actor, Person, Person.full_name, unit, q, page, per_page)


def collectives(actor, *, unit: str | None = None, q: str | None = None, page: int = 1,
                per_page: int = PAGE_SIZE) -> Page:
    return _search(actor, Collective, Collective.name, unit, q, page, per_page)


def _search(actor, model, name_column, unit, q, page, per_page) -> Page:
    scope = access.read_scope(actor)
    query = select(model)
    if scope.unit_id is not None:
        query = query.where(model.unit_id == scope.unit_id)
    if unit:
        query = query.where(model.unit_id.in_(select(Unit.id).where(Unit.code == unit)))
    words = columns.normal(q or "")
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(name_column.ilike(pattern, escape="\\"), model.code.ilike(pattern, escape="\\")))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = max(1, page)
    items = db.session.execute(query.order_by(model.code).limit(per_page).offset((page - 1) * per_page)).scalars()
    return Page(list(items), total, page, per_page)


def person(actor, code: str) -> Record:
    return _record(actor, "person", code)


def collective(actor, code: str) -> Record:
    return _record(actor, "collective", code)


def _record(actor, kind: str, code: str) -> Record:
    subject = _readable(actor, kind, code)
    owner = {"person_id": subject.id} if kind == "person" else {"collective_id": subject.id}

    def rows(model, *order):
        query = select(model).filter_by(**owner) if hasattr(model, f"{kind}_id") else None
        return list(db.session.execute(query.order_by(*order)).scalars()) if query is not None else []

    history = {name: rows(spec.model, spec.model.year, spec.model.id) for name, spec in HISTORY.items()}
    holds = rows(ReviewHold, ReviewHold.placed_at.desc(), ReviewHold.id.desc())
    members = [] if kind == "person" else list(db.session.execute(
        select(Person).where(Person.collective_id == subject.id).order_by(Person.code)).scalars())
    return Record(kind, subject, history["assessments"], history["awards"], history["initiatives"],
                  history["discipline"], holds, members)


def _readable(actor, kind: str, code: str):
    """The subject, if the caller may read it; strangers to it learn nothing, not even that it exists."""
    scope = access.read_scope(actor)
    model = SUBJECTS[kind]
    found = db.session.execute(select(model).where(model.code == code)).scalar_one_or_none()
    if found is None or not scope.covers(found.unit_id):
        raise NotFound("registry.subject_not_found", subject=kind, code=code)
    return found


def _changeable(actor, kind: str, code: str):
    subject = _readable(actor, kind, code)
    if not access.change_scope(actor).covers(subject.unit_id):
        raise NotFound("registry.subject_not_found", subject=kind, code=code)
    return subject


# -- correcting history ------------------------------------------------------------------------

@use_case
def save_history(actor, subject_kind: str, code: str, kind: str, raw: dict):
    """Add a history row, or correct the values of the row with the same natural key.

    ``raw`` holds the row as the spreadsheet columns name it (year, grade, award, ...).
    Returns the row and whether it was added.
    """
    spec = _history_kind(kind)
    subject = _changeable(actor, subject_kind, code)
    if subject_kind == "collective" and not spec.has_collectives:
        raise InvalidData("registry.discipline_people_only", fields={"kind": Reason("registry.discipline_people_only")})
    values = _checked(kind, subject_kind, raw)
    owner = {f"{subject_kind}_id": subject.id}
    query = select(spec.model).filter_by(**owner, **{k: values[k] for k in spec.key})
    if spec.live is not None:
        query = query.where(spec.live)
    row = db.session.execute(query.limit(1)).scalar_one_or_none()
    created = row is None
    if created:
        row = spec.model(**owner, **{k: values[k] for k in spec.fields})
        db.session.add(row)
        changes = {k: [None, values[k]] for k in spec.fields}
    else:
        changes = {k: [getattr(row, k), values[k]] for k in spec.values if getattr(row, k) != values[k]}
        for name, (_, new) in changes.items():
            setattr(row, name, new)
    db.session.flush()
    if changes:
        audit.record("registry_history_saved", actor=actor, details={
            subject_kind: code, "kind": kind, "row_id": row.id, "created": created, "changes": changes})
    db.session.commit()
    return row, created


@use_case
def correct_history(actor, kind: str, row_id: int, raw: dict):
    """Correct every field of one history row, its key included (a wrong year, say)."""
    spec = _history_kind(kind)
    row = db.session.get(spec.model, row_id)
    if row is None:
        raise NotFound("registry.row_not_found", kind=kind, id=row_id)
    subject_kind = "person" if row.person_id is not None else "collective"
    subject = db.session.get(SUBJECTS[subject_kind], getattr(row, f"{subject_kind}_id"))
    _changeable(actor, subject_kind, subject.code)
    values = _checked(kind, subject_kind, raw)
    clash = select(spec.model.id).filter_by(**{f"{subject_kind}_id": subject.id},
                                            **{k: values[k] for k in spec.key}).where(spec.model.id != row.id)
    if db.session.execute(clash.limit(1)).first():
        raise Conflict("registry.row_clash", kind=kind, code=subject.code)
    changes = {k: [getattr(row, k), values[k]] for k in spec.fields if getattr(row, k) != values[k]}
    for name, (_, new) in changes.items():
        setattr(row, name, new)
    if changes:
        audit.record("registry_history_corrected", actor=actor, details={
            subject_kind: subject.code, "kind": kind, "row_id": row.id, "changes": changes})
    db.session.commit()
    return row


def _history_kind(kind: str):
    if kind not in HISTORY:
        raise InvalidData("registry.unknown_history_kind", kind=str(kind),
                          fields={"kind": Reason("field.choose_one", choices=list(HISTORY))})
    return HISTORY[kind]


def _checked(kind: str, subject_kind: str, raw: dict) -> dict:
    spec = HISTORY[kind]
    names = {"award_code": "award"}
    wanted = {names.get(f, f) for f in spec.fields}
    # The subject is known already; a placeholder code lets the shared parser check the rest of the row.
    values, errors = columns.parse(kind, {"person": "-" if subject_kind == "person" else "",
                                          "collective": "-" if subject_kind == "collective" else "",
                                          **{name: raw.get(name) for name in wanted}})
    for name in spec.fields:
        if name not in values and names.get(name, name) not in errors and name in spec.key:
            errors[names.get(name, name)] = Reason("field.required")
        values.setdefault(name, "")
    if kind == "awards" and "award" not in errors:
        award = db.session.execute(select(AwardType).where(AwardType.code == values["award_code"])).scalar_one_or_none()
        expected = "individual" if subject_kind == "person" else "collective"
        if award is None:
            errors["award"] = Reason("award_type.unknown", code=values["award_code"])
        elif award.kind != expected:
            errors["award"] = Reason("award_type.for_kind_only", award=award.code, nominee_kind=award.kind)
    errors.pop("person", None)
    if errors:
        raise InvalidData("registry.row_invalid", fields=errors)
    values.pop("subject", None)
    return values


# -- review holds ------------------------------------------------------------------------------

@use_case
def place_hold(actor, subject_kind: str, code: str, *, kind: str, reason: str) -> ReviewHold:
    """Hold the subject's nominations back from the vote until the hold is lifted."""
    access.require_hold_manager(actor)
    subject = _readable(actor, subject_kind, code)
    reason, errors = (reason or "").strip(), {}
    if kind not in HOLD_KINDS:
        errors["kind"] = Reason("field.choose_one", choices=list(HOLD_KINDS))
    _check_reason(errors, reason)
    if errors:
        raise InvalidData("hold.cannot_place", fields=errors)
    hold = ReviewHold(kind=kind, reason=reason, placed_at=utcnow(), placed_by_id=actor.id,
                      **{f"{subject_kind}_id": subject.id})
    db.session.add(hold)
    db.session.flush()
    audit.record("hold_placed", actor=actor, details={subject_kind: code, "hold_id": hold.id, "kind": kind,
                                                      "reason": reason})
    db.session.commit()
    return hold


@use_case
def lift_hold(actor, hold_id: int, *, reason: str) -> ReviewHold:
    access.require_hold_manager(actor)
    hold = db.session.get(ReviewHold, hold_id)
    if hold is None:
        raise NotFound("hold.not_found", id=hold_id)
    reason, errors = (reason or "").strip(), {}
    _check_reason(errors, reason)
    if errors:
        raise InvalidData("hold.cannot_lift", fields=errors)
    if hold.lifted_at is not None:
        raise Conflict("hold.already_lifted")
    hold.lifted_at, hold.lifted_by_id, hold.lift_reason = utcnow(), actor.id, reason
    subject_kind, code = hold_subject(hold)
    audit.record("hold_lifted", actor=actor, details={subject_kind: code, "hold_id": hold.id, "kind": hold.kind,
                                                      "reason": reason})
    db.session.commit()
    return hold


def hold(actor, hold_id: int) -> ReviewHold:
    """A hold the caller may read, as its subject's history shows it."""
    found = db.session.get(ReviewHold, hold_id)
    if found is None:
        raise NotFound("hold.not_found", id=hold_id)
    _readable(actor, *hold_subject(found))
    return found


def hold_subject(hold: ReviewHold) -> tuple[str, str]:
    """("person" | "collective", code) of the hold's subject."""
    if hold.person_id is not None:
        return "person", db.session.get(Person, hold.person_id).code
    return "collective", db.session.get(Collective, hold.collective_id).code


def hold_users(hold: ReviewHold) -> tuple[str, str | None]:
    """Usernames of who placed the hold and who lifted it."""
    placed = db.session.get(User, hold.placed_by_id)
    lifted = db.session.get(User, hold.lifted_by_id) if hold.lifted_by_id else None
    return placed.username, lifted.username if lifted else None


def _check_reason(errors: dict, reason: str) -> None:
    if not reason:
        errors["reason"] = Reason("field.reason_needed")
    elif len(reason) > MAX_REASON:
        errors["reason"] = Reason("field.too_long", max=MAX_REASON)


def award_names(records: list[AwardRecord]) -> dict[str, AwardType]:
    codes = {r.award_code for r in records}
    if not codes:
        return {}
    return {a.code: a for a in db.session.execute(select(AwardType).where(AwardType.code.in_(codes))).scalars()}


def may_read(user) -> bool:
    return access.may_read(user)


def may_change(user) -> bool:
    return access.may_change(user)


def may_manage_holds(user) -> bool:
    return access.may_manage_holds(user)


def read_scope(user):
    return access.read_scope(user)


def change_scope(user):
    return access.change_scope(user)
