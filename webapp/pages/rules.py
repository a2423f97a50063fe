"""The rules in force, for everyone who applies them; new versions, for administrators.

Everyone reads the rules as sentences in their language. Administrators publish a new version
in a form that starts from the version in force: a row per rule (or per article of the
regulation), a field per value. Adding and removing rows submits the form and shows it again,
so it works without scripts; a small script only shows the fields of the kind of check chosen.
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, Length

from workflows.errors import Conflict, InvalidData
from workflows.models.rules import COUNCIL_POSITIONS
from workflows.usecases import rulebook

from .. import vocabulary
from ..vocabulary import rules as words
from ..vocabulary.process import award_name
from . import article_rows, rule_rows
from .rule_forms import article_choices, regulation_view, rule_choices, rule_set_view

bp = Blueprint("rules", __name__)

POSITION_LABELS = {
    "chair": _l("Chair"), "standing_vice_chair": _l("Standing vice-chair"), "vice_chair": _l("Vice-chair"),
    "member": _l("Member"), "secretary": _l("Secretary"),
}


class _VersionForm(FlaskForm):
    """The version's own fields; the domain judges them with the rows, so all problems show at once."""

    code = StringField(_l("Code"), render_kw={"maxlength": 64})
    effective_from = StringField(_l("In force from"), render_kw={"type": "date"})
    title = StringField(_l("Title in English"), render_kw={"maxlength": 300})
    title_vi = StringField(_l("Title in Vietnamese"), render_kw={"maxlength": 300})
    legal_basis = StringField(_l("Legal basis in English"))
    legal_basis_vi = StringField(_l("Legal basis in Vietnamese"))


class RuleSetForm(_VersionForm):
    pass


class RegulationForm(_VersionForm):
    rounding = SelectField(_l("Rounding of shares to whole ballots"), validate_choice=False,
                           choices=[Choice(k, v) for k, v in words.ROUNDING_NAMES.items()])
    # The choices are the catalogue's award types, filled in by the view.
    without_vote = SelectMultipleField(
        _l("Awards the head decides on the office's list in a round, without a council vote"),
        validate_choice=False, choices=[])
    written_ballots = BooleanField(_l("Members absent from a session may send a written ballot"))


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
    names = rulebook.names(current_user)
    return render_template(
        "rules/index.html", rule_sets=[rule_set_view(s, names) for s in rulebook.rule_sets(current_user)],
        regulations=[regulation_view(r, names) for r in rulebook.regulations(current_user)],
        seats=rulebook.seats(current_user), positions=POSITION_LABELS,
        seat_form=SeatForm() if current_user.has_role("admin") else None)


@bp.route("/rules/new", methods=["GET", "POST"])
def publish_rule_set():
    _admins_only()
    names = rulebook.names(current_user)
    form, summary = RuleSetForm(), []
    if request.method == "GET":
        current = rulebook.rule_sets(current_user)
        rows = rule_rows.from_rules(current[0].rules) if current else [rule_rows.RuleRow((0,))]
        _start_from(form, current[0] if current else None)
        return _render_rule_set(form, rows, names, summary)
    rows = rule_rows.from_form(request.form)
    if "add_rule" in request.form:
        rows.append(rule_rows.RuleRow((len(rows),)))
    elif "add_check" in request.form:
        rule_rows.add_check(rows, request.form["add_check"])
    elif "remove" in request.form:
        rule_rows.remove(rows, request.form["remove"])
    elif "publish" in request.form:
        try:
            published = rulebook.publish_rule_set(current_user, rules=rule_rows.to_rules(rows), **_header(form))
        except (InvalidData, Conflict) as error:
            summary = _show_rule_errors(form, rows, error)
        else:
            flash(_("Rule set %(code)s is published; it applies to nominations made from %(day)s.",
                    code=published.code, day=published.effective_from.isoformat()), "success")
            return redirect(url_for("rules.index"))
    return _render_rule_set(form, rule_rows.with_groups_filled(rows), names, summary)


@bp.route("/rules/regulations/new", methods=["GET", "POST"])
def publish_regulation():
    _admins_only()
    form, summary = RegulationForm(), []
    current = rulebook.regulations(current_user)
    if request.method == "GET":
        rows = article_rows.from_regulation(current[0]) if current else [article_rows.ArticleRow(0)]
        _start_from(form, current[0] if current else None)
        form.rounding.data = current[0].rounding if current else "up"
        form.without_vote.data = list(current[0].without_vote) if current else []
        form.written_ballots.data = current[0].written_ballots if current else True
        return _render_regulation(form, rows, current, summary)
    rows = article_rows.from_form(request.form)
    if "add_article" in request.form:
        rows.append(article_rows.ArticleRow(len(rows)))
    elif "remove" in request.form:
        rows = [row for row in rows if str(row.position) != request.form["remove"]]
        article_rows.renumber(rows)
    elif "publish" in request.form:
        try:
            published = rulebook.publish_regulation(current_user, rounding=form.rounding.data,
                                                    without_vote=form.without_vote.data or [],
                                                    written_ballots=bool(form.written_ballots.data),
                                                    articles=article_rows.to_articles(rows), **_header(form))
        except (InvalidData, Conflict) as error:
            summary = _show_article_errors(form, rows, error)
        else:
            flash(_("Regulation %(code)s is published; votes opened from %(day)s are counted by it.",
                    code=published.code, day=published.effective_from.isoformat()), "success")
            return redirect(url_for("rules.index"))
    return _render_regulation(form, rows, current, summary)


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


def _start_from(form: _VersionForm, current) -> None:
    """A new version starts from the one in force: its titles and legal basis, in force from today."""
    form.effective_from.data = date.today().isoformat()
    if current is not None:
        for name in ("title", "title_vi", "legal_basis", "legal_basis_vi"):
            form[name].data = getattr(current, name) or ""


def _header(form: _VersionForm) -> dict:
    return {name: (form[name].data or "").strip()
            for name in ("code", "title", "title_vi", "legal_basis", "legal_basis_vi", "effective_from")}


Summary = list[tuple[str, str, str]]  # (where, what is wrong, the anchor of where) for the top of the form


def _show_rule_errors(form, rows, error) -> Summary:
    """Each refusal next to its field, and all of them in a list at the top of the form."""
    summary = _header_errors(form, error)
    for where, message in vocabulary.describe(error).fields.items():
        path = rule_rows.place(rows, where, error.fields[where], message)
        if path is not None:
            summary.append((_row_title(path), message, "rule-" + ".".join(map(str, path))))
        elif where not in form._fields:
            summary.append(("", message, ""))
    return summary


def _show_article_errors(form, rows, error) -> Summary:
    summary = _header_errors(form, error)
    for where, message in vocabulary.describe(error).fields.items():
        position = article_rows.place(rows, where, message)
        if position is not None:
            summary.append((_("Article %(number)s", number=position + 1), message, f"article-{position}"))
        elif where not in form._fields:
            summary.append(("", message, ""))
    return summary


def _header_errors(form, error) -> Summary:
    described = vocabulary.describe(error)
    summary = [("", described.message, "")]
    if isinstance(error, Conflict):
        form.code.errors = [*form.code.errors, described.message]
        return summary
    for name, message in described.fields.items():
        if name in form._fields:
            form[name].errors = [*form[name].errors, message]
            summary.append((str(form[name].label.text), message, form[name].id))
    return summary


def _row_title(path: tuple[int, ...]) -> str:
    """Rule 3; its group's second condition is "Rule 3, condition 2", and so on down."""
    numbers = rule_rows.label(path)
    if len(numbers) == 1:
        return _("Rule %(number)s", number=numbers[0])
    return _("Rule %(number)s, condition %(condition)s", number=numbers[0],
             condition=".".join(str(n) for n in numbers[1:]))


def _render_rule_set(form, rows, names, summary):
    return render_template("rules/publish_rule_set.html", form=form, rows=rows, choices=rule_choices(names),
                           summary=summary, row_title=_row_title), 422 if summary else 200


def _render_regulation(form, rows, current, summary):
    form.without_vote.choices = [Choice(code, award_name(award))
                                 for code, award in rulebook.names(current_user).awards.items()]
    return render_template("rules/publish_regulation.html", form=form, rows=rows,
                           choices=article_choices(current), summary=summary), 422 if summary else 200
