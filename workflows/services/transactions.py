"""One use case, one transaction: conflicts become domain errors, failures leave no trace."""

import functools

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import MANYTOONE
from sqlalchemy.orm.exc import StaleDataError

from workflows.db import db
from workflows.errors import Conflict


class _Lost(Exception):
    """Another transaction won a race; the whole use case may be tried again from scratch."""


def use_case(func=None, *, retries: int = 0):
    """Run ``func`` as one unit of work: it commits itself; any exception rolls everything back.

    A lost optimistic lock, a busy SQLite database or a duplicate row from a race all mean
    that another request got there first. With ``retries`` the use case is run again on
    fresh data — it re-checks everything, so a second try either succeeds (the other
    request touched something else) or fails with the real reason. Without, or when the
    tries run out, the caller sees a Conflict, never a crash.
    """
    if func is None:
        return functools.partial(use_case, retries=retries)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(retries + 1):
            try:
                return _once(func, *args, **kwargs)
            except _Lost as lost:
                if attempt == retries:
                    raise Conflict("change.concurrent") from lost.__cause__
        raise AssertionError("unreachable")

    return wrapper


def _once(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except StaleDataError as exc:
        db.session.rollback()
        raise _Lost() from exc
    except OperationalError as exc:
        db.session.rollback()
        if is_lock_error(exc):
            raise _Lost() from exc
        raise
    except IntegrityError as exc:
        db.session.rollback()
        raise _Lost() from exc
    except BaseException:
        db.session.rollback()
        raise


def is_lock_error(exc: OperationalError) -> bool:
    """Whether the database refused for a lock held by another transaction (busy, deadlock, serialisation)."""
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text or "deadlock" in text or "could not serialize" in text


def commit_keeping(*kept) -> None:
    """Commit, then expire every loaded object except the columns of ``kept``.

    A use case that answers with a row it has just written knows that row as committed;
    letting the commit expire it would only cost a query to read it back. Collections
    and one-to-one links of ``kept`` expire all the same: rows added through their foreign
    keys (a decision for a nomination) are not reflected in them.
    """
    session = db.session()
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous
    keep = {id(obj) for obj in kept}
    for obj in list(session.identity_map.values()):
        if id(obj) not in keep:
            session.expire(obj)
    for obj in kept:
        links = [r.key for r in inspect(obj).mapper.relationships if r.direction is not MANYTOONE]
        if links:
            session.expire(obj, links)
