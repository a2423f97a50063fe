"""Process versions: a running nomination keeps its diagram version; new ones take the newest."""

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import BPMN_FOLDER
from workflows.db import db
from workflows.models import AuditEvent, Nomination, ProcessDefinition, ProcessInstance
from workflows.services import instances

OLD_NAME, NEW_NAME = "Endorse the dossier", "Endorse the dossier (v2)"


@pytest.fixture
def renamed(tmp_path) -> Path:
    """A copy of the process folder in which the endorse task has a new name."""
    folder = tmp_path / "bpmn_v2"
    shutil.copytree(BPMN_FOLDER, folder)
    diagram = folder / "nomination.bpmn"
    source = diagram.read_text(encoding="utf-8")
    old = f'<bpmn:userTask id="endorse" name="{OLD_NAME}">'
    assert old in source
    new = f'<bpmn:userTask id="endorse" name="{NEW_NAME}">'
    diagram.write_text(source.replace(old, new), encoding="utf-8")
    return folder


def deploy(app, folder):
    with app.app_context():
        definition, deployed = instances.deploy(folder)
        db.session.commit()
        return definition.version, deployed


def versions(app) -> list[int]:
    with app.app_context():
        return list(db.session.execute(select(ProcessDefinition.version).where(ProcessDefinition.key == "nomination")
                                       .order_by(ProcessDefinition.version)).scalars())


def version_of(app, nomination_id) -> int:
    with app.app_context():
        return instances.definition_of(db.session.get(Nomination, nomination_id)).version


def endorse_task(api, nomination_id) -> dict:
    [task] = [t for t in api.as_("head_a").get("/tasks?key=endorse&limit=500").get_json()
              if t["nomination_id"] == nomination_id]
    return task


def test_running_nomination_stays_on_its_version_and_new_ones_take_the_newest(app, api, nominate, walk,
                                                                              renamed):
    before = nominate()
    assert deploy(app, renamed) == (2, True)
    after = nominate(name="Trần Thị Hoa")
    assert (version_of(app, before), version_of(app, after)) == (1, 2)

    walk(before, "endorse")
    walk(after, "endorse")
    assert endorse_task(api, before)["name"] == OLD_NAME
    assert endorse_task(api, after)["name"] == NEW_NAME
    assert api.as_("head_a").get(f"/tasks/{endorse_task(api, after)['id']}").get_json()["name"] == NEW_NAME

    for nid in (before, after):
        api.as_("head_a").complete(nid, "endorse", {"decision": "endorse", "comment": "OK"})
        assert api.as_("sec").get(f"/nominations/{nid}").get_json()["status"] == "checking"
    assert (version_of(app, before), version_of(app, after)) == (1, 2)


def test_old_version_runs_to_its_end_after_a_new_deployment(app, api, nominate, walk, renamed):
    nid = nominate()
    walk(nid, "vote")
    deploy(app, renamed)
    for task in api.as_("sec").get(f"/nominations/{nid}").get_json()["open_tasks"]:
        api.as_(task["assignee"]).complete(nid, "vote", {"vote": "yes"})
    result = api.as_("chair").complete(nid, "sign_decision", {"decision": "approve", "comment": "Agreed"})
    assert result["status"] == "awarded"
    assert version_of(app, nid) == 1


def test_deploying_the_same_files_again_adds_no_version(app, renamed):
    assert deploy(app, BPMN_FOLDER) == (1, False)
    assert deploy(app, renamed) == (2, True)
    assert deploy(app, renamed) == (2, False)
    assert versions(app) == [1, 2]
    with app.app_context():
        deployed = db.session.execute(select(AuditEvent.details).where(
            AuditEvent.action == "process_deployed").order_by(AuditEvent.seq)).scalars().all()
        assert [d["version"] for d in deployed if d["key"] == "nomination"] == [1, 2]


def test_going_back_to_older_files_publishes_them_as_the_newest_version(app, api, nominate, walk, renamed):
    deploy(app, renamed)
    assert deploy(app, BPMN_FOLDER) == (3, True)
    assert versions(app) == [1, 2, 3]
    nid = nominate()
    assert version_of(app, nid) == 3
    walk(nid, "endorse")
    assert endorse_task(api, nid)["name"] == OLD_NAME


def test_stored_instance_state_leaves_out_the_spec(app, nominate, walk, renamed):
    walk(nominate(), "endorse")
    deploy(app, renamed)
    walk(nominate(name="Trần Văn Khoa"), "check_dossier")
    with app.app_context():
        states = db.session.execute(select(ProcessInstance.state)).scalars().all()
        assert len(states) == 2
        for state in states:
            stored = json.loads(state)
            assert "spec" not in stored and "subprocess_specs" not in stored
        # One definition row per version holds the spec; instances only point at it.
        rows = db.session.execute(select(ProcessInstance.definition_id, func.count())
                                  .group_by(ProcessInstance.definition_id)).all()
        assert sorted(count for _, count in rows) == [1, 1]
