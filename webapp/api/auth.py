"""POST /auth/token: exchange a username and password for a bearer token."""

from flask_smorest import Blueprint

from workflows.usecases import accounts

from .responses import responds
from .schemas import TokenRequest, TokenResponse

blp = Blueprint("api_auth", __name__, description="Authentication")


@blp.post("/auth/token")
@blp.arguments(TokenRequest)
@blp.response(200, TokenResponse)
@responds(400, 401, 413, 422, 429)
def issue_token(body):
    """Sign in and receive a bearer token valid for 12 hours."""
    token = accounts.issue_token(body["username"], body["password"])
    return {"token": token, "expires_in": int(accounts.TOKEN_LIFETIME.total_seconds())}
