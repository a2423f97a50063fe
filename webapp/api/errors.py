"""The API's error shape: {"error": {"code", "message", "fields"?}}."""

from flask import jsonify


def json_error(status: int, code: str, message: str, fields: dict | None = None, headers=None):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or {}).items() if isinstance(headers, dict) else (headers or []):
        response.headers[name] = value
    return response


CODE_NAMES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid"}


def code_name(status: int) -> str:
    return CODE_NAMES.get(status, "error")
