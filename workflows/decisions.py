"""Numbering and recording the chair's signed outcome.

Numbers run per year and per kind and are consumed only when the chair approves, so a
refusal leaves no gap in the register.
"""

from sqlalchemy import select, update

from .db import db, utcnow
from .models import Decision, NumberCounter

# The bloc's numbering: "<n>/QĐ-KTĐ" for decisions, "<n>/TTr-KTĐ" for proposals upward.
FORMATS = {"decision": "{seq}/QĐ-KTĐ", "proposal": "{seq}/TTr-KTĐ"}
KIND_OF_OUTCOME = {"awarded": "decision", "forwarded": "proposal"}


def issue(nomination, outcome: str, *, signer, comment: str = "") -> Decision:
    """Record the signed decision (or proposal) with the next number of the year."""
    kind = KIND_OF_OUTCOME[outcome]
    signed_at = utcnow()
    seq = _next_number(kind, signed_at.year)
    decision = Decision(nomination_id=nomination.id, kind=kind, number=FORMATS[kind].format(seq=seq),
                        year=signed_at.year, signed_at=signed_at, signed_by_id=signer.id, comment=comment or "")
    db.session.add(decision)
    return decision


def _next_number(kind: str, year: int) -> int:
    # Increment in the database: concurrent signings each get their own number.
    changed = db.session.execute(update(NumberCounter).where(
        NumberCounter.kind == kind, NumberCounter.year == year
    ).values(last=NumberCounter.last + 1).execution_options(synchronize_session=False)).rowcount
    if changed == 0:
        db.session.add(NumberCounter(kind=kind, year=year, last=1))
        db.session.flush()
        return 1
    return db.session.execute(select(NumberCounter.last).where(
        NumberCounter.kind == kind, NumberCounter.year == year)).scalar_one()
