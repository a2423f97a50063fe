"""Many simultaneous wrong passwords for one user: only the throttle's budget of them is ever checked.

Meaningful on PostgreSQL (row locks, many connections at once). On SQLite the database's write
lock queues the attempts, and the same bound must hold; a busy database answers 429, never 5xx.
Every wait is bounded, so a stuck thread fails the test instead of hanging the suite.
"""

import threading

from workflows.services import throttle
from workflows.usecases import accounts

ATTEMPTS = 40
WAIT = 60  # seconds, for the start and for each thread's end


def test_forty_simultaneous_wrong_passwords_check_at_most_the_budget(app, monkeypatch):
    checked, lock = [], threading.Lock()
    real = accounts.check_password_hash

    def counting(hashed, password):
        with lock:
            checked.append(password)
        return real(hashed, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    start = threading.Barrier(ATTEMPTS, timeout=WAIT)
    answers = [None] * ATTEMPTS

    def guess(index):
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/auth/token", json={"username": "chair", "password": f"guess {index}"})
        answers[index] = (response.status_code, response.headers.get("Retry-After"),
                          response.get_json()["error"]["code"])

    threads = [threading.Thread(target=guess, args=(i,), daemon=True) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(thread.is_alive() for thread in threads), "an attempt did not finish in time"
    assert None not in answers, "an attempt failed before answering"
    statuses = sorted(status for status, _, _ in answers)
    assert set(statuses) <= {401, 429}
    assert len(checked) == statuses.count(401) <= throttle.PAIR.free
    assert statuses.count(401) >= 1  # one of them at least got through: the counter was not stuck
    throttled = [(retry, code) for status, retry, code in answers if status == 429]
    assert throttled and all(code == "sign_in.throttled" and int(retry) >= 1 for retry, code in throttled)
