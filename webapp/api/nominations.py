"""Nominations and their dossier documents."""

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from workflows.usecases import nominations
from workflows.usecases.nominations import UploadLimits

from . import presenters
from .errors import refuse
from .responses import TOTAL_COUNT, multipart, responds
from .schemas import (
    DocumentIn,
    DocumentOut,
    DocumentUpload,
    NominationIn,
    NominationOut,
    NominationQuery,
    WithdrawIn,
)
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_nominations", __name__, description="Nominations and dossier documents")
blp.before_request(require_token)


@blp.post("/nominations")
@blp.arguments(NominationIn)
@blp.response(201, NominationOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 409, 413, 422)
def start(body):
    """Start a nomination for the caller's unit; its process starts at the dossier step."""
    row = nominations.start(current_api_user(), award_type=body["award_type"], nominee=body["nominee"],
                            year=body["year"], summary=body.get("summary", ""))
    return presenters.nomination(row)


@blp.get("/nominations")
@blp.arguments(NominationQuery, location="query")
@blp.response(200, NominationOut(many=True), headers=TOTAL_COUNT)
@blp.doc(security=BEARER)
@responds(401, 422)
def search(query):
    """The nominations the caller may see, newest first; the total is in X-Total-Count."""
    rows, total = nominations.search(current_api_user(), **query)
    return [presenters.nomination(r, with_tasks=False) for r in rows], {"X-Total-Count": str(total)}


@blp.get("/nominations/<int:nomination_id>")
@blp.response(200, NominationOut)
@blp.doc(security=BEARER)
@responds(401, 404)
def detail(nomination_id):
    """Status, nominee, unit, award, open tasks and, once signed, the decision."""
    return presenters.nomination(nominations.get(current_api_user(), nomination_id))


@blp.post("/nominations/<int:nomination_id>/documents")
@blp.arguments(DocumentIn, location="form", content_type="multipart/form-data")
@blp.response(201, DocumentOut)
@blp.doc(security=BEARER, requestBody=multipart(DocumentUpload))
@responds(401, 403, 404, 409, 413, 422)
def upload(form, nomination_id):
    """Add a document (multipart field ``file``) of a kind to the dossier."""
    upload_file = request.files.get("file")
    if upload_file is None:
        refuse(422, "upload.file_needed", file="field.required")
    limits = UploadLimits(folder=current_app.config["UPLOAD_FOLDER"],
                          max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    try:
        return nominations.upload_document(current_api_user(), nomination_id, kind=form["kind"],
                                           stream=upload_file.stream, filename=upload_file.filename or "",
                                           limits=limits)
    finally:
        upload_file.close()  # large uploads are spooled to a temporary file: release it now


@blp.get("/nominations/<int:nomination_id>/documents")
@blp.response(200, DocumentOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 404)
def documents(nomination_id):
    """Every version of every document of the dossier."""
    return nominations.document_list(current_api_user(), nomination_id)


@blp.get("/nominations/<int:nomination_id>/documents/<int:document_id>")
@blp.response(200, description="The document's bytes")
@blp.doc(security=BEARER)
@responds(401, 404)
def download(nomination_id, document_id):
    """Download one document version, checked against the SHA-256 recorded at upload.

    A stored file that was changed or lost on the server is never served: the answer is 500
    with ``document.altered`` or ``document.missing``, and the trail records it.
    """
    document, stream = nominations.open_document(current_api_user(), nomination_id, document_id,
                                                 current_app.config["UPLOAD_FOLDER"])
    return send_file(stream, mimetype=document.media_type, as_attachment=True,
                     download_name=document.filename, etag=document.sha256)


@blp.post("/nominations/<int:nomination_id>/withdraw")
@blp.arguments(WithdrawIn)
@blp.response(200, NominationOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422)
def withdraw(body, nomination_id):
    """The nominating unit withdraws its nomination before the vote."""
    return presenters.nomination(nominations.withdraw(current_api_user(), nomination_id, body["reason"]))
