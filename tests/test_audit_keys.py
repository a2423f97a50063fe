"""The audit chain keyed outside the database, and anchored outside it by checkpoints and signed papers.

An attacker who can write the database but not read the key edits an event and re-hashes
every later one with plain SHA-256: ``audit verify`` must catch it. An insider with the key
rewrites or shortens the chain after a checkpoint: the checkpoint must catch it.
"""

import hashlib
import json
import os
import re
import stat

from sqlalchemy import func, select, text

from tests.decision_helpers import pdf_text, seat_the_chair, sign, to_signing
from workflows.db import db
from workflows.models import AuditEvent, AuditHead, Decision, OutboxMessage, User
from workflows.models.audit import GENESIS
from workflows.services import audit, audit_keys
from workflows.usecases import checkpoints


def lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def plain_hash(event: AuditEvent) -> str:
    """What an attacker without the key can compute: the sha256 of the same message."""
    return hashlib.sha256(audit._message(event)).hexdigest()


def rehash_from(seq: int, hasher) -> None:
    """Recompute every hash from ``seq`` on with ``hasher`` and move the head, as a careful forger would."""
    events = list(db.session.execute(select(AuditEvent).where(AuditEvent.seq >= seq).order_by(AuditEvent.seq))
                  .scalars())
    previous = db.session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq - 1)).scalar() or GENESIS
    for event in events:
        event.prev_hash = previous
        event.hash = hasher(event)
        previous = event.hash
    head = db.session.get(AuditHead, 1)
    head.seq, head.hash = events[-1].seq, previous
    db.session.commit()


def test_the_key_lives_in_a_private_file_and_never_in_the_database(app, nominate, walk):
    walk(nominate(), "check_dossier")
    key_file = app.config["AUDIT_KEY_FILE"]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    [secret] = audit_keys.parse(open(key_file, encoding="utf-8").read())
    with app.app_context():
        ids = set(db.session.execute(select(AuditEvent.key_id)).scalars())
        assert ids == {audit_keys.key_id(secret)}
        dumped = " ".join(str(row) for table in db.metadata.sorted_tables
                          for row in db.session.execute(table.select()).all())
    assert secret.decode() not in dumped
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_a_rehash_without_the_key_is_caught(app, nominate, walk):
    walk(nominate(), "appraise")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        last = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        target = last // 2
        db.session.execute(text("UPDATE audit_event SET details = :forged WHERE seq = :seq"),
                           {"forged": json.dumps({"comment": "forged"}), "seq": target})
        db.session.commit()
        rehash_from(target, plain_hash)
        # The chain is consistent by plain sha256 from the edit to the head, as the attacker intended.
        assert db.session.get(AuditHead, 1).seq == last
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert re.search(rf"\bevent {target}\b", result.output) and "does not match" in result.output


def test_downgrading_keyed_events_to_plain_hashes_is_caught(app, nominate, walk):
    walk(nominate(), "appraise")
    with app.app_context():
        last = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        target = last - 2
        db.session.execute(text("UPDATE audit_event SET key_id = NULL WHERE seq >= :seq"), {"seq": target})
        db.session.commit()
        rehash_from(target, plain_hash)
        found = audit.verify()
    assert (found.ok, found.first_bad_seq, found.problem) == (False, target, "unkeyed")


def test_events_from_before_keying_still_verify_the_old_way(app, nominate, walk):
    walk(nominate(), "check_dossier")
    with app.app_context():
        # As the migration leaves them: no key id, their hashes plain sha256 of the same content.
        legacy = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        db.session.execute(text("UPDATE audit_event SET key_id = NULL"))
        db.session.commit()
        rehash_from(1, plain_hash)
    with app.app_context():  # events after the upgrade are keyed
        audit.record("audit_verified", details={"after_upgrade": True})
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert lines(result) == [f"Audit chain intact: {legacy + 1} event(s).",
                             f"{legacy} of them, written before the chain was keyed, were checked by their plain "
                             "SHA-256."]
    with app.app_context():
        # An edit among the old events is still caught by their plain hashes.
        db.session.execute(text("UPDATE audit_event SET actor = 'someone' WHERE seq = 2"))
        db.session.commit()
        assert (audit.verify().first_bad_seq, audit.verify().problem) == (2, "content")


def test_a_rotated_key_seals_new_events_and_the_old_one_still_verifies(app, nominate, walk):
    nid = nominate()
    runner = app.test_cli_runner()
    with app.app_context():
        first = audit.keyring().current
    result = runner.invoke(args=["audit", "rotate-key"])
    assert result.exit_code == 0, result.output
    walk(nid, "check_dossier")
    with app.app_context():
        second = audit.keyring().current
        assert second != first
        used = db.session.execute(select(AuditEvent.action, AuditEvent.key_id).order_by(AuditEvent.seq)).all()
        assert {key for _, key in used} == {first, second}
        assert next(key for action, key in used if action == "audit_key_rotated") == second
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # Without the old key, its events cannot be verified: keep every key.
    key_file = app.config["AUDIT_KEY_FILE"]
    kept = [line for line in open(key_file, encoding="utf-8") if not line.startswith("#")][1:]
    with open(key_file, "w", encoding="utf-8") as out:
        out.writelines(kept)
    app.extensions["laurel.audit_keyring"] = None
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "a key this installation does not have" in result.output


def test_rotation_is_refused_when_the_keys_come_from_the_environment(app):
    app.config["AUDIT_KEY"] = "x" * 40
    app.extensions["laurel.audit_keyring"] = None
    result = app.test_cli_runner().invoke(args=["audit", "rotate-key"])
    assert result.exit_code == 1 and "AUDIT_KEY" in result.output
    with app.app_context():
        assert audit.keyring().current == audit_keys.key_id(b"x" * 40)


def test_a_checkpoint_is_written_recorded_and_mailed_to_each_auditor_in_their_language(app, nominate, tmp_path):
    nominate()
    with app.app_context():
        vietnamese = User(username="aud_vi", full_name="Trần Kiểm Toán", email="aud_vi@example.org", locale="vi",
                          password_hash="x")
        db.session.add(vietnamese)
        db.session.flush()
        from workflows.models import UserRole
        db.session.add(UserRole(user_id=vietnamese.id, role="auditor"))
        db.session.commit()
    output = tmp_path / "checkpoint.json"
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint", "--output", str(output)])
    assert result.exit_code == 0, result.output
    written = json.loads(output.read_text(encoding="utf-8"))
    with app.app_context():
        newest = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert newest.action == "audit_checkpoint"
        assert (written["seq"], written["hash"], written["key_id"]) == (newest.seq, newest.hash, newest.key_id)
        from webapp import mail
        messages = {m.to_address: m for m in db.session.execute(select(OutboxMessage)
                                                                .where(OutboxMessage.template == "audit_checkpoint"))
                    .scalars()}
        assert set(messages) == {"aud@example.org", "aud_vi@example.org"}
        english = mail.render(messages["aud@example.org"])
        viet = mail.render(messages["aud_vi@example.org"])
    assert english[0] == f"Audit checkpoint: event {newest.seq}" and newest.hash in english[1]
    assert viet[0] != english[0] and newest.hash in viet[1] and "Kính gửi" in viet[1]
    assert f"event {newest.seq}" in result.output


def test_a_checkpoint_catches_a_rewrite_by_someone_holding_the_key(app, nominate, walk, tmp_path):
    walk(nominate(), "check_dossier")
    runner = app.test_cli_runner()
    output = tmp_path / "checkpoint.json"
    assert runner.invoke(args=["audit", "checkpoint", "--output", str(output)]).exit_code == 0
    assert runner.invoke(args=["audit", "verify", "--checkpoint", str(output)]).exit_code == 0
    with app.app_context():
        ring = audit.keyring()
        db.session.execute(text("UPDATE audit_event SET details = :forged WHERE seq = 3"),
                           {"forged": json.dumps({"comment": "rewritten"})})
        db.session.commit()
        rehash_from(3, lambda event: audit.event_hash(event, ring))
    # With the key, the rewrite verifies on its own...
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # ...but not against what was written down before it.
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(output)])
    assert result.exit_code == 1
    assert "not the one written down" in result.output


def test_a_checkpoint_catches_a_truncation_by_someone_holding_the_key(app, nominate, walk, tmp_path):
    walk(nominate(), "check_dossier")
    runner = app.test_cli_runner()
    output = tmp_path / "checkpoint.json"
    assert runner.invoke(args=["audit", "checkpoint", "--output", str(output)]).exit_code == 0
    with app.app_context():
        keep = 4
        db.session.execute(text("DELETE FROM audit_event WHERE seq > :keep"), {"keep": keep})
        kept = db.session.execute(select(AuditEvent.hash).where(AuditEvent.seq == keep)).scalar_one()
        db.session.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash"), {"seq": keep, "hash": kept})
        db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(output)])
    assert result.exit_code == 1 and "events were removed" in result.output


def test_an_edited_or_foreign_checkpoint_file_is_refused(app, nominate, tmp_path):
    nominate()
    runner = app.test_cli_runner()
    output = tmp_path / "checkpoint.json"
    assert runner.invoke(args=["audit", "checkpoint", "--output", str(output)]).exit_code == 0
    written = json.loads(output.read_text(encoding="utf-8"))
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**written, "at": "2001-01-01T00:00:00Z"}), encoding="utf-8")
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(edited)])
    assert result.exit_code == 1 and "checkpoint file itself was changed" in result.output
    garbage = tmp_path / "garbage.json"
    garbage.write_text("[1, 2", encoding="utf-8")
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(garbage)])
    assert result.exit_code == 1 and "not an audit checkpoint file" in result.output
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(tmp_path / "absent.json")])
    assert result.exit_code == 1 and "Cannot read" in result.output


def test_a_checkpoint_of_a_broken_chain_is_refused(app, nominate, tmp_path):
    nominate()
    with app.app_context():
        db.session.execute(text("UPDATE audit_event SET actor = 'x' WHERE seq = 1"))
        db.session.commit()
    output = tmp_path / "checkpoint.json"
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint", "--output", str(output)])
    assert result.exit_code == 1 and "broken at event 1" in result.output
    assert not output.exists()


def test_checkpoint_words_come_in_vietnamese(app, nominate, tmp_path, monkeypatch):
    nominate()
    monkeypatch.setenv("LAUREL_LANG", "vi")
    output = tmp_path / "checkpoint.json"
    result = app.test_cli_runner().invoke(args=["audit", "checkpoint", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Checkpoint written" not in result.output and str(output) in result.output
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--checkpoint", str(output)])
    assert result.exit_code == 0 and "Audit chain intact" not in result.output


def test_the_signed_decision_carries_the_chain_head_of_its_signing(app, api, nominate, walk):
    seat_the_chair(app)
    nid = to_signing(api, nominate, walk)
    sign(api, nid)
    with app.app_context():
        decision = db.session.execute(select(Decision).where(Decision.nomination_id == nid)).scalar_one()
        # The chair's completion of the signing task is the event the paper pins.
        signed = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "task_completed", AuditEvent.task_key == "sign_decision",
            AuditEvent.nomination_id == nid)).scalar_one()
        assert (decision.audit_seq, decision.audit_hash) == (signed.seq, signed.hash)
        assert audit.holds(audit.Head(signed.seq, signed.hash, signed.key_id))
    printed = pdf_text(api.as_("clerk_a").get(f"/nominations/{nid}/decision.pdf").data)
    assert f"sự kiện số {signed.seq}" in printed
    assert signed.hash in printed.replace(" ", "")


def test_checkpoint_module_reads_back_what_it_writes(app, nominate):
    nominate()
    with app.app_context():
        taken = checkpoints.take()
        again = checkpoints.read(taken.checkpoint.text())
        assert again == taken.checkpoint
        assert checkpoints.check(again).ok


def test_events_written_before_the_migration_verify_after_it(empty_app):
    from datetime import datetime

    from flask_migrate import upgrade

    folder = empty_app.extensions["migrate"].directory
    with empty_app.app_context():
        upgrade(directory=folder, revision="0004_web")
        previous = GENESIS
        for seq in (1, 2, 3):  # as the code before keying wrote them: plain sha256, no key id column
            event = AuditEvent(seq=seq, at=datetime(2026, 1, seq, 8, 0), actor_id=None, actor="system",
                               nomination_id=None, action="demo_seeded", task_key=None, task_id=None,
                               details={"n": seq}, prev_hash=previous)
            digest = plain_hash(event)
            db.session.execute(text(
                "INSERT INTO audit_event (seq, at, actor, action, details, prev_hash, hash) "
                "VALUES (:seq, :at, 'system', 'demo_seeded', :details, :prev, :hash)"),
                {"seq": seq, "at": event.at, "details": json.dumps({"n": seq}), "prev": previous, "hash": digest})
            previous = digest
        db.session.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 3, :hash)"), {"hash": previous})
        db.session.commit()
        upgrade(directory=folder)
        assert db.session.execute(select(AuditEvent.key_id)).scalars().all() == [None, None, None]
        audit.record("audit_verified", details={"after_upgrade": True})
        db.session.commit()
        found = audit.verify()
        assert (found.ok, found.checked, found.unkeyed) == (True, 4, 3)
        assert db.session.execute(select(AuditEvent.key_id).where(AuditEvent.seq == 4)).scalar_one() \
            == audit.keyring().current


def test_workers_starting_together_share_one_key_file(tmp_path, monkeypatch):
    path = str(tmp_path / "instance" / "audit.key")
    first = audit_keys.from_environment_or_file(None, path)
    # A second worker that looked before the first had linked its file in, then tries to create it too.
    monkeypatch.setattr(audit_keys.os.path, "exists", lambda _: False)
    second = audit_keys.from_environment_or_file(None, path)
    assert first.current == second.current and len(second.keys) == 1
    assert sorted(os.listdir(tmp_path / "instance")) == ["audit.key"]  # no temporary file left behind
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_key_too_short_is_refused():
    import pytest

    with pytest.raises(ValueError):
        audit_keys.Keyring.of([b"short"], "environment")
