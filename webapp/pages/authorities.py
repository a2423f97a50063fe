"""Administration of the deciding authorities: the list, creating and changing one, the roles people
hold within it and the seats of its council. Administrators only."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import AnyOf, DataRequired, Length

from workflows.errors import InvalidData, WorkflowError
from workflows.models.authorities import KINDS, ROLES
from workflows.models.rules import COUNCIL_POSITIONS
from workflows.usecases import administration, authorities, rulebook

from .. import vocabulary
from ..vocabulary.process import unit_name
from .admin import admins_only

bp = Blueprint("authorities_admin", __name__)

KIND_NAMES = {"bloc": _l("the bloc"), "agency": _l("member agency"),
              "unit_with_legal_status": _l("unit with legal status")}
ROLE_NAMES = {"office": _l("emulation office"), "reviewer": _l("reviewer"), "council_member": _l("council member"),
              "council_chair": _l("council chair"), "head": _l("head (signs)")}
POSITION_NAMES = {"chair": _l("chair"), "standing_vice_chair": _l("standing vice-chair"),
                  "vice_chair": _l("vice-chair"), "member": _l("member"), "secretary": _l("secretary")}


class AuthorityForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_vi = StringField(_l("Vietnamese name"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[Choice(k, KIND_NAMES[k]) for k in KINDS], validate_choice=False)
    symbol = StringField(_l("Symbol in its numbers (15/QĐ-…)"), validators=[DataRequired(), Length(max=32)])
    parent = SelectField(_l("Authority above"), validate_choice=False)
    unit = SelectField(_l("Member agency"), validate_choice=False)
    collective = StringField(_l("Department code (a unit with legal status)"), validators=[Length(max=32)])
    active = BooleanField(_l("Active: decides from now on once it has an office and a head"))


class RoleForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("Role within the authority"), choices=[Choice(r, ROLE_NAMES[r]) for r in ROLES],
                       validate_choice=False)
    held = HiddenField(default="1", validators=[AnyOf(["0", "1"])])


class SeatForm(FlaskForm):
    username = HiddenField(validators=[DataRequired()])
    position = SelectField(_l("Seat on the council"), validate_choice=False,
                           choices=[Choice("", _l("no seat"))] + [Choice(p, POSITION_NAMES[p])
                                                                  for p in COUNCIL_POSITIONS])


# The administrators' pages, whichever blueprint serves them, admit administrators only.
bp.before_request(admins_only)


@bp.get("/admin/authorities")
def index():
    return render_template("admin/authorities.html", rows=authorities.listing(current_user), kinds=KIND_NAMES)


@bp.route("/admin/authorities/new", methods=["GET", "POST"])
def create():
    form = _choices(AuthorityForm(data={"kind": "agency", "active": True}))
    if form.validate_on_submit():
        try:
            created = authorities.save(current_user, **_values(form))
        except WorkflowError as error:
            _show(form, error)
        else:
            flash(_("Authority %(code)s was created.", code=created.code), "success")
            return redirect(url_for("authorities_admin.edit", code=created.code))
    return render_template("admin/authority_edit.html", form=form, authority=None,
                           **_people_forms(None)), 422 if form.errors else 200


@bp.route("/admin/authorities/<code>", methods=["GET", "POST"])
def edit(code):
    authority = authorities.get(current_user, code)
    parent = authorities.by_id(authority.parent_id) if authority.parent_id else None
    form = _choices(AuthorityForm(data={
        "code": authority.code, "name": authority.name, "name_vi": authority.name_vi, "kind": authority.kind,
        "symbol": authority.symbol, "parent": parent.code if parent else "", "active": authority.active,
        "unit": _unit_code(authority), "collective": _collective_code(authority)}))
    if form.validate_on_submit():
        try:
            saved = authorities.save(current_user, existing=code, **_values(form))
        except WorkflowError as error:
            _show(form, error)
        else:
            flash(_("The changes to authority %(code)s were saved.", code=saved.code), "success")
            return redirect(url_for("authorities_admin.edit", code=saved.code))
    return render_template("admin/authority_edit.html", form=form, authority=authority,
                           **_people_forms(authority)), 422 if form.errors else 200


@bp.post("/admin/authorities/<code>/roles")
def roles(code):
    authority = authorities.get(current_user, code)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            authorities.assign(current_user, code, form.username.data.strip(), form.role.data,
                               held=form.held.data == "1")
        except WorkflowError as error:
            flash(vocabulary.describe(error).message, "danger")
        else:
            flash(_("The roles within %(code)s were changed.", code=code), "success")
    else:
        flash(_("The request was incomplete; reload the page and try again."), "danger")
    return redirect(url_for("authorities_admin.edit", code=authority.code) + "#people")


@bp.post("/admin/authorities/<code>/seats")
def seats(code):
    authority = authorities.get(current_user, code)
    form = SeatForm()
    if form.validate_on_submit():
        try:
            rulebook.set_seat(current_user, form.username.data, form.position.data or None, authority=code)
        except WorkflowError as error:
            flash(vocabulary.describe(error).message, "danger")
        else:
            flash(_("The council's seats were changed."), "success")
    else:
        flash(_("The request was incomplete; reload the page and try again."), "danger")
    return redirect(url_for("authorities_admin.edit", code=authority.code) + "#people")


def _people_forms(authority) -> dict:
    if authority is None:
        return {"people": [], "role_form": None, "seats": {}, "seat_form": None, "set_up": False}
    seats = {user.username: position for user, position in rulebook.seats(current_user, authority.code)}
    return {"people": authorities.members(authority.id), "role_form": RoleForm(), "seats": seats,
            "seat_form": SeatForm(), "set_up": authorities.is_set_up(authority), "role_names": ROLE_NAMES,
            "position_names": POSITION_NAMES, "kinds": KIND_NAMES}


def _choices(form: AuthorityForm) -> AuthorityForm:
    form.parent.choices = [Choice("", _("none"))] + [
        Choice(a.code, f"{a.code} · {vocabulary.authority_name(a)}") for a in authorities.every()
        if a.kind != "unit_with_legal_status"]
    form.unit.choices = [Choice("", _("none"))] + [
        Choice(row.unit.code, f"{row.unit.code} · {unit_name(row.unit)}") for row in administration.units(current_user)]
    return form


def _values(form: AuthorityForm) -> dict:
    return {"code": form.code.data, "name": form.name.data, "name_vi": form.name_vi.data, "kind": form.kind.data,
            "symbol": form.symbol.data, "parent": form.parent.data or None, "unit": form.unit.data or None,
            "collective": (form.collective.data or "").strip() or None, "active": form.active.data}


def _unit_code(authority) -> str:
    return authorities.unit_code(authority)


def _collective_code(authority) -> str:
    return authorities.collective_code(authority)


def _show(form: FlaskForm, error: WorkflowError) -> None:
    """The domain's refusal next to the fields it names; anything else above the form."""
    described = vocabulary.describe(error)
    for name, message in described.fields.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
    if not described.fields or not isinstance(error, InvalidData):
        form.form_errors.append(described.message)
