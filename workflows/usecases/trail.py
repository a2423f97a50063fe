"""Use cases of the whole audit trail, for inspection and supervision: search, export, verify.

One meaning of a period for the pages and the API alike: ``since`` is inclusive, and so is
``until`` — a day given as a date runs to its end on the bloc's clock, a moment given as a
date and time is included. Internally both become naive UTC bounds, ``until`` exclusive.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from workflows.db import db
from workflows.errors import InvalidData, NotAllowed, Reason
from workflows.models import AuditEvent, Unit, User
from workflows.services import audit, routing
from workflows.services.transactions import use_case

EXPORT_CHUNK = 1000


@dataclass(frozen=True)
class Criteria:
    """Filters of a search, as stored values compare: naive UTC, ``since`` inclusive, ``until`` exclusive."""

    actor: str | None = None
    nomination_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def as_details(self) -> dict:
        """The filters as the trail records a search or an export."""
        values = {"actor": self.actor, "nomination_id": self.nomination_id, "action": self.action,
                  "since": self.since.isoformat() if self.since else None,
                  "until": self.until.isoformat() if self.until else None}
        return {key: value for key, value in values.items() if value is not None}


def criteria(*, actor: str | None = None, nomination_id: int | None = None, action: str | None = None,
             since: date | datetime | None = None, until: date | datetime | None = None,
             zone: str = "UTC") -> Criteria:
    """Filters from what a person or a program gave: dates on the ``zone`` calendar, aware or UTC moments."""
    start, end = _moment(since, zone), _moment(until, zone, end_of=True)
    if start is not None and end is not None and end <= start:
        raise InvalidData("trail.period_reversed", fields={"until": Reason("trail.period_reversed")})
    return Criteria((actor or "").strip() or None, nomination_id, action or None, start, end)


def _moment(value: date | datetime | None, zone: str, *, end_of: bool = False) -> datetime | None:
    """A bound as naive UTC; the end of a period is exclusive, so it lies just after what it includes."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
        return moment + timedelta(microseconds=1) if end_of else moment
    try:
        day = value + timedelta(days=1) if end_of else value
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:  # at either end of the calendar: no bound on that side
        return None


@dataclass(frozen=True)
class TrailPage:
    events: list[AuditEvent]
    total: int
    names: dict[str, str]  # username -> full name, for the actors and the people the details name


# Details that name a person by username.
PEOPLE_KEYS = ("username", "user", "reviewer")


def full_names(events) -> dict[str, str]:
    """The full names of the actors of ``events`` and of the people their details name."""
    usernames = {event.actor for event in events}
    usernames |= {str(event.details[key]) for event in events for key in PEOPLE_KEYS
                  if isinstance(event.details, dict) and event.details.get(key)}
    if not usernames:
        return {}
    return dict(db.session.execute(select(User.username, User.full_name)
                                   .where(User.username.in_(sorted(usernames)))).all())


@dataclass(frozen=True)
class Actor:
    """Someone whose actions the trail may hold, as a search offers them: by name, keyed by username."""

    username: str
    full_name: str
    unit_code: str | None


def actors(user) -> list[Actor]:
    """Every user, by full name, to search the trail by (auditors and administrators only)."""
    _require_oversight(user)
    rows = db.session.execute(select(User.username, User.full_name, Unit.code).outerjoin(Unit, Unit.id == User.unit_id)
                              .order_by(User.full_name, User.username)).all()
    return [Actor(username, full_name or username, code) for username, full_name, code in rows]


def search(user, found: Criteria = Criteria(), *, newest_first: bool = True, limit: int = 100,
           offset: int = 0) -> TrailPage:
    """One page of the events matching every filter, and their total (auditors and administrators only).

    The chain is verified only on request (``verify``): it reads every event.
    """
    _require_oversight(user)
    conditions = _conditions(found)
    total = db.session.execute(select(func.count()).select_from(AuditEvent).where(*conditions)).scalar_one()
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    events = list(db.session.execute(select(AuditEvent).where(*conditions).order_by(order)
                                     .limit(limit).offset(offset)).scalars())
    return TrailPage(events, total, full_names(events))


@use_case
def verify(user) -> audit.Verification:
    """Recompute the whole hash chain (auditors and administrators), and record who checked it."""
    _require_oversight(user)
    verification = audit.verify()
    details = {"intact": verification.ok, "checked": verification.checked}
    if not verification.ok:
        details["first_bad_seq"] = verification.first_bad_seq
    audit.record("audit_verified", actor=user, details=details)
    db.session.commit()
    return verification


@use_case
def export(user, found: Criteria = Criteria(), *, newest_first: bool = False) -> Iterator:
    """Record the export with its filters, then return the matching events, read lazily in chunks.

    The ``audit_exported`` event commits before anything is read, so even an interrupted
    download leaves its trace. The rows carry the event's columns (seq, at, actor, action,
    nomination_id, task_key, details).
    """
    _require_oversight(user)
    audit.record("audit_exported", actor=user, details={
        "filters": found.as_details(), "order": "newest_first" if newest_first else "oldest_first"})
    db.session.commit()
    return _rows(_conditions(found), newest_first)


def _rows(conditions, newest_first: bool) -> Iterator:
    # Keyset paging on seq: each chunk is one indexed query, and memory stays flat.
    columns = (AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.nomination_id,
               AuditEvent.task_key, AuditEvent.details)
    last = None
    while True:
        query = select(*columns).where(*conditions)
        if last is not None:
            query = query.where(AuditEvent.seq < last if newest_first else AuditEvent.seq > last)
        order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
        rows = db.session.execute(query.order_by(order).limit(EXPORT_CHUNK)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _require_oversight(user) -> None:
    if not routing.may_read_whole_trail(user):
        raise NotAllowed("audit.oversight_only")


def _conditions(found: Criteria) -> list:
    conditions = []
    if found.actor:
        conditions.append(AuditEvent.actor == found.actor)
    if found.nomination_id is not None:
        conditions.append(AuditEvent.nomination_id == found.nomination_id)
    if found.action:
        conditions.append(AuditEvent.action == found.action)
    if found.since is not None:
        conditions.append(AuditEvent.at >= found.since)
    if found.until is not None:
        conditions.append(AuditEvent.at < found.until)
    return conditions


def of_nomination(nomination_id: int, limit: int = 5000) -> list:
    """A nomination's events in time order; the caller has checked that the reader may see it."""
    return audit.search(nomination_id=nomination_id, limit=limit)
