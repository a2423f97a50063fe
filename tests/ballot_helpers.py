"""Reading a ballot box as only the key holder can: the tests hold the ballot key."""

from collections import Counter

from sqlalchemy import select

from workflows.db import db
from workflows.models import SealedBallot
from workflows.services import ballot_box


def counts_in_box(nomination_id: int) -> dict[str, int]:
    """The choices sealed in the nomination's box so far, opened with the key and counted."""
    rows = db.session.execute(select(SealedBallot.id, SealedBallot.sealed)
                              .where(SealedBallot.nomination_id == nomination_id)).all()
    return dict(Counter(ballot_box.opened(nomination_id, ballot_id, sealed) for ballot_id, sealed in rows))
