"""Languages and time zones: the user's choice, else the browser's, else English."""

from flask import request
from flask_login import current_user

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}


def select_locale() -> str:
    chosen = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES.keys()) or "en"


def init_app(app) -> None:
    from .extensions import babel

    babel.init_app(app, locale_selector=select_locale,
                   timezone_selector=lambda: app.config["TIMEZONE"],
                   default_translation_directories="translations")
