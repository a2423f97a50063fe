"""The chain's link check on its own: an event whose own hash is right but whose link is not.

Someone holding the key can re-seal one event after pointing it at another predecessor: its
content hash verifies, and so does every later event (their links and hashes are untouched).
Only the link check can see it, so these tests break the link alone and expect that check to
name it; a verifier that skipped the link would call the chain intact.
"""

import re

import pytest
from sqlalchemy import func, select, text

from workflows.db import db
from workflows.models import AuditEvent, AuditHead
from workflows.services import audit


def relink(seq: int, prev_hash: str) -> None:
    """Point event ``seq`` at ``prev_hash`` and re-seal it with the key, leaving every other row alone."""
    event = db.session.execute(select(AuditEvent).where(AuditEvent.seq == seq)).scalar_one()
    event.prev_hash = prev_hash
    event.key_id, event.hash = audit.keyring().seal(audit._message(event))
    assert audit.event_hash(event) == event.hash  # its content check passes
    head = db.session.get(AuditHead, 1)
    if head.seq == seq:
        head.hash = event.hash
    db.session.commit()


def test_an_event_pointing_at_the_wrong_predecessor_is_a_link_break(app, nominate, walk):
    walk(nominate(), "appraise")
    with app.app_context():
        last = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        target = last // 2
        two_back = db.session.execute(select(AuditEvent.hash).where(AuditEvent.seq == target - 2)).scalar_one()
        relink(target, two_back)  # as if the event before it had been taken out
        found = audit.verify()
    assert (found.ok, found.first_bad_seq, found.problem, found.checked) == (False, target, "link", target - 1)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert re.search(rf"broken at event {target}: its link to the previous event is broken", result.output)


def test_the_newest_event_relinked_with_the_head_moved_along_is_a_link_break(app, nominate, walk):
    # No later event and no stale head to give it away: the link is the only witness.
    walk(nominate(), "check_dossier")
    with app.app_context():
        last = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        relink(last, "0" * 64)
        found = audit.verify()
    assert (found.ok, found.first_bad_seq, found.problem) == (False, last, "link")


def test_the_first_event_must_link_to_the_genesis(app, nominate):
    nominate()
    with app.app_context():
        first = db.session.execute(select(AuditEvent).where(AuditEvent.seq == 1)).scalar_one()
        relink(1, first.hash)
        found = audit.verify()
    assert (found.ok, found.first_bad_seq, found.problem) == (False, 1, "link")


def test_an_intact_chain_verifies_every_event_whatever_the_batch(app, nominate):
    nominate()
    with app.app_context():
        total = db.session.execute(select(func.count(AuditEvent.seq))).scalar_one()
        for batch in (1, 2, 3, 5000):
            found = audit.verify(batch=batch)
            assert (found.ok, found.checked, found.unkeyed, found.problem, found.first_bad_seq) == \
                (True, total, 0, "", None), batch


def test_plain_events_before_the_keyed_ones_verify_and_are_counted(app, nominate):
    from tests.test_audit_keys import plain_hash, rehash_from

    nominate()
    with app.app_context():
        legacy = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        db.session.execute(text("UPDATE audit_event SET key_id = NULL"))
        db.session.commit()
        rehash_from(1, plain_hash)
        audit.record("audit_verified")
        db.session.commit()
        found = audit.verify(batch=2)
    assert (found.ok, found.checked, found.unkeyed) == (True, legacy + 1, legacy)


BREAKS = {
    "missing": "DELETE FROM audit_event WHERE seq = :seq",
    "content": "UPDATE audit_event SET actor = 'someone' WHERE seq = :seq",
    "key_unknown": "UPDATE audit_event SET key_id = 'k000000000000000' WHERE seq = :seq",
    "unkeyed": "UPDATE audit_event SET key_id = NULL WHERE seq = :seq",
}


@pytest.mark.parametrize("problem", sorted(BREAKS))
def test_each_kind_of_break_is_named_with_what_came_before_it(app, nominate, problem):
    nominate()
    with app.app_context():
        db.session.execute(text(BREAKS[problem]), {"seq": 2})
        db.session.commit()
        found = audit.verify(batch=2)
    assert (found.ok, found.checked, found.first_bad_seq, found.problem, found.unkeyed) == (False, 1, 2, problem, 0)


def test_a_trail_cut_short_below_its_head_is_truncated(app, nominate):
    nominate()
    with app.app_context():
        last = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        db.session.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": last})
        db.session.commit()
        found = audit.verify()
    assert (found.ok, found.checked, found.first_bad_seq, found.problem, found.unkeyed) == \
        (False, last - 1, last, "truncated", 0)
