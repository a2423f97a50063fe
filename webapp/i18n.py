"""Languages and time zones: the user's choice, else the browser's, else English."""

from datetime import date, datetime, timezone

from babel import dates
from flask import g, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}


def select_locale() -> str:
    chosen = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys()) or "en"


def _calendar():
    """The request's locale and time zone, looked up once: a list page formats a hundred dates."""
    calendar = g.get("laurel_calendar")
    if calendar is None:
        calendar = g.laurel_calendar = (get_locale(), get_timezone())
    return calendar


def _local(value: datetime, zone) -> datetime:
    """A stored moment (naive UTC) on the bloc's clock."""
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(zone)


def datetime_format(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    locale, zone = _calendar()
    return dates.format_datetime(_local(value, zone), format, tzinfo=zone, locale=locale)


def date_format(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    locale, zone = _calendar()
    day = _local(value, zone).date() if isinstance(value, datetime) else value
    return dates.format_date(day, format, locale=locale)


def init_app(app) -> None:
    from .extensions import babel

    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["TIMEZONE"],
                   default_translation_directories="translations")
    # The same output as Flask-Babel's filters of these names, without its per-call lookups.
    app.jinja_env.filters["datetimeformat"] = datetime_format
    app.jinja_env.filters["dateformat"] = date_format
