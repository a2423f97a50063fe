"""The JSON API (v1): token-authenticated, errors as JSON, OpenAPI generated from the code."""

from flask_smorest import Api

from ..extensions import csrf
from . import (
    audit,
    auth,
    decisions,
    list_decisions,
    nominations,
    reference,
    registry,
    responses,
    rounds,
    rules,
    sessions,
    tasks,
)
from .errors import http_error
from .schemas import ErrorResponse


class LaurelApi(Api):
    """Every HTTP error the API layer raises speaks our error shape, and the document says so."""

    ERROR_SCHEMA = ErrorResponse

    def handle_http_exception(self, error):
        return http_error(error)


def init_app(app) -> None:
    app.config.setdefault("API_TITLE", "Laurel")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = LaurelApi(app, spec_kwargs={
        "info": {"description": "Nominations, tasks, documents and the audit trail of emulation and "
                                "commendation work. Authenticate with POST /api/v1/auth/token, then send "
                                "`Authorization: Bearer <token>`."},
    })
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    responses.register(api.spec)
    for blueprint in (auth.blp, reference.blp, nominations.blp, tasks.blp, decisions.blp, audit.blp, registry.blp,
                      rules.blp, rounds.blp, sessions.blp, list_decisions.blp):
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        csrf.exempt(blueprint)  # bearer tokens, never cookies: nothing for a forged request to ride on
    responses.malformed_everywhere(api.spec)
