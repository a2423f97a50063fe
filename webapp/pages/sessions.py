"""Council sessions' pages: the sessions of a round (and scheduling one), a session's page for the office,
the secretary and the chair (agenda by award, attendance, quorum, Open and Close), the member's ballot
sheet for the whole agenda, and the minutes.

A ballot's choices are read from the form and handed to the use case; they are never shown back.
"""

import io
from datetime import datetime, timedelta, timezone

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workflows.errors import Conflict, InvalidData, NotAllowed
from workflows.usecases import council_sessions

from .. import vocabulary
from . import nominations as nomination_pages

bp = Blueprint("sessions", __name__)
bp.context_processor(nomination_pages.display_labels)

SESSION_STATUS_LABELS = {"scheduled": _l("scheduled"), "attendance": _l("attendance taken, ballots not open"),
                         "open": _l("ballots open"), "closed": _l("closed")}
ATTENDANCE_LABELS = {"present": _l("Present"), "written": _l("Absent with a written ballot"), "absent": _l("Absent")}


@bp.context_processor
def session_labels() -> dict:
    return {"session_status_labels": SESSION_STATUS_LABELS, "attendance_labels": ATTENDANCE_LABELS}

HANOI = timezone(timedelta(hours=7))
ATTENDANCE_CHOICES = ("present", "written", "absent")
REFUSED = (Conflict, InvalidData, NotAllowed)


def _status(error) -> int:
    return 422 if isinstance(error, InvalidData) else 403 if isinstance(error, NotAllowed) else 409


@bp.get("/sessions")
@login_required
def index():
    return render_template("sessions/index.html", sessions=council_sessions.visible(current_user))


@bp.get("/rounds/<int:round_id>/sessions")
@login_required
def of_round(round_id):
    return _round_page(round_id)


@bp.post("/rounds/<int:round_id>/sessions")
@login_required
def schedule(round_id):
    values = {"scheduled_for": request.form.get("scheduled_for", ""), "place": request.form.get("place", "")}
    try:
        moment = datetime.fromisoformat(values["scheduled_for"][:16]).replace(tzinfo=HANOI)
    except ValueError:
        moment = None
    try:
        session = council_sessions.schedule(current_user, round_id, moment, values["place"][:400])
    except REFUSED as error:
        return _round_page(round_id, error=vocabulary.describe(error), values=values), _status(error)
    flash(_("The session is scheduled."), "success")
    return redirect(url_for("sessions.detail", session_id=session.id))


def _round_page(round_id, error=None, values=None):
    found, sessions = council_sessions.of_round(current_user, round_id)
    return render_template("sessions/round.html", round=found, sessions=sessions, error=error,
                           values=values or {}, may_schedule=council_sessions.may_schedule(current_user, found))


@bp.get("/sessions/<int:session_id>")
@login_required
def detail(session_id):
    return _session_page(session_id)


@bp.post("/sessions/<int:session_id>/attendance")
@login_required
def attendance(session_id):
    marks = {name.removeprefix("attendance-"): value for name, value in request.form.items()
             if name.startswith("attendance-")}
    return _act(session_id, lambda: council_sessions.take_attendance(current_user, session_id, marks),
                _("Attendance is recorded."), kept=marks)


@bp.post("/sessions/<int:session_id>/open")
@login_required
def open_ballots(session_id):
    return _act(session_id, lambda: council_sessions.open_ballots(current_user, session_id),
                _("The ballots are open."))


@bp.post("/sessions/<int:session_id>/close")
@login_required
def close_ballots(session_id):
    return _act(session_id, lambda: council_sessions.close_ballots(current_user, session_id),
                _("The ballots are closed and counted; the minutes are written."))


@bp.post("/sessions/<int:session_id>/ballots")
@login_required
def cast(session_id):
    choices = {name.removeprefix("vote-"): value for name, value in request.form.items()
               if name.startswith("vote-") and value}
    return _act(session_id, lambda: council_sessions.cast(current_user, session_id, choices),
                _("Your ballot sheet is cast. It is secret: nowhere is it recorded which way you voted."))


@bp.get("/sessions/<int:session_id>/minutes.pdf")
@login_required
def minutes(session_id):
    filename, content, _digest = council_sessions.minutes_document(current_user, session_id)
    return send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True, download_name=filename)


def _act(session_id, action, done: str, kept=None):
    council_sessions.get(current_user, session_id)  # 404 before anything else for those who may not see it
    try:
        action()
    except REFUSED as error:
        return _session_page(session_id, error=vocabulary.describe(error), kept=kept or {}), _status(error)
    flash(done, "success")
    return redirect(url_for("sessions.detail", session_id=session_id))


def _session_page(session_id, error=None, kept=None):
    seen = council_sessions.view(current_user, session_id)
    return render_template("sessions/session.html", seen=seen, s=seen.session, error=error, kept=kept or {},
                           choices=ATTENDANCE_CHOICES)
