"""Rounds (đợt xét) and list proposals: open a round, let a unit in late, propose a list, take its
steps, and read a list or a round with its counts (docs/rounds.md)."""

from flask import current_app, request, send_file
from flask_smorest import Blueprint

from workflows.usecases import proposals, rounds
from workflows.usecases.nominations import UploadLimits

from .errors import refuse
from .list_schemas import (
    CheckIn,
    EndorseIn,
    LateEntryIn,
    LateEntryOut,
    NomineeWithdrawIn,
    ProposalBrief,
    ProposalIn,
    ProposalOut,
    ProposalPaperOut,
    ProposalQuery,
    RoundDetail,
    RoundEdit,
    RoundIn,
    RoundOut,
    RoundQuery,
    SubmitIn,
)
from .presenters import utc
from .responses import multipart, responds
from .schemas import DocumentIn, DocumentUpload
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_rounds", __name__, description="Rounds and list proposals")
blp.before_request(require_token)


# -- presenting ------------------------------------------------------------------------------------

def round_out(row) -> dict:
    return {"id": row.id, "authority": row.authority.code, "name": row.name, "year": row.year,
            "award_codes": list(row.award_codes or []), "intake_deadline": row.intake_deadline,
            "council_date": row.council_date, "status": row.status,
            "intake_open": row.status == "open" and proposals.today() <= row.intake_deadline}


def late_out(line) -> dict:
    entry = line.entry
    return {"round_id": entry.round_id, "unit": line.unit_code, "reason": entry.reason, "until": entry.until,
            "accepted_by": line.accepted_by, "accepted_at": utc(entry.accepted_at)}


def round_detail(panel) -> dict:
    return {**round_out(panel.round), "counts": panel.totals,
            "rows": [{"unit": r.unit.code, "award_type": r.award_code, "counts": r.counts} for r in panel.rows],
            "lists": [brief(line.proposal, line.step, line.nominees, line.to_decide) for line in panel.lists],
            "late_entries": [late_out(e) for e in panel.late]}


def brief(proposal, step, nominees, to_decide) -> dict:
    return {"id": proposal.id, "unit": proposal.unit.code, "award_type": proposal.award_type.code,
            "title": proposal.title, "status": proposal.status, "step": step, "nominees": nominees,
            "to_decide": to_decide}


def proposal_out(actor, proposal) -> dict:
    nominees = proposals.nominees(actor, proposal.id)
    return {"id": proposal.id, "status": proposal.status, "step": proposals.step_of(proposal),
            "award_type": proposal.award_type.code, "year": proposal.year, "unit": proposal.unit.code,
            "authority": proposal.authority.code, "round_id": proposal.round_id, "title": proposal.title,
            "late_reason": proposal.late_reason, "submitted_at": utc(proposal.submitted_at),
            "created_at": utc(proposal.created_at),
            "nominees": [{"nomination_id": n.id, "name": n.nominee_name, "position": n.nominee_position,
                          "kind": n.nominee_kind,
                          "code": n.person.code if n.person is not None else
                          n.collective.code if n.collective is not None else None,
                          "status": n.status, "unmet": sum(1 for f in n.findings or [] if f.get("met") is False),
                          "findings": n.findings or [], "withdrawn_reason": n.withdrawn_reason} for n in nominees],
            "papers": [paper_out(p) for p in proposals.papers(actor, proposal.id)]}


def paper_out(paper) -> dict:
    return {"id": paper.id, "kind": paper.kind, "version": paper.version, "filename": paper.filename,
            "size": paper.size, "sha256": paper.sha256}


# -- rounds ----------------------------------------------------------------------------------------

@blp.post("/rounds")
@blp.arguments(RoundIn)
@blp.response(201, RoundOut)
@blp.doc(security=BEARER)
@responds(401, 403, 409, 422)
def open_round(body):
    """The office of an authority opens a round for some award types until its intake deadline."""
    row = rounds.open_round(current_api_user(), body["authority"], body["name"], body["year"], body["award_codes"],
                            body["intake_deadline"], body.get("council_date"))
    return round_out(row)


@blp.get("/rounds")
@blp.arguments(RoundQuery, location="query")
@blp.response(200, RoundOut(many=True))
@blp.doc(security=BEARER)
@responds(401, 422)
def round_list(query):
    """The rounds the caller may see, newest first: their authority's, and those their unit proposes to."""
    return [round_out(r) for r in rounds.listing(current_api_user(), status=query.get("status"))]


@blp.get("/rounds/<int:round_id>")
@blp.response(200, RoundDetail)
@blp.doc(security=BEARER)
@responds(401, 404)
def round_read(round_id):
    """A round with its counts per unit and award type and its lists (a unit sees its own lists only)."""
    return round_detail(rounds.panel(current_api_user(), round_id))


@blp.put("/rounds/<int:round_id>")
@blp.arguments(RoundEdit)
@blp.response(200, RoundOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def round_edit(body, round_id):
    """The office changes what the round says; fields not given stay."""
    return round_out(rounds.edit_round(current_api_user(), round_id, **body))


@blp.post("/rounds/<int:round_id>/close")
@blp.response(200, RoundOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409)
def round_close(round_id):
    """The office closes the round: it takes no more lists."""
    return round_out(rounds.close_round(current_api_user(), round_id))


@blp.post("/rounds/<int:round_id>/late-entries")
@blp.arguments(LateEntryIn)
@blp.response(201, LateEntryOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def late_entry(body, round_id):
    """The office lets one unit propose after the deadline, until a day, for a written reason."""
    return late_out(rounds.accept_late(current_api_user(), round_id, body["unit"], body["reason"], body["until"]))


# -- lists -----------------------------------------------------------------------------------------

@blp.post("/proposals")
@blp.arguments(ProposalIn)
@blp.response(201, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def propose(body):
    """A unit clerk proposes a list of nominees for one award (into a round, if named); its process starts."""
    actor = current_api_user()
    row = proposals.propose(actor, award_code=body["award_type"], round_id=body.get("round_id"),
                            year=body.get("year"), title=body.get("title", ""), nominees=body["nominees"])
    return proposal_out(actor, row)


@blp.get("/proposals")
@blp.arguments(ProposalQuery, location="query")
@blp.response(200, ProposalBrief(many=True))
@blp.doc(security=BEARER)
@responds(401, 422)
def proposal_list(query):
    """The lists the caller may see, newest first."""
    return [brief(p, step, count, to_decide)
            for p, step, count, to_decide in proposals.search(current_api_user(), **query)]


@blp.get("/proposals/<int:proposal_id>")
@blp.response(200, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 404)
def proposal_read(proposal_id):
    """A list with the step it waits at, each nominee's status and findings, and its papers."""
    actor = current_api_user()
    return proposal_out(actor, proposals.get(actor, proposal_id))


@blp.post("/proposals/<int:proposal_id>/submit")
@blp.arguments(SubmitIn)
@blp.response(200, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def submit(body, proposal_id):
    """The unit clerk sends the prepared list to the unit head (step prepare_list)."""
    actor = current_api_user()
    return proposal_out(actor, proposals.submit(actor, proposal_id, body.get("comment", "")))


@blp.post("/proposals/<int:proposal_id>/endorse")
@blp.arguments(EndorseIn)
@blp.response(200, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def endorse(body, proposal_id):
    """The unit head endorses the list (to the office) or returns it to the clerk with a comment."""
    actor = current_api_user()
    return proposal_out(actor, proposals.endorse(actor, proposal_id, approve=body["decision"] == "endorse",
                                                 comment=body.get("comment", "")))


@blp.post("/proposals/<int:proposal_id>/check")
@blp.arguments(CheckIn)
@blp.response(200, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def check(body, proposal_id):
    """The office decides on nominees of the list: accept, return or hold, each by nomination id."""
    actor = current_api_user()
    return proposal_out(actor, proposals.check(actor, proposal_id, body["decisions"]))


@blp.post("/proposals/<int:proposal_id>/nominees/<int:nomination_id>/withdraw")
@blp.arguments(NomineeWithdrawIn)
@blp.response(200, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 422)
def withdraw_nominee(body, proposal_id, nomination_id):
    """The unit takes one nominee off its list, with a reason, before the council takes them up."""
    actor = current_api_user()
    proposals.withdraw_nominee(actor, nomination_id, body["reason"], proposal_id=proposal_id)
    return proposal_out(actor, proposals.get(actor, proposal_id))


@blp.post("/proposals/<int:proposal_id>/nominees/<int:nomination_id>/release")
@blp.response(200, ProposalOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409)
def release_hold(proposal_id, nomination_id):
    """The office releases a held nominee to the council's vote or to the head's signature."""
    actor = current_api_user()
    proposals.release_hold(actor, nomination_id, proposal_id=proposal_id)
    return proposal_out(actor, proposals.get(actor, proposal_id))


@blp.post("/proposals/<int:proposal_id>/papers")
@blp.arguments(DocumentIn, location="form", content_type="multipart/form-data")
@blp.response(201, ProposalPaperOut)
@blp.doc(security=BEARER, requestBody=multipart(DocumentUpload))
@responds(401, 403, 404, 409, 413, 422)
def upload_paper(form, proposal_id):
    """Attach the list's proposal letter or review minutes (multipart field ``file``, kind
    ``proposal_letter`` or ``review_minutes``) while the unit prepares it."""
    upload_file = request.files.get("file")
    if upload_file is None:
        refuse(422, "upload.file_needed", file="field.required")
    limits = UploadLimits(folder=current_app.config["UPLOAD_FOLDER"],
                          max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    try:
        return paper_out(proposals.upload_paper(current_api_user(), proposal_id, kind=form["kind"],
                                                stream=upload_file.stream, filename=upload_file.filename or "",
                                                limits=limits))
    finally:
        upload_file.close()


@blp.get("/proposals/<int:proposal_id>/papers/<int:paper_id>")
@blp.response(200, description="The paper's bytes")
@blp.doc(security=BEARER)
@responds(401, 404)
def download_paper(proposal_id, paper_id):
    """Download one version of a list's paper, checked against the SHA-256 recorded at upload."""
    paper, stream = proposals.open_paper(current_api_user(), proposal_id, paper_id,
                                         current_app.config["UPLOAD_FOLDER"])
    return send_file(stream, mimetype=paper.media_type, as_attachment=True, download_name=paper.filename,
                     etag=paper.sha256)
