"""The OpenAPI document as a contract: every JSON answer of the API is checked against it.

``Contract`` turns the document's response schemas (OpenAPI 3.0: JSON Schema plus ``nullable``)
into JSON-schema validators. ``Recorder`` listens to an app's responses during a test and, at
the end, lists every answer the document does not describe: a status the operation does not
declare, or a body that does not validate. Date-times must carry their offset.
"""

import copy
import json
import re
from datetime import date, datetime

from flask import request, request_finished
from jsonschema import Draft4Validator, FormatChecker

PREFIX = "/api/v1"
UNDOCUMENTED = {f"{PREFIX}/openapi.json"}

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_zoned_date_time(value) -> bool:
    """ISO 8601 with an explicit offset (or Z): a reader must know which clock it is on."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
                                                      value):
        return False
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


@FORMATS.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    return isinstance(value, str) and date.fromisoformat(value).isoformat() == value


def json_schema(node):
    """OpenAPI 3.0's ``nullable`` in plain JSON Schema, everywhere in ``node``."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) if key not in ("example", "examples", "default") else value
                 for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


def openapi_path(rule: str) -> str:
    """``/api/v1/tasks/<task_id>`` and ``<int:nomination_id>`` as the document spells them."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


class Contract:
    def __init__(self, document: dict):
        self.document = document
        self.components = json_schema(document.get("components", {}))
        self._validators: dict = {}

    def operation(self, method: str, path: str) -> dict | None:
        return self.document["paths"].get(path, {}).get(method.lower())

    def response(self, method: str, path: str, status: int) -> dict | None:
        """The response the operation documents for exactly this status (``default`` not counted)."""
        operation = self.operation(method, path)
        found = (operation or {}).get("responses", {}).get(str(status))
        return self.resolve(found) if found else None

    def resolve(self, node: dict) -> dict:
        while "$ref" in node:
            section, name = node["$ref"].split("/")[-2:]
            node = self.document["components"][section][name]
        return node

    def validator(self, schema: dict) -> Draft4Validator:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            root = {"allOf": [json_schema(copy.deepcopy(schema))], "components": self.components}
            self._validators[key] = Draft4Validator(root, format_checker=FORMATS)
        return self._validators[key]

    def errors(self, schema: dict, body) -> list[str]:
        return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                for e in self.validator(schema).iter_errors(body)]

    def error_envelope(self) -> dict:
        """The schema every error body must match, as the DEFAULT_ERROR response gives it."""
        default = self.document["components"]["responses"]["DEFAULT_ERROR"]
        return default["content"]["application/json"]["schema"]

    def check(self, method: str, path: str | None, status: int, body) -> list[str]:
        """What is wrong with this answer according to the document; nothing when it matches."""
        where = f"{method} {path or '(no route)'} {status}"
        if path is None:  # no route matched (404, 405): still an error in the documented shape
            return [f"{where}: {p}" for p in self.errors(self.error_envelope(), body)] if status >= 400 else []
        if self.operation(method, path) is None:
            return [f"{where}: the operation is not in the document"]
        response = self.response(method, path, status)
        if response is None:
            if status >= 500:
                return [f"{where}: {p}" for p in self.errors(self.error_envelope(), body)]
            return [f"{where}: the document does not list this status for the operation"]
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return [f"{where}: the document gives no JSON body for this status"] if body is not None else []
        return [f"{where}: {p}" for p in self.errors(schema, body)]


_documents: dict = {}


def contract_of(app) -> Contract:
    """The app's document, built once per test session: the code, and so the document, is the same."""
    if "contract" not in _documents:
        response = app.test_client().get(f"{PREFIX}/openapi.json")
        assert response.status_code == 200
        _documents["contract"] = Contract(response.get_json())
    return _documents["contract"]


class Recorder:
    """Every JSON answer of the API while attached to ``app``, to check at the end of a test."""

    def __init__(self, app):
        self.app = app
        self.answers: list[tuple[str, str | None, int, object]] = []
        request_finished.connect(self._record, app)

    def _record(self, sender, response, **extra):
        path = request.path
        if not path.startswith(PREFIX + "/") or path in UNDOCUMENTED:
            return
        if response.mimetype != "application/json" or response.direct_passthrough:
            return
        rule = openapi_path(request.url_rule.rule) if request.url_rule is not None else None
        self.answers.append((request.method, rule, response.status_code, response.get_json(silent=True)))

    def problems(self) -> list[str]:
        request_finished.disconnect(self._record, self.app)
        if not self.answers:
            return []
        contract = contract_of(self.app)
        found = []
        for method, path, status, body in self.answers:
            found.extend(contract.check(method, path, status, body))
        return list(dict.fromkeys(found))
