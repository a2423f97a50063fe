"""Nominations and what hangs off them: documents, sealed ballots, the signed decision."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db, utcnow
from .authorities import CYCLE, Authority, bloc_id_default
from .awards import AwardType
from .people import Unit, User
from .registry import Collective, Person
from .rules import RuleSet

if TYPE_CHECKING:
    from .rounds import Proposal

STATUSES = ("preparing", "endorsing", "checking", "appraising", "voting", "signing", "on_hold")
# "revoked": the signed decision (or proposal) was revoked afterwards; the decision row says when and why.
# "returned": a nominee the office sent back out of a list; the unit may propose them again.
END_STATUSES = ("awarded", "forwarded", "not_approved", "rejected", "withdrawn", "revoked", "returned")
# The unit may withdraw until the council starts voting.
WITHDRAWABLE = frozenset({"preparing", "endorsing", "checking", "appraising"})
# A nomination in one of these statuses no longer claims its nominee's award for the year: another
# may be made. Every other status (in progress, awarded, forwarded upward) does, and only one may.
RELEASED = ("withdrawn", "rejected", "not_approved", "revoked", "returned")
# The partial unique indexes below hold that rule for registry nominees, whatever the race.
CLAIMING = text("status NOT IN ('withdrawn', 'rejected', 'not_approved', 'revoked', 'returned')")


class Nomination(db.Model):
    __tablename__ = "nomination"
    __table_args__ = (
        Index("ix_nomination_unit_year", "unit_id", "year"),
        Index("ix_nomination_unit_nominee", "unit_id", "nominee_name"),  # a nominee's award history
        Index("uq_nomination_claim_person", "person_id", "award_type_id", "year", unique=True,
              sqlite_where=CLAIMING, postgresql_where=CLAIMING),
        Index("uq_nomination_claim_collective", "collective_id", "award_type_id", "year", unique=True,
              sqlite_where=CLAIMING, postgresql_where=CLAIMING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    # The authority that decides it, chosen at the start and never recomputed.
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True, default=bloc_id_default)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"))
    year: Mapped[int]
    nominee_kind: Mapped[str] = mapped_column(String(16))
    nominee_name: Mapped[str] = mapped_column(String(200))
    nominee_position: Mapped[str | None] = mapped_column(String(200))
    nominee_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The registry entry the nominee is: a person or a collective (its history decides eligibility).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    # The rules in force when the nomination was made; it keeps them if they are replaced later.
    rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("rule_set.id"))
    # The round it was proposed in and the list it is on (None: a nomination made on its own,
    # which follows the single nomination's process).
    round_id: Mapped[int | None] = mapped_column(ForeignKey("award_round.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    # The list decision (or proposal upward) whose annex names this nominee.
    list_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id", **CYCLE), index=True)
    # The answer from above to a proposal sent up: awarded | not_awarded, and where it is recorded.
    upward_result: Mapped[str | None] = mapped_column(String(16))
    upward_outcome_id: Mapped[int | None] = mapped_column(ForeignKey("upward_outcome.id", **CYCLE))
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
    authority: Mapped[Authority] = relationship(lazy="joined")
    award_type: Mapped[AwardType] = relationship(lazy="joined")
    nominee_user: Mapped[User | None] = relationship(foreign_keys=[nominee_user_id])
    person: Mapped["Person | None"] = relationship()
    collective: Mapped["Collective | None"] = relationship()
    rule_set: Mapped["RuleSet | None"] = relationship()
    decision: Mapped["Decision | None"] = relationship(back_populates="nomination", uselist=False,
                                                       foreign_keys="Decision.nomination_id")
    proposal: Mapped["Proposal | None"] = relationship(foreign_keys=[proposal_id])
    list_decision: Mapped["Decision | None"] = relationship(foreign_keys=[list_decision_id])


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
    # What was last found wrong with the stored file (altered or missing), and when the trail
    # last heard of it; both cleared when the file is found intact again.
    integrity_problem: Mapped[str | None] = mapped_column(String(16))
    integrity_noted_at: Mapped[datetime | None]


class SealedBallot(db.Model):
    """One secret ballot in the box, sealed: nothing stored with it names the voter or the choice.

    The id is random, not a sequence, so ids say nothing of the order ballots were cast in;
    ``sealed`` is the choice encrypted under a key the database does not hold (see
    workflows/services/ballot_box.py). No voter, no time. The rows live only while the vote is open:
    the close counts them into the tally minutes and deletes them.
    """

    __tablename__ = "sealed_ballot"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class Decision(db.Model):
    """The chair's signed outcome: a numbered decision, or a numbered proposal upward."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_decision_year_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The nomination it decides, for a single nomination; a list's decision has ``proposal_id``
    # instead and names its awardees in an annex (``Nomination.list_decision_id``).
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), unique=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("award_round.id"), index=True)
    # Whose register it is in: the authority whose head signed it.
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), index=True, default=bloc_id_default)
    kind: Mapped[str] = mapped_column(String(16))  # decision | proposal
    number: Mapped[str] = mapped_column(String(64))
    year: Mapped[int]
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # The reward: a coefficient of the base salary in force when signed (both settings), in đồng.
    reward_coefficient: Mapped[float] = mapped_column(default=0.0)
    base_salary: Mapped[int] = mapped_column(default=0)
    reward_amount: Mapped[int] = mapped_column(default=0)
    # sha256 of the signed content (number, date, basis, awardee, reward, signer), printed on the PDF.
    content_sha256: Mapped[str] = mapped_column(String(64), default="")
    # What was signed, as signed: names and titles may be edited later, the signed record may not.
    signed_content: Mapped[dict | None] = mapped_column(JSON)
    # The audit chain's head when the chair signed (the signing's own event), printed on the PDF:
    # a paper copy anchors the trail outside the database.
    audit_seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"))
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    nomination: Mapped["Nomination | None"] = relationship(back_populates="decision", foreign_keys=[nomination_id])
    awardees: Mapped[list[Nomination]] = relationship(foreign_keys="Nomination.list_decision_id",
                                                      viewonly=True, order_by="Nomination.id")
    authority: Mapped[Authority] = relationship(lazy="joined")
    signed_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[signed_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])


class Signature(db.Model):
    """The chair's electronic signature: who, when, and what it means (approved or refused).

    Given only after the signer re-entered their password at the moment of signing.
    """

    __tablename__ = "signature"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What was signed: one nomination's outcome, or a whole list's decision (one signature for
    # every awardee of its annex; ``decision_id`` empty when the head refused the list).
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    meaning: Mapped[str] = mapped_column(String(16))  # approved | refused
    content_sha256: Mapped[str] = mapped_column(String(64), default="")

    signer: Mapped[User] = relationship(lazy="joined")


class TallyRecord(db.Model):
    """The tally minutes (biên bản kiểm phiếu): counts, the rule applied and the result.

    ``voters`` names who took part, never how they voted: participation is public, choices secret.
    """

    __tablename__ = "tally_record"

    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), primary_key=True)
    regulation_id: Mapped[int | None] = mapped_column(ForeignKey("council_regulation.id"))
    regulation_code: Mapped[str] = mapped_column(String(64), default="")
    rule: Mapped[dict] = mapped_column(JSON, default=dict)
    members: Mapped[list] = mapped_column(JSON, default=list)
    voters: Mapped[list] = mapped_column(JSON, default=list)
    yes: Mapped[int] = mapped_column(default=0)
    no: Mapped[int] = mapped_column(default=0)
    needed_voters: Mapped[int] = mapped_column(default=0)
    needed_yes: Mapped[int] = mapped_column(default=0)
    quorum_met: Mapped[bool] = mapped_column(default=False)
    passed: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None]
    counted_at: Mapped[datetime] = mapped_column(default=utcnow)


class NumberCounter(db.Model):
    """The last number issued per authority, document kind and year; numbers are consumed only on approval."""

    __tablename__ = "number_counter"

    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"), primary_key=True,
                                              default=bloc_id_default)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
