"""Reading the trail: the search filters at their edges, the head, and an anchor at the genesis.

Small and fast on purpose: they run against every mutant of workflows/services/audit.py (make mutation).
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import delete, select

from workflows.db import db
from workflows.models import AuditEvent
from workflows.models.audit import GENESIS
from workflows.services import audit

T0 = datetime(2026, 3, 1, 8, 0)
PROBE = "probe_event"


def probes(app) -> list[int]:
    """Four probe events by sec, aud, sec, system, stamped a minute apart; their seqs."""
    with app.app_context():
        events = [audit.record(PROBE, actor=SimpleNamespace(id=None, username=who), details={"n": n})
                  for n, who in enumerate(["sec", "aud", "sec", None])]
        db.session.flush()
        for n, event in enumerate(events):
            event.at = T0 + timedelta(minutes=n)
        db.session.commit()
        return [event.seq for event in events]


def seqs(**filters) -> list[int]:
    return [event.seq for event in audit.search(action=PROBE, **filters)]


def test_each_filter_keeps_exactly_what_it_names_and_the_edges_are_included(app):
    first, second, third, fourth = probes(app)
    with app.app_context():
        assert seqs() == [first, second, third, fourth]
        assert seqs(actor="sec") == [first, third]
        assert seqs(actor=audit.SYSTEM) == [fourth]
        assert seqs(since=T0 + timedelta(minutes=1)) == [second, third, fourth]
        assert seqs(until=T0 + timedelta(minutes=2)) == [first, second, third]
        assert seqs(since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=1)) == [second]
        assert seqs(actor="sec", since=T0 + timedelta(seconds=1)) == [third]
        assert audit.search(action="no_such_action") == []


def test_pages_of_the_trail_follow_the_chain_order(app):
    first, second, third, fourth = probes(app)
    with app.app_context():
        # Stamps out of order must not reorder the trail: the chain's order is the seq.
        db.session.execute(select(AuditEvent).where(AuditEvent.seq == first)).scalar_one().at = T0 + timedelta(hours=1)
        db.session.commit()
        assert seqs(limit=2) == [first, second]
        assert seqs(limit=2, offset=1) == [second, third]
        assert seqs(offset=3) == [fourth]
        everything = audit.search()
        assert [e.seq for e in everything] == sorted(e.seq for e in everything)


def test_the_default_page_is_five_hundred_events(app):
    with app.app_context():
        for n in range(501):
            audit.record(PROBE, details={"n": n})
        db.session.commit()
        assert len(seqs()) == 500
        assert len(seqs(offset=500)) == 1


def test_the_head_is_the_newest_event_and_an_anchor_holds_only_as_written(app):
    probes(app)
    with app.app_context():
        newest = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        head = audit.head()
        assert head == audit.Head(newest.seq, newest.hash, newest.key_id) and head.key_id
        assert audit.holds(head)
        assert not audit.holds(audit.Head(head.seq, "0" * 64, head.key_id))
        assert not audit.holds(audit.Head(head.seq, head.hash, "k" + "0" * 15))
        assert not audit.holds(audit.Head(head.seq + 1, head.hash, head.key_id))
        assert audit.holds(audit.Head(0, GENESIS, None))
        assert not audit.holds(audit.Head(0, head.hash, None))


def test_the_head_of_an_empty_trail_is_the_genesis(app):
    with app.app_context():
        db.session.execute(delete(AuditEvent))
        db.session.commit()
        assert audit.head() == audit.Head(0, GENESIS, None)
