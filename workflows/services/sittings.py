"""The rules of a council session (phiên họp Hội đồng): who sits and votes, who presides, the quorum,
the count of every nominee at the close, and what the minutes say.

The seated voting members are the active council members of the session's authority; the
secretary (the seat ``secretary``) keeps the minutes and does not vote. The quorum is the strictest
quorum among the articles of the agenda, taken of the seated members; members present and, where
the regulation allows it, members absent with a written ballot count toward it. Each nominee's vote
is counted on its own (``voting.tally``) under its own article; a member who is a nominee neither
votes nor counts as entitled on their own nomination.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from workflows.db import db, utcnow
from workflows.errors import Conflict
from workflows.models import (
    AuthorityRole,
    AwardType,
    CouncilRegulation,
    CouncilSeat,
    CouncilSession,
    Nomination,
    SessionItem,
    SessionMember,
    TallyRecord,
    User,
)
from workflows.rendering.papers import SessionMinutesPaper, SessionMinutesRow, session_minutes_pdf
from workflows.services import audit, ballot_box, council, routing
from workflows.services.voting import at_least, tally

CHOICES = ("yes", "no")
HANOI = timezone(timedelta(hours=7))
# The award levels in the order the agenda groups them: the highest form first.
LEVEL_ORDER = {"state": 0, "bloc": 1, "agency": 2, "grassroots": 3}


# -- who is who ------------------------------------------------------------------------------------

def secretary_ids(authority_id: int) -> set[int]:
    return set(db.session.execute(select(CouncilSeat.user_id).where(
        CouncilSeat.authority_id == authority_id, CouncilSeat.position == "secretary")).scalars())


def seated_voters(authority_id: int) -> list[User]:
    """The active council members of the authority who vote, by name; the secretary does not vote."""
    secretaries = secretary_ids(authority_id)
    rows = db.session.execute(
        select(User).join(AuthorityRole, AuthorityRole.user_id == User.id)
        .where(AuthorityRole.authority_id == authority_id, AuthorityRole.role == "council_member",
               User.active.is_(True)).order_by(User.full_name, User.username)).scalars()
    return [user for user in rows if user.id not in secretaries]


def is_secretary(user, authority_id: int) -> bool:
    return user.active and user.id in secretary_ids(authority_id)


def is_chair(user, authority_id: int) -> bool:
    """The council's chair: the ``chair`` seat, or the role of council chair within the authority."""
    if not user.active:
        return False
    if user.holds("council_chair", authority_id):
        return True
    return db.session.execute(select(CouncilSeat.user_id).where(
        CouncilSeat.authority_id == authority_id, CouncilSeat.user_id == user.id,
        CouncilSeat.position == "chair")).first() is not None


def may_preside(user, session: CouncilSession) -> bool:
    """The secretary or the chair opens and closes the ballots."""
    return is_secretary(user, session.authority_id) or is_chair(user, session.authority_id)


def is_office(user, authority_id: int) -> bool:
    return user.active and user.holds("office", authority_id)


def may_take_attendance(user, session: CouncilSession) -> bool:
    return is_office(user, session.authority_id) or is_secretary(user, session.authority_id)


def may_see(user, session_or_authority_id) -> bool:
    """The authority's office, council (its seats too: the secretary) and head, auditors and administrators."""
    authority_id = getattr(session_or_authority_id, "authority_id", session_or_authority_id)
    if not user.active:
        return False
    if user.roles & routing.OVERSIGHT_ROLES or authority_id in routing.authority_ids(user):
        return True
    return db.session.execute(select(CouncilSeat.user_id).where(
        CouncilSeat.authority_id == authority_id, CouncilSeat.user_id == user.id)).first() is not None


def seen_authorities(user) -> set[int]:
    """The authorities whose sessions the user sees: those they hold a role or a council seat in."""
    seats = set(db.session.execute(select(CouncilSeat.authority_id).where(CouncilSeat.user_id == user.id)).scalars())
    return set(routing.authority_ids(user)) | seats


# -- the quorum ------------------------------------------------------------------------------------

def quorum(regulation: CouncilRegulation, articles: list[str], seated: list[User], marks: dict[int, str]) -> dict:
    """The quorum as checked at attendance: the strictest article's share of the seated members."""
    rules = {r.article: r for r in regulation.rules}
    missing = sorted({a for a in articles if a not in rules})
    if missing:
        raise council.RegulationMissing("council.article_missing", regulation=regulation.code, article=missing[0])
    share = max((rules[a].quorum for a in set(articles)), default=0.0)
    names = {user.id: user.full_name for user in seated}
    by = {kind: sorted(names[uid] for uid, mark in marks.items() if mark == kind)
          for kind in ("present", "written", "absent")}
    taking_part = len(by["present"]) + len(by["written"])
    needed = at_least(share, len(seated), regulation.rounding)
    return {"seated": len(seated), "share": share, "needed": needed, "taking_part": taking_part,
            "present": by["present"], "written": by["written"], "absent": by["absent"],
            "met": taking_part >= needed and taking_part > 0, "regulation": regulation.code,
            "rounding": regulation.rounding, "written_ballots": bool(regulation.written_ballots)}


# -- the count at the close ------------------------------------------------------------------------

def items_of(session_id: int) -> list[tuple[SessionItem, Nomination]]:
    return list(db.session.execute(
        select(SessionItem, Nomination).join(Nomination, Nomination.id == SessionItem.nomination_id)
        .where(SessionItem.session_id == session_id).order_by(SessionItem.position, SessionItem.id)).all())


def members_of(session_id: int) -> list[SessionMember]:
    return list(db.session.execute(select(SessionMember).join(User, User.id == SessionMember.user_id)
                                   .where(SessionMember.session_id == session_id)
                                   .order_by(User.full_name, User.username)).scalars())


def count(session: CouncilSession) -> list[dict]:
    """Open and count every nominee's ballots under its article; the tally minutes of each, and its status.

    The members who took part are those whose ballot sheet was received (present or written); a
    nominee who sits on the council is neither entitled nor counted on their own nomination.
    """
    regulation = db.session.get(CouncilRegulation, session.regulation_id)
    members = [m for m in members_of(session.id)]
    results = []
    # Read once for the whole agenda: each article's rule, the tally records already there, every box.
    agenda = items_of(session.id)
    for _, nomination in agenda:
        if nomination.status != "voting":
            # Taken off the vote meanwhile (withdrawn, held): its box is emptied, its ballots not counted.
            ballot_box.count_and_clear(nomination.id)
    voting = [(item, nomination) for item, nomination in agenda if nomination.status == "voting"]
    rules = {}
    for item, _ in voting:
        if item.article not in rules:
            rules[item.article] = council.article_of(regulation.code, item.article)
    records = {r.nomination_id: r for r in db.session.execute(select(TallyRecord).where(
        TallyRecord.nomination_id.in_([n.id for _, n in voting]))).scalars()} if voting else {}
    boxes = ballot_box.count_and_clear_many({nomination.id: len(
        [m for m in members if m.user_id != nomination.nominee_user_id and m.voted_at is not None])
        for _, nomination in voting})
    for item, nomination in voting:
        _, rule = rules[item.article]
        entitled = [m for m in members if m.user_id != nomination.nominee_user_id]
        voters = [m for m in entitled if m.voted_at is not None]
        counts = boxes[nomination.id]
        result = tally(counts, len(entitled), rule.quorum, rule.threshold, rule.base, regulation.rounding)
        described = council.describe(rule)
        record = records.get(nomination.id) or TallyRecord(nomination_id=nomination.id)
        record.regulation_id, record.regulation_code = regulation.id, regulation.code
        record.rule = {"article": rule.article, "quorum": rule.quorum, "threshold": rule.threshold,
                       "base": rule.base, "rounding": regulation.rounding, "text": described,
                       "legal_basis": rule.legal_basis, "regulation_basis": regulation.legal_basis,
                       "legal_basis_vi": rule.legal_basis_vi, "regulation_basis_vi": regulation.legal_basis_vi,
                       "session_id": session.id}
        record.members = sorted(m.user.full_name for m in entitled)
        record.voters = sorted(m.user.full_name for m in voters)
        record.yes, record.no = result["yes"], result["no"]
        record.needed_voters, record.needed_yes = result["needed_voters"], result["needed_yes"]
        record.quorum_met, record.passed = result["quorum_met"], result["passed"]
        record.opened_at, record.counted_at = session.opened_at, utcnow()
        db.session.add(record)
        nomination.status = "signing" if result["passed"] else "not_approved"
        audit.record("tally", nomination_id=nomination.id, task_key="count_ballots", details={
            "tally_result": result, "rule": described, "rule_basis": f"{regulation.code}: {rule.legal_basis}",
            "session_id": session.id})
        results.append({"nomination_id": nomination.id, "yes": result["yes"], "no": result["no"],
                        "passed": result["passed"]})
    return results


# -- the minutes -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Minutes:
    content: bytes
    sha256: str


def minutes(session: CouncilSession) -> Minutes:
    """The session's minutes as PDF, built from what is stored; the same bytes every time."""
    if session.closed_at is None:
        raise Conflict("session.no_minutes_yet", id=session.id)
    content = session_minutes_pdf(minutes_paper(session))
    return Minutes(content, hashlib.sha256(content).hexdigest())


def minutes_paper(session: CouncilSession) -> SessionMinutesPaper:
    quorum_ = session.quorum or {}
    records = {r.nomination_id: r for r in db.session.execute(select(TallyRecord).where(
        TallyRecord.nomination_id.in_([i.nomination_id for i, _ in items_of(session.id)]))).scalars()}
    rows = []
    for item, nomination in items_of(session.id):
        record = records.get(nomination.id)
        if record is None or (record.rule or {}).get("session_id") != session.id:
            continue
        rule = record.rule or {}
        rows.append(SessionMinutesRow(
            nominee=nomination.nominee_name, unit=nomination.unit.name_vi or nomination.unit.name,
            award=nomination.award_type.name_vi or nomination.award_type.name, article=item.article,
            entitled=len(record.members or []), voters=len(record.voters or []), yes=record.yes, no=record.no,
            needed_voters=record.needed_voters, needed_yes=record.needed_yes, quorum_met=record.quorum_met,
            passed=record.passed, threshold=float(rule.get("threshold", 0)), base=str(rule.get("base", "")),
            recommended=item.recommended_award_code or ""))
    seats = _seats(session.authority_id)
    authority = session.authority
    return SessionMinutesPaper(
        issuer="" if authority.kind == "bloc" else (authority.name_vi or authority.name),
        round_name=session.round.name, year=session.round.year, place=session.place,
        scheduled_for=local(session.scheduled_for), opened_at=local(session.opened_at),
        closed_at=local(session.closed_at), seated=int(quorum_.get("seated", 0)),
        present=list(quorum_.get("present", [])), written=list(quorum_.get("written", [])),
        absent=list(quorum_.get("absent", [])), quorum_share=float(quorum_.get("share", 0)),
        quorum_needed=int(quorum_.get("needed", 0)), quorum_met=bool(quorum_.get("met")),
        regulation_code=str(quorum_.get("regulation", "")), rounding=str(quorum_.get("rounding", "up")),
        rows=rows, chair=seats.get("chair", ""), secretary=seats.get("secretary", ""))


def local(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as a naive Hà Nội time, for printing."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc).astimezone(HANOI).replace(tzinfo=None)


def _seats(authority_id: int) -> dict[str, str]:
    rows = db.session.execute(select(CouncilSeat.position, User.full_name).join(User, User.id == CouncilSeat.user_id)
                              .where(CouncilSeat.authority_id == authority_id))
    return {position: name for position, name in rows}


def award_order(award: AwardType) -> tuple:
    return (LEVEL_ORDER.get(award.level, 9), award.code)


def naive(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=None) if moment is not None and moment.tzinfo else moment
