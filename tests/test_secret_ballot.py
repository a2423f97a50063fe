"""The secret ballot: nothing stored or logged ties a council member to a choice.

A ballot is sealed when cast (workflows/services/ballot_box.py) and counted only at the close. These
tests know each member's choice and look for it, or for anything that varies with it, in every
row of every table, in PostgreSQL's system columns and old row versions, in SQLite's files,
in the workflow's state and in the logs.
"""

import json
import logging
import os
import re
import stat

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, stamp, upgrade
from sqlalchemy import create_engine, inspect, select, text

from tests.ballot_helpers import counts_in_box
from tests.conftest import BALLOT_KEY, COUNCIL, TEST_DATABASE_URL, snapshot
from webapp import config
from workflows.db import db
from workflows.errors import Conflict
from workflows.models import AuditEvent, ProcessInstance, SealedBallot, TallyRecord
from workflows.services import ballot_box

CHOICES = {"yes", "no"}
ON_POSTGRES = bool(TEST_DATABASE_URL)
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's system columns and pages")
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's database and log files")
# How a choice would look stored: a JSON value ("vote": "no") in any file or row, or a short
# text column as PostgreSQL lays it out in a row (a one-byte length header, then the letters).
JSON_CHOICE = re.compile(rb':\s*"(yes|no)"')
STORED_CHOICE = re.compile(JSON_CHOICE.pattern + rb'|\x09yes|\x07no')


def cast_votes(api, nominate, walk, votes, **nominee):
    nid = nominate(**nominee)
    walk(nid, "vote")
    for member, vote in zip(COUNCIL, votes):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    return nid


def contains_choice(value) -> bool:
    """True when a stored value is, or holds anywhere inside it, a ballot choice.

    Only values count: the tally's {"yes": 4, "no": 1} names choices as keys of counts.
    """
    if isinstance(value, str):
        if value in CHOICES:
            return True
        try:
            return contains_choice(json.loads(value))
        except ValueError:
            return False
    if isinstance(value, dict):
        return any(contains_choice(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_choice(v) for v in value)
    return False


def tables_holding_a_choice() -> set[str]:
    rows = snapshot()
    return {name for name, table_rows in rows.items() if any(contains_choice(value) for row in table_rows
                                                              for value in row)}


@pytest.fixture
def keys():
    """Lets a test seal with other keys; the test key is back in force afterwards."""
    yield ballot_box.use_keys
    ballot_box.use_keys(ballot_box.parse_keys(BALLOT_KEY))


# -- What is stored, on any database --------------------------------------------------------------

def test_no_table_holds_a_choice_and_the_counts_appear_only_at_the_close(app, api, nominate, walk, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every SQL statement, with its parameters
    votes = ["no", "yes", "yes", "yes", "yes"]
    nid = nominate()
    walk(nid, "vote")
    for member, vote in zip(COUNCIL[:4], votes):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    with app.app_context():
        assert tables_holding_a_choice() == set()
        assert db.session.get(TallyRecord, nid) is None
        box = db.session.execute(select(SealedBallot).where(SealedBallot.nomination_id == nid)).scalars().all()
        assert len(box) == 4 and len({b.id for b in box}) == 4
        assert all(re.fullmatch(r"[0-9a-f]{32}", b.id) for b in box)
        # Every sealed ballot is as long as any other: the length does not tell "yes" from "no".
        assert {len(b.sealed) for b in box} == {ballot_box.SEALED_BYTES}
        assert counts_in_box(nid) == {"yes": 3, "no": 1}  # what only the key opens
    api.as_(COUNCIL[4]).complete(nid, "vote", {"vote": votes[4]})
    with app.app_context():
        assert tables_holding_a_choice() == set()
        assert db.session.execute(select(SealedBallot)).scalars().all() == []  # the close emptied the box
        record = db.session.get(TallyRecord, nid)
        assert (record.yes, record.no, record.passed) == (4, 1, True)
        # A sealed ballot has no column that could point at a person or a moment.
        assert {c.name for c in inspect(SealedBallot).columns} == {"id", "nomination_id", "sealed"}
    logged = []
    for record in caplog.records:
        logged.append(record.getMessage())
        logged.append(repr(record.args))
    logged = "\n".join(logged)
    assert "'vote': 'no'" not in logged and '"vote": "no"' not in logged
    # SQL logged with its parameters names no choice either: only ciphertext reaches the database.
    assert "INSERT INTO sealed_ballot" in logged
    assert not re.search(r"'(yes|no)'(?!\s*:)", logged) and not JSON_CHOICE.search(logged.encode())


def test_workflow_keeps_only_that_each_member_voted(app, api, nominate, walk):
    nid = cast_votes(api, nominate, walk, ["yes", "no", "yes", "no", "yes"])
    with app.app_context():
        state = db.session.query(ProcessInstance).one().state
        data = json.loads(state)
    assert not contains_choice(data)
    assert '"voted":true' in state.replace(" ", "")
    trail = api.as_("aud").get(f"/nominations/{nid}/audit").get_json()
    cast = [e for e in trail if e["action"] == "ballot_cast"]
    assert sorted(e["actor"] for e in cast) == sorted(COUNCIL) and all(e["details"] == {} for e in cast)


def test_members_see_their_own_ballot_task_only(app, api, nominate, walk):
    nid = nominate()
    walk(nid, "vote")
    mine = api.as_("m2").get("/tasks").get_json()
    assert [t["assignee"] for t in mine if t["nomination_id"] == nid] == ["m2"]
    other = api.as_("m3").task(nid, "vote")
    assert api.as_("m2").post(f"/tasks/{other}/complete", json={"vote": "no"}).status_code == 403
    detail = api.as_("m2").get(f"/tasks/{other}")
    assert detail.status_code == 403


def test_a_sealed_ballot_opens_only_with_the_key_where_it_was_cast(app, keys):
    with app.app_context():
        yes, again, no = (ballot_box.sealed_row(7, c) for c in ("yes", "yes", "no"))
        assert ballot_box.opened(7, yes["id"], yes["sealed"]) == "yes"
        assert ballot_box.opened(7, no["id"], no["sealed"]) == "no"
        # The same choice twice seals to unrelated bytes; either choice to the same length.
        assert yes["sealed"] != again["sealed"] and yes["id"] != again["id"]
        assert len(yes["sealed"]) == len(no["sealed"]) == ballot_box.SEALED_BYTES
        # Copied to another nomination or under another id, or altered, it no longer opens.
        for nomination_id, ballot_id, sealed in ((8, yes["id"], yes["sealed"]), (7, again["id"], yes["sealed"]),
                                                 (7, yes["id"], yes["sealed"][:-1] + b"\0")):
            with pytest.raises(Conflict) as refused:
                ballot_box.opened(nomination_id, ballot_id, sealed)
            assert refused.value.code == "ballot.unreadable"
        # A replaced key: the new one seals, the old one still opens what it sealed, until removed.
        old, new = ballot_box.parse_keys(BALLOT_KEY)[0], os.urandom(32)
        keys([new, old])
        sealed_new = ballot_box.sealed_row(7, "no")
        assert ballot_box.opened(7, yes["id"], yes["sealed"]) == "yes"
        keys([new])
        assert ballot_box.opened(7, sealed_new["id"], sealed_new["sealed"]) == "no"
        with pytest.raises(Conflict):
            ballot_box.opened(7, yes["id"], yes["sealed"])


def test_a_box_tampered_with_is_not_counted(app, api, nominate, walk):
    nid = cast_votes(api, nominate, walk, ["no", "no", "yes", "yes"])
    with app.app_context():
        first = db.session.execute(select(SealedBallot).where(SealedBallot.nomination_id == nid)).scalars().first()
        db.session.delete(first)  # an insider drops a ballot they cannot read
        db.session.commit()
    last = api.as_(COUNCIL[4]).task(nid, "vote")
    refused = api.as_(COUNCIL[4]).post(f"/tasks/{last}/complete", json={"vote": "yes"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "ballot.count_mismatch"
    with app.app_context():
        assert ballot_box.sealed_count(nid) == 3 and db.session.get(TallyRecord, nid) is None
        # A copy of another ballot put in its place does not open: it was sealed for another row.
        other = db.session.execute(select(SealedBallot).where(SealedBallot.nomination_id == nid)).scalars().first()
        db.session.add(SealedBallot(id=first.id, nomination_id=nid, sealed=other.sealed))
        db.session.commit()
    refused = api.as_(COUNCIL[4]).post(f"/tasks/{last}/complete", json={"vote": "yes"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "ballot.unreadable"
    with app.app_context():
        assert ballot_box.sealed_count(nid) == 4 and db.session.get(TallyRecord, nid) is None


def test_the_ballot_key_is_made_once_readable_by_its_owner_only(tmp_path):
    made = config.ballot_keys(None, str(tmp_path))
    path = tmp_path / config.BALLOT_KEY_FILE
    assert len(made) == 1 and len(made[0]) == ballot_box.KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.ballot_keys(None, str(tmp_path)) == made
    assert sorted(p.name for p in tmp_path.iterdir()) == [config.BALLOT_KEY_FILE]
    # BALLOT_KEY wins over the file; several keys, the first one sealing.
    first, second = ballot_box.new_key_text(), ballot_box.new_key_text()
    assert config.ballot_keys(f"{first}, {second}", str(tmp_path)) == ballot_box.parse_keys(f"{first},{second}")
    for bad in ("not base64!", ballot_box.new_key_text()[:20], ","):
        with pytest.raises(SystemExit):
            config.ballot_keys(bad, str(tmp_path))


def test_a_vote_open_at_the_upgrade_counts_its_earlier_ballots(app, api, nominate, walk):
    """The old tally rows of an open vote become sealed ballots; a closed vote's rows are dropped."""
    folder = app.extensions["migrate"].directory
    closed = cast_votes(api, nominate, walk, ["yes", "no", "yes", "yes", "yes"], name="Trần Thị Bình")
    running = cast_votes(api, nominate, walk, ["yes", "no", "yes"])
    with app.app_context():
        before = _revision_before(folder)
        try:
            stamp(directory=folder, revision="head")
            downgrade(directory=folder, revision=before)
            old = db.session.execute(text("SELECT nomination_id, choice, count FROM ballot")).all()
            assert sorted(map(tuple, old)) == sorted([(closed, "no", 1), (closed, "yes", 4),
                                                      (running, "no", 1), (running, "yes", 2)])
            db.session.rollback()
            upgrade(directory=folder)
            assert "ballot" not in inspect(db.engine).get_table_names()
            assert counts_in_box(running) == {"yes": 2, "no": 1} and ballot_box.sealed_count(closed) == 0
            db.session.commit()
        finally:
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
    for member, vote in zip(COUNCIL[3:], ["yes", "no"]):
        api.as_(member).complete(running, "vote", {"vote": vote})
    with app.app_context():
        record = db.session.get(TallyRecord, running)
        assert (record.yes, record.no) == (3, 2) and ballot_box.sealed_count(running) == 0


def _revision_before(folder: str) -> str:
    return ScriptDirectory(folder).get_revision("0008_sealed_ballots").down_revision


# -- PostgreSQL: system columns and old row versions ------------------------------------------------

def _every_table() -> list[str]:
    return sorted(db.metadata.tables)


def _xmin_of(event_action: str, nomination_id: int) -> dict[str, int]:
    rows = db.session.execute(text(
        "SELECT actor, xmin::text::bigint FROM audit_event WHERE action = :action AND nomination_id = :n"),
        {"action": event_action, "n": nomination_id}).all()
    return {actor: xid for actor, xid in rows}


def _row_versions(table: str) -> list[dict]:
    """Every row version in the table's pages, live and dead, as pageinspect reads them."""
    pages = db.session.execute(text("SELECT pg_relation_size(:t) / current_setting('block_size')::int"),
                               {"t": table}).scalar_one()
    versions = []
    for block in range(pages):
        versions += [dict(row._mapping) for row in db.session.execute(text(
            "SELECT lp, lp_flags, t_xmin::text::bigint AS xmin, t_xmax::text::bigint AS xmax, t_data "
            "FROM heap_page_items(get_raw_page(:t, :b))"), {"t": table, "b": block})]
    return versions


def _raw_pages(table: str) -> bytes:
    pages = db.session.execute(text("SELECT pg_relation_size(:t) / current_setting('block_size')::int"),
                               {"t": table}).scalar_one()
    return b"".join(db.session.execute(text("SELECT get_raw_page(:t, :b)"), {"t": table, "b": b}).scalar_one()
                    for b in range(pages))


@pytest.fixture
def pageinspect(app):
    with app.app_context():
        db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        db.session.commit()


@postgres_only
def test_xmin_ties_a_voter_to_a_ciphertext_at_most(app, api, nominate, walk):
    votes = dict(zip(COUNCIL[:4], ["yes", "no", "no", "yes"]))
    nid = nominate()
    walk(nid, "vote")
    for member, vote in votes.items():
        api.as_(member).complete(nid, "vote", {"vote": vote})
    with app.app_context():
        voters = _xmin_of("ballot_cast", nid)
        assert sorted(voters) == sorted(votes) and len(set(voters.values())) == 4
        written = {member: {} for member in voters}  # what each voter's transaction left, table by table
        for table in _every_table():
            for row in db.session.execute(text(f'SELECT xmin::text::bigint AS xid, * FROM "{table}"')).mappings():
                member = next((m for m, xid in voters.items() if xid == row["xid"]), None)
                if member is not None:
                    written[member].setdefault(table, []).append(row)
                    assert not any(contains_choice(v) for k, v in row.items() if k != "xid"), (table, member)
        # The process instance and the trail's head are one row each, rewritten by every
        # completion: whoever voted last holds them now. Every other row a vote wrote, it inserted.
        shapes = {member: sorted((table, len(rows)) for table, rows in tables.items()
                                 if table not in ("process_instance", "audit_head"))
                  for member, tables in written.items()}
        # Whichever way they voted, every member's transaction wrote the same rows ...
        assert len({tuple(shape) for shape in shapes.values()}) == 1
        # ... among them exactly one sealed ballot, as long as anyone else's, and no tally.
        assert all(len(tables["sealed_ballot"]) == 1 for tables in written.values())
        assert {len(tables["sealed_ballot"][0]["sealed"]) for tables in written.values()} == \
            {ballot_box.SEALED_BYTES}
        assert all("tally_record" not in tables for tables in written.values())
        # The link xmin makes is to a ciphertext: with the key (as the tests hold it), it is the vote.
        for member, tables in written.items():
            ballot = tables["sealed_ballot"][0]
            assert ballot_box.opened(nid, ballot["id"], ballot["sealed"]) == votes[member]


@postgres_only
def test_old_row_versions_hold_no_choice_and_the_box_is_swept_at_the_close(app, api, nominate, walk, pageinspect):
    votes = ["yes", "no", "no", "yes", "yes"]
    nid = nominate()
    walk(nid, "vote")
    for member, vote in zip(COUNCIL[:4], votes):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    with app.app_context():
        cast = _xmin_of("ballot_cast", nid)
        for table in _every_table():
            for version in _row_versions(table):
                assert not STORED_CHOICE.search(bytes(version["t_data"] or b"")), (table, version["lp"])
        box = _row_versions("sealed_ballot")
        # Casting only inserts: one version per ballot, none updated or deleted, each by its voter.
        assert len(box) == 4 and all(v["xmax"] == 0 for v in box)
        assert sorted(v["xmin"] for v in box) == sorted(cast.values())
        assert _row_versions("tally_record") == []  # no count exists, not even an old one
        sealed = [bytes(s) for s in db.session.execute(select(SealedBallot.sealed)).scalars()]
        db.session.rollback()
    api.as_(COUNCIL[4]).complete(nid, "vote", {"vote": votes[4]})
    with app.app_context():
        closing = _xmin_of("tally", nid)["system"]
        assert _xmin_of("ballot_cast", nid)["chair"] == closing  # the last ballot closed the vote
        tally = _row_versions("tally_record")
        assert [(v["xmin"], v["xmax"]) for v in tally] == [(closing, 0)]  # written once, at the close
        # Swept after the close: no version of a sealed ballot is left, nor its bytes in the table.
        assert [v for v in _row_versions("sealed_ballot") if v["t_data"] is not None] == []
        pages = _raw_pages("sealed_ballot")
        assert not any(ciphertext in pages for ciphertext in sealed)
        db.session.rollback()


# -- SQLite: the database's own files ---------------------------------------------------------------

@sqlite_only
def test_the_database_files_keep_no_choice_nor_any_ballot_after_the_close(app, api, nominate, walk, tmp_path):
    files = [tmp_path / "test.sqlite", tmp_path / "test.sqlite-wal"]

    def file_bytes() -> bytes:
        return b"".join(f.read_bytes() for f in files if f.exists())

    votes = ["no", "yes", "no", "yes", "yes"]
    nid = nominate()
    walk(nid, "vote")
    for member, vote in zip(COUNCIL[:4], votes):
        api.as_(member).complete(nid, "vote", {"vote": vote})
    with app.app_context():
        sealed = [bytes(s) for s in db.session.execute(select(SealedBallot.sealed)).scalars()]
        # Set by the app on every connection, whatever its SQLite build does by default.
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
        db.session.rollback()
    assert len(sealed) == 4
    during = file_bytes()
    assert all(ciphertext in during for ciphertext in sealed)  # the search does find what is there
    assert not JSON_CHOICE.search(during)
    api.as_(COUNCIL[4]).complete(nid, "vote", {"vote": votes[4]})
    with app.app_context():
        assert db.session.get(TallyRecord, nid).yes == 3
        db.session.rollback()
    after = file_bytes()
    assert not any(ciphertext in after for ciphertext in sealed)
    assert not JSON_CHOICE.search(after)


def test_the_close_is_swept_only_once_it_has_committed(app, api, nominate, walk, monkeypatch):
    swept = []
    monkeypatch.setattr(ballot_box, "sweep", lambda engine: swept.append(engine))
    nid = cast_votes(api, nominate, walk, ["yes", "yes", "yes", "yes"])
    assert swept == []  # casting never sweeps
    with app.app_context():
        ballot_box.count_and_clear(nid)
        db.session.rollback()
        assert swept == [] and ballot_box.sealed_count(nid) == 4
    api.as_(COUNCIL[4]).complete(nid, "vote", {"vote": "no"})
    assert len(swept) == 1
    with app.app_context():
        assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "tally")).scalars().one()


def test_a_sweep_that_fails_is_logged_and_the_counts_stand(tmp_path, caplog):
    unreachable = create_engine(f"sqlite:///{tmp_path / 'no such folder' / 'x.sqlite'}")
    ballot_box.sweep(unreachable)  # no exception: the close has already committed
    assert [r.getMessage() for r in caplog.records if r.name == "workflows.services.ballot_box"] == \
        ["ballot_box.sweep_failed: OperationalError"]
    unreachable.dispose()
