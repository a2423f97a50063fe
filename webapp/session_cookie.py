"""The browser's half of a session: its cookie names a session kept on the server, nothing else.

Flask-Login keeps ``_user_id`` in the signed session cookie; here it holds the random token of a
``workflows.usecases.sessions`` session, never the user's id. The user loader resumes that session on
the server, which refuses it once it has ended (signed out, idle, too old, password changed,
user deactivated); the reader is then sent to the sign-in page with a word on why. Every sign-in
starts a new session and a new cookie.
"""

from datetime import timedelta

from flask import current_app, flash, g, redirect, request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_login.utils import login_url

from workflows.usecases import sessions

from .extensions import login_manager
from .safeguards import client_address

ENDED = {
    "idle": _l("You were signed out after %(minutes)s minutes without activity. Please sign in again."),
    "expired": _l("You were signed out: a session lasts at most %(hours)s hours. Please sign in again."),
    "password_changed": _l("You were signed out because the password was changed. Please sign in again."),
    "password_reset": _l("You were signed out because the password was changed. Please sign in again."),
    "ended_elsewhere": _l("This session was signed out from another one. Please sign in again."),
}
ENDED_OTHERWISE = _l("Your session has ended. Please sign in again.")


def init_app(app) -> None:
    login_manager.user_loader(_resume)
    login_manager.unauthorized_handler(_to_sign_in)


def limits() -> sessions.Limits:
    config = current_app.config
    return sessions.Limits(idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                           lifetime=timedelta(hours=config["SESSION_MAX_HOURS"]))


def begin(user) -> None:
    """Sign this browser in as ``user`` with a new server-side session and a new cookie."""
    token = sessions.start(user, source=client_address(), device=device(request.user_agent.string))
    session.clear()  # nothing of the session before sign-in is carried over
    login_user(user, remember=False)
    session["_user_id"] = token
    g.session_id = None  # known again on the next request


def end() -> None:
    """Sign this browser out: its session ends on the server, its cookie is emptied."""
    token = session.get("_user_id")
    if token:
        sessions.end(token)
    logout_user()
    session.clear()


def current_session_id() -> int | None:
    """The id of the session this request was resumed from."""
    return g.get("session_id")


def _resume(token: str):
    resumed = sessions.resume(token, limits())
    if resumed.user is None:
        g.session_ended = resumed.ended
        session.pop("_user_id", None)
        return None
    g.session_id = resumed.session_id
    return resumed.user


def _to_sign_in():
    ended = g.pop("session_ended", None)
    if ended:
        config = current_app.config
        flash(ENDED.get(ended, ENDED_OTHERWISE) % {"minutes": config["SESSION_IDLE_MINUTES"],
                                                   "hours": config["SESSION_MAX_HOURS"]}, "warning")
    return redirect(login_url(login_manager.login_view, next_url=request.url))


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


def device(user_agent: str) -> str | None:
    """A browser and system a person recognises ("Firefox · Windows"), from the User-Agent header.

    Anything else (a script, a tool) is left unnamed: the page calls it an unknown browser in the
    reader's language rather than echo a header the client chose.
    """
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    return " · ".join(part for part in (browser, system) if part) or None
