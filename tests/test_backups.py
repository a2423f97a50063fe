"""Back up and restore everything, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

A backup taken while the service runs, a wipe (every table dropped, every upload deleted), a
restore: the audit chain and every document verify, and a nomination reads back identical.
"""

import json
import os
import shutil

import pytest
from sqlalchemy import inspect, select

from tests.conftest import PDF, PNG, drop_everything
from tests.decision_helpers import pdf_text, seat_the_chair, sign, to_signing
from tests.list_decision_helpers import set_up_agencies, signing_list
from tests.list_decision_helpers import sign as list_sign
from workflows.db import db
from workflows.models import AuditEvent, Decision, Document, Nomination
from workflows.services import audit


def lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def everything_about(api, nid) -> dict:
    """What the API says of a nomination: itself, its documents and their bytes, its trail, its decision PDF."""
    reader = api.as_("aud")
    documents = reader.get(f"/nominations/{nid}/documents").get_json()
    return {
        "nomination": reader.get(f"/nominations/{nid}").get_json(),
        "documents": documents,
        "bytes": [reader.get(f"/nominations/{nid}/documents/{d['id']}").data for d in documents],
        "trail": [event for event in reader.get("/audit?limit=500").get_json() if event["nomination_id"] == nid],
        # The PDF is made anew on each request (with its own creation time): its words must be the same.
        "decision": pdf_text(reader.get(f"/nominations/{nid}/decision.pdf").data),
    }


@pytest.fixture
def signed(app, api, nominate, walk):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk)
    assert api.as_("clerk_a").upload(nominate(name="Phạm Thị Lan"), "other", content=PNG,
                                     filename="ảnh.png").status_code == 201
    sign(api, nid)
    return nid


def wipe(app) -> None:
    with app.app_context():
        db.session.remove()
        drop_everything()
        assert inspect(db.engine).get_table_names() == []
    shutil.rmtree(app.config["UPLOAD_FOLDER"])


def test_backup_wipe_restore_gives_back_the_same_nomination(app, api, signed, tmp_path):
    before = everything_about(api, signed)
    runner = app.test_cli_runner()
    output = tmp_path / "backup"
    result = runner.invoke(args=["backup", "create", "--output", str(output)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    with app.app_context():
        # The backup holds the chain up to the event before its own record.
        made = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert made.action == "backup_created"
        assert manifest["audit_head"]["seq"] == made.seq - 1
        stored = {d.sha256 for d in db.session.execute(select(Document)).scalars()}
    assert {f["sha256"] for f in manifest["documents"]} == stored
    key = open(app.config["AUDIT_KEY_FILE"], encoding="utf-8").read().split("\n")[-2]
    assert all(key not in open(os.path.join(root, name), "rb").read().decode("latin-1")
               for root, _, names in os.walk(output) for name in names)  # the key never goes with a backup

    wipe(app)
    result = runner.invoke(args=["backup", "restore", str(output)])
    assert result.exit_code == 0, result.output
    assert lines(result)[0] == "Backup checked: every file matches its manifest."
    assert lines(result)[-1].startswith("Audit chain intact")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    assert runner.invoke(args=["documents", "verify"]).exit_code == 0
    after = everything_about(api, signed)
    assert after["nomination"] == before["nomination"] and after["documents"] == before["documents"]
    assert after["bytes"] == before["bytes"] and after["decision"] == before["decision"]
    assert after["trail"] == before["trail"]
    with app.app_context():
        # The chain goes on from the backup's head, and says first that it was restored.
        actions = list(db.session.execute(select(AuditEvent.action).where(
            AuditEvent.seq > manifest["audit_head"]["seq"]).order_by(AuditEvent.seq)).scalars())
        assert actions == ["backup_restored", "documents_verified", "documents_verified"]
        decision = db.session.execute(select(Decision).where(Decision.nomination_id == signed)).scalar_one()
        assert audit.holds(audit.Head(decision.audit_seq, decision.audit_hash,
                                      db.session.execute(select(AuditEvent.key_id).where(
                                          AuditEvent.seq == decision.audit_seq)).scalar_one()))
    # New rows get new ids after the restore (PostgreSQL's sequences follow the restored rows).
    nid = api.as_("clerk_a").post("/nominations", json={
        "award_type": "LDTT", "nominee": {"kind": "individual", "name": "Lê Văn Mới"}, "year": 2026}).get_json()["id"]
    assert nid > signed


def test_restore_refuses_a_database_that_holds_data_unless_forced(app, api, signed, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", "--output", str(output)]).exit_code == 0
    assert api.as_("clerk_a").upload(signed, "other", content=PDF + b"%late\n").status_code in (201, 409)
    with app.app_context():
        events = db.session.execute(select(AuditEvent.seq)).scalars().all()
    result = runner.invoke(args=["backup", "restore", str(output)])
    assert result.exit_code == 1 and "--force" in result.output
    with app.app_context():
        assert db.session.execute(select(AuditEvent.seq)).scalars().all() == events  # nothing touched
    result = runner.invoke(args=["backup", "restore", str(output), "--force"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_backup_goes_only_into_an_empty_folder(app, signed, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "something").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(occupied)])
    assert result.exit_code == 1 and "not an empty folder" in result.output


@pytest.mark.parametrize("spoil, says", [
    (lambda folder: (folder / "tables" / "audit_event.jsonl.gz").write_bytes(b"forged"), "is missing or changed"),
    (lambda folder: next((folder / "documents").rglob("*")).parent.joinpath("x").touch() or
     os.unlink(next(p for p in (folder / "documents").rglob("*") if p.is_file() and p.name != "x")),
     "is missing or changed"),
    (lambda folder: (folder / "manifest.json").write_text(
        (folder / "manifest.json").read_text().replace('"engine"', '"engine_"'), encoding="utf-8"),
     "was changed after the backup was made"),
    (lambda folder: (folder / "manifest.json").unlink(), "no readable backup manifest"),
], ids=["table-file-changed", "document-deleted", "manifest-edited", "manifest-gone"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(app, signed, tmp_path, spoil, says):
    runner = app.test_cli_runner()
    output = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", "--output", str(output)]).exit_code == 0
    spoil(output)
    wipe(app)
    result = runner.invoke(args=["backup", "restore", str(output)])
    assert result.exit_code == 1 and says in result.output, result.output
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []


def test_a_backup_sealed_with_another_key_is_refused(app, signed, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", "--output", str(output)]).exit_code == 0
    app.config["AUDIT_KEY"] = "another-installation-key-of-enough-length"
    app.extensions["laurel.audit_keyring"] = None
    result = runner.invoke(args=["backup", "restore", str(output), "--force"])
    assert result.exit_code == 1 and "AUDIT_KEY" in result.output


def test_a_damaged_document_is_left_out_and_named(app, api, signed, tmp_path):
    with app.app_context():
        document = db.session.execute(select(Document).order_by(Document.id)).scalars().first()
        path = os.path.join(app.config["UPLOAD_FOLDER"], document.storage_key)
        document_id = document.id
    os.unlink(path)
    output = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(output)])
    assert result.exit_code == 0
    assert f"Document {document_id} was not backed up: its stored file is missing." in result.output
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert [d["document_id"] for d in manifest["damaged_documents"]] == [document_id]


def test_a_list_decision_and_its_annex_come_back_from_a_backup(app, api, tmp_path):
    """A list decision names its awardees, who name it back: the keys that close that cycle are
    checked at the commit, so the restore loads the tables in either order."""
    set_up_agencies(app)
    list_id, ids = signing_list(app, nominees=3)
    signed = list_sign(api, list_id)
    assert signed.status_code == 200, signed.get_json()
    decision_id = signed.get_json()["decision"]["id"]
    before = api.as_("aud").get(f"/decisions/{decision_id}/annex").get_json()
    runner = app.test_cli_runner()
    output = tmp_path / "backup"
    assert runner.invoke(args=["backup", "create", "--output", str(output)]).exit_code == 0
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)  # nothing was uploaded: wipe it all the same
    wipe(app)
    result = runner.invoke(args=["backup", "restore", str(output)])
    assert result.exit_code == 0, result.output
    assert api.as_("aud").get(f"/decisions/{decision_id}/annex").get_json() == before
    with app.app_context():
        assert [n.list_decision_id for n in db.session.execute(
            select(Nomination).where(Nomination.id.in_(ids))).scalars()] == [decision_id] * 3
