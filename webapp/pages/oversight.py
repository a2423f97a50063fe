"""Audit search for inspection and supervision: the whole trail, filtered, paged, exported as CSV."""

import csv
import io
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from workflows.services.audit import SYSTEM
from workflows.usecases import trail

from ..vocabulary import details
from ..vocabulary.trail import AUDIT_ACTIONS, CHAIN_PROBLEMS

bp = Blueprint("oversight", __name__)

PAGE_SIZE = 100
RECENT = 20  # the page opens on its search form and the latest few events, not a hundred in full
MAX_PAGE = 1_000_000  # keeps the offset within what every database accepts
CSV_COLUMNS = ("seq", "at", "actor", "action", "nomination", "task", "details")



class TrailFilter(FlaskForm):
    class Meta:
        csrf = False  # a search through GET changes nothing

    actor = SelectField(_l("Who"), validate_choice=False, validators=[Optional(), Length(max=64)])
    nomination = IntegerField(_l("Nomination number"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    action = SelectField(_l("Action"), validate_choice=False)
    since = DateField(_l("From date"), validators=[Optional()])
    until = DateField(_l("To date"), validators=[Optional()])
    order = SelectField(_l("Order"), choices=[SelectChoice("newest", _l("Newest first")),
                                              SelectChoice("oldest", _l("Oldest first"))], default="newest")

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))


@bp.get("/audit")
@login_required
def audit_search():
    form = _filter_form()
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    valid = form.validate()
    landing = not any(request.args.values())  # opened from the menu: the latest few, and the way to all
    # Filters that do not parse list nothing (rather than everything) until they are corrected.
    size = RECENT if landing else PAGE_SIZE
    found = trail.search(current_user, _criteria(form) if valid else trail.Criteria(),
                         newest_first=form.order.data != "oldest",
                         limit=size if valid else 0, offset=(page - 1) * size)
    query = {name: value for name, value in request.args.items() if name != "page" and value}
    return render_template("oversight/audit.html", form=form, trail=found, page=page, query=query, valid=valid,
                           pages=max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1), landing=landing,
                           event_rows=details.rows)


@bp.post("/audit/verify")
@login_required
def verify_chain():
    """Recompute the whole chain on request (it reads every event), then back to the same search."""
    check = trail.verify(current_user)
    if check.ok:
        flash(_("Chain intact: %(count)s events verified.", count=check.checked), "success")
    else:
        problem = str(CHAIN_PROBLEMS.get(check.problem, check.problem))
        flash(_("Chain broken at event %(seq)s: %(problem)s (%(count)s events before it verified).",
                seq=check.first_bad_seq, problem=problem, count=check.checked), "danger")
    query = {name: value for name, value in request.args.items() if value}
    return redirect(url_for("oversight.audit_search", **query))


@bp.get("/audit.csv")
@login_required
def audit_csv():
    form = _filter_form()
    if not form.validate():
        abort(400, description="; ".join(str(e) for errors in form.errors.values() for e in errors))
    rows = trail.export(current_user, _criteria(form), newest_first=form.order.data == "newest")
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    stamp = datetime.now(zone).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(_csv(rows, zone)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})


def _filter_form() -> TrailFilter:
    form = TrailFilter(request.args)
    form.action.choices = [SelectChoice("", _l("Any action"))] + [SelectChoice(k, v) for k, v in AUDIT_ACTIONS.items()]
    if form.action.data and form.action.data not in AUDIT_ACTIONS:
        form.action.choices.append(SelectChoice(form.action.data, form.action.data))
    # People by their names; the trail keeps usernames, which the choice's value carries.
    people = [SelectChoice(a.username, f"{a.full_name} · {a.unit_code}" if a.unit_code else a.full_name)
              for a in trail.actors(current_user)]
    form.actor.choices = [SelectChoice("", _l("Anyone")), SelectChoice(SYSTEM, _l("The system"))] + people
    if form.actor.data and form.actor.data not in {c.value for c in form.actor.choices}:
        form.actor.choices.append(SelectChoice(form.actor.data, form.actor.data))  # someone no longer listed
    return form


def _criteria(form: TrailFilter) -> trail.Criteria:
    """The filters as the use case takes them: whole days on the bloc's calendar."""
    return trail.criteria(actor=form.actor.data, nomination_id=form.nomination.data, action=form.action.data,
                          since=form.since.data, until=form.until.data, zone=current_app.config["TIMEZONE"])


def _csv(rows, zone):
    """The CSV text, row by row; the byte-order mark lets spreadsheet programs read UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for row in rows:
        at = row.at.replace(tzinfo=timezone.utc).astimezone(zone).isoformat(timespec="seconds")
        writer.writerow((row.seq, at, _cell(row.actor), row.action, row.nomination_id or "", row.task_key or "",
                         json.dumps(row.details or {}, ensure_ascii=False, sort_keys=True)))
        yield flush()


def _cell(value: str) -> str:
    """A spreadsheet must not read a value as a formula."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value
