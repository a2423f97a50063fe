"""The head's signing of a whole list, the list decision's page with its annex, and the office's
record of the answer from above."""

import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workflows.errors import InvalidData, TooLarge
from workflows.usecases import decisions, list_decisions, upward

from . import nominations as nomination_pages

bp = Blueprint("list_decisions", __name__)
bp.context_processor(nomination_pages.display_labels)

RESULT_LABELS = {"awarded": _l("Awarded"), "not_awarded": _l("Not awarded")}
KIND_TITLES = {"decision": _l("Decision %(number)s"), "proposal": _l("Proposal %(number)s to the higher level")}


@bp.get("/lists/signing")
@login_required
def waiting():
    """The lists waiting for the head's signature in the authorities they head."""
    return render_template("list_decisions/waiting.html", rows=list_decisions.waiting(current_user))


@bp.get("/lists/<int:list_id>/sign")
@login_required
def sign(list_id):
    return _signing(list_id)


def _signing(list_id: int, *, status: int = 200, errors=None, values=None):
    preview = list_decisions.preview(current_user, list_id)
    errors = errors or {}
    return render_template(
        "list_decisions/sign.html", preview=preview, errors=errors, values=values or {"choice": "approve"},
        summary=nomination_pages.summary(errors, {"choice": "sign-approve", "comment": "sign-comment",
                                                  "password": "sign-password"}),
        decision=list_decisions.decision_of_list(list_id)), status


@bp.post("/lists/<int:list_id>/sign")
@login_required
def sign_post(list_id):
    choice = request.form.get("choice", "")
    values = {"choice": choice, "comment": request.form.get("comment", "")}
    if choice not in ("approve", "refuse"):
        return _signing(list_id, status=422, errors={"choice": _("Choose to sign or to refuse.")}, values=values)
    try:
        signed = list_decisions.sign_list(current_user, list_id, password=request.form.get("password"),
                                          approve=choice == "approve", comment=values["comment"])
    except InvalidData as error:
        # The password is never shown back; the choice and the comment are kept.
        return _signing(list_id, status=422, errors=nomination_pages.field_errors(error, "comment"), values=values)
    if signed.decision is None:
        flash(_("The list was refused; no number was used."), "success")
        return redirect(url_for("list_decisions.sign", list_id=list_id))
    flash(_("%(title)s signed for %(count)s awardees.", title=_title(signed.decision),
            count=len(signed.decision.awardees)), "success")
    return redirect(url_for("list_decisions.detail", decision_id=signed.decision.id))


@bp.get("/decisions/<int:decision_id>")
@login_required
def detail(decision_id):
    decision = decisions.get(current_user, decision_id)
    if decision.nomination_id is not None:
        return redirect(url_for("nominations.detail", nomination_id=decision.nomination_id, _anchor="documents"))
    return render_detail(decision_id)


def render_detail(decision_id: int, *, status: int = 200, revoke_errors=None, revoke_values=None,
                  outcome_errors=None, outcome_values=None):
    decision = list_decisions.get(current_user, decision_id)
    content = decisions.signed_content(decision)
    outcome = upward.outcome_of(decision) if decision.kind == "proposal" else None
    may_revoke = decision.revoked_at is None and decisions.may_revoke(current_user, decision)
    may_record = (decision.kind == "proposal" and outcome is None and decision.revoked_at is None
                  and upward.may_record(current_user, decision))
    revoke_errors, outcome_errors = revoke_errors or {}, outcome_errors or {}
    return render_template(
        "list_decisions/detail.html", decision=decision, content=content, title=_title(decision),
        annex=list_decisions.annex(decision), outcome=outcome, result_labels=RESULT_LABELS,
        may_revoke=may_revoke, needs_password=may_revoke and "admin" not in current_user.roles,
        may_record=may_record, revoke_errors=revoke_errors, revoke_values=revoke_values or {},
        outcome_errors=outcome_errors, outcome_values=outcome_values or {},
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        revoke_summary=nomination_pages.summary(revoke_errors, {
            "reason_code": "revoke-false_declaration", "reason": "revoke-reason", "password": "revoke-password"}),
        outcome_summary=nomination_pages.summary(outcome_errors, {
            "higher_authority": "outcome-authority", "number": "outcome-number", "decided_on": "outcome-date",
            "results": "outcome-results", "scan": "outcome-scan", "file": "outcome-scan"})), status


@bp.get("/decisions/<int:decision_id>/document.pdf")
@login_required
def document(decision_id):
    paper = list_decisions.document(current_user, decision_id)
    return send_file(io.BytesIO(paper.content), mimetype=paper.media_type, as_attachment=True,
                     download_name=paper.filename)


@bp.post("/decisions/<int:decision_id>/outcome")
@login_required
def record_outcome(decision_id):
    decision = list_decisions.get(current_user, decision_id)
    form = request.form
    values = {"higher_authority": form.get("higher_authority", ""), "number": form.get("number", ""),
              "decided_on": form.get("decided_on", ""),
              "results": {key.removeprefix("result-"): value for key, value in form.items()
                          if key.startswith("result-")}}
    upload_file = request.files.get("scan")
    scan = (upload_file.filename or "", upload_file.stream) if upload_file and upload_file.filename else None
    limits = upward.UploadLimits(folder=current_app.config["UPLOAD_FOLDER"],
                                 max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    try:
        upward.record_outcome(current_user, decision.id, higher_authority=values["higher_authority"],
                              number=values["number"], decided_on=values["decided_on"],
                              results=values["results"], scan=scan, limits=limits)
    except (InvalidData, TooLarge) as error:
        status = 413 if isinstance(error, TooLarge) else 422
        errors = nomination_pages.field_errors(error, "scan")
        if any(key.startswith("results.") for key in errors):
            errors["results"] = next(v for k, v in errors.items() if k.startswith("results."))
        return render_detail(decision_id, status=status, outcome_errors=errors, outcome_values=values)
    finally:
        if upload_file is not None:
            upload_file.close()
    flash(_("The answer from above to %(number)s is recorded.", number=decision.number), "success")
    return redirect(url_for("list_decisions.detail", decision_id=decision_id, _anchor="outcome"))


@bp.get("/decisions/<int:decision_id>/outcome/scan")
@login_required
def scan(decision_id):
    found, stream = upward.open_scan(current_user, decision_id, current_app.config["UPLOAD_FOLDER"])
    return send_file(stream, mimetype=found.media_type, as_attachment=True, download_name=found.filename,
                     etag=found.sha256)


def _title(decision) -> str:
    return str(KIND_TITLES.get(decision.kind, KIND_TITLES["decision"])) % {"number": decision.number}


