"""Council sessions (phiên họp Hội đồng): scheduling, attendance and quorum, opening and closing
every ballot together, the members' ballot sheets, and the minutes.

The office schedules a session for a round; its agenda is every nominee of the round waiting for
the council's vote, grouped by award. Attendance is taken once the quorum of the regulation is
met (below it, nothing opens and attendance may be taken again). The secretary or the chair opens
and closes the ballots of the whole session together. Each member casts one ballot sheet for the
session, sealed per nominee; members absent with a written ballot (where the regulation allows it)
may send theirs until the close. The close counts each nominee, sets their status, writes one set
of minutes, and moves every list whose nominees are all counted past its ``await_session`` step.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update

from workflows.db import db, utcnow
from workflows.engine import ProcessFault, TaskNotReady
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import (
    AwardType,
    CouncilSession,
    Nomination,
    Proposal,
    Round,
    SessionItem,
    SessionMember,
    TallyRecord,
    User,
)
from workflows.models.rounds import ATTENDANCE
from workflows.services import audit, ballot_box, council, lists, session_instances, sittings
from workflows.services.transactions import commit_keeping, use_case
from workflows.usecases import tasks

PLACE_MAX = 200
# A session whose agenda still holds its nominees: they are on no other session's agenda.
OPEN_STATUSES = ("scheduled", "attendance", "open")


@dataclass(frozen=True)
class AgendaItem:
    item: SessionItem
    nomination: Nomination
    tally: TallyRecord | None  # once the session is closed


@dataclass(frozen=True)
class SessionView:
    """A session as its page and the API show it: never a choice, only who has cast a sheet and how many."""

    session: CouncilSession
    items: list[AgendaItem]
    groups: list[tuple[AwardType, list[AgendaItem]]]  # the agenda grouped by award, highest form first
    members: list[SessionMember]
    seated: list[User]  # before attendance: who will be marked
    sheets_cast: int
    me: SessionMember | None
    may_take_attendance: bool
    may_open: bool
    may_close: bool
    may_cast: bool
    written_ballots: bool  # whether the regulation in force allows written ballots


# -- reading -----------------------------------------------------------------------------------------

def get(user, session_id) -> CouncilSession:
    """A session the user may see (its authority's office, council and head; oversight), else 404."""
    session = db.session.get(CouncilSession, session_id) if _an_id(session_id) else None
    if session is None or not sittings.may_see(user, session):
        raise NotFound("session.not_found", id=str(session_id))
    return session


def view(user, session_id) -> SessionView:
    session = get(user, session_id)
    items = _agenda(session)
    members = sittings.members_of(session.id)
    me = next((m for m in members if m.user_id == user.id), None)
    regulation = council.regulation_in_force(utcnow().date(), session.authority_id)
    presiding = sittings.may_preside(user, session)
    return SessionView(
        session=session, items=items, groups=_grouped(items), members=members,
        seated=sittings.seated_voters(session.authority_id) if not members else [],
        sheets_cast=sum(1 for m in members if m.voted_at is not None), me=me,
        may_take_attendance=session.status == "scheduled" and sittings.may_take_attendance(user, session),
        may_open=session.status == "attendance" and presiding,
        may_close=session.status == "open" and presiding,
        may_cast=_may_cast(session, me),
        written_ballots=bool(regulation.written_ballots) if regulation is not None else False)


def of_round(user, round_id) -> tuple[Round, list[CouncilSession]]:
    """A round's sessions, newest first, for those who may see the round's authority."""
    found = db.session.get(Round, round_id) if _an_id(round_id) else None
    if found is None or not sittings.may_see(user, found.authority_id):
        raise NotFound("session.round_not_found", id=str(round_id))
    rows = db.session.execute(select(CouncilSession).where(CouncilSession.round_id == found.id)
                              .order_by(CouncilSession.scheduled_for.desc(), CouncilSession.id.desc())).scalars()
    return found, list(rows)


def visible(user, limit: int = 100) -> list[CouncilSession]:
    """The sessions of every authority the user may see, newest first."""
    if not user.active:
        return []
    query = select(CouncilSession).order_by(CouncilSession.scheduled_for.desc(), CouncilSession.id.desc())
    if not user.roles & sittings.routing.OVERSIGHT_ROLES:
        query = query.where(CouncilSession.authority_id.in_(sittings.seen_authorities(user)))
    return list(db.session.execute(query.limit(limit)).scalars())


def agenda_size(session_id: int) -> int:
    return db.session.execute(select(func.count()).select_from(SessionItem)
                              .where(SessionItem.session_id == session_id)).scalar_one()


def may_schedule(user, round_: Round) -> bool:
    return round_.status == "open" and sittings.is_office(user, round_.authority_id)


def minutes_document(user, session_id):
    """The minutes PDF of a closed session the user may see: the bytes whose SHA-256 was stored at the close."""
    session = get(user, session_id)
    if session.status != "closed" or session.closed_at is None:
        raise NotFound("session.no_minutes_yet", id=str(session_id))
    issued = sittings.minutes(session)
    return f"minutes-{session.round.year}-session-{session.id}.pdf", issued.content, issued.sha256


# -- changing ----------------------------------------------------------------------------------------

@use_case
def schedule(actor, round_id, scheduled_for, place: str = "") -> CouncilSession:
    """The office schedules a session of its council for the round, with every nominee waiting for the vote."""
    found = db.session.get(Round, round_id) if _an_id(round_id) else None
    if found is None or not sittings.may_see(actor, found.authority_id):
        raise NotFound("session.round_not_found", id=str(round_id))
    if not sittings.is_office(actor, found.authority_id):
        raise NotAllowed("session.office_only")
    problems = {}
    if not isinstance(scheduled_for, datetime):
        problems["scheduled_for"] = Reason("session.bad_time")
    if not isinstance(place, str) or len(place) > PLACE_MAX:
        problems["place"] = Reason("field.too_long", max=PLACE_MAX)
    if problems:
        raise InvalidData("session.invalid", fields=problems)
    definition = session_instances.latest_definition()
    if definition is None:
        raise Conflict("session.process_missing")
    waiting = _waiting(found)
    if not waiting:
        raise Conflict("session.nothing_to_vote")
    session = CouncilSession(authority_id=found.authority_id, round_id=found.id,
                             scheduled_for=_naive_utc(scheduled_for), place=place.strip(),
                             status="scheduled", created_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    items = [SessionItem(session_id=session.id, nomination_id=n.id, position=position)
             for position, n in enumerate(waiting)]
    db.session.add_all(items)
    agenda = [{"nomination_id": n.id, "award_type": n.award_type.code, "award_level": n.award_type.level}
              for n in waiting]
    try:
        run = session_instances.start(session, definition, agenda)
    except ProcessFault as fault:
        raise tasks.process_error(fault, "article_rule") from fault
    for item, article in zip(items, run.data.get("articles") or [], strict=False):
        item.article = str(article or "")
    audit.record("session_scheduled", actor=actor, details={
        "session_id": session.id, "round_id": found.id, "nominees": len(items),
        "scheduled_for": session.scheduled_for.isoformat(timespec="minutes"), "place": session.place})
    commit_keeping(session)
    return session


@use_case
def take_attendance(actor, session_id, marks) -> CouncilSession:
    """Mark each seated member present, absent with a written ballot, or absent, and check the quorum.

    Below the quorum nothing opens and attendance may be taken again; once it is met it is taken.
    """
    session = get(actor, session_id)
    if not sittings.may_take_attendance(actor, session):
        raise NotAllowed("session.office_only")
    instance, run = session_instances.load(session)
    db.session.refresh(session)
    if session.status != "scheduled":
        raise Conflict("session.attendance_taken")
    regulation = council.regulation_in_force(utcnow().date(), session.authority_id)
    if regulation is None:
        raise council.RegulationMissing("council.no_regulation_in_force")
    seated = sittings.seated_voters(session.authority_id)
    chosen = _attendance(marks, seated, bool(regulation.written_ballots))
    items = sittings.items_of(session.id)
    quorum = sittings.quorum(regulation, [item.article for item, _ in items], seated, chosen)
    db.session.execute(SessionMember.__table__.delete().where(SessionMember.__table__.c.session_id == session.id))
    db.session.add_all(SessionMember(session_id=session.id, user_id=user_id, attendance=mark)
                       for user_id, mark in chosen.items())
    session.regulation_id = regulation.id
    session.quorum = quorum
    _complete(session, instance, run, "take_attendance", {"quorum_met": quorum["met"]}, actor)
    audit.record("session_attendance_taken", actor=actor, details={
        "session_id": session.id, "present": len(quorum["present"]), "written": len(quorum["written"]),
        "absent": len(quorum["absent"]), "needed": quorum["needed"], "quorum_met": quorum["met"]})
    commit_keeping(session)
    return session


@use_case
def open_ballots(actor, session_id) -> CouncilSession:
    """The secretary or the chair opens every ballot of the session; never below the quorum."""
    session = get(actor, session_id)
    if not sittings.may_preside(actor, session):
        raise NotAllowed("session.presiding_only")
    instance, run = session_instances.load(session)
    db.session.refresh(session)
    if session.status == "scheduled":
        quorum = session.quorum or {}
        raise Conflict("session.quorum_not_met", taking_part=int(quorum.get("taking_part", 0)),
                       needed=int(quorum.get("needed", 0)), seated=int(quorum.get("seated", 0)))
    if session.status != "attendance":
        raise Conflict("session.already_opened")
    session.opened_at, session.opened_by_id = utcnow(), actor.id
    _complete(session, instance, run, "open_ballots", {}, actor)
    audit.record("session_opened", actor=actor, details={"session_id": session.id})
    commit_keeping(session)
    return session


@use_case
def cast(actor, session_id, choices) -> CouncilSession:
    """One ballot sheet per member per session: a choice on every nominee they may vote on, each sealed
    into that nominee's ballot box. Only that the member took part is recorded, never the choices."""
    session = get(actor, session_id)
    session_instances.lock(session)  # the close waits for this sheet, or this sheet for the close
    db.session.refresh(session)
    me = db.session.get(SessionMember, (session.id, actor.id))
    if me is None or me.attendance == "absent" or not actor.active:
        raise NotAllowed("session.not_voting")
    if session.status == "closed":
        raise Conflict("session.closed")
    if me.voted_at is not None:
        raise Conflict("session.already_cast")
    if not _may_cast(session, me):
        raise Conflict("session.not_open")
    wanted = {n.id for _, n in sittings.items_of(session.id)
              if n.status == "voting" and n.nominee_user_id != actor.id}
    sheet = _sheet(choices, wanted)
    # Conditional: of two sheets of one member sent at once, one is taken.
    taken = db.session.execute(update(SessionMember).where(
        SessionMember.session_id == session.id, SessionMember.user_id == actor.id,
        SessionMember.voted_at.is_(None)).values(voted_at=utcnow()).execution_options(
        synchronize_session=False)).rowcount
    if taken != 1:
        raise Conflict("session.already_cast")
    for nomination_id in sorted(sheet):
        ballot_box.seal(nomination_id, sheet[nomination_id])
    audit.record("session_sheet_cast", actor=actor, details={"session_id": session.id,
                                                              "attendance": me.attendance})
    commit_keeping(session)
    return session


@use_case
def close_ballots(actor, session_id, recommendations=None) -> CouncilSession:
    """Close every ballot of the session together, count each nominee and write the minutes.

    ``recommendations``: {nomination_id: award code} where the council recommends proposing a
    higher form instead; recorded on the agenda and in the minutes.
    """
    session = get(actor, session_id)
    if not sittings.may_preside(actor, session):
        raise NotAllowed("session.presiding_only")
    instance, run = session_instances.load(session)
    db.session.refresh(session)
    if session.status != "open":
        raise Conflict("session.not_open")
    _recommend(session, recommendations or {})
    session.closed_at, session.closed_by_id = utcnow(), actor.id
    _complete(session, instance, run, "close_ballots", {}, actor)
    audit.record("session_closed", actor=actor, details={"session_id": session.id,
                                                         "minutes_sha256": session.minutes_sha256})
    _move_lists(session, actor)
    commit_keeping(session)
    return session


# -- helpers -----------------------------------------------------------------------------------------

def _complete(session, instance, run, key: str, values: dict, actor) -> None:
    task = session_instances.ready_task(session, key)
    if task is None:
        raise Conflict("session.step_not_ready", task=key)
    try:
        run.complete(task.id, values)
    except TaskNotReady as exc:
        raise Conflict("session.step_not_ready", task=key) from exc
    except ProcessFault as fault:
        raise tasks.process_error(fault, key) from fault
    session_instances.save(instance, run, session, actor=actor, completed_task_id=task.id)


def _waiting(found: Round) -> list[Nomination]:
    """The round's nominees of the authority waiting for the vote, on no open session's agenda, by award."""
    on_agenda = select(SessionItem.nomination_id).join(CouncilSession, CouncilSession.id == SessionItem.session_id) \
        .where(CouncilSession.status.in_(OPEN_STATUSES))
    rows = list(db.session.execute(select(Nomination).where(
        Nomination.round_id == found.id, Nomination.authority_id == found.authority_id,
        Nomination.status == "voting", Nomination.id.not_in(on_agenda))).scalars())
    return sorted(rows, key=lambda n: (sittings.award_order(n.award_type), n.unit.code, n.proposal_id or 0,
                                       n.nominee_name, n.id))


def _agenda(session) -> list[AgendaItem]:
    pairs = sittings.items_of(session.id)
    tallies = {}
    if session.status == "closed":
        tallies = {r.nomination_id: r for r in db.session.execute(select(TallyRecord).where(
            TallyRecord.nomination_id.in_([n.id for _, n in pairs]))).scalars()}
    return [AgendaItem(item, nomination, tallies.get(nomination.id)) for item, nomination in pairs]


def _grouped(items: list[AgendaItem]) -> list[tuple[AwardType, list[AgendaItem]]]:
    groups: dict[int, tuple[AwardType, list[AgendaItem]]] = {}
    for entry in items:
        award = entry.nomination.award_type
        groups.setdefault(award.id, (award, []))[1].append(entry)
    return sorted(groups.values(), key=lambda pair: sittings.award_order(pair[0]))


def _may_cast(session, me) -> bool:
    """Present members while the ballots are open; members with a written ballot from attendance to the close."""
    if me is None or me.voted_at is not None:
        return False
    if me.attendance == "present":
        return session.status == "open"
    return me.attendance == "written" and session.status in ("attendance", "open")


def _attendance(marks, seated: list[User], written_allowed: bool) -> dict[int, str]:
    """{user id: attendance} for every seated member (unmarked: absent); refuses anyone else, or a
    written ballot the regulation does not allow."""
    if not isinstance(marks, dict):
        raise InvalidData("session.bad_attendance", fields={"attendance": Reason("session.bad_attendance")})
    ids = {user.id for user in seated}
    chosen = {uid: "absent" for uid in ids}
    problems = {}
    for key, mark in marks.items():
        uid = _as_int(key)
        if uid not in ids:
            problems[str(key)[:40]] = Reason("session.not_seated")
        elif mark not in ATTENDANCE:
            problems[str(key)[:40]] = Reason("field.choose_one", choices=list(ATTENDANCE))
        elif mark == "written" and not written_allowed:
            problems[str(key)[:40]] = Reason("session.written_not_allowed")
        else:
            chosen[uid] = mark
    if problems:
        raise InvalidData("session.bad_attendance", fields=problems)
    return chosen


def _sheet(choices, wanted: set[int]) -> dict[int, str]:
    """A complete ballot sheet: yes or no on every nominee the member votes on, nothing else."""
    if not isinstance(choices, dict):
        raise InvalidData("session.bad_sheet", fields={"choices": Reason("session.bad_sheet")})
    sheet, problems = {}, {}
    for key, choice in choices.items():
        nid = _as_int(key)
        if nid not in wanted:
            problems[str(key)[:40]] = Reason("session.not_on_sheet")
        elif choice not in sittings.CHOICES:
            problems[str(key)[:40]] = Reason("field.choose_one", choices=list(sittings.CHOICES))
        else:
            sheet[nid] = choice
    for nid in sorted(wanted - set(sheet)):
        if str(nid) not in problems:
            problems[str(nid)] = Reason("session.choice_missing")
    if problems:
        raise InvalidData("session.bad_sheet", fields=problems)
    return sheet


def _recommend(session, recommendations) -> None:
    if not isinstance(recommendations, dict):
        raise InvalidData("session.bad_recommendation", fields={"recommendations": Reason("session.bad_sheet")})
    items = {item.nomination_id: item for item, _ in sittings.items_of(session.id)}
    codes = set(db.session.execute(select(AwardType.code)).scalars())
    problems = {}
    for key, code in recommendations.items():
        nid = _as_int(key)
        if nid not in items:
            problems[str(key)[:40]] = Reason("session.not_on_sheet")
        elif code not in codes:
            problems[str(key)[:40]] = Reason("session.unknown_award")
        else:
            items[nid].recommended_award_code = code
    if problems:
        raise InvalidData("session.bad_recommendation", fields=problems)


def _move_lists(session, actor) -> None:
    """Every list with a nominee on this agenda whose nominees are all counted goes on to the head."""
    proposal_ids = sorted({n.proposal_id for _, n in sittings.items_of(session.id) if n.proposal_id})
    for proposal_id in proposal_ids:
        still = db.session.execute(select(func.count()).select_from(Nomination).where(
            Nomination.proposal_id == proposal_id, Nomination.status == "voting")).scalar_one()
        if still:
            continue
        proposal = db.session.get(Proposal, proposal_id)
        lists.complete_step(proposal, "await_session", {"session_id": str(session.id)}, actor)


def _an_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
