"""The year-end work of an authority: rounds (đợt xét), list proposals, council sessions, and the
answers that come back from the authority above.

A round takes nominations for some award types until its intake deadline. Units propose lists
into it (one letter and one set of minutes per list, one nomination per nominee). The office
checks each nominee; those whose award needs a vote go to a council session, the rest straight
to the head, who signs one decision per list with an annex of every awardee.
"""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow
from .authorities import CYCLE, Authority
from .awards import AwardType
from .people import Unit, User

ROUND_STATUSES = ("open", "closed")
# A list's path: the unit prepares and its head endorses; the office checks each nominee; the
# council votes in a session where the award needs it; the head signs one decision (or, for a
# state award, one proposal upward, which then waits for the answer from above), or refuses it.
PROPOSAL_STATUSES = ("preparing", "endorsing", "checking", "voting", "signing",
                     "decided", "forwarded", "answered", "withdrawn", "refused")
SESSION_STATUSES = ("scheduled", "attendance", "open", "closed")
# How a member takes part in a session: present, absent with a written ballot (where the
# regulation allows it), or absent.
ATTENDANCE = ("present", "written", "absent")


class Round(db.Model):
    """An authority's round of nominations (đợt xét), e.g. the year-end round of 2026."""

    __tablename__ = "award_round"
    __table_args__ = (Index("ix_award_round_authority_year", "authority_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    # The award type codes the round takes.
    award_codes: Mapped[list] = mapped_column(JSON, default=list)
    # The last day nominations are taken (inclusive, in the bloc's time zone).
    intake_deadline: Mapped[date]
    council_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship(lazy="joined")


class LateEntry(db.Model):
    """The office's written acceptance of one unit's nominations into a round after its deadline."""

    __tablename__ = "late_entry"

    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    # Until when the unit may still propose (inclusive).
    until: Mapped[date]
    accepted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Proposal(db.Model):
    """A unit's list of nominees for one award type in one round (tờ trình kèm danh sách).

    Its process instance carries the list through its steps; each nominee is a ``Nomination``
    with ``proposal_id`` set and its own status, findings and outcome.
    """

    __tablename__ = "proposal"
    __table_args__ = (Index("ix_proposal_round_unit", "round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("award_round.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="preparing", index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    # Why the office let it in after the round's deadline (None when it came in time).
    late_reason: Mapped[str | None] = mapped_column(Text)
    # The nominee of a lower authority's council that recommended this higher form, if any.
    recommended_from_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id", **CYCLE))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    round: Mapped["Round | None"] = relationship(lazy="joined")
    authority: Mapped[Authority] = relationship(lazy="joined")
    unit: Mapped[Unit] = relationship(lazy="joined")
    award_type: Mapped[AwardType] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])


class ProposalDocument(db.Model):
    """One uploaded version of a list's own paper: the proposal letter or the unit's review minutes."""

    __tablename__ = "proposal_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # proposal_letter | review_minutes
    version: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class CouncilSession(db.Model):
    """One sitting of an authority's council for a round: agenda, attendance, ballots, minutes."""

    __tablename__ = "council_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("award_round.id"), index=True)
    # The regulation whose quorum and majorities apply, fixed when attendance is taken.
    regulation_id: Mapped[int | None] = mapped_column(ForeignKey("council_regulation.id"))
    scheduled_for: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="scheduled", index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    # The quorum as checked at attendance: who sits, who is needed, whether it was met.
    quorum: Mapped[dict | None] = mapped_column(JSON)
    opened_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # sha256 of the minutes PDF as issued at the close.
    minutes_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship(lazy="joined")
    round: Mapped[Round] = relationship(lazy="joined")


class SessionMember(db.Model):
    """A council member at a session: their attendance, and whether they have cast their ballot sheet.

    Participation is public (it goes into the minutes); how they voted is never stored with it.
    """

    __tablename__ = "session_member"

    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    attendance: Mapped[str] = mapped_column(String(16), default="absent")
    voted_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class SessionItem(db.Model):
    """One nominee on a session's agenda, with the article of the regulation the vote follows."""

    __tablename__ = "session_item"
    __table_args__ = (UniqueConstraint("nomination_id", "session_id", name="uq_session_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), index=True)
    article: Mapped[str] = mapped_column(String(32), default="")
    position: Mapped[int] = mapped_column(default=0)
    # A council's recommendation that a higher form be proposed instead (an award code), if any.
    recommended_award_code: Mapped[str | None] = mapped_column(String(32))


class UpwardOutcome(db.Model):
    """The answer from the authority above to a proposal sent up: its decision, and the scan of it."""

    __tablename__ = "upward_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The numbered proposal (tờ trình) the answer is to.
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    higher_authority: Mapped[str] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(64))
    decided_on: Mapped[date]
    filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    storage_key: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
