"""Refusals about council sessions: scheduling, attendance and the quorum, ballots and minutes."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "session.not_found": _l("No council session %(id)s."),
    "session.round_not_found": _l("No round %(id)s."),
    "session.office_only": _l("Only the office of the authority (or the council's secretary, for attendance) can do "
                              "this."),
    "session.presiding_only": _l("Only the council's secretary or chair opens and closes the ballots."),
    "session.invalid": _l("The session cannot be scheduled as given."),
    "session.bad_time": _l("Give the date and time of the session."),
    "session.process_missing": _l("The council session's process is not deployed; an administrator must deploy it."),
    "session.nothing_to_vote": _l("No nominee of this round is waiting for the council's vote outside another open "
                                  "session."),
    "session.attendance_taken": _l("Attendance has already been taken for this session."),
    "session.bad_attendance": _l("The attendance is not valid: mark each seated member present, absent with a "
                                 "written ballot, or absent."),
    "session.not_seated": _l("Not a voting member of this council."),
    "session.written_not_allowed": _l("The council's regulation does not allow written ballots."),
    "session.quorum_not_met": _l("Below the quorum: %(taking_part)s of %(seated)s members take part, %(needed)s are "
                                 "needed. No ballot opens."),
    "session.already_opened": _l("The ballots of this session are already open or closed."),
    "session.not_open": _l("The ballots of this session are not open."),
    "session.closed": _l("The session is closed: no more ballots are taken."),
    "session.not_voting": _l("You do not vote at this session (not a member present or with a written ballot)."),
    "session.already_cast": _l("You have already cast your ballot sheet for this session."),
    "session.bad_sheet": _l("The ballot sheet is not valid: choose yes or no for every nominee."),
    "session.not_on_sheet": _l("Not a nominee you vote on at this session."),
    "session.choice_missing": _l("Choose yes or no for this nominee."),
    "session.bad_recommendation": _l("The council's recommendations are not valid."),
    "session.unknown_award": _l("Unknown award type."),
    "session.step_not_ready": _l("The session is not at this step (%(task)s)."),
    "session.no_minutes_yet": _l("Session %(id)s has no minutes yet: they are written at the close."),
}
