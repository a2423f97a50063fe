"""Council sessions: schedule one for a round, take attendance, open and close the ballots together,
cast a member's ballot sheet, read the session and its minutes."""

import io

from flask import send_file
from flask_smorest import Blueprint

from workflows.usecases import council_sessions

from .presenters import utc
from .responses import responds
from .security import BEARER, current_api_user, require_token
from .session_schemas import (
    SessionAttendanceIn,
    SessionBrief,
    SessionCloseIn,
    SessionOut,
    SessionScheduleIn,
    SessionSheetIn,
)

blp = Blueprint("api_sessions", __name__, description="Council sessions: attendance, quorum, ballots, minutes")
blp.before_request(require_token)


def brief(session) -> dict:
    return {"id": session.id, "authority": session.authority.code, "round_id": session.round_id,
            "status": session.status, "scheduled_for": utc(session.scheduled_for), "place": session.place,
            "nominees": council_sessions.agenda_size(session.id)}


def present(user, session_id) -> dict:
    seen = council_sessions.view(user, session_id)
    session = seen.session
    groups = [{"award_type": award.code, "award_name": award.name, "items": [_item(e) for e in entries]}
              for award, entries in seen.groups]
    return {**brief(session), "quorum": session.quorum, "opened_at": utc(session.opened_at),
            "closed_at": utc(session.closed_at), "minutes_sha256": session.minutes_sha256,
            "sheets_cast": seen.sheets_cast, "written_ballots": seen.written_ballots, "agenda": groups,
            "members": [{"user_id": m.user_id, "username": m.user.username, "full_name": m.user.full_name,
                         "attendance": m.attendance, "cast": m.voted_at is not None} for m in seen.members],
            "seated": [{"user_id": u.id, "username": u.username, "full_name": u.full_name} for u in seen.seated],
            "may": {"take_attendance": seen.may_take_attendance, "open": seen.may_open, "close": seen.may_close,
                    "cast": seen.may_cast}}


def _item(entry) -> dict:
    record = entry.tally
    return {"nomination_id": entry.nomination.id, "nominee": entry.nomination.nominee_name,
            "unit": entry.nomination.unit.code, "proposal_id": entry.nomination.proposal_id,
            "article": entry.item.article, "status": entry.nomination.status,
            "recommended_award_code": entry.item.recommended_award_code,
            "result": None if record is None else {
                "yes": record.yes, "no": record.no, "voters": len(record.voters or []),
                "entitled": len(record.members or []), "needed_voters": record.needed_voters,
                "needed_yes": record.needed_yes, "quorum_met": record.quorum_met, "passed": record.passed}}


@blp.post("/rounds/<int:round_id>/sessions")
@blp.arguments(SessionScheduleIn)
@blp.response(201, SessionOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422)
def schedule(body, round_id):
    """The authority's office schedules a council session for the round; the agenda is every nominee of
    the round waiting for the vote and on no other open session's agenda, grouped by award."""
    user = current_api_user()
    session = council_sessions.schedule(user, round_id, body["scheduled_for"], body.get("place", ""))
    return present(user, session.id)


@blp.get("/rounds/<int:round_id>/sessions")
@blp.response(200, SessionBrief(many=True))
@blp.doc(security=BEARER)
@responds(401, 404)
def of_round(round_id):
    """The round's council sessions, newest first."""
    _, sessions = council_sessions.of_round(current_api_user(), round_id)
    return [brief(s) for s in sessions]


@blp.get("/sessions/<int:session_id>")
@blp.response(200, SessionOut)
@blp.doc(security=BEARER)
@responds(401, 404)
def read(session_id):
    """A session: agenda by award, attendance and quorum, how many ballot sheets were cast (never their
    choices), each nominee's result once closed, and what the caller may do."""
    return present(current_api_user(), session_id)


@blp.post("/sessions/<int:session_id>/attendance")
@blp.arguments(SessionAttendanceIn)
@blp.response(200, SessionOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422)
def attendance(body, session_id):
    """Take attendance (the office or the secretary) and check the quorum; below it nothing opens and
    attendance may be taken again, once it is met it is taken (409 after)."""
    user = current_api_user()
    council_sessions.take_attendance(user, session_id, body["attendance"])
    return present(user, session_id)


@blp.post("/sessions/<int:session_id>/open")
@blp.response(200, SessionOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409)
def open_ballots(session_id):
    """The secretary or the chair opens every ballot of the session; 409 session.quorum_not_met below the quorum."""
    user = current_api_user()
    council_sessions.open_ballots(user, session_id)
    return present(user, session_id)


@blp.post("/sessions/<int:session_id>/close")
@blp.arguments(SessionCloseIn)
@blp.response(200, SessionOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422)
def close_ballots(body, session_id):
    """The secretary or the chair closes every ballot together: each nominee is counted, the minutes written."""
    user = current_api_user()
    council_sessions.close_ballots(user, session_id, body.get("recommendations") or {})
    return present(user, session_id)


@blp.post("/sessions/<int:session_id>/ballots")
@blp.arguments(SessionSheetIn)
@blp.response(200, SessionOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409, 413, 422)
def cast(body, session_id):
    """A member's one ballot sheet for the session, a choice on every nominee; 409 for a second sheet."""
    user = current_api_user()
    council_sessions.cast(user, session_id, body["choices"])
    return present(user, session_id)


@blp.get("/sessions/<int:session_id>/minutes.pdf")
@blp.response(200, description="The session's minutes as PDF; its SHA-256 is the session's minutes_sha256")
@blp.doc(security=BEARER)
@responds(401, 404)
def minutes(session_id):
    """The minutes of a closed session: attendance, the quorum, every nominee's count and result, the rule."""
    filename, content, _ = council_sessions.minutes_document(current_api_user(), session_id)
    return send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True, download_name=filename)
