"""Nominations: the list, starting one, its page with dossier, diagram and timeline, and the unit's actions."""

import functools
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from workflows.errors import Conflict, InvalidData, TooLarge
from workflows.models.nominations import END_STATUSES, STATUSES
from workflows.rendering.diagram import render_svg
from workflows.rendering.diagram_text import Typeface, load_typeface
from workflows.services.documents import DOCUMENT_KINDS
from workflows.usecases import accounts, catalogue, nominations, paperwork
from workflows.usecases.nominations import UploadLimits

from .. import vocabulary
from ..hostile_input import query_int
from ..vocabulary.process import (
    CHOICE_LABELS,
    DOCUMENT_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    REVOCATION_LABELS,
    STATUS_LABELS,
    award_name,
    revocation_note,
    revocation_reason,
    unit_name,
)
from .registry import HOLD_LABELS

bp = Blueprint("nominations", __name__)

PAGE_SIZE = 50

STATUS_BADGES = {
    "preparing": "text-bg-secondary", "endorsing": "text-bg-info", "checking": "text-bg-info",
    "appraising": "text-bg-info", "voting": "text-bg-warning", "signing": "text-bg-warning",
    "awarded": "text-bg-success", "forwarded": "text-bg-success", "not_approved": "text-bg-danger",
    "rejected": "text-bg-danger", "withdrawn": "text-bg-dark", "revoked": "text-bg-danger",
}
ROLE_LABELS = {
    "unit_clerk": _l("the unit's emulation officer"), "unit_head": _l("the unit head"),
    "secretariat": _l("the secretariat"), "reviewer": _l("reviewer"), "council_member": _l("council member"),
    "council_chair": _l("the council chair"),
}
ACTION_LABELS = {
    "process_started": _l("started the nomination"), "document_uploaded": _l("uploaded a document"),
    "document_removed": _l("removed a document"), "task_completed": _l("completed a step"),
    "returned": _l("returned the dossier"), "task_claimed": _l("took the task"),
    "task_unclaimed": _l("gave the task back"), "ballot_cast": _l("cast a ballot"),
    "eligibility_checked": _l("checked eligibility"), "tally": _l("counted the ballots"),
    "decision_signed": _l("signed the decision"), "withdrawn": _l("withdrew the nomination"),
    "reminder_sent": _l("sent a reminder"), "timer_fired": _l("a deadline passed"),
    "process_failed": _l("a process step failed"),
    "signature_given": _l("signed electronically"), "decision_revoked": _l("revoked the decision"),
    # A nominee of a list: the list's own steps are on the list's page.
    "nominee_listed": _l("put the nominee on a list"), "nominee_accepted": _l("accepted the nominee"),
    "nominee_held": _l("held the nominee"), "nominee_released": _l("released the nominee from hold"),
}
# The main prerequisites of each award in the demo catalogue, as a reminder for whoever nominates.
CRITERIA = {
    "LDTT": _l("Assessed at least as having completed tasks well that year; not recruited less than "
               "6 months before the year's end."),
    "CSTDCS": _l("Advanced Worker that year, and assessed excellent or with a recognised initiative."),
    "CSTDBO": _l("Grassroots Emulation Fighter three years in a row ending this year; an initiative with "
                 "agency-wide influence."),
    "CSTDTQ": _l("Agency-level Emulation Fighter twice in a row; a nationally replicable initiative."),
    "GIAYKHEN": _l("Achievements in the unit's emulation movements."),
    "BKBAN": _l("Grassroots Emulation Fighter twice in a row, or two consecutive excellent years with two "
                "initiatives not already used."),
    "BKTTG": _l("Holds the Agency Certificate of Merit, then at least 5 consecutive years of tasks completed "
                "well or better, including 3 times Grassroots Emulation Fighter."),
    "HCLD3": _l("Holds the Prime Minister's Certificate of Merit, then at least 5 consecutive years including "
                "one excellent year and 3 times Grassroots Emulation Fighter; public notice first."),
    "TTLDTT": _l("Tasks completed well; at least 70 per cent of members Advanced Workers; no member disciplined at "
                 "warning or above."),
    "TTLDXS": _l("Tasks completed excellently; has a Grassroots Emulation Fighter; no member disciplined at "
                 "warning or above."),
    "COTDBAN": _l("The leading collective of a cluster or bloc organised by the agency."),
    "COTDCP": _l("The leading unit of a bloc organised by the Central Council, each year."),
}


def display_labels() -> dict:
    """Words for the codes the nomination and task pages show."""
    return {"status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES, "kind_labels": KIND_LABELS,
            "level_labels": LEVEL_LABELS, "document_labels": DOCUMENT_LABELS, "choice_labels": CHOICE_LABELS,
            "role_labels": ROLE_LABELS, "award_name": award_name, "unit_name": unit_name,
            "revocation_note": revocation_note, "revocation_reason": revocation_reason}


bp.context_processor(display_labels)


class NominationForm(FlaskForm):
    """Only collects and shows the input: every rule is checked once, by the use case."""

    award_type = SelectField(_l("Award"), validate_choice=False)
    nominee_kind = RadioField(_l("Nominee is"), validate_choice=False, default="individual",
                              choices=[SelectChoice("individual", _l("an individual")),
                                       SelectChoice("collective", _l("a collective"))])
    nominee_code = StringField(_l("Registry code of the person or collective"))
    nominee_name = StringField(_l("Name of the person or collective"))
    nominee_position = StringField(_l("Position (optional)"))
    nominee_username = StringField(_l("Username, if the nominee uses Laurel (optional)"))
    year = IntegerField(_l("Year"), default=lambda: date.today().year)
    summary = TextAreaField(_l("Summary of achievements"))


# Keys of InvalidData.fields from nominations.start -> the form field that shows them.
START_ERROR_FIELDS = {
    "award_type": "award_type", "nominee": "nominee_name", "nominee.kind": "nominee_kind",
    "nominee.code": "nominee_code", "nominee.name": "nominee_name", "nominee.position": "nominee_position",
    "nominee.username": "nominee_username", "year": "year", "summary": "summary",
}


@bp.get("/nominations")
@login_required
def index():
    args = request.args
    filters = {"unit": args.get("unit") or None, "year": query_int("year"),
               "award_type": args.get("award_type") or None, "status": args.get("status") or None}
    page = max(query_int("page", 1), 1)
    rows, total = nominations.search(current_user, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("nominations/index.html", rows=rows, total=total, filters=filters, page=page,
                           query={name: value for name, value in filters.items() if value},
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), units=accounts.units(),
                           award_types=catalogue.award_types(), statuses=STATUSES + END_STATUSES,
                           may_start=nominations.may_start(current_user))


@bp.route("/nominations/new", methods=["GET", "POST"])
@login_required
def new():
    if not nominations.may_start(current_user):
        abort(403, _("Only a unit's emulation officer can start a nomination."))
    awards = catalogue.award_types()
    form = NominationForm()
    form.award_type.choices = [SelectChoice("", _("Choose an award"))] + [
        SelectChoice(a.code, f"{award_name(a)} ({a.code})") for a in awards]
    status, general_errors = 200, []
    if form.is_submitted():
        try:
            nomination = nominations.start(current_user, award_type=form.award_type.data, year=_year(form.year),
                                           summary=form.summary.data or "", nominee={
                                               "kind": form.nominee_kind.data, "code": form.nominee_code.data or None,
                                               "name": form.nominee_name.data,
                                               "position": form.nominee_position.data or None,
                                               "username": form.nominee_username.data or None})
        except InvalidData as error:
            general_errors = _place_errors(form, error)
            status = 422
        except Conflict as error:
            # The nominee holds the award or is proposed for it already: said at the top, pointing at who.
            form.nominee_code.errors = [vocabulary.describe(error).message]
            status = 409
        else:
            flash(_("Nomination %(id)s started. Now upload the dossier documents.", id=nomination.id), "success")
            return redirect(url_for(".detail", nomination_id=nomination.id))
    return render_template("nominations/new.html", form=form, awards=awards, criteria=CRITERIA,
                           general_errors=general_errors,
                           registry=nominations.registry_of_unit(current_user.unit_id)), status


def _year(field):
    """The year as a number, or as typed, so that the use case can say what is wrong with it."""
    if field.data is not None:
        return field.data
    return field.raw_data[0] if field.raw_data else None


def _place_errors(form, error: InvalidData) -> list[str]:
    """Put each field's error next to its field; answer the errors that belong to no field."""
    described, unplaced = vocabulary.describe(error), []
    for key, message in described.fields.items():
        name = START_ERROR_FIELDS.get(key)
        if name:
            getattr(form, name).errors = [message]
        else:
            unplaced.append(message)
    return unplaced if unplaced or described.fields else [described.message]


def field_errors(error, field: str) -> dict[str, str]:
    """A refusal's words by field; one that names no field goes to ``field``."""
    described = vocabulary.describe(error)
    return described.fields or {field: described.message}


@bp.get("/nominations/<int:nomination_id>")
@login_required
def detail(nomination_id):
    return _detail(nomination_id)


def _detail(nomination_id: int, *, status: int = 200, upload_errors=None, upload_kind: str = "",
            withdraw_errors=None, withdraw_reason: str = "", revoke_errors=None, revoke_values=None):
    page = nominations.page(current_user, nomination_id, current_app.config["UPLOAD_FOLDER"])
    progress = page.progress
    svg = Markup(diagram_svg(progress, nomination_id))
    upload_errors, withdraw_errors, revoke_errors = upload_errors or {}, withdraw_errors or {}, revoke_errors or {}
    return render_template(
        "nominations/detail.html", page=page, nomination=page.nomination, diagram=svg,
        timeline=[(entry, describe(entry)) for entry in page.timeline], action_labels=ACTION_LABELS,
        document_kinds=DOCUMENT_KINDS, upload_errors=upload_errors,
        upload_kind=upload_kind or _first_missing(page.dossier), withdraw_errors=withdraw_errors,
        withdraw_reason=withdraw_reason, max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        holds=nominations.open_holds(page.nomination), hold_labels=HOLD_LABELS,
        papers=paperwork.available(current_user, page.nomination), revoke_errors=revoke_errors,
        revoke_values=revoke_values or {},
        upload_summary=summary(upload_errors, {"kind": "upload-kind", "file": "upload-file"}),
        withdraw_summary=summary(withdraw_errors, {"reason": "withdraw-reason"}),
        revoke_summary=summary(revoke_errors, {"reason_code": "revoke-false_declaration", "reason": "revoke-reason",
                                               "password": "revoke-password"})), status


def _first_missing(dossier) -> str:
    """The kind the upload form offers first: the first required document still missing, if any."""
    return next((group.kind for group in dossier if group.required and not group.present), "")


def summary(errors: dict[str, str], targets: dict[str, str]) -> list[tuple[str | None, str]]:
    """A refused form's errors as its summary lists them: each linked to its field, in the form's order."""
    order = list(targets)
    ranked = sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return [(targets.get(name), message) for name, message in ranked]


render_detail = _detail  # the decisions pages show the revocation form's errors on this page


# The diagram's words are laid out with the widths of the font the page serves for them (see laurel.css).
DIAGRAM_FAMILY = "'Laurel Noto Sans', 'Noto Sans', sans-serif"
DIAGRAM_FACES = (("NotoSans-Regular.ttf", 400), ("NotoSans-Bold.ttf", 700))


# Stands for the nomination's own title in a drawing shared by every nomination at the same step.
_TITLE = "LAUREL-DIAGRAM-TITLE"


def diagram_svg(progress, nomination_id: int, *, standalone: bool = False) -> str:
    """The nomination's process in the reader's language, its current step highlighted, the done ones ticked.

    The page draws it at its own size in a figure that scrolls sideways; ``standalone`` is the file
    opened on its own, which carries its style and loads its font itself.
    """
    drawing = _drawing(progress.diagram, progress.current, progress.done, str(get_locale()), standalone)
    return drawing.replace(_TITLE, str(escape(_("Process of nomination %(id)s", id=nomination_id))), 1)


@functools.cache
def diagram_typeface() -> Typeface:
    """The served font's metrics, and the @font-face rules a standalone drawing needs to load it."""
    fonts = Path(current_app.static_folder) / "fonts"
    faces = "".join(f"@font-face{{font-family:'Laurel Noto Sans';font-weight:{weight};font-display:block;"
                    f"src:url({url_for('static', filename='fonts/' + name)}) format('truetype')}}"
                    for name, weight in DIAGRAM_FACES)
    return load_typeface(DIAGRAM_FAMILY, *(fonts / name for name, _ in DIAGRAM_FACES), faces_css=faces)


@functools.lru_cache(maxsize=256)
def _drawing(diagram, current: frozenset, done: frozenset, locale: str, standalone: bool) -> str:
    """Drawing the process costs more than the rest of the page; nominations at one step share it.

    ``locale`` is the request's: it is part of the key because the words below depend on it.
    """
    names = vocabulary.diagram_names()
    label = {s.id: names.get(s.id, s.name) for s in diagram.shapes}
    now = [label[s.id] for s in diagram.shapes if s.id in current]
    finished = [label[s.id] for s in diagram.shapes if s.id in done and s.kind not in ("participant", "lane")]
    description = " ".join(filter(None, [
        _("Current step: %(steps)s.", steps=", ".join(now)) if now else "",
        _("Done: %(steps)s.", steps=", ".join(finished)) if finished else ""]))
    return render_svg(diagram, current=current, done=done, names=names, title=_TITLE, description=description,
                      embed_style=standalone, typeface=diagram_typeface(), here=_("Here now"))


def describe(entry) -> str:
    """A timeline entry's details in a few words; a ballot's never say anything."""
    details = entry.details
    if entry.action == "ballot_cast":
        return ""
    if entry.action in ("task_completed", "returned"):
        decision = details.get("decision") or details.get("recommendation")
        parts = [str(CHOICE_LABELS.get(decision, decision))] if decision else []
        if details.get("reviewer"):
            parts.append(_("reviewer: %(name)s", name=details["reviewer"]))
        if details.get("comment"):
            parts.append(details["comment"])
        return " — ".join(parts)
    if entry.action in ("document_uploaded", "document_removed"):
        return _("%(kind)s, version %(version)s: %(file)s", kind=DOCUMENT_LABELS.get(details.get("kind"), ""),
                 version=details.get("version"), file=details.get("filename"))
    if entry.action == "withdrawn":
        return details.get("reason", "")
    if entry.action == "eligibility_checked":
        found = details.get("findings") or []
        return _("%(met)s of %(all)s conditions met", met=sum(1 for f in found if f.get("met")), all=len(found))
    if entry.action == "tally":
        result = details.get("tally_result") or {}
        outcome = _("passed") if result.get("passed") else _("not passed")
        return _("%(yes)s yes, %(no)s no of %(members)s members: %(outcome)s", yes=result.get("yes", 0),
                 no=result.get("no", 0), members=result.get("members", 0), outcome=outcome)
    if entry.action == "decision_signed":
        return _("No. %(number)s", number=details.get("number", ""))
    if entry.action == "signature_given":
        return _("approved") if details.get("meaning") == "approved" else _("refused")
    if entry.action == "decision_revoked":
        label = REVOCATION_LABELS.get(details.get("reason_code"))
        reason = f"{label}: {details.get('reason', '')}" if label else details.get("reason", "")
        return _("No. %(number)s: %(reason)s", number=details.get("number", ""), reason=reason)
    if entry.action == "process_failed":
        return details.get("message", "")
    return ""


@bp.get("/nominations/<int:nomination_id>/diagram.svg")
@login_required
def diagram(nomination_id):
    """The diagram on its own, to zoom into, print or keep; it loads the page's font itself."""
    page = nominations.page(current_user, nomination_id, current_app.config["UPLOAD_FOLDER"])
    policy = "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'"  # its style loads the served font
    return Response(diagram_svg(page.progress, nomination_id, standalone=True), mimetype="image/svg+xml",
                    headers={"Content-Security-Policy": policy})


@bp.post("/nominations/<int:nomination_id>/documents")
@login_required
def upload(nomination_id):
    upload_file, kind = request.files.get("file"), request.form.get("kind", "")
    if upload_file is None or not upload_file.filename:
        return _detail(nomination_id, status=422, upload_kind=kind,
                       upload_errors={"file": _("Choose the file to upload.")})
    limits = UploadLimits(folder=current_app.config["UPLOAD_FOLDER"],
                          max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    try:
        document = nominations.upload_document(current_user, nomination_id, kind=kind,
                                               stream=upload_file.stream, filename=upload_file.filename,
                                               limits=limits)
    except (InvalidData, TooLarge) as error:
        status = 413 if isinstance(error, TooLarge) else 422
        return _detail(nomination_id, status=status, upload_kind=kind,
                       upload_errors=field_errors(error, "file"))
    finally:
        upload_file.close()
    flash(_("%(file)s was added to the dossier.", file=document.filename), "success")
    return redirect(url_for(".detail", nomination_id=nomination_id, _anchor="dossier"))


@bp.post("/nominations/<int:nomination_id>/documents/<int:document_id>/remove")
@login_required
def remove_document(nomination_id, document_id):
    document = nominations.remove_document(current_user, nomination_id, document_id)
    flash(_("%(file)s was removed from the dossier; the earlier record of it is kept.", file=document.filename),
          "success")
    return redirect(url_for(".detail", nomination_id=nomination_id, _anchor="dossier"))


@bp.get("/nominations/<int:nomination_id>/documents/<int:document_id>")
@login_required
def download(nomination_id, document_id):
    document, stream = nominations.open_document(current_user, nomination_id, document_id,
                                                 current_app.config["UPLOAD_FOLDER"])
    return send_file(stream, mimetype=document.media_type, as_attachment=True, download_name=document.filename,
                     etag=document.sha256)


@bp.post("/nominations/<int:nomination_id>/withdraw")
@login_required
def withdraw(nomination_id):
    reason = request.form.get("reason", "")
    try:
        nominations.withdraw(current_user, nomination_id, reason)
    except InvalidData as error:
        return _detail(nomination_id, status=422, withdraw_errors=field_errors(error, "reason"),
                       withdraw_reason=reason)
    flash(_("The nomination has been withdrawn."), "success")
    return redirect(url_for(".detail", nomination_id=nomination_id))
