"""Sign-in throttling: delays that grow and reset, per account, per source and per both, on a frozen clock.

The attacker is slowed; the real user, from a machine they have signed in from, is not kept out.
"""

from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import FAST_HASH, PASSWORD
from workflows.db import db
from workflows.errors import InvalidData, NotAuthenticated, TooManyAttempts
from workflows.models import SignInCounter
from workflows.services import audit, throttle
from workflows.usecases import accounts, administration


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 7, 8, 0, 0)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(throttle, "utcnow", frozen)
    return frozen


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@contextmanager
def from_address(address):
    token = throttle.CLIENT.set(address)
    try:
        yield
    finally:
        throttle.CLIENT.reset(token)


def attempt(username, password, address="10.0.0.1"):
    """Sign in from ``address``: "ok", "wrong", or the seconds a throttled attempt must wait."""
    with from_address(address):
        try:
            accounts.sign_in(username, password, channel="web")
        except NotAuthenticated:
            return "wrong"
        except TooManyAttempts as refused:
            return refused.params["seconds"]
    return "ok"


@pytest.fixture
def checks(monkeypatch):
    """How many passwords were actually checked."""
    counted = []
    real = accounts.check_password_hash

    def counting(hashed, password):
        counted.append(1)
        return real(hashed, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return counted


def test_delays_start_after_three_failures_grow_and_a_success_resets_them(ctx, clock, checks):
    assert [attempt("sec", "bad") for _ in range(3)] == ["wrong"] * 3
    assert attempt("sec", PASSWORD) == 1  # even the right password waits: it is not checked
    assert len(checks) == 3
    waits = []
    for _ in range(5):
        clock.advance(seconds=waits[-1] if waits else 1)
        assert attempt("sec", "bad") == "wrong"
        waits.append(attempt("sec", "bad"))
    assert waits == [2, 4, 8, 16, 32]
    clock.advance(seconds=32)
    assert attempt("sec", PASSWORD) == "ok"
    assert [attempt("sec", "bad") for _ in range(3)] == ["wrong"] * 3  # the success started the count afresh


def test_the_delay_is_capped_at_a_minute(ctx, clock):
    seen = []
    for _ in range(12):
        while (outcome := attempt("sec", "bad")) == "wrong":
            pass
        seen.append(outcome)
        clock.advance(seconds=outcome)
    assert max(seen) == 60 and seen[-3:] == [60, 60, 60]


def test_a_quiet_quarter_of_an_hour_forgets_the_failures(ctx, clock):
    assert [attempt("sec", "bad") for _ in range(4)] == ["wrong"] * 3 + [1]
    clock.advance(minutes=16)
    assert [attempt("sec", "bad") for _ in range(3)] == ["wrong"] * 3


def test_an_attacker_elsewhere_does_not_keep_the_real_user_out(ctx, clock, checks):
    assert attempt("chair", PASSWORD, "10.0.0.5") == "ok"  # the chair's own machine, known from now on
    for address in [f"203.0.113.{i}" for i in range(1, 40)]:  # many addresses, a few guesses each
        for _ in range(3):
            attempt("chair", "guess", address)
    guesses = len(checks) - 1
    assert attempt("chair", "guess", "203.0.113.99") not in ("ok", "wrong")  # the account is slowed for strangers
    assert guesses <= throttle.ACCOUNT.free + 1  # however many addresses: the account's budget, then waits
    assert attempt("chair", "typo", "10.0.0.5") == "wrong"  # the real user's own typo is not held back
    assert attempt("chair", PASSWORD, "10.0.0.5") == "ok"


def test_one_source_guessing_many_accounts_is_slowed(ctx, clock):
    outcomes = [attempt(name, "Password1", "198.51.100.7")
                for name in ["clerk_a", "head_a", "clerk_b", "head_b", "sec", "rev", "rev2", "m1", "m2", "m3", "m4"]]
    assert outcomes[:10] == ["wrong"] * 10 and outcomes[10] == 1
    assert attempt("aud", PASSWORD, "198.51.100.7") == 1  # a stranger to this address waits too
    assert attempt("aud", PASSWORD, "10.0.0.8") == "ok"  # elsewhere, nothing changes


def test_a_colleague_sharing_the_address_is_spared_once_known(ctx, clock):
    assert attempt("aud", PASSWORD, "198.51.100.7") == "ok"
    for name in ["clerk_a", "head_a", "clerk_b", "head_b", "sec", "rev", "rev2", "m1", "m2", "m3", "m4"]:
        attempt(name, "Password1", "198.51.100.7")
    assert attempt("aud", PASSWORD, "198.51.100.7") == "ok"


def test_failures_are_audited_with_their_source_and_a_throttled_attempt_is_not(ctx, clock):
    for _ in range(4):
        attempt("rev", "bad", "10.1.2.3")
    events = audit.search(action="sign_in_failed")
    assert [e.details["source"] for e in events] == ["10.1.2.3"] * 3
    assert [e.details.get("wait") for e in sorted(events, key=lambda e: e.seq)] == [None, None, 1]


def test_the_signature_password_follows_the_same_throttle(ctx, clock, checks):
    chair = accounts.find_user("chair")
    with from_address("10.0.0.5"):
        for _ in range(3):
            with pytest.raises(InvalidData):
                accounts.confirm_password(chair, "guess", purpose="signature:batch")
        with pytest.raises(TooManyAttempts) as refused:
            accounts.confirm_password(chair, PASSWORD, purpose="signature:batch")
        assert refused.value.params == {"seconds": 1} and len(checks) == 3
        clock.advance(seconds=1)
        assert accounts.confirm_password(chair, PASSWORD, purpose="signature:batch").covers(chair)
    # Signing and signing in share the counters: the failures went with the success.
    assert attempt("chair", "guess", "10.0.0.5") == "wrong"


def test_an_administrators_reset_forgives_the_failures(ctx, clock):
    assert [attempt("rev", "bad") for _ in range(4)] == ["wrong"] * 3 + [1]
    administration.reset_password(accounts.find_user("admin"), "rev", "a new secret", hash_method=FAST_HASH)
    assert attempt("rev", "a new secret") == "ok"


def test_old_counters_are_purged(ctx, clock):
    attempt("nobody", "x", "192.0.2.1")
    attempt("chair", PASSWORD, "192.0.2.2")
    clock.advance(hours=2)
    assert throttle.purge(clock.now) == 5
    left = db.session.execute(select(SignInCounter.scope, SignInCounter.username, SignInCounter.source)).all()
    assert left == [("pair", "chair", "192.0.2.2")]  # a known source stays known for a month


def test_the_budgets_numbers():
    assert [throttle.PAIR.delay(n) for n in range(1, 12)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert throttle.ACCOUNT.delay(9) == 0 and throttle.ACCOUNT.delay(10) == 1
    assert throttle.SOURCE.delay(18) == 256 and throttle.SOURCE.delay(19) == 300
