"""A list's decision with its annex, the answer from above to a proposal, and a higher form."""

import io
import json

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from workflows.usecases import list_decisions, upward

from . import presenters
from .errors import refuse
from .list_decision_schemas import (
    HigherFormIn,
    HigherFormOut,
    ListDecisionOut,
    OutcomeIn,
    OutcomeOut,
    OutcomeUpload,
    SignedOut,
    SignListIn,
    SignRoundAwardIn,
)
from .responses import multipart, responds
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_list_decisions", __name__, description="List decisions, proposals upward and their answers")
blp.before_request(require_token)


def _signed(signed) -> dict:
    return {"approved": signed.approved, "lists": [p.id for p in signed.proposals],
            "decision": presenters.list_decision(signed.decision) if signed.decision is not None else None}


@blp.post("/lists/<int:list_id>/decision")
@blp.arguments(SignListIn)
@blp.response(200, SignedOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422, 429)
def sign_list(body, list_id):
    """The head signs one decision (or proposal upward) for the whole list, or refuses it (no number)."""
    return _signed(list_decisions.sign_list(current_api_user(), list_id, password=body["password"],
                                            approve=body["approve"], comment=body["comment"]))


@blp.post("/rounds/<int:round_id>/awards/<award_code>/decision")
@blp.arguments(SignRoundAwardIn)
@blp.response(200, SignedOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422, 429)
def sign_round_award(body, round_id, award_code):
    """The head signs one decision covering every list of the award in the round waiting for it."""
    return _signed(list_decisions.sign_round_award(current_api_user(), round_id, award_code,
                                                   password=body["password"], comment=body["comment"]))


@blp.get("/decisions/<int:decision_id>/annex")
@blp.response(200, ListDecisionOut)
@blp.doc(security=BEARER)
@responds(401, 404)
def annex(decision_id):
    """A list decision (or proposal upward) with every awardee of its annex and the answer from above."""
    return presenters.list_decision(list_decisions.get(current_api_user(), decision_id))


@blp.get("/decisions/<int:decision_id>/document.pdf")
@blp.response(200, description="The list decision, or the proposal upward, with its annex, as PDF")
@blp.doc(security=BEARER)
@responds(401, 404)
def document(decision_id):
    """The signed list decision with its annex as PDF; a revoked one carries the revocation mark."""
    paper = list_decisions.document(current_api_user(), decision_id)
    return send_file(io.BytesIO(paper.content), mimetype=paper.media_type, as_attachment=True,
                     download_name=paper.filename)


@blp.post("/decisions/<int:decision_id>/outcome")
@blp.arguments(OutcomeIn, location="form", content_type="multipart/form-data")
@blp.response(201, OutcomeOut)
@blp.doc(security=BEARER, requestBody=multipart(OutcomeUpload))
@responds(401, 403, 404, 409, 413, 422)
def record_outcome(form, decision_id):
    """The office records the answer from above to a proposal it sent up, with the scan (field ``file``)."""
    try:
        results = json.loads(form["results"])
    except ValueError:
        refuse(422, "request.invalid", results="field.object_needed")
    upload_file = request.files.get("file")
    limits = upward.UploadLimits(folder=current_app.config["UPLOAD_FOLDER"],
                                 max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    try:
        outcome = upward.record_outcome(
            current_api_user(), decision_id, higher_authority=form["higher_authority"], number=form["number"],
            decided_on=form["decided_on"], results=results,
            scan=(upload_file.filename or "", upload_file.stream) if upload_file is not None else None,
            limits=limits)
    finally:
        if upload_file is not None:
            upload_file.close()
    return presenters.outcome(outcome)


@blp.get("/decisions/<int:decision_id>/outcome")
@blp.response(200, OutcomeOut)
@blp.doc(security=BEARER)
@responds(401, 404)
def outcome(decision_id):
    """The answer from above to a proposal sent up, once recorded."""
    return presenters.outcome(upward.get_outcome(current_api_user(), decision_id))


@blp.get("/decisions/<int:decision_id>/outcome/scan")
@blp.response(200, description="The scan of the decision from above")
@blp.doc(security=BEARER)
@responds(401, 404)
def scan(decision_id):
    """The scan as uploaded, checked against its SHA-256 (a damaged file is never served: 500)."""
    found, stream = upward.open_scan(current_api_user(), decision_id, current_app.config["UPLOAD_FOLDER"])
    return send_file(stream, mimetype=found.media_type, as_attachment=True, download_name=found.filename,
                     etag=found.sha256)


@blp.post("/nominations/<int:nomination_id>/higher-form")
@blp.arguments(HigherFormIn)
@blp.response(201, HigherFormOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422)
def higher_form(body, nomination_id):
    """The office opens a proposal of the higher form the council recommended (the nominee's award stays)."""
    proposal = upward.recommend_higher(current_api_user(), nomination_id, body["award_type"], body["reason"])
    return {"list_id": proposal.id, "recommended_from": proposal.recommended_from_id,
            "award_type": proposal.award_type.code, "authority": proposal.authority.code, "status": proposal.status}
