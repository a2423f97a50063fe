"""Nominations and what hangs off them: documents, ballots, the signed decision."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow
from .awards import AwardType
from .people import Unit, User

STATUSES = ("preparing", "endorsing", "checking", "appraising", "voting", "signing")
END_STATUSES = ("awarded", "forwarded", "not_approved", "rejected", "withdrawn")
# The unit may withdraw until the council starts voting.
WITHDRAWABLE = frozenset({"preparing", "endorsing", "checking", "appraising"})


class Nomination(db.Model):
    __tablename__ = "nomination"
    __table_args__ = (
        Index("ix_nomination_unit_year", "unit_id", "year"),
        Index("ix_nomination_unit_nominee", "unit_id", "nominee_name"),  # a nominee's award history
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"))
    year: Mapped[int]
    nominee_kind: Mapped[str] = mapped_column(String(16))
    nominee_name: Mapped[str] = mapped_column(String(200))
    nominee_position: Mapped[str | None] = mapped_column(String(200))
    nominee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="preparing", index=True)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    # Set the first time the unit head endorses: from then on the bloc sees the nomination.
    submitted_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    award_type: Mapped[AwardType] = relationship(lazy="joined")
    nominee_user: Mapped[User | None] = relationship(foreign_keys=[nominee_user_id])
    decision: Mapped["Decision | None"] = relationship(back_populates="nomination", uselist=False)


class Document(db.Model):
    """One uploaded version of a dossier document; earlier versions stay listed."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Removing a document from the dossier hides it from the current set; the version stays listed.
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Ballot(db.Model):
    """A tally sheet: how many ballots of each choice a nomination received.

    Ballots are counted, never listed: there is no row per voter, no voter column and no
    time, so nothing stored (not even row order) ties a member to a choice.
    """

    __tablename__ = "ballot"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), primary_key=True)
    choice: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class Decision(db.Model):
    """The chair's signed outcome: a numbered decision, or a numbered proposal upward."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_decision_year_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # decision | proposal
    number: Mapped[str] = mapped_column(String(64))
    year: Mapped[int]
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    comment: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="decision")
    signed_by: Mapped[User] = relationship(lazy="joined")


class NumberCounter(db.Model):
    """The last number issued per document kind and year; numbers are consumed only on approval."""

    __tablename__ = "number_counter"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
