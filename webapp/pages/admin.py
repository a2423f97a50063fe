"""Administration: users, units, award types and process versions, for administrators only."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from workflows.errors import InvalidData
from workflows.models.people import ROLES
from workflows.services.documents import DOCUMENT_KINDS
from workflows.usecases import administration
from workflows.usecases.administration import DiagramProblems, Upload

from .. import session_cookie, vocabulary
from ..i18n import LANGUAGES
from ..vocabulary.process import DOCUMENT_LABELS, KIND_LABELS, LEVEL_LABELS, ROLE_NAMES, unit_name

bp = Blueprint("admin", __name__)

ROLE_CHOICES = [Choice(role, ROLE_NAMES[role]) for role in ROLES]
LABELS = {"roles": ROLE_NAMES, "documents": DOCUMENT_LABELS, "kinds": KIND_LABELS, "levels": LEVEL_LABELS,
          "languages": LANGUAGES}


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; the domain, not the form, refuses unknown values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    unit = SelectField(_l("Unit"), validate_choice=False)
    role = SelectField(_l("Role"), choices=[Choice("", _l("All roles"))] + ROLE_CHOICES, validate_choice=False)
    active = SelectField(_l("Status"), choices=[Choice("", _l("Everyone")), Choice("yes", _l("Active")),
                                                Choice("no", _l("Deactivated"))], validate_choice=False)


class UserForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Length(max=200)])
    unit = SelectField(_l("Unit"), validate_choice=False)
    role = CheckboxesField(_l("Roles"), choices=ROLE_CHOICES, validate_choice=False)


class NewUserForm(UserForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(min=8)])


class EditUserForm(UserForm):
    active = BooleanField(_l("Active: may sign in"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])


class UnitNamesForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_vi = StringField(_l("Vietnamese name"), validators=[Length(max=200)])


class NewUnitForm(UnitNamesForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])


class UnitStatusForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class AwardTypeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_vi = StringField(_l("Vietnamese name"), validators=[Length(max=200)])
    required_documents = CheckboxesField(_l("Required documents"), validate_choice=False,
                                         choices=[Choice(kind, DOCUMENT_LABELS[kind]) for kind in DOCUMENT_KINDS])
    active = BooleanField(_l("Active: may be chosen for new nominations"))


class ProcessUploadForm(FlaskForm):
    diagram = FileField(_l("Process diagram (.bpmn)"), validators=[FileRequired(_l("Choose the .bpmn file."))])
    decision_tables = MultipleFileField(_l("Decision tables (.dmn), optional"))
    task_forms = MultipleFileField(_l("Task forms (.json), optional"))


@bp.before_request
@login_required
def admins_only():
    if not current_user.has_role("admin"):
        abort(403, description=_("Only administrators may use these pages."))


@bp.get("/admin")
def index():
    return render_template("admin/index.html")


@bp.get("/admin/users")
def users():
    filters = UserFilterForm(request.args)
    filters.unit.choices = [Choice("", _("All units"))] + _unit_choices()
    found = administration.users(current_user, unit_code=filters.unit.data or None, role=filters.role.data or None,
                                 active={"yes": True, "no": False}.get(filters.active.data))
    return render_template("admin/users.html", users=found, filters=filters, labels=LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
def create_user():
    form = NewUserForm()
    form.unit.choices = [Choice("", _("No unit (bloc-wide roles)"))] + _unit_choices()
    if form.validate_on_submit():
        try:
            created = administration.create_user(
                current_user, username=form.username.data.strip(), password=form.password.data,
                roles=form.role.data, full_name=form.full_name.data, unit_code=form.unit.data or None,
                email=form.email.data, hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except InvalidData as error:
            _show(form, error)
        else:
            flash(_("User %(username)s was created.", username=created.username), "success")
            return redirect(url_for("admin.users"))
    return _render(form, "admin/user_new.html", form=form)


@bp.route("/admin/users/<username>", methods=["GET", "POST"])
def edit_user(username):
    target = administration.user(current_user, username)
    form = _user_form(target)
    if form.validate_on_submit():
        try:
            administration.update_user(current_user, username, full_name=form.full_name.data, email=form.email.data,
                                       unit_code=form.unit.data or None, roles=form.role.data,
                                       active=form.active.data)
        except InvalidData as error:
            _show(form, error)
        else:
            flash(_("The changes to %(username)s were saved.", username=username), "success")
            return redirect(url_for("admin.edit_user", username=username))
    return _render(form, "admin/user_edit.html", user=target, form=form, password=PasswordResetForm(prefix="pw"))


@bp.post("/admin/users/<username>/password")
def reset_password(username):
    target = administration.user(current_user, username)
    password = PasswordResetForm(prefix="pw")
    if password.validate_on_submit():
        try:
            administration.reset_password(current_user, username, password.password.data,
                                          hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except InvalidData as error:
            _show(password, error)
        else:
            if target.id == current_user.id:
                session_cookie.begin(current_user._get_current_object())  # this browser goes on, in a new session
            flash(_("The password of %(username)s was reset; give them the new one in person.", username=username),
                  "success")
            return redirect(url_for("admin.edit_user", username=username))
    return _render(password, "admin/user_edit.html", user=target, form=_user_form(target, formdata=None),
                   password=password)


@bp.get("/admin/units")
def units():
    return render_template("admin/units.html", units=administration.units(current_user))


@bp.route("/admin/units/new", methods=["GET", "POST"])
def create_unit():
    form = NewUnitForm()
    if form.validate_on_submit():
        try:
            created = administration.create_unit(current_user, code=form.code.data, name=form.name.data,
                                                 name_vi=form.name_vi.data)
        except InvalidData as error:
            _show(form, error)
        else:
            flash(_("Unit %(code)s was created.", code=created.code), "success")
            return redirect(url_for("admin.units"))
    return _render(form, "admin/unit_new.html", form=form)


@bp.route("/admin/units/<code>", methods=["GET", "POST"])
def edit_unit(code):
    target = administration.unit(current_user, code)
    form = UnitNamesForm(data={"name": target.name, "name_vi": target.name_vi})
    if form.validate_on_submit():
        try:
            administration.update_unit(current_user, code, name=form.name.data, name_vi=form.name_vi.data)
        except InvalidData as error:
            _show(form, error)
        else:
            flash(_("The changes to unit %(code)s were saved.", code=code), "success")
            return redirect(url_for("admin.units"))
    return _render(form, "admin/unit_edit.html", unit=target, form=form)


@bp.post("/admin/units/<code>/status")
def set_unit_status(code):
    form = UnitStatusForm()
    if not form.validate_on_submit():
        abort(400, description=_("The request was incomplete; reload the page and try again."))
    changed = administration.set_unit_active(current_user, code, form.active.data == "1")
    flash(_("Unit %(code)s is active again.", code=code) if changed.active else
          _("Unit %(code)s was deactivated; its users and nominations are kept.", code=code), "success")
    return redirect(url_for("admin.units"))


@bp.get("/admin/award-types")
def award_types():
    return render_template("admin/award_types.html", award_types=administration.award_types(current_user),
                           labels=LABELS)


@bp.route("/admin/award-types/<code>", methods=["GET", "POST"])
def edit_award_type(code):
    target = administration.award_type(current_user, code)
    form = AwardTypeForm(data={"name": target.name, "name_vi": target.name_vi, "active": target.active,
                               "required_documents": list(target.required_documents)})
    if form.validate_on_submit():
        try:
            administration.update_award_type(current_user, code, name=form.name.data, name_vi=form.name_vi.data,
                                             required_documents=form.required_documents.data,
                                             active=form.active.data)
        except InvalidData as error:
            _show(form, error)
        else:
            flash(_("The changes to %(code)s were saved.", code=code), "success")
            return redirect(url_for("admin.award_types"))
    return _render(form, "admin/award_type_edit.html", award_type=target, form=form, labels=LABELS)


@bp.route("/admin/process", methods=["GET", "POST"])
def process_versions():
    form, problems = ProcessUploadForm(), []
    if form.validate_on_submit():
        try:
            definition, created = administration.publish_process(
                current_user, diagram=_upload(form.diagram.data),
                decision_tables=[_upload(f) for f in form.decision_tables.data or []],
                task_forms=[_upload(f) for f in form.task_forms.data or []])
        except DiagramProblems as error:
            problems = error.problems
        except InvalidData as error:
            _show(form, error)
        else:
            flash(_("Version %(version)s is now used for new nominations; running nominations stay on their "
                    "version.", version=definition.version) if created else
                  _("These files are the same as version %(version)s; nothing was stored.",
                    version=definition.version), "success" if created else "info")
            return redirect(url_for("admin.process_versions"))
    page = render_template("admin/process.html", versions=administration.process_versions(current_user),
                           form=form, problems=problems, max_mb=administration.MAX_SOURCE_BYTES // (1024 * 1024))
    return page, 422 if problems or form.errors else 200


def _upload(storage) -> Upload:
    """The file's name and at most one byte more than the domain accepts, so a huge file costs no memory."""
    return Upload(storage.filename or "", storage.stream.read(administration.MAX_SOURCE_BYTES + 1))


def _user_form(target, **kwargs) -> EditUserForm:
    form = EditUserForm(data={"full_name": target.full_name, "email": target.email, "active": target.active,
                              "unit": target.unit.code if target.unit else "",
                              "role": administration.account_roles(target)}, **kwargs)
    form.unit.choices = [Choice("", _("No unit (bloc-wide roles)"))] + _unit_choices()
    return form


def _unit_choices() -> list[Choice]:
    return [Choice(row.unit.code, _("%(code)s · %(name)s", code=row.unit.code, name=unit_name(row.unit))
                   if row.unit.active else
                   _("%(code)s · %(name)s (inactive)", code=row.unit.code, name=unit_name(row.unit)))
            for row in administration.units(current_user)]


def _show(form: FlaskForm, error: InvalidData) -> None:
    """Put the domain's refusal next to the fields it names; anything else above the form."""
    described = vocabulary.describe(error)
    for name, message in described.fields.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
    if not described.fields:
        form.form_errors.append(described.message)


def _render(submitted: FlaskForm, template: str, /, **context):
    """The page, with 422 when the submitted form was refused."""
    return render_template(template, **context), 422 if submitted.errors else 200
