"""Every error the API answers with is one the OpenAPI document lists, in the body it documents."""

import io
import re

import pytest

from tests import registry_files as files
from tests.conftest import PASSWORD, PDF
from tests.openapi_contract import contract_of

ERROR_STATUSES = {"400", "401", "403", "404", "409", "413", "422", "429"}


@pytest.fixture
def contract(app):
    return contract_of(app)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def test_the_error_body_is_one_reusable_schema(contract):
    schemas = contract.document["components"]["schemas"]
    envelope = schemas["ErrorResponse"]
    assert envelope["required"] == ["error"]
    assert contract.resolve(envelope["properties"]["error"]) is schemas["Error"]
    error = schemas["Error"]
    assert set(error["required"]) == {"code", "message"}
    assert {"code", "message", "params", "fields", "field_codes"} <= set(error["properties"])
    assert error["properties"]["fields"]["additionalProperties"] == {"type": "string"}
    assert error["properties"]["field_codes"]["additionalProperties"] == {"type": "string"}


def test_every_error_response_of_every_operation_has_that_body(contract):
    envelope = contract.document["components"]["schemas"]["ErrorResponse"]
    for method, path, operation in operations(contract.document):
        statuses = set(operation["responses"]) & (ERROR_STATUSES | {"default"})
        assert "default" in statuses, f"{method} {path}"
        for status in statuses:
            response = contract.resolve(operation["responses"][status])
            schema = response["content"]["application/json"]["schema"]
            assert contract.resolve(schema) is envelope, f"{method} {path} {status}"
            assert response["description"], f"{method} {path} {status}"


def test_every_operation_lists_the_statuses_its_kind_of_request_can_get(contract):
    for method, path, operation in operations(contract.document):
        listed = set(operation["responses"])
        where = f"{method} {path}"
        if operation.get("security"):
            assert "401" in listed, where  # no token, or a stale one
        if "{" in path:
            assert "404" in listed, where
        if operation.get("parameters") and any(p["in"] == "query" for p in operation["parameters"]):
            assert "422" in listed, where
        body = operation.get("requestBody", {}).get("content", {})
        if body:
            assert {"413", "422"} <= listed, where  # every body has a size limit and a shape
        if "application/json" in body:
            assert "400" in listed, where  # not JSON at all


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_operation_without_a_token_gets_a_documented_401(api, contract):
    walked = 0
    for method, path, operation in operations(contract.document):
        if not operation.get("security"):
            continue
        response = api.client.open(concrete(path), method=method.upper())
        assert response.status_code == 401, f"{method} {path}"
        assert contract.check(method.upper(), path, 401, response.get_json()) == []
        assert response.get_json()["error"]["code"] == "auth.token_needed"
        walked += 1
    assert walked >= 30


@pytest.fixture
def ready(api, nominate):
    for user in ("clerk_a", "head_a", "sec"):
        api.token(user)
    return nominate()


def bearer(api, user):
    return {"Authorization": f"Bearer {api.token(user)}"}


def answers(api, ready, walk):
    """Real refusals, one or more of each status: (operation path, method, response)."""
    nid = ready
    yield "/api/v1/auth/token", "POST", api.client.post(
        "/api/v1/auth/token", json={"username": "clerk_a", "password": "wrong"})
    yield "/api/v1/nominations", "POST", api.client.post(
        "/api/v1/nominations", data="{not json", content_type="application/json", headers=bearer(api, "clerk_a"))
    yield "/api/v1/nominations", "POST", api.as_("clerk_a").post("/nominations", json={
        "award_type": "NOPE", "nominee": {"kind": "individual", "name": "A"}, "year": 2026})
    yield "/api/v1/nominations", "POST", api.as_("clerk_a").post("/nominations", json={"year": "soon"})
    yield "/api/v1/nominations", "POST", api.as_("sec").post("/nominations", json={
        "award_type": "LDTT", "nominee": {"kind": "individual", "name": "A"}, "year": 2026})
    yield "/api/v1/nominations", "POST", api.client.post(
        "/api/v1/nominations", json={"summary": "x" * (2 * 1024 * 1024)}, headers=bearer(api, "clerk_a"))
    yield "/api/v1/tasks", "GET", api.as_("clerk_a").get("/tasks?limit=0")
    yield "/api/v1/nominations/{nomination_id}", "GET", api.as_("clerk_a").get("/nominations/999999")
    yield "/api/v1/nominations/{nomination_id}", "GET", api.as_("clerk_b").get(f"/nominations/{nid}")
    yield "/api/v1/tasks/{task_id}", "GET", api.as_("clerk_a").get("/tasks/00000000-0000-0000-0000-000000000000")
    yield "/api/v1/audit", "GET", api.as_("clerk_a").get("/audit")
    yield "/api/v1/people", "GET", api.as_("rev").get("/people")
    yield "/api/v1/rule-sets/{code}", "GET", api.as_("sec").get("/rule-sets/NOPE")
    big = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))
    yield "/api/v1/nominations/{nomination_id}/documents", "POST", api.as_("clerk_a").upload(nid, "other", big)
    yield "/api/v1/nominations/{nomination_id}/documents", "POST", api.as_("clerk_a").upload(nid, "selfie")
    yield "/api/v1/registry/import", "POST", api.client.post("/api/v1/registry/import", data={
        "file": (io.BytesIO(files.csv_file(files.PERSONS_HEADER, [["P2", "Vũ Văn Nam", "XYZ", "", "", "soon"]])),
                 "persons.csv")}, headers=bearer(api, "sec"), content_type="multipart/form-data")
    yield "/api/v1/nominations/{nomination_id}/withdraw", "POST", api.as_("clerk_a").post(
        f"/nominations/{nid}/withdraw", json={"reason": " "})
    walk(nid, "endorse")
    task = api.as_("head_a").task(nid, "endorse")
    assert api.as_("head_a").post(f"/tasks/{task}/complete", json={"decision": "endorse"}).status_code == 200
    yield "/api/v1/tasks/{task_id}/complete", "POST", api.as_("head_a").post(
        f"/tasks/{task}/complete", json={"decision": "endorse"})
    yield "/api/v1/tasks/{task_id}/claim", "POST", api.as_("head_a").post(f"/tasks/{task}/claim")
    for _ in range(5):
        api.client.post("/api/v1/auth/token", json={"username": "head_b", "password": "wrong"})
    yield "/api/v1/auth/token", "POST", api.client.post(
        "/api/v1/auth/token", json={"username": "head_b", "password": PASSWORD})


def test_real_refusals_are_documented_and_match_the_schema(api, contract, ready, walk):
    seen = set()
    for path, method, response in answers(api, ready, walk):
        status, body = response.status_code, response.get_json()
        assert 400 <= status < 500, (method, path, status, body)
        assert contract.response(method, path, status) is not None, f"{method} {path} {status} is not listed"
        assert contract.check(method, path, status, body) == [], body
        if status == 422:
            assert body["error"]["fields"], body
        seen.add(status)
    assert seen == {400, 401, 403, 404, 409, 413, 422, 429}


def test_refusals_outside_any_operation_have_the_same_body(api, contract):
    no_route = api.client.get("/api/v1/nominations/not-a-number", headers=bearer(api, "clerk_a"))
    wrong_method = api.client.delete("/api/v1/me", headers=bearer(api, "clerk_a"))
    for response, status in ((no_route, 404), (wrong_method, 405)):
        assert response.status_code == status
        assert contract.check("GET", None, status, response.get_json()) == []


@pytest.mark.parametrize("body", [
    {"error": {"code": "conflict"}},
    {"error": {"code": 409, "message": "Taken."}},
    {"error": {"code": "invalid", "message": "Bad.", "fields": {"year": ["Not a number."]}}},
    {"error": {"code": "conflict", "message": "Taken.", "status": 409}},
    {"message": "Taken."},
])
def test_the_schema_refuses_bodies_of_another_shape(contract, body):
    assert contract.check("POST", "/api/v1/tasks/{task_id}/complete", 409, body)


def test_the_schema_takes_the_full_body_with_codes_and_parameters(contract):
    body = {"error": {"code": "nomination_not_withdrawable", "message": "Không thể rút hồ sơ.",
                      "params": {"status": "voting", "count": 3}, "fields": {"reason": "Bắt buộc."},
                      "field_codes": {"reason": "required"}}}
    assert contract.check("POST", "/api/v1/nominations/{nomination_id}/withdraw", 409, body) == []
