"""The server-rendered pages: thin views over the same use cases as the API."""

from flask_babel import get_locale
from flask_login import current_user

from workflows.usecases import decisions as decisions_rules
from workflows.usecases.registry import records as registry_records

from .. import session_cookie
from ..extensions import csrf, login_manager
from . import (
    admin,
    auth,
    authorities,
    council,
    decisions,
    inbox,
    list_decisions,
    lists,
    nominations,
    oversight,
    registry,
    rules,
    sessions,
    work,
)

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    session_cookie.init_app(app)
    csrf.init_app(app)
    for blueprint in (auth.bp, inbox.bp, nominations.bp, work.bp, council.bp, decisions.bp, oversight.bp,
                      registry.bp, admin.bp, authorities.bp, rules.bp, lists.bp, sessions.bp,
                      list_decisions.bp):
        app.register_blueprint(blueprint)

    @app.after_request
    def secure_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.context_processor
    def navigation():
        roles = current_user.roles if current_user.is_authenticated else frozenset()
        return {"user_roles": roles, "get_locale": get_locale,
                "may_read_registry": current_user.is_authenticated and registry_records.may_read(current_user),
                "may_read_register": current_user.is_authenticated and decisions_rules.may_read_register(current_user)}

