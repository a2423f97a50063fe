"""Signed decisions and proposals: their PDFs, the register, revocation."""

import io

from flask import send_file
from flask_smorest import Blueprint

from workflows.usecases import decisions, list_decisions, paperwork

from . import presenters
from .responses import TOTAL_COUNT, responds
from .schemas import RegisterEntryOut, RegisterQuery, RevokeIn
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_decisions", __name__, description="Signed decisions, proposals and tally minutes")
blp.before_request(require_token)


def _pdf(paper):
    return send_file(io.BytesIO(paper.content), mimetype=paper.media_type, as_attachment=True,
                     download_name=paper.filename)


@blp.get("/nominations/<int:nomination_id>/decision.pdf")
@blp.response(200, description="The signed decision, or the proposal upward, as PDF")
@blp.doc(security=BEARER)
@responds(401, 404)
def decision_pdf(nomination_id):
    """The nomination's decision (or proposal) as PDF; a revoked one carries the revocation mark."""
    return _pdf(paperwork.decision_document(current_api_user(), nomination_id))


@blp.get("/nominations/<int:nomination_id>/tally.pdf")
@blp.response(200, description="The tally minutes as PDF")
@blp.doc(security=BEARER)
@responds(401, 404)
def tally_pdf(nomination_id):
    """The tally minutes of the nomination's vote: who took part, the counts, the rule and the result."""
    return _pdf(paperwork.tally_document(current_api_user(), nomination_id))


@blp.get("/decisions")
@blp.arguments(RegisterQuery, location="query")
@blp.response(200, RegisterEntryOut(many=True), headers=TOTAL_COUNT)
@blp.doc(security=BEARER)
@responds(401, 403, 422)
def register(query):
    """The decision register, newest first; the total is in X-Total-Count. Unit staff see their unit's."""
    rows, total = decisions.register(current_api_user(), **query)
    counts = list_decisions.awardee_counts([r.id for r in rows if r.nomination_id is None])
    return [presenters.register_entry(r, counts.get(r.id, 0) if r.nomination_id is None else None) for r in rows], \
        {"X-Total-Count": str(total)}


@blp.get("/decisions/<int:decision_id>")
@blp.response(200, RegisterEntryOut)
@blp.doc(security=BEARER)
@responds(401, 404)
def detail(decision_id):
    """One entry of the register."""
    return presenters.register_entry(decisions.get(current_api_user(), decision_id))


@blp.post("/decisions/<int:decision_id>/revoke")
@blp.arguments(RevokeIn)
@blp.response(200, RegisterEntryOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422, 429)
def revoke(body, decision_id):
    """Revoke a decision (administrator, or the chair with their password); 409 if already revoked."""
    decision = decisions.revoke(current_api_user(), decision_id, reason_code=body["reason_code"],
                                reason=body["reason"], password=body.get("password"))
    return presenters.register_entry(decision)
