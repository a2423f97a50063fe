"""Bearer-token authentication for the API blueprints.

The API accepts tokens only, never the browser's session cookie, so a page on another
site cannot make a signed-in official's browser call it.
"""

from flask import abort, g, request

from workflows.usecases import accounts


def require_token() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None:
        abort(401)  # worded as auth.token_needed by the API's error handler
    g.api_user = user


def current_api_user():
    return g.api_user


BEARER = [{"bearer": []}]
