"""A completion commits everything or nothing; a failure half-way leaves no trace."""

import os

import pytest

from tests.conftest import PASSWORD
from workflows.services import audit, instances
from workflows.usecases import decisions


def boom(*_args, **_kwargs):
    raise RuntimeError("disk full")


def test_failure_while_auditing_a_completion_changes_nothing(app, api, nominate, walk, unchanged, monkeypatch):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    real_record = audit.record

    def failing_record(action, **kwargs):
        if action == "task_completed":
            boom()
        return real_record(action, **kwargs)

    monkeypatch.setattr(audit, "record", failing_record)
    with unchanged():
        response = api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse"})
        assert response.status_code == 500
        assert response.get_json()["error"]["code"] == "server.error"
    monkeypatch.undo()
    assert api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse"}).status_code == 200


def test_failure_while_numbering_the_decision_consumes_no_number(app, api, nominate, walk, unchanged, monkeypatch):
    nid = nominate()
    walk(nid, "sign_decision")
    task = api.as_("chair").task(nid, "sign_decision")
    monkeypatch.setattr(decisions, "issue", boom)
    with unchanged("sign_in_counter"):  # the password was right: the throttle notes it, outside the use case
        signed = {"decision": "approve", "password": PASSWORD}
        assert api.as_("chair").post(f"/tasks/{task}/complete", json=signed).status_code == 500
    monkeypatch.undo()
    api.as_("chair").complete(nid, "sign_decision", {"decision": "approve"})
    assert api.as_("chair").get(f"/nominations/{nid}").get_json()["decision"]["number"] == "1/QĐ-KTĐ"


def test_a_failing_process_script_is_undone_and_reported(app, api, nominate, walk, monkeypatch):
    nid = nominate()
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    real_helpers = instances.helpers

    def broken_helpers(nomination):
        found = real_helpers(nomination)
        found["eligibility_findings"] = boom
        return found

    monkeypatch.setattr(instances, "helpers", broken_helpers)
    response = api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse"})
    assert response.status_code == 500
    error = response.get_json()["error"]
    assert error["code"] == "process.failed" and "“Check eligibility”" in error["message"]
    detail = api.as_("head_a").get(f"/nominations/{nid}").get_json()
    assert detail["status"] == "endorsing" and [t["key"] for t in detail["open_tasks"]] == ["endorse"]
    failures = [e for e in api.as_("aud").get(f"/nominations/{nid}/audit").get_json()
                if e["action"] == "process_failed"]
    assert len(failures) == 1 and failures[0]["task"] == "eligibility"
    assert "disk full" in failures[0]["details"]["detail"]
    with app.app_context():
        assert audit.verify().ok


@pytest.mark.parametrize("step", ["withdraw"])
def test_withdrawal_failure_leaves_the_nomination_running(app, api, nominate, walk, unchanged, monkeypatch, step):
    nid = nominate()
    walk(nid, "check_dossier")
    monkeypatch.setattr(instances, "save", boom)
    with unchanged():
        assert api.as_("clerk_a").post(f"/nominations/{nid}/withdraw", json={"reason": "x"}).status_code == 500
    monkeypatch.undo()
    assert api.as_("sec").task(nid, "check_dossier")


def test_failed_upload_leaves_no_file_behind(app, api, nominate, unchanged, monkeypatch):
    nid = nominate()
    api.token("clerk_a")
    real_record = audit.record

    def failing_record(action, **kwargs):
        if action == "document_uploaded":
            boom()
        return real_record(action, **kwargs)

    monkeypatch.setattr(audit, "record", failing_record)
    with unchanged():
        assert api.as_("clerk_a").upload(nid, "other").status_code == 500
    folder = app.config["UPLOAD_FOLDER"]
    assert not any(files for _, _, files in os.walk(folder))
