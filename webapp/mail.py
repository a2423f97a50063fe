"""The words of the e-mails the outbox sends, in each recipient's language and the bloc's time zone."""

from datetime import datetime

from flask import current_app
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _

from workflows.services.notifications import LIST_TASK_WAITING, TASK_OVERDUE, TASK_WAITING
from workflows.usecases import checkpoints

from . import vocabulary
from .i18n import LANGUAGES


def render(message) -> tuple[str, str]:
    """(subject, body) of a queued message; needs the app context, not a request."""
    locale = message.locale if message.locale in LANGUAGES else current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    with force_locale(locale):
        return _WRITERS[message.template](dict(message.params or {}), locale)


def _facts(params: dict, locale: str) -> dict:
    award = params.get("award_name_vi") if locale == "vi" and params.get("award_name_vi") else params["award_name"]
    return {"name": params.get("recipient", ""), "task": vocabulary.element_name(params["task"], params["task_name"]),
            "id": params["nomination_id"], "code": params["award_code"], "award": award,
            "nominee": params["nominee"], "unit": params["unit"], "year": params["year"]}


def _task_waiting(params: dict, locale: str) -> tuple[str, str]:
    facts = _facts(params, locale)
    subject = _("Task waiting: %(task)s — %(code)s, %(nominee)s", **facts)
    lines = [_("Dear %(name)s,", **facts), "",
             _("A task is waiting for you: %(task)s.", **facts),
             _("Nomination %(id)s: %(award)s for %(nominee)s (%(unit)s), %(year)s.", **facts)]
    if params.get("due_at"):
        # Stored in UTC; the date is the one on the bloc's calendar (TIMEZONE).
        lines.append(_("Due: %(date)s.", date=format_date(datetime.fromisoformat(params["due_at"]), "long")))
    return subject, "\n".join(lines) + "\n"


def _list_task_waiting(params: dict, locale: str) -> tuple[str, str]:
    award = params.get("award_name_vi") if locale == "vi" and params.get("award_name_vi") else params["award_name"]
    facts = {"name": params.get("recipient", ""), "task": vocabulary.element_name(params["task"], params["task_name"]),
             "id": params["proposal_id"], "code": params["award_code"], "award": award, "unit": params["unit"],
             "year": params["year"], "title": params.get("title") or ""}
    subject = _("Task waiting: %(task)s — list %(id)s, %(code)s (%(unit)s)", **facts)
    lines = [_("Dear %(name)s,", **facts), "",
             _("A task is waiting for you: %(task)s.", **facts),
             _("List %(id)s of %(unit)s: %(award)s, %(year)s. %(title)s", **facts).strip()]
    if params.get("due_at"):
        lines.append(_("Due: %(date)s.", date=format_date(datetime.fromisoformat(params["due_at"]), "long")))
    return subject, "\n".join(lines) + "\n"


def _task_overdue(params: dict, locale: str) -> tuple[str, str]:
    facts = _facts(params, locale)
    subject = _("Overdue: %(task)s — %(code)s, %(nominee)s", **facts)
    body = "\n".join([_("Dear %(name)s,", **facts), "",
                      _("The task %(task)s of nomination %(id)s (%(nominee)s, %(unit)s) is overdue.", **facts)])
    return subject, body + "\n"


def _audit_checkpoint(params: dict, locale: str) -> tuple[str, str]:
    facts = {"name": params.get("recipient", ""), "seq": params["seq"], "hash": params["hash"],
             "key": params.get("key_id") or "-",
             "at": format_datetime(datetime.fromisoformat(params["at"]), "long")}
    subject = _("Audit checkpoint: event %(seq)s", **facts)
    lines = [_("Dear %(name)s,", **facts), "",
             _("The audit trail was checked intact and its head written down at %(at)s:", **facts), "",
             _("Event: %(seq)s", **facts), _("Hash: %(hash)s", **facts), _("Key: %(key)s", **facts), "",
             _("Keep this message. Whoever rewrites or shortens the trail later cannot make it hold this event "
               "again: `flask audit verify --checkpoint FILE` compares the trail with it.")]
    return subject, "\n".join(lines) + "\n"


def _already_worded(params: dict, locale: str) -> tuple[str, str]:
    """Mail queued before messages were stored as data: sent as it was written."""
    return params["subject"], params["body"]


_WRITERS = {TASK_WAITING: _task_waiting, TASK_OVERDUE: _task_overdue, LIST_TASK_WAITING: _list_task_waiting,
            "plain": _already_worded,
            checkpoints.TEMPLATE: _audit_checkpoint}
