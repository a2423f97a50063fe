"""Rounds and list proposals: the rounds, a round's panel (the office's control panel), making a list
from what the registry offers, and a list's page with each nominee and the step's actions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workflows.errors import Conflict as _Conflict
from workflows.errors import InvalidData, WorkflowError
from workflows.usecases import accounts, catalogue, proposals, rounds
from workflows.usecases.nominations import UploadLimits

from .. import vocabulary
from ..hostile_input import query_int
from ..vocabulary.process import DOCUMENT_LABELS, ELEMENT_NAMES, STATUS_LABELS, award_name, unit_name
from . import nominations as nomination_pages

bp = Blueprint("lists", __name__)
bp.context_processor(nomination_pages.display_labels)

COUNT_LABELS = {
    "proposed": _l("Proposed"), "checking": _l("To check"), "returned": _l("Returned"), "withdrawn": _l("Withdrawn"),
    "eligible": _l("Eligible"), "on_hold": _l("On hold"), "voting": _l("For the vote"), "voted": _l("Voted"),
    "signing": _l("For signature"), "decided": _l("Decided"),
}
OUTCOME_LABELS = {"accept": _l("Accept"), "return": _l("Return to the unit"), "hold": _l("Hold")}
PAPER_KINDS = ("proposal_letter", "review_minutes")


@bp.context_processor
def words() -> dict:
    return {"count_labels": COUNT_LABELS, "outcome_labels": OUTCOME_LABELS, "step_name": _step_name,
            "paper_labels": {k: DOCUMENT_LABELS[k] for k in PAPER_KINDS}, "all_status_labels": STATUS_LABELS,
            "award_name": award_name, "unit_name": unit_name}


def _step_name(key) -> str:
    return str(ELEMENT_NAMES.get(key or "", "")) if key else _("Ended")


# -- rounds ----------------------------------------------------------------------------------------

@bp.get("/rounds")
@login_required
def round_index():
    return _round_index()


def _round_index(*, status: int = 200, errors=None, values=None):
    return render_template("rounds/index.html", rows=rounds.listing(current_user), offices=rounds.offices(current_user),
                           awards=_awards(), errors=errors or {}, values=values or {},
                           this_year=proposals.today().year), status


def _awards():
    return [a for a in catalogue.award_types() if a.active]


@bp.post("/rounds")
@login_required
def round_open():
    form = request.form
    values = {"authority": form.get("authority", ""), "name": form.get("name", ""), "year": form.get("year", ""),
              "award_codes": form.getlist("award_codes"), "intake_deadline": form.get("intake_deadline", ""),
              "council_date": form.get("council_date", "")}
    try:
        row = rounds.open_round(current_user, values["authority"], values["name"], _int(values["year"]),
                                values["award_codes"], values["intake_deadline"], values["council_date"] or None)
    except InvalidData as error:
        return _round_index(status=422, errors=nomination_pages.field_errors(error, "name"), values=values)
    flash(_("The round “%(name)s” is open.", name=row.name), "success")
    return redirect(url_for("lists.round_panel", round_id=row.id))


@bp.get("/rounds/<int:round_id>")
@login_required
def round_panel(round_id):
    return _round_panel(round_id)


def _round_panel(round_id: int, *, status: int = 200, late_errors=None, late_values=None, message=None):
    panel = rounds.panel(current_user, round_id)
    return render_template("rounds/panel.html", panel=panel, round=panel.round, late_errors=late_errors or {},
                           late_values=late_values or {}, units=_units(), message=message,
                           may_propose=bool(current_user.roles & {"unit_clerk"}) and panel.round.status == "open",
                           today=proposals.today()), status


def _units():
    return accounts.units()


@bp.post("/rounds/<int:round_id>/late")
@login_required
def round_late(round_id):
    values = {"unit": request.form.get("unit", ""), "reason": request.form.get("reason", ""),
              "until": request.form.get("until", "")}
    try:
        rounds.accept_late(current_user, round_id, values["unit"], values["reason"], values["until"])
    except InvalidData as error:
        return _round_panel(round_id, status=422, late_errors=nomination_pages.field_errors(error, "reason"),
                            late_values=values)
    flash(_("Unit %(unit)s may propose late until %(until)s.", unit=values["unit"], until=values["until"]), "success")
    return redirect(url_for("lists.round_panel", round_id=round_id))


@bp.post("/rounds/<int:round_id>/close")
@login_required
def round_close(round_id):
    rounds.close_round(current_user, round_id)
    flash(_("The round is closed: it takes no more lists."), "success")
    return redirect(url_for("lists.round_panel", round_id=round_id))


# -- lists -----------------------------------------------------------------------------------------

@bp.get("/lists")
@login_required
def list_index():
    round_id = query_int("round") or None
    rows = proposals.search(current_user, round_id=round_id)
    return render_template("lists/index.html", rows=rows, may_propose="unit_clerk" in current_user.roles)


@bp.route("/lists/new", methods=["GET", "POST"])
@login_required
def list_new():
    source = request.form if request.method == "POST" else request.args
    award = source.get("award") or ""
    round_id = _int(source.get("round"))
    year = _int(source.get("year")) or proposals.today().year
    chosen_round = None
    open_rounds = rounds.open_for(current_user) if "unit_clerk" in current_user.roles else []
    for row in open_rounds:
        if row.id == round_id:
            chosen_round, year = row, row.year
    errors, status = {}, 200
    if request.method == "POST":
        ticked = [_int(value) for value in request.form.getlist("nominee")]
        kind_key = request.form.get("nominee_kind") == "collective" and "collective_id" or "person_id"
        try:
            row = proposals.propose(current_user, award_code=award, round_id=round_id, year=year,
                                    title=request.form.get("title", ""),
                                    nominees=[{kind_key: value} for value in ticked if value is not None])
        except WorkflowError as error:
            if isinstance(error, InvalidData) or error.fields:
                errors = nomination_pages.field_errors(error, "nominees")
            else:
                errors = {"nominees": vocabulary.describe(error).message}
            status = 422 if isinstance(error, InvalidData) else 409
        else:
            flash(_("The list is made: attach its papers and submit it to the unit head."), "success")
            return redirect(url_for("lists.list_detail", proposal_id=row.id))
    offered = proposals.candidates(current_user, award, year) if award else []
    ticked_now = {_int(v) for v in request.form.getlist("nominee")} if request.method == "POST" else \
        {c.id for c in offered if c.eligible}
    return render_template("lists/new.html", award=award, awards=_awards(), round_id=round_id,
                           chosen_round=chosen_round, open_rounds=open_rounds, year=year, offered=offered,
                           ticked=ticked_now, errors=errors, title=request.form.get("title", "")), status


@bp.get("/lists/<int:proposal_id>")
@login_required
def list_detail(proposal_id):
    return _list_detail(proposal_id)


def _list_detail(proposal_id: int, *, status: int = 200, errors=None, message=None, values=None):
    proposal = proposals.get(current_user, proposal_id)
    step = proposals.step_of(proposal)
    return render_template(
        "lists/detail.html", proposal=proposal, step=step, nominees=proposals.nominees(current_user, proposal_id),
        papers=proposals.papers(current_user, proposal_id), errors=errors or {}, message=message,
        values=values or {}, is_office=proposals.is_office(current_user, proposal),
        is_clerk=proposals.is_unit(current_user, proposal, "unit_clerk"),
        is_head=proposals.is_unit(current_user, proposal, "unit_head"),
        is_unit=proposals.is_unit(current_user, proposal), withdrawable=proposals.WITHDRAWABLE,
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"]), status


def _refused(proposal_id: int, error: WorkflowError, field: str):
    status = 422 if isinstance(error, InvalidData) else 409
    described = vocabulary.describe(error)
    return _list_detail(proposal_id, status=status, errors=described.fields or {field: described.message},
                        message=described.message)


@bp.post("/lists/<int:proposal_id>/submit")
@login_required
def list_submit(proposal_id):
    try:
        proposals.submit(current_user, proposal_id, request.form.get("comment", ""))
    except (InvalidData, _Conflict) as error:
        return _refused(proposal_id, error, "submit")
    flash(_("The list was sent to the unit head."), "success")
    return redirect(url_for("lists.list_detail", proposal_id=proposal_id))


@bp.post("/lists/<int:proposal_id>/endorse")
@login_required
def list_endorse(proposal_id):
    approve = request.form.get("decision") != "return"
    try:
        proposals.endorse(current_user, proposal_id, approve=approve, comment=request.form.get("comment", ""))
    except (InvalidData, _Conflict) as error:
        return _refused(proposal_id, error, "comment")
    flash(_("The list was sent to the office.") if approve else _("The list was returned to the clerk."), "success")
    return redirect(url_for("lists.list_detail", proposal_id=proposal_id))


@bp.post("/lists/<int:proposal_id>/check")
@login_required
def list_check(proposal_id):
    """One submission for the whole list: each nominee's outcome and reason, those left blank undecided."""
    decisions = {}
    for key, outcome in request.form.items():
        if key.startswith("outcome-") and outcome:
            nomination_id = key.removeprefix("outcome-")
            decisions[nomination_id] = {"outcome": outcome, "reason": request.form.get(f"reason-{nomination_id}", "")}
    try:
        proposals.check(current_user, proposal_id, decisions)
    except (InvalidData, _Conflict) as error:
        status = 422 if isinstance(error, InvalidData) else 409
        described = vocabulary.describe(error)
        errors = {key.removeprefix("decisions."): value for key, value in described.fields.items()}
        return _list_detail(proposal_id, status=status, errors=errors or {"check": described.message},
                            message=described.message, values=dict(request.form))
    flash(_("The office's decisions are recorded."), "success")
    return redirect(url_for("lists.list_detail", proposal_id=proposal_id))


@bp.post("/lists/<int:proposal_id>/nominees/<int:nomination_id>/withdraw")
@login_required
def nominee_withdraw(proposal_id, nomination_id):
    try:
        proposals.withdraw_nominee(current_user, nomination_id, request.form.get("reason", ""),
                                   proposal_id=proposal_id)
    except (InvalidData, _Conflict) as error:
        described = vocabulary.describe(error)
        return _list_detail(proposal_id, status=422 if isinstance(error, InvalidData) else 409,
                            errors={f"withdraw-{nomination_id}": described.message}, message=described.message)
    flash(_("The nominee was taken off the list."), "success")
    return redirect(url_for("lists.list_detail", proposal_id=proposal_id))


@bp.post("/lists/<int:proposal_id>/nominees/<int:nomination_id>/release")
@login_required
def nominee_release(proposal_id, nomination_id):
    try:
        proposals.release_hold(current_user, nomination_id, proposal_id=proposal_id)
    except _Conflict as error:
        return _refused(proposal_id, error, "check")
    flash(_("The nominee is released from hold."), "success")
    return redirect(url_for("lists.list_detail", proposal_id=proposal_id))


@bp.post("/lists/<int:proposal_id>/papers")
@login_required
def paper_upload(proposal_id):
    if not proposals.is_unit(current_user, proposals.get(current_user, proposal_id), "unit_clerk"):
        abort(403, _("Only the unit's emulation officer attaches the list's papers."))
    upload = request.files.get("file")
    limits = UploadLimits(folder=current_app.config["UPLOAD_FOLDER"],
                          max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    if upload is None or not upload.filename:
        return _list_detail(proposal_id, status=422, errors={"file": _("Choose a file to upload.")})
    try:
        proposals.upload_paper(current_user, proposal_id, kind=request.form.get("kind", ""), stream=upload.stream,
                               filename=upload.filename, limits=limits)
    except (InvalidData, _Conflict) as error:
        described = vocabulary.describe(error)
        return _list_detail(proposal_id, status=422 if isinstance(error, InvalidData) else 409,
                            errors={"file": described.message, **described.fields}, message=described.message)
    finally:
        upload.close()
    flash(_("The paper is attached."), "success")
    return redirect(url_for("lists.list_detail", proposal_id=proposal_id, _anchor="papers"))


@bp.get("/lists/<int:proposal_id>/papers/<int:paper_id>")
@login_required
def paper_download(proposal_id, paper_id):
    paper, stream = proposals.open_paper(current_user, proposal_id, paper_id, current_app.config["UPLOAD_FOLDER"])
    return send_file(stream, mimetype=paper.media_type, as_attachment=True, download_name=paper.filename,
                     etag=paper.sha256)


# -- helpers -----------------------------------------------------------------------------------------


def _int(value) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return None
