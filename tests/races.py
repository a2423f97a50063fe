"""Run calls in threads released at one moment, with every wait bounded.

A thread that fails or hangs must fail its test, never hang the suite: the start barrier
has a timeout (a thread that dies before it breaks the barrier for the others at once), the
threads are daemons, and they are joined against one deadline and checked to have ended.
"""

import threading
import time
import traceback

WAIT = 60  # seconds, for the start and for all the threads to end


def run_together(calls, wait: float = WAIT) -> list:
    """Call each of ``calls`` (no arguments) in its own thread, all released together; return their results."""
    start = threading.Barrier(len(calls), timeout=wait)
    results, failures = [None] * len(calls), []

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except BaseException:  # noqa: BLE001 - any failure in a thread is the test's failure
            failures.append(traceback.format_exc())
            start.abort()

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + wait
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(threads)} thread(s) still running after {wait} s"
    assert not failures, "a thread failed:\n" + failures[0]
    return results
