"""Binding the database to the app: engine options per backend."""

import os

from flask_migrate import Migrate
from sqlalchemy import event
from sqlalchemy.engine import Engine

from workflows import models  # noqa: F401  (registers the tables for migrations)
from workflows.db import db

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")
migrate = Migrate()


def init_app(app) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        # A busy writer makes others wait a while instead of failing at once.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.abspath(MIGRATIONS), render_as_batch=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one request writes; the busy timeout queues writers.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left in the page's free space: the sealed
    # ballots a vote's close deletes do not linger in the file (see workflows/services/ballot_box.py).
    cursor.execute("PRAGMA secure_delete=ON")
    # Reads through a memory map share the operating system's page cache between connections,
    # instead of copying every page through a read call into each connection's small cache: with
    # thousands of process instances the file is far larger than SQLite's default 2 MB cache.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()
    # SQLite's own lower() (and so ILIKE) folds ASCII letters only; searching "ánh" must find "Ánh"
    # as it does on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value
