"""One map from domain errors to HTTP statuses; JSON under /api/, plain pages elsewhere."""

import logging

from flask import render_template_string, request
from werkzeug.exceptions import HTTPException

from workflows import errors
from workflows.db import db

from .api.errors import http_error, json_error

STATUS = {
    errors.InvalidData: (422, "invalid"),
    errors.NotAuthenticated: (401, "unauthorized"),
    errors.NotAllowed: (403, "forbidden"),
    errors.NotFound: (404, "not_found"),
    errors.Conflict: (409, "conflict"),
    errors.TooLarge: (413, "too_large"),
    errors.ProcessError: (500, "process_error"),
}

log = logging.getLogger(__name__)

_PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>{{ status }} · Laurel</title>
<main style="font-family:sans-serif;max-width:40rem;margin:4rem auto"><h1>{{ status }}</h1><p>{{ message }}</p>
<p><a href="/">Back to the start page</a></p></main></html>"""


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app) -> None:
    @app.errorhandler(errors.WorkflowError)
    def domain_error(error):
        status, code = STATUS.get(type(error), (400, "bad_request"))
        if _wants_json():
            return json_error(status, code, error.message, error.fields or None)
        return render_template_string(_PAGE, status=status, message=error.message), status

    @app.errorhandler(HTTPException)
    def http_exception(error):
        if _wants_json():
            too_large = f"The upload is larger than the limit of {app.config['MAX_UPLOAD_MB']} MB."
            return http_error(error, too_large if error.code == 413 else None)
        return render_template_string(_PAGE, status=error.code, message=error.description), error.code

    @app.errorhandler(Exception)
    def unexpected(error):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        message = "Something went wrong on our side; nothing was changed. Please try again."
        if _wants_json():
            return json_error(500, "server_error", message)
        return render_template_string(_PAGE, status=500, message=message), 500
