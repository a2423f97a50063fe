"""One map from domain errors to HTTP statuses; JSON under /api/, plain pages elsewhere."""

import logging

from flask import make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from workflows import errors
from workflows.db import db

from . import vocabulary
from .api.errors import http_error, json_error, refusal_json
from .vocabulary import requests

STATUS = {
    errors.InvalidData: 422,
    errors.NotAuthenticated: 401,
    errors.NotAllowed: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooLarge: 413,
    errors.TooManyAttempts: 429,
    errors.ProcessError: 500,
    errors.Damaged: 500,
}

log = logging.getLogger(__name__)


def _headings():
    return {
        400: _("The request could not be understood; please reload the page and try again"),
        401: _("Please sign in"), 403: _("Not allowed"), 404: _("Not found"),
        409: _("Someone else got there first"), 413: _("The file is too large"),
        422: _("Please check what you entered"), 429: _("Too many attempts"), 500: _("Something went wrong"),
    }


def _explanations():
    """What to do next, for the statuses whose only description is the server's generic English one."""
    return {
        400: _("Reload the page and try again."),
        403: _("Your role does not allow this page or action. Ask an administrator if you think it should."),
        404: _("The page or record does not exist, or it is not yours to see."),
        405: _("This address cannot be used that way."),
        409: _("Someone else changed this first; reload to see where it stands now."),
        413: _("Upload a smaller file."),
        500: _("Something went wrong on our side; nothing was changed. Please try again."),
    }


def _page(status: int, message: str):
    heading = _headings().get(status, _("Something went wrong"))
    return render_template("error.html", status=status, heading=heading, message=message), status


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def status_of(error: errors.WorkflowError) -> int:
    """The HTTP status a domain error answers with: the nearest class the map names."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 400


def register(app) -> None:
    @app.errorhandler(errors.WorkflowError)
    def domain_error(error):
        status = status_of(error)
        described = vocabulary.describe(error)
        response = refusal_json(status, described) if _wants_json() else make_response(
            _page(status, described.full_message))
        if isinstance(error, errors.TooManyAttempts) and "seconds" in error.params:
            response.headers["Retry-After"] = str(error.params["seconds"])
        return response

    @app.errorhandler(HTTPException)
    def http_exception(error):
        if _wants_json():
            return http_error(error, limit=app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
        generic = error.description == type(error).description  # werkzeug's own English text
        return _page(error.code, _explanations().get(error.code, "") if generic else error.description)

    @app.errorhandler(Exception)
    def unexpected(error):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if _wants_json():
            return json_error(500, "server.error", requests.word("server.error"))
        return _page(500, _explanations()[500])
