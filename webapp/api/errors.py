"""The API's error shape: {"error": {"code", "message", "fields"?}}."""

from flask import jsonify

CODE_NAMES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid"}


def code_name(status: int) -> str:
    return CODE_NAMES.get(status, "error")


def json_error(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in dict(headers or {}).items():
        response.headers[name] = value
    return response


def http_error(error, message: str | None = None):
    """An HTTPException (from Flask, webargs validation or abort) in the API's error shape."""
    data = getattr(error, "data", None) or {}
    fields = _flatten(data["messages"]) if data.get("messages") else None
    if message is None:
        message = data.get("message") or error.description
        if fields and not data.get("message"):
            message = "Some fields are not valid: " + ", ".join(sorted(fields)) + "."
    return json_error(error.code, code_name(error.code), message, fields, headers=data.get("headers"))


def _flatten(messages, prefix="") -> dict[str, str]:
    """webargs nests errors by location and field; callers want {"nominee.name": "..."}."""
    if not isinstance(messages, dict):  # an error about the whole body, e.g. malformed JSON
        return {prefix.rstrip(".") or "body": " ".join(map(str, messages)) if isinstance(messages, list)
                else str(messages)}
    flat = {}
    for key, value in messages.items():
        if key in ("json", "query", "form", "files") and not prefix:
            flat.update(_flatten(value))
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, prefix=f"{name}."))
        elif isinstance(value, list):
            flat[name] = " ".join(str(v) for v in value)
        else:
            flat[name] = str(value)
    return flat
