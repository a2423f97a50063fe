"""The rules in force, for everyone who applies them; new versions, for administrators."""

import json
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, Length

from workflows import rulebook
from workflows.errors import InvalidData
from workflows.models.rules import COUNCIL_POSITIONS

from .. import vocabulary

bp = Blueprint("rules", __name__)

POSITION_LABELS = {
    "chair": _l("Chair"), "standing_vice_chair": _l("Standing vice-chair"), "vice_chair": _l("Vice-chair"),
    "member": _l("Member"), "secretary": _l("Secretary"),
}
BASE_LABELS = {"members": _l("all members entitled to vote"), "voters": _l("the members who voted")}
ROUNDING_LABELS = {"up": _l("round up"), "nearest": _l("round to the nearest")}


class _VersionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[DataRequired()])
    effective_from = DateField(_l("In force from"), validators=[DataRequired()])


class RuleSetForm(_VersionForm):
    rules = TextAreaField(_l("Rules (JSON: a list of {award, kind, params, basis})"), validators=[DataRequired()],
                          render_kw={"rows": 24, "spellcheck": "false"})


class RegulationForm(_VersionForm):
    rounding = SelectField(_l("Rounding of shares to whole ballots"),
                           choices=[Choice(k, v) for k, v in ROUNDING_LABELS.items()])
    articles = TextAreaField(_l("Articles (JSON: a list of {article, quorum, threshold, base, legal_basis})"),
                             validators=[DataRequired()], render_kw={"rows": 14, "spellcheck": "false"})


class SeatForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    position = SelectField(_l("Position"), choices=[Choice("", _l("No seat"))] +
                           [Choice(p, POSITION_LABELS[p]) for p in COUNCIL_POSITIONS])


@bp.before_request
@login_required
def signed_in():
    pass


@bp.get("/rules")
def index():
    return render_template("rules/index.html", rule_sets=rulebook.rule_sets(current_user),
                           regulations=rulebook.regulations(current_user), seats=rulebook.seats(current_user),
                           positions=POSITION_LABELS, bases=BASE_LABELS, roundings=ROUNDING_LABELS,
                           seat_form=SeatForm() if current_user.has_role("admin") else None)


@bp.route("/rules/new", methods=["GET", "POST"])
def publish_rule_set():
    _admins_only()
    current = rulebook.rule_sets(current_user)
    form = RuleSetForm(data={"effective_from": date.today(), "rules": _rules_json(current[0]) if current else "[]"})
    if form.validate_on_submit():
        rules = _parsed(form, form.rules)
        if rules is not None:
            try:
                published = rulebook.publish_rule_set(
                    current_user, code=form.code.data, title=form.title.data, legal_basis=form.legal_basis.data,
                    effective_from=form.effective_from.data, rules=rules)
            except InvalidData as error:
                _show(form, error, form.rules)
            else:
                flash(_("Rule set %(code)s is published; it applies to nominations made from %(day)s.",
                        code=published.code, day=published.effective_from.isoformat()), "success")
                return redirect(url_for("rules.index"))
    return _render(form, kind="rule_set")


@bp.route("/rules/regulations/new", methods=["GET", "POST"])
def publish_regulation():
    _admins_only()
    current = rulebook.regulations(current_user)
    form = RegulationForm(data={"effective_from": date.today(), "rounding": current[0].rounding if current else "up",
                                "articles": _articles_json(current[0]) if current else "[]"})
    if form.validate_on_submit():
        articles = _parsed(form, form.articles)
        if articles is not None:
            try:
                published = rulebook.publish_regulation(
                    current_user, code=form.code.data, title=form.title.data, legal_basis=form.legal_basis.data,
                    effective_from=form.effective_from.data, rounding=form.rounding.data, articles=articles)
            except InvalidData as error:
                _show(form, error, form.articles)
            else:
                flash(_("Regulation %(code)s is published; votes opened from %(day)s are counted by it.",
                        code=published.code, day=published.effective_from.isoformat()), "success")
                return redirect(url_for("rules.index"))
    return _render(form, kind="regulation")


@bp.post("/rules/seats")
def set_seat():
    _admins_only()
    form = SeatForm()
    if form.validate_on_submit():
        try:
            rulebook.set_seat(current_user, form.username.data.strip(), form.position.data or None)
        except InvalidData as error:
            flash(vocabulary.describe(error).full_message, "danger")
        else:
            flash(_("The council's seats were updated."), "success")
    else:
        flash(_("Give a username and a position."), "danger")
    return redirect(url_for("rules.index", _anchor="seats"))


def _admins_only() -> None:
    if not current_user.has_role("admin"):
        abort(403, description=_("Only administrators may publish rules."))


def _rules_json(rule_set) -> str:
    return json.dumps([{"award": r.award_code, "kind": r.kind, "params": r.params, "basis": r.legal_basis}
                       for r in rule_set.rules], ensure_ascii=False, indent=1)


def _articles_json(regulation) -> str:
    return json.dumps([{"article": r.article, "quorum": r.quorum, "threshold": r.threshold, "base": r.base,
                        "legal_basis": r.legal_basis} for r in regulation.rules], ensure_ascii=False, indent=1)


def _parsed(form, field):
    try:
        return json.loads(field.data)
    except ValueError as error:
        field.errors = [*field.errors, _("This is not valid JSON: %(problem)s", problem=str(error))]
        return None


def _show(form, error: InvalidData, list_field) -> None:
    """The refusal next to the field it names; problems inside the list go under the list."""
    for name, message in vocabulary.describe(error).fields.items():
        field = form._fields.get(name) or list_field
        field.errors = [*field.errors, f"{name}: {message}" if field is list_field and name != list_field.name
                        else message]


def _render(form, *, kind: str):
    return render_template("rules/publish.html", form=form, kind=kind), 422 if form.errors else 200
