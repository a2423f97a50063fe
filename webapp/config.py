"""Settings from the environment, each with a working default."""

import os

from workflows.services import ballot_box
from workflows.services.audit_keys import MIN_KEY_LENGTH, parse

DEV_SECRET_KEY = "dev-only-secret-change-me"
BALLOT_KEY_FILE = "ballot.key"


def from_environment(instance_path: str) -> dict:
    """The app's configuration as read from environment variables."""
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{os.path.join(instance_path, 'laurel.sqlite')}"
    max_upload_mb = _positive_int("MAX_UPLOAD_MB", 20, "megabytes")
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        # The key that seals secret ballots; unset, the instance folder's ballot.key (see ballot_keys).
        "BALLOT_KEY": os.environ.get("BALLOT_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or os.path.join(instance_path, "uploads"),
        "MAX_UPLOAD_MB": max_upload_mb,
        # An imported spreadsheet's bounds, checked before it is parsed (README, "Importing the registry").
        "SHEET_MAX_UNPACKED_MB": _positive_int("SHEET_MAX_UNPACKED_MB", 64, "megabytes"),
        "SHEET_MAX_ENTRIES": _positive_int("SHEET_MAX_ENTRIES", 500, "parts"),
        "SHEET_MAX_RATIO": _positive_int("SHEET_MAX_RATIO", 200, "times"),
        "SHEET_MAX_ROWS": _positive_int("SHEET_MAX_ROWS", 200_000, "rows"),
        "SHEET_MAX_CELLS": _positive_int("SHEET_MAX_CELLS", 2_000_000, "cells"),
        "SMTP_URL": os.environ.get("SMTP_URL", "smtp://127.0.0.1:25"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Laurel <laurel@localhost>"),
        "TIMEZONE": os.environ.get("TIMEZONE", "Asia/Ho_Chi_Minh"),
        "BPMN_FOLDER": os.environ.get("BPMN_FOLDER") or os.path.join(os.path.dirname(__file__), "..", "bpmn"),
        "PASSWORD_HASH_METHOD": "scrypt",
        # The audit chain's secret: never in the database. AUDIT_KEY (one or more keys, the last
        # seals), else the key file, created on first need readable by its owner only.
        "AUDIT_KEY": _audit_key(),
        "AUDIT_KEY_FILE": os.environ.get("AUDIT_KEY_FILE") or os.path.join(instance_path, "audit.key"),
        # Sessions end with the browser; cookies never reach scripts or other sites' requests.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
        # A session kept on the server ends after this long without a request, and this long after sign-in.
        "SESSION_IDLE_MINUTES": _positive_int("SESSION_IDLE_MINUTES", 30, "minutes"),
        "SESSION_MAX_HOURS": _positive_int("SESSION_MAX_HOURS", 12, "hours"),
        # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto (0: none).
        "TRUSTED_PROXIES": _whole_number("TRUSTED_PROXIES", 0),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BOOTSTRAP_SERVE_LOCAL": True,  # no CDN: agency intranets have no internet
    }


def normalise_database_url(url: str) -> str:
    """Accept the usual postgresql:// form and use the psycopg 3 driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def ballot_keys(configured: str | None, instance_path: str) -> list[bytes]:
    """The keys that seal secret ballots: BALLOT_KEY when set, else the instance folder's ballot.key.

    The file is made, readable by its owner only, on the first start without BALLOT_KEY. The key
    must live apart from the database and its backups: whoever has both can open ballots cast
    in a vote still open. Several keys, comma-separated, let a key be replaced: the first seals,
    any of them opens (docs/security.md, "The secret ballot").
    """
    if configured:
        return _parsed_keys(configured, "BALLOT_KEY")
    path = os.path.join(instance_path, BALLOT_KEY_FILE)
    if not os.path.exists(path):
        _write_new_key(path)
    with open(path, encoding="ascii") as file:
        return _parsed_keys(file.read(), path)


def _parsed_keys(text: str, where: str) -> list[bytes]:
    try:
        return ballot_box.parse_keys(text)
    except ValueError as error:
        raise SystemExit(f"{where}: {error}") from None


def _write_new_key(path: str) -> None:
    # Written aside then linked into place: of several workers starting at once, one key wins
    # and every worker reads that one, never a half-written file.
    aside = f"{path}.{os.getpid()}.new"
    descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(ballot_box.new_key_text() + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(aside)


def warn_when_serving_insecurely(app) -> None:
    """Warn loudly, once, when a server answers requests with the development secret key."""
    if app.config["SECRET_KEY"] != DEV_SECRET_KEY or app.config.get("TESTING"):
        return
    warned = []

    @app.before_request
    def _warn_once():
        if not warned:
            warned.append(True)
            app.logger.warning("SECRET_KEY is the development default: sessions and tokens can be forged. "
                               "Set SECRET_KEY before serving real users.")


def _audit_key() -> str | None:
    """AUDIT_KEY as given, refused at start when a key in it is too short to be a secret."""
    raw = os.environ.get("AUDIT_KEY") or None
    if raw is not None and any(len(key) < MIN_KEY_LENGTH for key in parse(raw)):
        raise SystemExit(f"AUDIT_KEY: each key needs at least {MIN_KEY_LENGTH} characters")
    return raw


def _positive_int(name: str, default: int, unit: str) -> int:
    value = _whole_number(name, default, unit)
    if value <= 0:
        raise SystemExit(f"{name} must be positive")
    return value


def _whole_number(name: str, default: int, unit: str = "") -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number{' of ' + unit if unit else ''}, not {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative")
    return value
