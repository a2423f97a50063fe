"""Languages and time zones: the user's choice, else the browser's, else English."""

from datetime import date, datetime, timezone
from functools import lru_cache

from babel import Locale, dates
from flask import g, request
from flask_babel import format_currency, format_decimal, get_locale, get_timezone
from flask_login import current_user

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}


def select_locale() -> str:
    """Pages: the user's choice, else the browser's. The API: the request's Accept-Language, else the
    token owner's choice, so a program may ask for either language whoever it signs in as."""
    asked = request.accept_languages.best_match(LANGUAGES.keys())
    if request.path.startswith("/api/"):
        owner = g.get("api_user")
        return asked or (owner.locale if owner is not None and owner.locale in LANGUAGES else "en")
    chosen = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    if chosen in LANGUAGES:
        return chosen
    return asked or "en"


def _calendar():
    """The request's locale and time zone, looked up once: a list page formats a hundred dates."""
    calendar = g.get("laurel_calendar")
    if calendar is None:
        calendar = g.laurel_calendar = (get_locale(), get_timezone())
    return calendar


def _local(value: datetime, zone) -> datetime:
    """A stored moment (naive UTC) on the bloc's clock."""
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(zone)


@lru_cache(maxsize=64)
def _pattern(kind: str, format: str, locale: str) -> dates.DateTimePattern:
    """The locale's pattern for a date, or a date and time, parsed once.

    The same output as Babel's format_date and format_datetime, which look the patterns up
    and combine them on every call: a list of a hundred dates paid for it a hundred times.
    """
    where = Locale.parse(locale)
    day = dates.get_date_format(format, where).pattern
    if kind == "date":
        return dates.parse_pattern(day)
    both = dates.get_datetime_format(format, where)
    return dates.parse_pattern(both.replace("{0}", dates.get_time_format(format, where).pattern).replace("{1}", day))


def datetime_format(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    locale, zone = _calendar()
    return _pattern("datetime", format, str(locale)).apply(_local(value, zone), locale)


def date_format(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    locale, zone = _calendar()
    day = _local(value, zone).date() if isinstance(value, datetime) else value
    return _pattern("date", format, str(locale)).apply(day, locale)


def number(value) -> str:
    """A count or size grouped the reader's way: 702,000 in English, 702.000 in Vietnamese."""
    return "" if value is None else format_decimal(value)


def money(amount) -> str:
    """An amount in đồng, as the reader's locale writes money: ₫702,000 in English, 702.000 ₫ in Vietnamese."""
    return "" if amount is None else format_currency(amount, "VND")


def init_app(app) -> None:
    from .extensions import babel

    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["TIMEZONE"],
                   default_translation_directories="translations")
    # The same output as Flask-Babel's filters of these names, without its per-call lookups.
    app.jinja_env.filters["datetimeformat"] = datetime_format
    app.jinja_env.filters["dateformat"] = date_format
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["money"] = money
