"""Administration use cases against the database: rules, refusals, the audit trail, process versions."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import BPMN_FOLDER, FAST_HASH
from workflows.db import db
from workflows.engine import read_sources
from workflows.errors import InvalidData, NotAllowed, NotAuthenticated, NotFound
from workflows.models import ApiToken, AuditEvent, ProcessDefinition, SignInCounter
from workflows.models.people import ROLES
from workflows.services import audit, reference
from workflows.usecases import accounts, administration
from workflows.usecases.administration import DiagramProblems, Upload

DIAGRAM = (Path(BPMN_FOLDER) / "nomination.bpmn").read_bytes()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def who(username):
    return accounts.find_user(username)


def edit(username, actor="admin", **changes):
    """update_user with the user's current values, changed by ``changes``."""
    user = who(username)
    values = {"full_name": user.full_name, "email": user.email, "unit_code": user.unit.code if user.unit else None,
              "roles": sorted(user.roles), "active": user.active, **changes}
    return administration.update_user(who(actor), username, **values)


def refusal(call, *args, **kwargs) -> dict:
    """The refused fields, each as (code, particulars)."""
    with pytest.raises(InvalidData) as refused:
        call(*args, **kwargs)
    db.session.rollback()
    return {name: (reason.code, dict(reason.params)) for name, reason in refused.value.fields.items()}


def versions() -> list[int]:
    return list(db.session.execute(select(ProcessDefinition.version).where(ProcessDefinition.key == "nomination")
                                   .order_by(ProcessDefinition.version)).scalars())


@pytest.mark.parametrize("call", [
    lambda actor: administration.users(actor),
    lambda actor: administration.create_user(actor, username="x", password="long enough", roles=["auditor"]),
    lambda actor: administration.update_user(actor, "rev", full_name="R", email=None, unit_code=None,
                                             roles=["reviewer"], active=False),
    lambda actor: administration.reset_password(actor, "rev", "long enough"),
    lambda actor: administration.units(actor),
    lambda actor: administration.create_unit(actor, code="NEW", name="New"),
    lambda actor: administration.set_unit_active(actor, "VPTW", False),
    lambda actor: administration.award_types(actor),
    lambda actor: administration.update_award_type(actor, "LDTT", name="X", name_vi="", required_documents=[],
                                                   active=True),
    lambda actor: administration.process_versions(actor),
    lambda actor: administration.publish_process(actor, diagram=Upload("nomination.bpmn", DIAGRAM)),
])
@pytest.mark.parametrize("username", ["sec", "aud", "clerk_a"])
def test_only_an_administrator_may_administer(ctx, call, username):
    before = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    with pytest.raises(NotAllowed):
        call(who(username))
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == before


def test_a_deactivated_administrator_may_not_administer(ctx):
    accounts.create_user("admin2", "long enough", roles=["admin"], hash_method=FAST_HASH)
    db.session.commit()
    edit("admin2", active=False)
    with pytest.raises(NotAllowed):
        administration.users(who("admin2"))


def test_users_filter_by_unit_role_and_status(ctx):
    names = lambda **f: [u.username for u in administration.users(who("admin"), **f)]  # noqa: E731
    assert names(unit_code="VPTW") == ["clerk_a", "head_a"]
    assert names(role="council_chair") == ["chair"]
    assert names(active=False) == []
    edit("rev", active=False)
    assert names(active=False) == ["rev"] and "rev" not in names(active=True)


def test_create_user_checks_what_accounts_checks_and_more(ctx):
    admin = who("admin")
    fields = refusal(administration.create_user, admin, username="bad name!", password="short", roles=["boss"],
                     email="nowhere")
    assert set(fields) == {"username", "password", "role", "email"}
    assert fields["role"] == ("user.unknown_roles", {"roles": ["boss"], "known": list(ROLES)})
    edit("admin", roles=["admin"])  # no change, no event
    administration.set_unit_active(admin, "BDVTW", False)
    fields = refusal(administration.create_user, admin, username="c3", password="long enough", roles=["unit_clerk"],
                     unit_code="BDVTW")
    assert fields["unit"] == ("unit.inactive", {"code": "BDVTW"})
    assert refusal(administration.create_user, admin, username="rev", password="long enough",
                   roles=["reviewer"])["username"] == ("user.exists", {"username": "rev"})
    created = administration.create_user(admin, username="c3", password="long enough", roles=["unit_clerk"],
                                         unit_code="VPTW", full_name=" Cê Ba ", hash_method=FAST_HASH)
    assert (created.full_name, created.unit.code) == ("Cê Ba", "VPTW")
    [event] = audit.search(action="user_created")
    assert (event.actor, event.details) == ("admin", {"username": "c3", "roles": ["unit_clerk"], "unit": "VPTW"})


def test_update_user_rules(ctx):
    assert refusal(edit, "rev", roles=["reviewer", "boss"])["role"][1]["roles"] == ["boss"]
    assert refusal(edit, "rev", roles=[])["role"] == ("user.no_role", {})
    assert refusal(edit, "rev", roles=["unit_head"])["unit"] == ("user.unit_role_needs_unit", {})
    assert refusal(edit, "rev", unit_code="NOPE")["unit"] == ("unit.not_found", {"code": "NOPE"})
    assert set(refusal(edit, "rev", full_name=" ", email="x@")) == {"full_name", "email"}
    administration.set_unit_active(who("admin"), "VPTW", False)
    assert refusal(edit, "clerk_b", unit_code="VPTW")["unit"] == ("unit.inactive", {"code": "VPTW"})
    edit("clerk_a", full_name="Still in VPTW")  # staying in a unit that closed is allowed
    with pytest.raises(NotFound):
        administration.update_user(who("admin"), "nobody", full_name="N", email=None, unit_code=None,
                                   roles=["auditor"], active=True)


def test_an_administrator_keeps_their_own_account_and_role(ctx):
    fields = refusal(edit, "admin", active=False, roles=["auditor"])
    assert set(fields) == {"active", "role"}
    accounts.create_user("admin2", "long enough", roles=["admin"], hash_method=FAST_HASH)
    db.session.commit()
    edit("admin2", actor="admin", roles=["auditor"])  # another administrator may
    assert who("admin2").roles == {"auditor"}


def test_update_user_records_only_what_changed_and_deactivation_revokes_tokens(ctx):
    accounts.issue_token("clerk_b", "correct horse")
    edit("clerk_b", unit_code="BDVTW", roles=["unit_head", "unit_clerk"], email=" ")
    [event] = audit.search(action="user_updated")
    assert event.details == {"username": "clerk_b", "changes": {
        "email": ["clerk_b@example.org", None], "unit": ["BTCTW", "BDVTW"], "roles": [["unit_clerk"],
                                                                                     ["unit_clerk", "unit_head"]]}}
    edit("clerk_b")
    assert len(audit.search(action="user_updated")) == 1
    edit("clerk_b", active=False)
    assert db.session.execute(select(ApiToken).where(ApiToken.user_id == who("clerk_b").id)).first() is None
    assert accounts.authenticate("clerk_b", "correct horse") is None


def test_reset_password_forgives_failures_revokes_tokens_and_records_no_password(ctx):
    token = accounts.issue_token("rev", "correct horse")
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            accounts.issue_token("rev", "a wrong guess")
    assert db.session.execute(select(SignInCounter.failures).where(
        SignInCounter.username == "rev", SignInCounter.scope == "account")).scalar_one() == 2
    assert refusal(administration.reset_password, who("admin"), "rev", "short") == {
        "password": ("password.too_short", {"min": 8})}
    administration.reset_password(who("admin"), "rev", "a new secret", hash_method=FAST_HASH)
    assert accounts.user_for_token(token) is None
    assert accounts.authenticate("rev", "a new secret").username == "rev"
    counted = db.session.execute(select(SignInCounter.scope, SignInCounter.failures)
                                 .where(SignInCounter.username == "rev")).all()
    assert sorted(counted) == [("account", 0), ("pair", 0)]
    [event] = audit.search(action="password_reset")
    assert (event.actor, event.details) == ("admin", {"username": "rev"})
    assert audit.verify().ok


def test_units_are_created_renamed_and_deactivated_never_deleted(ctx):
    admin = who("admin")
    assert refusal(administration.create_unit, admin, code="a b", name="X")["code"] == ("unit.bad_code", {})
    assert refusal(administration.create_unit, admin, code="vptw", name="X")["code"] == ("unit.exists",
                                                                                        {"code": "VPTW"})
    assert set(refusal(administration.create_unit, admin, code="NEW", name=" ", name_vi="x" * 201)) == {
        "name", "name_vi"}
    created = administration.create_unit(admin, code="new_1", name="New unit", name_vi="Đơn vị mới")
    assert created.code == "NEW_1"
    administration.update_unit(admin, "NEW_1", name="Renamed", name_vi="Đơn vị mới")
    administration.set_unit_active(admin, "BTCTW", False)
    administration.set_unit_active(admin, "BTCTW", False)  # already so: nothing to record
    summary = {row.unit.code: row for row in administration.units(admin)}
    assert summary["BTCTW"].users == 2 and not summary["BTCTW"].unit.active
    assert "BTCTW" not in [u.code for u in accounts.units()]
    assert [(e.action, e.details.get("changes")) for e in audit.search(actor="admin")] == [
        ("unit_created", None), ("unit_updated", {"name": ["New unit", "Renamed"]}), ("unit_deactivated", None)]


def test_award_type_documents_are_checked_and_kept_in_catalogue_order(ctx):
    admin = who("admin")
    fields = refusal(administration.update_award_type, admin, "LDTT", name="Advanced Worker", name_vi="",
                     required_documents=["passport"], active=True)
    assert fields["required_documents"][1]["document_kinds"] == ["passport"]
    changed = administration.update_award_type(admin, "LDTT", name="Advanced Worker", name_vi="Lao động tiên tiến",
                                               required_documents=["other", "proposal_letter"], active=False)
    assert changed.required_documents == ["proposal_letter", "other"]
    assert "LDTT" not in [a.code for a in reference.award_types()] and not changed.active
    [event] = audit.search(action="award_type_updated")
    assert set(event.details["changes"]) == {"required_documents", "active"}


# -- process versions ----------------------------------------------------------------------------

def publish(**files):
    return administration.publish_process(who("admin"), diagram=files.pop("diagram", None), **files)


@pytest.mark.parametrize("files, field, code", [
    ({"diagram": Upload("nomination.bpmn", "<é/>".encode("latin-1"))}, "diagram", "process.file_not_utf8"),
    ({"diagram": Upload("nomination.bpmn", b" " * (administration.MAX_SOURCE_BYTES + 1))}, "diagram",
     "process.file_too_large"),
    ({"diagram": Upload("nomination.xml", DIAGRAM)}, "diagram", "process.bad_file_name"),
    ({"task_forms": [Upload("end orse.json", b"{}")]}, "task_forms", "process.bad_file_name"),
    ({"decision_tables": [Upload("rules.txt", b"")]}, "decision_tables", "process.bad_file_name"),
    ({}, "diagram", "process.no_files"),
])
def test_uploads_must_be_small_utf8_files_of_the_right_kind(ctx, files, field, code):
    assert refusal(publish, **files)[field][0] == code
    assert versions() == [1]


def test_problems_name_file_line_and_element_and_nothing_is_stored(ctx):
    broken = DIAGRAM.replace(b"tally_result = count_votes(", b"tally_result = count_votes((")
    with pytest.raises(DiagramProblems) as refused:
        publish(diagram=Upload("whatever.bpmn", broken), task_forms=[Upload("spare.json", b'{"fields": [\n}')])
    db.session.rollback()
    found = {(p.file, p.element) for p in refused.value.problems}
    assert ("nomination.bpmn", "tally") in found and ("forms/spare.json", None) in found
    [script] = [p for p in refused.value.problems if p.element == "tally"]
    assert script.line == broken[:broken.index(b"tally_result = count_votes((")].count(b"\n") + 1
    assert versions() == [1] and audit.search(action="process_deployed", actor="admin") == []


def test_a_broken_form_named_by_a_task_is_reported_against_the_form(ctx):
    with pytest.raises(DiagramProblems) as refused:
        publish(task_forms=[Upload("endorse.json", b'{"fields": [{"name": "decision", "type": "radio"}]}')])
    db.session.rollback()
    [problem] = refused.value.problems
    assert (problem.file, problem.element, problem.line) == ("forms/endorse.json", "endorse", 1)
    assert (problem.code, problem.params["type"]) == ("lint.field_unknown_type", "'radio'")


def test_a_valid_upload_becomes_the_next_version_with_the_other_files_kept(ctx):
    renamed = DIAGRAM.replace(b'name="Endorse the dossier"', b'name="Endorse (v2)"')
    definition, created = publish(diagram=Upload("my-copy.bpmn", renamed))
    assert (definition.version, created) == (2, True)
    stored = db.session.get(ProcessDefinition, definition.id).sources
    shipped = read_sources(BPMN_FOLDER, "nomination")
    assert set(stored) == set(shipped) and stored["forms/vote.json"] == shipped["forms/vote.json"]
    assert 'name="Endorse (v2)"' in stored["nomination.bpmn"]
    [event] = audit.search(action="process_deployed", actor="admin")
    assert event.details == {"key": "nomination", "version": 2, "sha256": definition.sha256}
    assert publish(diagram=Upload("again.bpmn", renamed)) == (definition, False)
    rows = administration.process_versions(who("admin"))
    assert [(r.version, r.current, r.instances) for r in rows] == [(2, True, 0), (1, False, 0)]


def test_deploy_sources_stores_the_next_version_in_the_callers_transaction(ctx):
    sources = read_sources(BPMN_FOLDER, "nomination")
    assert administration.deploy_sources(who("admin"), sources)[1] is False  # same as version 1
    sources["nomination.bpmn"] = sources["nomination.bpmn"].replace("Endorse the dossier", "Endorse")
    definition, created = administration.deploy_sources(who("admin"), sources)
    db.session.rollback()
    assert created and definition.version == 2 and versions() == [1]
    with pytest.raises(DiagramProblems):
        administration.deploy_sources(who("admin"), {**sources, "nomination.bpmn": "<nope/>"})


def test_a_broken_decision_table_is_reported_against_its_own_file(ctx):
    with pytest.raises(DiagramProblems) as refused:
        publish(decision_tables=[Upload("vote_rules.DMN", b"<definitions>\n<unclosed>\n")])
    db.session.rollback()
    assert ("vote_rules.dmn", 3) in {(p.file, p.line) for p in refused.value.problems}
    assert versions() == [1]


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>\n")


@pytest.mark.parametrize("name, field", [("nomination.bpmn", "diagram"), ("rules.dmn", "decision_tables")])
def test_a_diagram_with_a_document_type_is_refused_and_no_entity_is_expanded(ctx, name, field):
    hostile = LAUGHS + DIAGRAM.split(b"?>", 1)[1].replace(b'name="', b'name="&lol9;', 1)
    upload = Upload(name, hostile)
    with pytest.raises(DiagramProblems) as refused:
        publish(**({"diagram": upload} if field == "diagram" else {"decision_tables": [upload]}))
    db.session.rollback()
    assert [p.code for p in refused.value.problems if p.file == name] == ["lint.doctype_refused"]
    assert versions() == [1]


def test_a_task_form_nested_too_deep_is_a_problem_not_a_crash(ctx):
    deep = b'{"fields": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(DiagramProblems) as refused:
        publish(task_forms=[Upload("deep.json", deep)])
    db.session.rollback()
    assert [p.code for p in refused.value.problems if p.file == "forms/deep.json"] == ["lint.form_not_json"]
    assert versions() == [1]
