"""The JSON API (v1): token-authenticated, errors as JSON, OpenAPI generated from the code."""

from flask_smorest import Api

from . import audit, auth, nominations, reference, tasks
from .errors import code_name, json_error


class LaurelApi(Api):
    """Every HTTP error the API layer raises speaks our error shape."""

    def handle_http_exception(self, error):
        messages = (getattr(error, "data", None) or {}).get("messages")
        fields = _flatten(messages) if messages else None
        message = error.description if not fields else "Some fields are not valid: " + ", ".join(sorted(fields)) + "."
        return json_error(error.code, code_name(error.code), message, fields, headers=getattr(error, "headers", None))


def _flatten(messages, prefix="") -> dict[str, str]:
    """webargs nests errors by location and field; callers want {"nominee.name": "..."}."""
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
    for blueprint in (auth.blp, reference.blp, nominations.blp, tasks.blp, audit.blp):
        api.register_blueprint(blueprint, url_prefix="/api/v1")
