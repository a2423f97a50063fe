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
