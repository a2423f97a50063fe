"""One use case, one transaction: conflicts become domain errors, failures leave no trace."""

import functools

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from .db import db
from .errors import Conflict

CONFLICT_MESSAGE = "Someone else changed this at the same moment; reload and try again."


def use_case(func):
    """Run ``func`` as one unit of work: it commits itself; any exception rolls everything back.

    A lost optimistic lock, a busy SQLite database or a duplicate row from a race all mean
    that another request got there first: the caller sees a Conflict, never a crash.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except StaleDataError as exc:
            db.session.rollback()
            raise Conflict(CONFLICT_MESSAGE) from exc
        except OperationalError as exc:
            db.session.rollback()
            if _is_lock_error(exc):
                raise Conflict(CONFLICT_MESSAGE) from exc
            raise
        except IntegrityError as exc:
            db.session.rollback()
            raise Conflict(CONFLICT_MESSAGE) from exc
        except BaseException:
            db.session.rollback()
            raise

    return wrapper


def _is_lock_error(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text or "deadlock" in text or "could not serialize" in text
