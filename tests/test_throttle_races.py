"""Many simultaneous wrong passwords for one user: only the throttle's budget of them is ever checked.

Meaningful on PostgreSQL (row locks, many connections at once). On SQLite the database's write
lock queues the attempts, and the same bound must hold; a busy database answers 429, never 5xx.
Every wait is bounded, so a stuck thread fails the test instead of hanging the suite.
"""

import threading

from tests.races import run_together
from workflows.services import throttle
from workflows.usecases import accounts

ATTEMPTS = 40


def test_forty_simultaneous_wrong_passwords_check_at_most_the_budget(app, monkeypatch):
    checked, lock = [], threading.Lock()
    real = accounts.check_password_hash

    def counting(hashed, password):
        with lock:
            checked.append(password)
        return real(hashed, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    # The throttle's clock stands still: on a loaded machine the forty attempts can spread over more
    # than the first delay (1 s), and an attempt made after a delay has passed is rightly checked.
    # With time stopped, every attempt after the free ones must find a wait, whatever the speed.
    stopped = throttle.utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: stopped)

    def guess(index):
        response = app.test_client().post("/api/v1/auth/token",
                                          json={"username": "chair", "password": f"guess {index}"})
        return response.status_code, response.headers.get("Retry-After"), response.get_json()["error"]["code"]

    answers = run_together([lambda i=i: guess(i) for i in range(ATTEMPTS)])
    statuses = sorted(status for status, _, _ in answers)
    assert set(statuses) <= {401, 429}
    assert len(checked) == statuses.count(401) <= throttle.PAIR.free
    assert statuses.count(401) >= 1  # one of them at least got through: the counter was not stuck
    throttled = [(retry, code) for status, retry, code in answers if status == 429]
    assert throttled and all(code == "sign_in.throttled" and int(retry) >= 1 for retry, code in throttled)
