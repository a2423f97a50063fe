"""The registry of people and collectives, and the history eligibility is judged on.

A person or collective is known by a code the unit's HR department gives it (the key of every
import). Each history row belongs to exactly one subject: a person or a collective.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow
from .people import Unit, User

# Annual assessment grades, best first (Decree 90/2020/NĐ-CP; Party rules use the same four).
GRADES = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
# Disciplinary measures for cadres and civil servants, mildest first.
DISCIPLINE_LEVELS = ("reprimand", "warning", "removal", "dismissal")
# Why a subject's nominations wait: disciplinary review, an inspection, a pending complaint.
HOLD_KINDS = ("discipline_review", "inspection", "complaint")
# How far an initiative's influence was recognised.
INITIATIVE_LEVELS = ("grassroots", "agency", "national")

_ONE_SUBJECT = "(person_id IS NULL) <> (collective_id IS NULL)"


class Collective(db.Model):
    """A department or other collective within a member unit."""

    __tablename__ = "collective"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship(lazy="joined")


class Person(db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    recruited_on: Mapped[date | None]
    # A person who also signs in (a council member, say) is linked so they never vote on themselves.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

    unit: Mapped[Unit] = relationship(lazy="joined")
    collective: Mapped[Collective | None] = relationship()
    user: Mapped[User | None] = relationship()


class _Subject:
    """Columns shared by every history row: whose history it is."""

    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)


class Assessment(_Subject, db.Model):
    """The annual assessment (đánh giá, xếp loại) of a person or a collective."""

    __tablename__ = "assessment"
    __table_args__ = (
        UniqueConstraint("person_id", "collective_id", "year", name="uq_assessment_subject_year"),
        CheckConstraint(_ONE_SUBJECT, name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    grade: Mapped[str] = mapped_column(String(8))


class AwardRecord(_Subject, db.Model):
    """An award held: imported from the unit's records or written when a decision is signed."""

    __tablename__ = "award_record"
    __table_args__ = (
        CheckConstraint(_ONE_SUBJECT, name="one_subject"),
        Index("ix_award_record_code_year", "award_code", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_code: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    decision_ref: Mapped[str] = mapped_column(String(100), default="")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    # A revoked award leaves the history eligibility reads, but the row stays for the record.
    revoked_at: Mapped[datetime | None]

    # The signed decision that wrote it (none for an imported award): pages say why it was revoked.
    decision: Mapped["Decision | None"] = relationship(viewonly=True)  # noqa: F821


class Initiative(_Subject, db.Model):
    """A recognised initiative (sáng kiến); it may be the grounds of one award only."""

    __tablename__ = "initiative"
    __table_args__ = (CheckConstraint(_ONE_SUBJECT, name="one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(16))
    year: Mapped[int]
    reference: Mapped[str] = mapped_column(String(100), default="")
    # Set when an award that relied on it is decided; unique, so it can be used only once.
    used_by_nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), unique=True)


class DisciplineRecord(db.Model):
    __tablename__ = "discipline_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    year: Mapped[int]
    level: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(100), default="")


class ReviewHold(_Subject, db.Model):
    """While a hold is open, the subject's nominations cannot go to the vote."""

    __tablename__ = "review_hold"
    __table_args__ = (CheckConstraint(_ONE_SUBJECT, name="one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)
