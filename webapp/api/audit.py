"""The audit trail: one nomination's, or a search of the whole trail for oversight roles."""

from flask import current_app
from flask_smorest import Blueprint

from workflows.usecases import nominations, trail

from . import presenters
from .responses import responds
from .schemas import AuditEventOut, AuditQuery
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_audit", __name__, description="The audit trail")
blp.before_request(require_token)


@blp.get("/nominations/<int:nomination_id>/audit")
@blp.response(200, AuditEventOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 404)
def nomination_trail(nomination_id):
    """Everything that happened to a nomination, in time order."""
    nominations.get(current_api_user(), nomination_id)
    return [presenters.audit_event(e) for e in trail.of_nomination(nomination_id)]


@blp.get("/audit")
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditEventOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 403, 422)
def search(query):
    """Search the whole trail (auditor, admin): actor, nomination, action, since, until (both included)."""
    found = trail.criteria(actor=query.get("actor"), nomination_id=query.get("nomination"),
                           action=query.get("action"), since=query.get("since"), until=query.get("until"),
                           zone=current_app.config["TIMEZONE"])
    page = trail.search(current_api_user(), found, newest_first=False, limit=query["limit"], offset=query["offset"])
    return [presenters.audit_event(e) for e in page.events]
