"""GET /tasks/<id> gives the task's form as the deployed process defines it, as the document says."""

import json
import os

import pytest

from tests.conftest import BPMN_FOLDER, USERS
from tests.openapi_contract import contract_of

# Each step, and who does it in the scenario.
STEPS = [("prepare_dossier", "clerk_a"), ("endorse", "head_a"), ("check_dossier", "sec"), ("appraise", "rev"),
         ("vote", "m1"), ("sign_decision", "chair")]


def shipped_form(key: str) -> dict:
    with open(os.path.join(BPMN_FOLDER, "forms", f"{key}.json"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def at_step(api, nominate, walk):
    """The id of the ready task ``key`` of a nomination driven up to it, and the user who does it."""

    def to(key, user):
        nomination = nominate()
        walk(nomination, key)
        return api.as_(user).task(nomination, key)

    return to


@pytest.mark.parametrize("key, user", STEPS, ids=[key for key, _ in STEPS])
def test_the_form_is_the_deployed_one_field_by_field(api, at_step, key, user):
    response = api.as_(user).get(f"/tasks/{at_step(key, user)}")
    assert response.status_code == 200
    task = response.get_json()
    assert task["key"] == key
    given = task["form"]["fields"]
    expected = shipped_form(key)["fields"]
    assert [f["name"] for f in given] == [f["name"] for f in expected]
    for field, spec in zip(given, expected):
        assert field["type"] == spec["type"]
        assert field["required"] is bool(spec.get("required"))
        assert field.get("choices") == spec.get("choices"), field["name"]
        assert field.get("required_when") == spec.get("required_when"), field["name"]
        assert field["label"] == spec["label"]  # English unless asked otherwise


def fields_of(api, user, task_id, language="en") -> dict:
    response = api.client.get(f"/api/v1/tasks/{task_id}", headers={
        "Authorization": f"Bearer {api.token(user)}", "Accept-Language": language})
    assert response.status_code == 200
    return {field["name"]: field for field in response.get_json()["form"]["fields"]}


def test_the_dossier_check_names_a_reviewer_from_the_active_reviewers(api, at_step):
    fields = fields_of(api, "sec", at_step("check_dossier", "sec"))
    assert fields["decision"]["choices"] == ["accept", "return"]
    assert fields["comment"]["required_when"] == {"decision": ["return"]}
    reviewer = fields["reviewer"]
    assert (reviewer["type"], reviewer["role"], reviewer["required"]) == ("user", "reviewer", False)
    reviewers = sorted(name for name, _, roles in USERS if "reviewer" in roles)
    assert sorted(c["username"] for c in reviewer["candidates"]) == reviewers
    assert {c["full_name"] for c in reviewer["candidates"]} == {name.title() for name in reviewers}
    assert "candidates" not in fields["decision"]


def test_a_reviewer_who_leaves_is_no_longer_a_candidate(app, api, at_step):
    from sqlalchemy import select

    from workflows.db import db
    from workflows.models import User

    task_id = at_step("check_dossier", "sec")
    with app.app_context():
        db.session.execute(select(User).where(User.username == "rev2")).scalar_one().active = False
        db.session.commit()
    candidates = fields_of(api, "sec", task_id)["reviewer"]["candidates"]
    assert [c["username"] for c in candidates] == ["rev"]


def test_signing_asks_for_the_password_as_a_required_secret(api, at_step):
    fields = fields_of(api, "chair", at_step("sign_decision", "chair"))
    assert fields["password"]["type"] == "password" and fields["password"]["required"] is True
    assert fields["decision"]["choices"] == ["approve", "reject"]
    assert fields["comment"]["required_when"] == {"decision": ["reject"]}


def test_labels_are_in_the_readers_language(api, at_step):
    fields = fields_of(api, "m1", at_step("vote", "m1"), language="vi")
    assert fields["vote"]["label"] == "Phiếu của bạn"
    assert fields["vote"]["choices"] == ["yes", "no"]  # values stay the same in every language


@pytest.mark.parametrize("key, user", [STEPS[2], STEPS[5]], ids=["check_dossier", "sign_decision"])
def test_the_document_describes_the_form_it_gives(app, api, at_step, key, user):
    contract = contract_of(app)
    path = "/api/v1/tasks/{task_id}"
    schema = contract.response("get", path, 200)["content"]["application/json"]["schema"]
    detail = contract.resolve(schema)
    form = contract.resolve(detail["properties"]["form"])
    assert form["required"] == ["fields"]
    field = contract.resolve(form["properties"]["fields"]["items"])
    assert {"name", "type", "required", "label"} <= set(field["required"])
    assert {"choices", "required_when", "role", "candidates"} <= set(field["properties"])
    assert set(field["properties"]["type"]["enum"]) >= {"choice", "text", "user", "password"}
    body = api.as_(user).get(f"/tasks/{at_step(key, user)}").get_json()
    assert body["form"]["fields"]
    assert contract.check("GET", path, 200, body) == []
    body["form"]["fields"][0]["type"] = "colour"  # the schema would notice a field it does not describe
    assert contract.check("GET", path, 200, body)
