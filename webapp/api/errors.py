"""The API's error shape: {"error": {"code", "message", "params"?, "fields"?, "field_codes"?}}.

``code`` is stable (a domain refusal's code, or one of the HTTP layer's); ``message`` and each
field's words are in the request's language.
"""

from flask import jsonify
from flask_smorest import abort

from ..vocabulary import requests


def json_error(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in dict(headers or {}).items():
        response.headers[name] = value
    return response


def refusal_json(status: int, described, **extra):
    """A domain refusal (worded by ``vocabulary.describe``) in the API's error shape, plus ``extra`` keys."""
    body = {"code": described.code, "message": described.full_message, **extra}
    if described.params:
        body["params"] = described.params
    if described.fields:
        body["fields"] = described.fields
        body["field_codes"] = described.field_codes
    response = jsonify({"error": body})
    response.status_code = status
    return response


# Codes of the refusals the HTTP layer makes itself, by status.
STATUS_CODES = {400: "request.malformed", 401: "auth.token_needed", 404: "request.not_found",
                405: "request.method_not_allowed", 413: "upload.too_large", 422: "request.invalid"}


def http_error(error, *, limit: int | None = None):
    """An HTTPException (from Flask, webargs validation or ``refuse``) in the API's error shape.

    Field messages of the validation become codes with their words in the request's language;
    ``limit`` is the upload limit in bytes, for a 413.
    """
    data = getattr(error, "data", None) or {}
    code = data.get("code") or STATUS_CODES.get(error.code, "request.unsupported")
    params = dict(data.get("params") or {}) or ({"limit": limit} if code == "upload.too_large" and limit else {})
    refusals = dict(data.get("field_codes") or {})
    if data.get("messages"):
        refusals.update({name: requests.field_refusal(message)
                         for name, message in _flatten(data["messages"]).items()})
    fields = {name: requests.word(*_pair(reason)) for name, reason in refusals.items()}
    message = " ".join([requests.word(code, params), *fields.values()])
    body = {"code": code, "message": message}
    if params:
        body["params"] = params
    if fields:
        body["fields"] = fields
        body["field_codes"] = {name: _pair(reason)[0] for name, reason in refusals.items()}
    response = jsonify({"error": body})
    response.status_code = error.code
    for name, value in dict(data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def refuse(status: int, code: str, **field_codes: str):
    """Refuse a request before it reaches the domain, naming the code of each field at fault."""
    abort(status, code=code, field_codes=field_codes)


def _pair(reason) -> tuple[str, dict]:
    return (reason, {}) if isinstance(reason, str) else reason


def _flatten(messages, prefix="") -> dict[str, str]:
    """webargs nests errors by location and field; callers want {"nominee.name": "the first message"}."""
    if not isinstance(messages, dict):  # an error about the whole body, e.g. malformed JSON
        return {prefix.rstrip(".") or "body": _first(messages)}
    flat = {}
    for key, value in messages.items():
        if key in ("json", "query", "form", "files") and not prefix:
            flat.update(_flatten(value))
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, prefix=f"{name}."))
        else:
            flat[name] = _first(value)
    return flat


def _first(messages) -> str:
    return str(messages[0]) if isinstance(messages, list) and messages else str(messages)
