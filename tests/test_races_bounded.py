"""The race helper bounds every wait: a stuck or failing thread fails its test within the wait."""

import threading
import time

import pytest

from tests.races import run_together


def test_results_come_back_in_the_order_of_the_calls():
    assert run_together([lambda i=i: i * i for i in range(5)], wait=5) == [0, 1, 4, 9, 16]


def test_a_thread_that_never_ends_fails_the_test_within_the_wait():
    never = threading.Event()
    began = time.monotonic()
    try:
        with pytest.raises(AssertionError, match="1 of 3 thread"):
            run_together([lambda: 1, never.wait, lambda: 3], wait=1)
    finally:
        never.set()  # let the daemon go
    assert time.monotonic() - began < 5


def test_a_thread_that_fails_releases_the_others_and_fails_the_test():
    def boom():
        raise RuntimeError("racer fell")

    began = time.monotonic()
    with pytest.raises(AssertionError, match="racer fell"):
        run_together([boom, lambda: 2, lambda: 3], wait=30)
    assert time.monotonic() - began < 5

