"""The registry of people and collectives: search, read, import, export, review holds."""

import io

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from workflows.usecases.registry import exporting, importing, records

from .. import vocabulary
from ..sheet_limits import sheet_limits
from . import presenters
from .errors import refusal_json, refuse
from .responses import TOTAL_COUNT, multipart, responds
from .schemas import (
    CollectiveBrief,
    CollectiveOut,
    ExportQuery,
    HoldIn,
    HoldOut,
    ImportIn,
    ImportOut,
    ImportUpload,
    LiftIn,
    PersonBrief,
    PersonOut,
    RegistryQuery,
)
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_registry", __name__, description="The registry of people and collectives")
blp.before_request(require_token)


@blp.get("/people")
@blp.arguments(RegistryQuery, location="query")
@blp.response(200, PersonBrief(many=True), headers=TOTAL_COUNT)
@blp.doc(security=BEARER)
@responds(401, 403, 422)
def people(query):
    """People the caller may read, by code; filters unit and q (name or code); the total is in X-Total-Count."""
    page = records.people(current_api_user(), **query)
    return [presenters.person_brief(p) for p in page.items], {"X-Total-Count": str(page.total)}


@blp.get("/people/<code>")
@blp.response(200, PersonOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404)
def person(code):
    """A person with their assessments, awards, initiatives, discipline and holds."""
    return presenters.registry_record(records.person(current_api_user(), code))


@blp.get("/collectives")
@blp.arguments(RegistryQuery, location="query")
@blp.response(200, CollectiveBrief(many=True), headers=TOTAL_COUNT)
@blp.doc(security=BEARER)
@responds(401, 403, 422)
def collectives(query):
    """Collectives the caller may read, by code; the total is in X-Total-Count."""
    page = records.collectives(current_api_user(), **query)
    return [presenters.collective_brief(c) for c in page.items], {"X-Total-Count": str(page.total)}


@blp.get("/collectives/<code>")
@blp.response(200, CollectiveOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404)
def collective(code):
    """A collective with its history, holds and members."""
    return presenters.registry_record(records.collective(current_api_user(), code))


@blp.post("/registry/import")
@blp.arguments(ImportIn, location="form", content_type="multipart/form-data")
@blp.response(200, ImportOut)
@blp.doc(security=BEARER, requestBody=multipart(ImportUpload))
@responds(401, 403, 409, 413, 422)
def import_file(form):
    """Import a CSV or XLSX file (multipart field ``file``): all rows or, on any bad row, none."""
    upload = request.files.get("file")
    if upload is None:
        refuse(422, "upload.file_needed", file="field.required")
    try:
        data = importing.read_upload(upload.stream, current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    finally:
        upload.close()
    try:
        result = importing.import_file(current_api_user(), data, upload.filename or "", form.get("kind") or None,
                                        limits=sheet_limits())
    except importing.ImportRejected as rejected:
        # The error shape of every API error, plus the rows the user must correct.
        return refusal_json(422, vocabulary.describe(rejected), rows=[
            {"sheet": row.sheet, "row": row.row, "column": row.column, "code": row.reason.code,
             "params": vocabulary.plain_params(row.reason.params), "message": vocabulary.refusal_words(row.reason)}
            for row in rejected.rows])
    return {"counts": result.as_dict(), "rows": result.rows}


@blp.get("/registry/export")
@blp.arguments(ExportQuery, location="query")
@blp.response(200, description="The spreadsheet, in the import's own format")
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def export(query):
    """One kind as CSV (UTF-8 with BOM) or XLSX, or every kind as one workbook (kind=all, XLSX)."""
    made = exporting.export(current_api_user(), kind=query["kind"], file_format=query["format"],
                            unit=query.get("unit") or None)
    return _download(made)


@blp.post("/people/<code>/holds")
@blp.arguments(HoldIn)
@blp.response(201, HoldOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422)
def hold_person(body, code):
    """Hold a person's nominations back from the vote (secretariat, admin)."""
    return presenters.hold(records.place_hold(current_api_user(), "person", code, **body))


@blp.post("/collectives/<code>/holds")
@blp.arguments(HoldIn)
@blp.response(201, HoldOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422)
def hold_collective(body, code):
    """Hold a collective's nominations back from the vote (secretariat, admin)."""
    return presenters.hold(records.place_hold(current_api_user(), "collective", code, **body))


@blp.post("/holds/<int:hold_id>/lift")
@blp.arguments(LiftIn)
@blp.response(200, HoldOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422)
def lift(body, hold_id):
    """Lift a hold, with the reason (secretariat, admin)."""
    return presenters.hold(records.lift_hold(current_api_user(), hold_id, reason=body["reason"]))


def _download(made):
    response = send_file(io.BytesIO(made.data), mimetype=made.media_type, as_attachment=True,
                         download_name=made.filename)
    response.content_type = made.media_type  # as given: send_file adds a charset even to one that names it
    return response
