"""The registry pages: people and collectives, a subject's history and holds, import and export."""

import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, Length, NumberRange

from workflows.errors import InvalidData, TooLarge
from workflows.models.registry import GRADES, HOLD_KINDS
from workflows.services.registry.columns import KINDS
from workflows.usecases import accounts, catalogue
from workflows.usecases.registry import exporting, importing, records

from .. import vocabulary
from ..sheet_limits import sheet_limits
from ..vocabulary.process import revocation_note

bp = Blueprint("registry", __name__)

KIND_LABELS = {
    "collectives": _l("Collectives"), "persons": _l("People"), "assessments": _l("Annual assessments"),
    "awards": _l("Awards held"), "initiatives": _l("Initiatives"), "discipline": _l("Discipline records"),
}
HOLD_LABELS = {"discipline_review": _l("Disciplinary review"), "inspection": _l("Inspection"),
               "complaint": _l("Pending complaint")}
DISCIPLINE_LABELS = {"reprimand": _l("Reprimand"), "warning": _l("Warning"), "removal": _l("Removal from post"),
                     "dismissal": _l("Dismissal")}
INITIATIVE_LABELS = {"grassroots": _l("Grassroots"), "agency": _l("Agency"), "national": _l("National")}
LABELS = {"kinds": KIND_LABELS, "holds": HOLD_LABELS, "discipline": DISCIPLINE_LABELS,
          "initiatives": INITIATIVE_LABELS}


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search through GET changes nothing

    q = StringField(_l("Name or code"), validators=[Length(max=100)])
    unit = SelectField(_l("Unit"), validate_choice=False)


class HoldForm(FlaskForm):
    kind = SelectField(_l("Why"), choices=[Choice(k, HOLD_LABELS[k]) for k in HOLD_KINDS], validate_choice=False)
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=records.MAX_REASON)])


class LiftForm(FlaskForm):
    reason = TextAreaField(_l("Reason for lifting"), validators=[DataRequired(), Length(max=records.MAX_REASON)])


class AssessmentForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(1945, 2100)])
    grade = SelectField(_l("Grade"), choices=list(GRADES), validate_choice=False)


class AwardForm(FlaskForm):
    award = SelectField(_l("Award"), validate_choice=False)
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(1945, 2100)])
    decision_ref = StringField(_l("Decision reference"), validators=[Length(max=100)])


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.csv or .xlsx)"), validators=[FileRequired(_l("Choose the file."))])
    kind = SelectField(_l("Records in the file"), validate_choice=False,
                       choices=[Choice("", _l("As the sheet names say"))] + [Choice(k, KIND_LABELS[k]) for k in KINDS])


@bp.before_request
@login_required
def registry_readers_only():
    records.read_scope(current_user)  # NotAllowed becomes the 403 page


@bp.context_processor
def registry_context():
    return {"labels": LABELS, "may_change": records.may_change(current_user),
            "may_hold": records.may_manage_holds(current_user), "kinds": KINDS}


@bp.get("/registry")
def people():
    return _list("people")


@bp.get("/registry/collectives")
def collectives():
    return _list("collectives")


def _list(which: str):
    form = SearchForm(request.args)
    form.unit.choices = [Choice("", _("All units"))] + [Choice(u.code, u.code) for u in _units()]
    page = request.args.get("page", 1, type=int)
    search = records.people if which == "people" else records.collectives
    found = search(current_user, unit=form.unit.data or None, q=form.q.data or None, page=max(1, min(page, 10**6)))
    query = {k: v for k, v in (("q", form.q.data), ("unit", form.unit.data)) if v}
    return render_template(f"registry/{which}.html", form=form, found=found, query=query, section=which)


def _units():
    scope = records.read_scope(current_user)
    return [u for u in accounts.units() if scope.covers(u.id)]


@bp.get("/registry/people/<code>")
def person(code):
    return _subject("person", code)


@bp.get("/registry/collectives/<code>")
def collective(code):
    return _subject("collective", code)


def _subject(kind, code, hold=None, lift=None, assessment=None, award=None, status=200, lift_id=None):
    record = records.person(current_user, code) if kind == "person" else records.collective(current_user, code)
    award = award or AwardForm(prefix="award", formdata=None)
    wanted = "individual" if kind == "person" else "collective"
    award.award.choices = [Choice(a.code, f"{a.code} · {a.name_vi or a.name}")
                           for a in catalogue.award_types() if a.kind == wanted]
    return render_template(
        "registry/subject.html", record=record, award_types=records.award_names(record.awards),
        hold_form=hold or HoldForm(prefix="hold", formdata=None),
        lift_form=lift or LiftForm(prefix="lift", formdata=None),
        assessment_form=assessment or AssessmentForm(prefix="assessment", formdata=None), award_form=award,
        lift_id=lift_id, section="people" if kind == "person" else "collectives",
        revocation_note=revocation_note), status


def _subject_url(kind, code):
    return url_for("registry.person" if kind == "person" else "registry.collective", code=code)


@bp.post("/registry/<any(people, collectives):plural>/<code>/holds")
def place_hold(plural, code):
    kind = "person" if plural == "people" else "collective"
    form = HoldForm(prefix="hold")
    if form.validate_on_submit():
        try:
            records.place_hold(current_user, kind, code, kind=form.kind.data, reason=form.reason.data)
        except InvalidData as error:
            described = vocabulary.describe(error)
            form.reason.errors = list(described.fields.values()) or [described.message]
        else:
            flash(_("The hold was placed; nominations of %(code)s cannot go to the vote.", code=code), "success")
            return redirect(_subject_url(kind, code))
    return _subject(kind, code, hold=form, status=422)


@bp.post("/registry/holds/<int:hold_id>/lift")
def lift_hold(hold_id):
    form = LiftForm(prefix="lift")
    if form.validate_on_submit():
        hold = records.lift_hold(current_user, hold_id, reason=form.reason.data)
        flash(_("The hold was lifted."), "success")
        return redirect(_subject_url(*records.hold_subject(hold)))
    hold = records.hold(current_user, hold_id)
    return _subject(*records.hold_subject(hold), lift=form, status=422, lift_id=hold_id)


@bp.post("/registry/<any(people, collectives):plural>/<code>/<any(assessments, awards):history>")
def add_history(plural, code, history):
    kind = "person" if plural == "people" else "collective"
    form = AssessmentForm(prefix="assessment") if history == "assessments" else AwardForm(prefix="award")
    if history == "awards":
        form.award.choices = [a.code for a in catalogue.award_types()]
    if form.validate_on_submit():
        raw = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        try:
            created = records.save_history(current_user, kind, code, history, raw)[1]
        except InvalidData as error:
            for name, message in vocabulary.describe(error).fields.items():
                if name in form._fields:
                    form[name].errors = [message]
        else:
            flash(_("The record was added.") if created else _("The record was corrected."), "success")
            return redirect(_subject_url(kind, code))
    forms = {"assessment": form} if history == "assessments" else {"award": form}
    return _subject(kind, code, status=422, **forms)


@bp.route("/registry/import", methods=["GET", "POST"])
def import_page():
    records.change_scope(current_user)
    form, result, rejected, too_large = ImportForm(), None, None, False
    if form.validate_on_submit():
        upload = form.file.data
        try:
            data = importing.read_upload(upload.stream, current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
            result = importing.import_file(current_user, data, upload.filename or "", form.kind.data or None,
                                           limits=sheet_limits())
        except importing.ImportRejected as error:
            rejected = error
        except (InvalidData, TooLarge) as error:
            form.file.errors = [vocabulary.describe(error).message]
            too_large = isinstance(error, TooLarge)
        finally:
            upload.close()
    status = 413 if too_large else 422 if rejected or form.file.errors else 200
    return render_template("registry/import.html", form=form, result=result, rejected=rejected,
                           section="import"), status


@bp.get("/registry/export")
def export():
    made = exporting.export(current_user, kind=request.args.get("kind", "persons"),
                            file_format=request.args.get("format", "csv"), unit=request.args.get("unit") or None)
    response = send_file(io.BytesIO(made.data), mimetype=made.media_type, as_attachment=True,
                         download_name=made.filename)
    response.content_type = made.media_type  # as given: send_file adds a charset even to one that names it
    return response
