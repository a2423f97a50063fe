"""Rules as data: eligibility rule sets and the council's regulation, each with a legal basis
and an effective period, so administrators follow the law without a new release."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Select, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow
from .authorities import bloc_id_default

# The council's positions (Hội đồng Thi đua – Khen thưởng); the secretary does not vote.
COUNCIL_POSITIONS = ("chair", "standing_vice_chair", "vice_chair", "member", "secretary")


class _InForce:
    """An effective period: from a day, until the day before the next version (or open-ended)."""

    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(Text)
    # The same in Vietnamese, as the law is cited in Vietnamese documents; "" for versions
    # published without it (pages then translate the usual English forms of citation).
    title_vi: Mapped[str] = mapped_column(String(300), default="")
    legal_basis_vi: Mapped[str] = mapped_column(Text, default="")
    effective_from: Mapped[date]
    effective_to: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @classmethod
    def in_force_on(cls, day: date) -> Select:
        """The version in force on ``day``: the latest to have taken effect and not yet ended."""
        return select(cls).where(
            cls.effective_from <= day, or_(cls.effective_to.is_(None), cls.effective_to >= day),
        ).order_by(cls.effective_from.desc()).limit(1)


class RuleSet(_InForce, db.Model):
    """The eligibility rules in force for a period."""

    __tablename__ = "rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    rules: Mapped[list["EligibilityRule"]] = relationship(
        cascade="all, delete-orphan", order_by="EligibilityRule.position", lazy="selectin")


class EligibilityRule(db.Model):
    """One prerequisite of one award: a kind of check (a tested function) and its parameters."""

    __tablename__ = "eligibility_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("rule_set.id"), index=True)
    award_code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(48))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    legal_basis: Mapped[str] = mapped_column(Text)
    legal_basis_vi: Mapped[str] = mapped_column(Text, default="")


class CouncilRegulation(_InForce, db.Model):
    """The council's regulation (quy chế): how many must vote and how many must agree."""

    __tablename__ = "council_regulation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose council the regulation governs; each authority's chair issues its own.
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True, default=bloc_id_default)
    # "up": 70 % of 5 needs 4 ballots; "nearest": it needs round(3.5) = 4, 70 % of 6 needs 4.
    rounding: Mapped[str] = mapped_column(String(16), default="up")
    # Award codes this regulation lets the head decide on the office's list without a council
    # vote (e.g. LĐTT in a round); every other award in a round is voted on in a session.
    without_vote: Mapped[list] = mapped_column(JSON, default=list)
    # Whether a member absent from a session may send a written ballot, counted until the close.
    written_ballots: Mapped[bool] = mapped_column(default=True)
    rules: Mapped[list["VoteRule"]] = relationship(
        cascade="all, delete-orphan", order_by="VoteRule.position", lazy="selectin")


class VoteRule(db.Model):
    """What one article of the regulation asks of a vote.

    Which article applies to an award is decided by the diagram's decision table
    (bpmn/vote_rules.dmn); the numbers live here, versioned with the regulation.
    """

    __tablename__ = "vote_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    regulation_id: Mapped[int] = mapped_column(ForeignKey("council_regulation.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    article: Mapped[str] = mapped_column(String(32))
    quorum: Mapped[float]
    threshold: Mapped[float]
    base: Mapped[str] = mapped_column(String(16))  # members | voters
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    legal_basis_vi: Mapped[str] = mapped_column(Text, default="")


class CouncilSeat(db.Model):
    """A user's seat on an authority's council, for the minutes and the decision's signature block."""

    __tablename__ = "council_seat"

    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), primary_key=True,
                                              default=bloc_id_default)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    position: Mapped[str] = mapped_column(String(24))


class Setting(db.Model):
    """A named value administrators set, e.g. the base salary rewards are multiples of."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
