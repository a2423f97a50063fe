"""The SQLAlchemy handle, unbound: the web factory (or a script) binds it to an app."""

from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep migrations portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


# Values of one IN list at most: SQLite refuses a statement with more bound parameters than its limit.
IN_CHUNK = 500


def in_chunks(values: list, size: int = IN_CHUNK):
    """``values`` in consecutive slices of at most ``size``, one IN list each."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: stored the same way on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
