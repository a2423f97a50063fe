"""Timing: wall-clock samples in milliseconds and the percentiles the targets speak of."""

import gc
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import event


@dataclass(frozen=True)
class Stats:
    n: int
    p50: float  # milliseconds
    p95: float

    def __str__(self) -> str:
        return f"{self.p50:.1f} / {self.p95:.1f}"


def stats(samples_ms: list[float]) -> Stats:
    """Median and 95th percentile; ``quantiles`` with n=20 puts the 95th at the 19th cut."""
    if len(samples_ms) < 2:
        raise ValueError("need at least two samples")
    return Stats(len(samples_ms), statistics.median(samples_ms),
                 statistics.quantiles(samples_ms, n=20, method="inclusive")[18])


class Stopwatch:
    """``with watch: ...`` adds one sample of the block's wall-clock time."""

    def __init__(self):
        self.samples: list[float] = []

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.samples.append((time.perf_counter() - self._start) * 1000)
        return False

    def stats(self) -> Stats:
        return stats(self.samples)


def repeat(action, times: int, warmup: int = 5) -> Stats:
    """Run ``action`` ``warmup`` times unmeasured, then ``times`` times measured."""
    return repeat_part(lambda watch: _whole(watch, action), times, warmup)


def repeat_part(action, times: int, warmup: int = 5) -> Stats:
    """Like :func:`repeat` for an action that times only part of itself: it is called with a
    Stopwatch and wraps the measured part in ``with watch:``; set-up around it is not counted."""
    for _ in range(warmup):
        action(Stopwatch())
    gc.collect()  # garbage left by set-up is not collected on the clock
    watch = Stopwatch()
    for _ in range(times):
        action(watch)
    return watch.stats()


def best_of(rounds: int, series) -> Stats:
    """Run ``series`` (a callable returning Stats) ``rounds`` times; keep the round with the lowest p50.

    Other work on a shared machine only ever adds time, and it comes in bursts; the quietest
    round is the best estimate of what the code itself costs.
    """
    return min((series() for _ in range(rounds)), key=lambda s: s.p50)


def _whole(watch: Stopwatch, action) -> None:
    with watch:
        action()


class SqlMeter:
    """Counts the SQL statements run on ``engine`` while it is on, and the time spent in them.

    The time is the driver's execute only (SQLite's own work); the gap to the request's
    wall-clock time is Python: the ORM, the engine, Flask and serialization.
    """

    def __init__(self, engine):
        self.engine = engine
        self.statements = 0
        self.seconds = 0.0

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.statements += 1
        self.seconds += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        return False
