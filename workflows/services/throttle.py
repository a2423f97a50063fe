"""Slowing down password guessing without locking anyone out.

Every password check (signing in on a page or for an API token, re-entering the password to sign
or to change it) is one attempt, counted on three counters: the account from anywhere, the
source address whatever the account, and the pair of both. Each counter lets a few failures
through, then makes the next attempt wait 1 s, then 2, 4, ... up to its cap, and forgets after
a quiet while. A source the account has signed in from recently is *known*: the account's and
the source's delays spare it, so someone failing on purpose elsewhere (or next door) cannot keep
the real user out; the pair's own delay still applies there.

Counting is atomic: an attempt is charged before its password is checked, in a short transaction
that locks the counters' rows (a row lock on PostgreSQL, the write lock on SQLite) and is
committed at once; of many simultaneous attempts only those the budget allows are checked. A
success gives the charge back. docs/security.md has the numbers and the reasons for them.
"""

import logging
import math
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import DateTime, and_, case, delete, literal, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from workflows.db import db, utcnow
from workflows.errors import TooManyAttempts
from workflows.models import SignInCounter
from workflows.services.transactions import is_lock_error

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Budget:
    free: int  # failures let through before the delays start
    cap: int  # the longest delay, in seconds
    forget: timedelta  # a counter left alone this long starts again from zero

    def delay(self, failures: int) -> int:
        """Seconds the next attempt waits once ``failures`` have been counted: 0, then 1, 2, 4, ... up to the cap."""
        return 0 if failures < self.free else min(self.cap, 2 ** (failures - self.free))


PAIR = Budget(free=3, cap=60, forget=timedelta(minutes=15))
ACCOUNT = Budget(free=10, cap=60, forget=timedelta(hours=1))
SOURCE = Budget(free=10, cap=300, forget=timedelta(hours=1))
BUDGETS = {"pair": PAIR, "account": ACCOUNT, "source": SOURCE}
# How long a successful sign-in makes its source known to the account.
KNOWN_FOR = timedelta(days=30)
# A busy database (SQLite's write lock) is waited for this many times before the attempt is refused.
TRIES = 3

# Where this request's attempts come from: the web layer declares the client's address per request.
CLIENT = ContextVar("sign_in_client", default="local")


@dataclass
class Attempt:
    """One charged attempt, to be given back if its password turns out right."""

    username: str
    source: str
    at: datetime
    # Per counter: its next_at before the charge and as the charge left it.
    moved: dict = field(default_factory=dict)
    wait: int = 0  # seconds the next attempt from here waits if this one fails


def admit(username: str) -> Attempt:
    """Charge one attempt at ``username``'s password from the current client, or refuse it.

    Raises TooManyAttempts("sign_in.throttled", seconds=...) when a counter says wait; nothing is
    charged then. The charge is committed before this returns, so simultaneous attempts see it.
    """
    source = CLIENT.get()
    for _ in range(TRIES):
        try:
            return _charge(username, source)
        except OperationalError as exc:
            db.session.rollback()
            if not is_lock_error(exc):
                raise
    raise TooManyAttempts("sign_in.throttled", seconds=1)  # fail closed: no password is checked


def succeeded(attempt: Attempt) -> None:
    """Give the attempt's charge back, in the caller's transaction: the pair starts afresh and is known from now on."""
    now = utcnow()
    for key, (before, after) in attempt.moved.items():
        if key[0] == "pair":
            values = {"failures": 0, "next_at": None, "last_success_at": now}
        else:
            values = {"failures": case((SignInCounter.failures > 0, SignInCounter.failures - 1), else_=0)}
            if after != before:  # undo the delay this charge set, unless another attempt has moved it since
                values["next_at"] = case((SignInCounter.next_at == after, literal(before, DateTime())),
                                         else_=SignInCounter.next_at)
        db.session.execute(update(SignInCounter).where(*_match(key)).values(**values)
                           .execution_options(synchronize_session=False))


def forgive(username: str) -> None:
    """Clear the account's counters (an administrator gave it a new password); known sources stay known."""
    db.session.execute(update(SignInCounter).where(SignInCounter.username == username)
                       .values(failures=0, next_at=None).execution_options(synchronize_session=False))


def purge(now: datetime | None = None) -> int:
    """Delete the counters nobody has tried for longer than any budget remembers (and no longer known)."""
    now = now or utcnow()
    quiet = now - max(budget.forget for budget in BUDGETS.values())
    purged = db.session.execute(delete(SignInCounter).where(
        or_(SignInCounter.last_attempt_at.is_(None), SignInCounter.last_attempt_at < quiet),
        or_(SignInCounter.last_success_at.is_(None), SignInCounter.last_success_at < now - KNOWN_FOR),
    )).rowcount
    db.session.commit()
    return purged


def _charge(username: str, source: str) -> Attempt:
    keys = sorted([("account", username, ""), ("pair", username, source), ("source", "", source)])
    db.session.execute(_insert_missing(), [{"scope": s, "username": u, "source": a, "failures": 0}
                                           for s, u, a in keys])
    # Locked one by one in a fixed order, so two attempts sharing counters cannot deadlock.
    rows = {key: db.session.execute(_lock(key)).one() for key in keys}
    now = utcnow()  # read after the locks: the moments written by those who held them before are earlier
    pair = rows[("pair", username, source)]
    known = pair.last_success_at is not None and now - pair.last_success_at <= KNOWN_FOR
    gates = [key for key in keys if key[0] == "pair" or not known]
    waits = [rows[key].next_at for key in gates if rows[key].next_at is not None and rows[key].next_at > now]
    if waits:
        db.session.rollback()
        seconds = max(1, math.ceil((max(waits) - now).total_seconds()))
        log.warning("Sign-in attempt for %r from %s refused: wait %s s", username, source, seconds)
        raise TooManyAttempts("sign_in.throttled", seconds=seconds)
    attempt = Attempt(username, source, now)
    for key, row in rows.items():
        budget = BUDGETS[key[0]]
        fresh = row.last_attempt_at is None or now - row.last_attempt_at > budget.forget
        failures = 1 if fresh else row.failures + 1
        values = {"failures": failures, "last_attempt_at": now}
        delay = budget.delay(failures) if key in gates else 0
        next_at = row.next_at
        if delay:
            next_at = max(row.next_at or now, now + timedelta(seconds=delay))
            values["next_at"] = next_at
            attempt.wait = max(attempt.wait, delay)
        db.session.execute(update(SignInCounter).where(*_match(key)).values(**values)
                           .execution_options(synchronize_session=False))
        attempt.moved[key] = (row.next_at, next_at)
    db.session.commit()
    return attempt


def _match(key) -> list:
    scope, username, source = key
    return [SignInCounter.scope == scope, SignInCounter.username == username, SignInCounter.source == source]


def _lock(key):
    # A no-op UPDATE takes the row's lock and reads the row in the same statement (RETURNING).
    return (update(SignInCounter).where(and_(*_match(key))).values(failures=SignInCounter.failures)
            .returning(SignInCounter.failures, SignInCounter.last_attempt_at, SignInCounter.next_at,
                       SignInCounter.last_success_at)
            .execution_options(synchronize_session=False))


def _insert_missing():
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(SignInCounter).on_conflict_do_nothing()
