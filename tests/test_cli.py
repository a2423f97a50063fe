"""The command line: what each command stores, prints and exits with."""

import re
import shutil
import time
from datetime import timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text

from tests.conftest import BPMN_FOLDER, UNIT_A
from workflows.db import db, utcnow
from workflows.models import (
    AuditEvent,
    Authority,
    AwardType,
    CouncilRegulation,
    CouncilSeat,
    Decision,
    IndexedTask,
    Nomination,
    OutboxMessage,
    ProcessDefinition,
    ProcessInstance,
    RuleSet,
    Unit,
    User,
)
from workflows.models.people import ROLES
from workflows.services import instances
from workflows.usecases import accounts, timers

UNIT_CODES = ["BDNTW", "BDVTW", "BKTTW", "BNCTW", "BND", "BTCTW", "BTGTW", "DUKCCQTW", "DUKDNTW", "HVCTQG",
              "NXBCTQG", "TCCS", "UBKTTW", "VPTW"]
# The bloc's seven (made before the agencies had authorities), then the Party Central Office's own two.
DEMO_STATUSES = ["appraising", "appraising", "awarded", "checking", "endorsing", "preparing", "voting"]
AGENCY_STATUSES = ["awarded", "checking", "checking", "checking", "checking"]  # three on a list


def lines(result) -> list[str]:
    """What the command printed, without the migration tool's progress lines."""
    return [line for line in result.output.splitlines() if line.strip() and not line.startswith("INFO ")]


def refused(result) -> str:
    """The one-line reason of a command that refused its input; it must not have crashed."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in lines(result) if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    return errors[0]


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_init_db_builds_the_schema_through_migrations_and_loads_reference_data(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        "Database ready: 14 unit(s) and 12 award type(s) added; process deployed as a new version."]
    with empty_app.app_context():
        head = ScriptDirectory(empty_app.extensions["migrate"].directory).get_current_head()
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
        assert set(inspect(db.engine).get_table_names()) == set(db.metadata.tables) | {"alembic_version"}
        assert sorted(db.session.execute(select(Unit.code)).scalars()) == UNIT_CODES
        assert count(AwardType) == 12
        assert [r.code for r in db.session.execute(select(RuleSet).order_by(RuleSet.effective_from)).scalars()] == [
            "TDKT-2024", "TDKT-2025"]
        assert count(CouncilRegulation) == 1
        assert sorted((d.key, d.version) for d in db.session.execute(select(ProcessDefinition)).scalars()) == [
            ("nomination", 1), ("proposal", 1)]

    created = runner.invoke(args=["users", "create", "keeper", "--password", "long enough",
                                  "--role", "admin"])
    assert created.exit_code == 0, created.output

    again = runner.invoke(args=["init-db"])
    assert again.exit_code == 0, again.output
    assert lines(again) == ["Database ready: 0 unit(s) and 0 award type(s) added; process unchanged."]
    with empty_app.app_context():
        assert count(Unit) == 14 and count(AwardType) == 12
        assert [d.version for d in db.session.execute(select(ProcessDefinition)).scalars()] == [1, 1]
        keeper = accounts.find_user("keeper")
        assert keeper.roles == {"admin"} and keeper.unit is None  # a bloc-wide role needs no unit
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_seed_demo_adds_users_and_nominations_at_every_step_once(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        users = db.session.execute(select(User)).scalars().all()
        held = [role for user in users for role in user.roles]
        assert set(held) == set(ROLES)
        assert held.count("council_member") >= 5
        by_authority = {}
        for nomination in db.session.execute(select(Nomination)).scalars():
            by_authority.setdefault(nomination.authority.code, []).append(nomination.status)
        assert {code: sorted(statuses) for code, statuses in by_authority.items()} == {
            "KHOI": DEMO_STATUSES, "VPTW": AGENCY_STATUSES}
        numbers = sorted(db.session.execute(select(Decision.number)).scalars())
        assert numbers == ["1/QĐ-KTĐ", "1/QĐ-VPTW"]
        # Every nominee is in the registry, and the findings show what the rules flag.
        assert db.session.execute(select(Nomination).where(Nomination.person_id.is_(None))).first() is None
        fighter = db.session.execute(select(Nomination).join(AwardType).where(AwardType.code == "CSTDBO")).scalar_one()
        gap = next(f for f in fighter.findings if f["rule"] == "consecutive_awards")
        assert gap["met"] is False and gap["message"].endswith("found 2024, 2026")
        # The bloc's council of five (and the Party Central Office's head as a sixth), and five per agency.
        assert count(CouncilSeat) == 5 + 1 + 14 * 5
        assert count(Authority) == 1 + 14
        before = (count(User), count(Nomination), count(AuditEvent), count(IndexedTask))

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "nothing added" in again.output
    with empty_app.app_context():
        assert (count(User), count(Nomination), count(AuditEvent), count(IndexedTask)) == before
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_users_create_with_roles_and_unit(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "new_clerk", "--password", "long enough", "--unit", UNIT_A, "--role", "unit_clerk",
        "--role", "reviewer", "--full-name", "New Clerk", "--email", "nc@example.org"])
    assert result.exit_code == 0, result.output
    assert lines(result) == ["Created new_clerk (Reviewer, Unit emulation officer)."]
    with app.app_context():
        user = accounts.authenticate("new_clerk", "long enough")
        assert user is not None
        assert (user.unit.code, user.roles, user.full_name, user.email) == (
            UNIT_A, {"unit_clerk", "reviewer"}, "New Clerk", "nc@example.org")
        event = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert event.action == "user_created" and event.details["username"] == "new_clerk"


@pytest.mark.parametrize("username, options, reason", [
    ("new_clerk", ["--unit", "NOPE", "--role", "unit_clerk"], "NOPE"),
    ("new_head", ["--role", "unit_head"], "roles need a unit"),
    ("new_rev", ["--role", "reviewer", "--password", "short"], "at least 8 characters"),
    ("clerk_a", ["--unit", UNIT_A, "--role", "unit_clerk"], "already exists"),
    ("new_boss", ["--role", "boss"], "boss"),
], ids=["unknown-unit", "unit-role-without-unit", "short-password", "duplicate-username", "unknown-role"])
def test_users_create_refuses_bad_input_and_stores_nothing(app, unchanged, username, options, reason):
    if "--password" not in options:
        options = options + ["--password", "long enough"]
    with unchanged():
        result = app.test_cli_runner().invoke(args=["users", "create", username, *options])
    assert reason in refused(result)


def test_units_list_prints_the_fourteen_member_units(app):
    result = app.test_cli_runner().invoke(args=["units", "list"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in lines(result)]
    assert [row[0] for row in rows] == UNIT_CODES
    assert all(len(row) == 2 and row[1] for row in rows)


def edited_copy(folder, old: str, new: str):
    """A copy of the process folder with ``old`` replaced once in the diagram; returns (folder, new text)."""
    shutil.copytree(BPMN_FOLDER, folder)
    diagram = folder / "nomination.bpmn"
    source = diagram.read_text(encoding="utf-8")
    assert old in source, old
    source = source.replace(old, new, 1)
    diagram.write_text(source, encoding="utf-8")
    return folder, source


@pytest.fixture
def broken_copy(tmp_path):
    """A copy whose tally script does not compile; returns (folder, line of the script)."""
    folder, source = edited_copy(tmp_path / "bpmn", "tally_result = count_votes(", "tally_result = count_votes((")
    return folder, source[:source.index("count_votes((")].count("\n") + 1


def test_bpmn_validate_accepts_the_shipped_diagrams(app):
    result = app.test_cli_runner().invoke(args=["bpmn", "validate"])
    assert result.exit_code == 0, result.output
    assert lines(result) == ["3 file(s) valid."]


def test_bpmn_validate_names_file_line_and_element_of_a_broken_script(app, broken_copy):
    folder, line = broken_copy
    result = app.test_cli_runner().invoke(args=["bpmn", "validate", str(folder / "nomination.bpmn")])
    assert result.exit_code == 1
    [problem] = lines(result)
    assert problem.startswith(f"nomination.bpmn:{line}: tally (Count the ballots): script, line 1: ")


def test_bpmn_validate_refuses_a_missing_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["bpmn", "validate", str(tmp_path / "absent.bpmn")])
    assert "absent.bpmn" in refused(result)


def test_bpmn_deploy_refuses_broken_diagrams_and_keeps_the_version(app, broken_copy):
    app.config["BPMN_FOLDER"] = str(broken_copy[0])
    result = app.test_cli_runner().invoke(args=["bpmn", "deploy"])
    assert "bpmn validate" in refused(result)
    with app.app_context():
        assert [d.version for d in db.session.execute(select(ProcessDefinition)).scalars()] == [1, 1]


@pytest.mark.parametrize("statement, which, reason", [
    ("UPDATE audit_event SET details = '{\"comment\": \"forged\"}' WHERE seq = :seq", "middle",
     "does not match"),
    ("DELETE FROM audit_event WHERE seq = :seq", "last", "removed"),
], ids=["edited-details", "deleted-last-event"])
def test_audit_verify_passes_then_names_the_tampered_event(app, nominate, walk, statement, which, reason):
    walk(nominate(), "appraise")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Audit chain intact: \d+ event\(s\)\.", lines(result)[0])
    with app.app_context():
        last = db.session.execute(select(func.max(AuditEvent.seq))).scalar_one()
        seq = last // 2 if which == "middle" else last
        db.session.execute(text(statement), {"seq": seq})
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert re.search(rf"\bevent {seq}\b", result.output) and reason in result.output


def trail_actions(nomination_id: int) -> list[str]:
    return list(db.session.execute(select(AuditEvent.action).where(AuditEvent.nomination_id == nomination_id)
                                   .order_by(AuditEvent.seq)).scalars())


def timer_of(nomination_id: int):
    return db.session.execute(select(ProcessInstance.next_timer_at).join(
        Nomination, Nomination.instance_id == ProcessInstance.id)
        .where(Nomination.id == nomination_id)).scalar_one()


def test_tick_fires_nothing_before_the_engine_sees_a_timer_due(app, nominate, walk):
    nid = nominate()
    walk(nid, "check_dossier")
    with app.app_context():
        due = timer_of(nid)
        assert timedelta(days=9, hours=23) < due - utcnow() <= timedelta(days=10)
    result = app.test_cli_runner().invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert lines(result)[0] == "0 instance(s) had due timers."
    with app.app_context():
        # ``now`` only chooses which instances to load; the engine compares the timer with the
        # real clock, for which ten days have not passed, so no reminder goes out.
        assert timers.fire_due(now=utcnow() + timedelta(days=11)) == 0
        assert "reminder_sent" not in trail_actions(nid) and "timer_fired" not in trail_actions(nid)
        assert timer_of(nid) == due
        assert db.session.get(Nomination, nid).status == "checking"


def test_tick_sends_the_overdue_reminder_once_its_timer_is_due(app, api, nominate, walk, tmp_path):
    # The same process with a one-second check timer, so that it comes due on the real clock.
    folder, _ = edited_copy(tmp_path / "short_timer", '<bpmn:timeDuration>"P10D"</bpmn:timeDuration>',
                            '<bpmn:timeDuration>"PT1S"</bpmn:timeDuration>')
    with app.app_context():
        assert instances.deploy(folder)[0].version == 2
        db.session.commit()
    nid = nominate()
    walk(nid, "check_dossier")
    with app.app_context():
        due = timer_of(nid)
    assert due - utcnow() <= timedelta(seconds=1)
    while utcnow() <= due:
        time.sleep(0.1)

    runner = app.test_cli_runner()
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert lines(result)[0] == "1 instance(s) had due timers."
    with app.app_context():
        assert trail_actions(nid)[-2:] == ["reminder_sent", "timer_fired"]
        assert timer_of(nid) is None
        overdue = db.session.execute(select(OutboxMessage.to_address).where(
            OutboxMessage.template == "task_overdue")).scalars().all()
        assert overdue == ["sec@example.org"]
    assert lines(runner.invoke(args=["tick"]))[0] == "0 instance(s) had due timers."
    # The reminder does not interrupt the check: the secretariat can still complete it.
    api.as_("sec").complete(nid, "check_dossier", {"decision": "accept", "comment": "Complete"})
    assert api.as_("sec").get(f"/nominations/{nid}").get_json()["status"] == "appraising"


def test_the_command_line_speaks_the_operators_language(app, monkeypatch):
    monkeypatch.setenv("LAUREL_LANG", "vi")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "new_rev", "--password", "short", "--role", "reviewer"])
    assert result.exit_code == 1 and "Không thể tạo người dùng. Dùng ít nhất 8 ký tự." in result.output
    assert "VPTW\tVăn phòng Trung ương Đảng" in runner.invoke(args=["units", "list"]).output
    assert "Chuỗi nhật ký nguyên vẹn" in runner.invoke(args=["audit", "verify"]).output
    monkeypatch.setenv("LAUREL_LANG", "")
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "Chuỗi nhật ký nguyên vẹn" in runner.invoke(args=["audit", "verify"]).output
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "Audit chain intact" in runner.invoke(args=["audit", "verify"]).output
