"""The OpenAPI document describes the whole contract of the JSON API."""

import pytest

# Every (method, path) of the design's API table, as the document spells the paths.
CONTRACT = [
    ("post", "/api/v1/auth/token"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/award-types"),
    ("post", "/api/v1/nominations"),
    ("get", "/api/v1/nominations"),
    ("get", "/api/v1/nominations/{nomination_id}"),
    ("post", "/api/v1/nominations/{nomination_id}/documents"),
    ("get", "/api/v1/nominations/{nomination_id}/documents/{document_id}"),
    ("post", "/api/v1/nominations/{nomination_id}/withdraw"),
    ("get", "/api/v1/tasks"),
    ("get", "/api/v1/tasks/{task_id}"),
    ("post", "/api/v1/tasks/{task_id}/claim"),
    ("post", "/api/v1/tasks/{task_id}/unclaim"),
    ("post", "/api/v1/tasks/{task_id}/complete"),
    ("get", "/api/v1/nominations/{nomination_id}/audit"),
    ("get", "/api/v1/audit"),
]


@pytest.fixture
def document(api):
    response = api.as_(None).get("/openapi.json")
    assert response.status_code == 200
    assert response.content_type.startswith("application/json")
    return response.get_json()


def test_is_an_openapi_3_document_served_without_a_token(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]


@pytest.mark.parametrize("method, path", CONTRACT, ids=[f"{m} {p}" for m, p in CONTRACT])
def test_lists_every_operation_of_the_contract(document, method, path):
    assert path in document["paths"], sorted(document["paths"])
    assert method in document["paths"][path]


def test_path_parameters_are_declared(document):
    for path, item in document["paths"].items():
        declared = {p["name"] for p in item.get("parameters", []) if p["in"] == "path"}
        for method, operation in item.items():
            if method != "parameters":
                declared |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        named = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert named <= declared, path


def resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_nomination_input_requires_award_type_nominee_and_year(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["NominationIn"]["required"]) >= {"award_type", "nominee", "year"}
    assert {"award_type", "nominee", "year", "summary"} <= set(schemas["NominationIn"]["properties"])
    body = document["paths"]["/api/v1/nominations"]["post"]["requestBody"]["content"]["application/json"]
    assert resolve(document, body["schema"]) == schemas["NominationIn"]
    nominee = resolve(document, schemas["NominationIn"]["properties"]["nominee"])
    assert set(nominee["required"]) >= {"kind", "name"}


def test_declares_bearer_auth_and_uses_it_on_every_operation_but_sign_in(document):
    schemes = document["components"]["securitySchemes"]
    bearer = [name for name, scheme in schemes.items()
              if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer"]
    assert bearer
    for method, path in CONTRACT:
        security = document["paths"][path][method].get("security")
        if path == "/api/v1/auth/token":
            assert not security
        else:
            assert any(set(requirement) & set(bearer) for requirement in security), f"{method} {path}"


LISTINGS = ["/api/v1/nominations", "/api/v1/tasks", "/api/v1/decisions", "/api/v1/people", "/api/v1/collectives"]


@pytest.mark.parametrize("path", LISTINGS)
def test_listings_document_and_send_their_total(api, document, nominate, path):
    nominate()
    headers = document["paths"][path]["get"]["responses"]["200"]["headers"]
    assert headers["X-Total-Count"]["schema"]["type"] == "integer"
    response = api.as_("sec").get(path.removeprefix("/api/v1") + "?limit=1")
    assert response.status_code == 200
    assert int(response.headers["X-Total-Count"]) >= len(response.get_json())


@pytest.mark.parametrize("path", ["/api/v1/nominations/{nomination_id}/documents", "/api/v1/registry/import"])
def test_uploads_are_documented_as_the_multipart_bodies_they_are(document, path):
    content = document["paths"][path]["post"]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    body = resolve(document, content["multipart/form-data"]["schema"])
    assert body["properties"]["file"] == {**body["properties"]["file"], "type": "string", "format": "binary"}
    assert "file" in body["required"]


def test_every_operation_says_what_it_does(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                assert operation.get("summary"), f"{method} {path}"
