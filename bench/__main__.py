"""``python -m bench``: build a throw-away database, measure, print the figures and the targets.

The order matters: the inbox at 1,000 nominations is measured before anything else changes
the population, then completions and starts run on that same database; only then is it
grown to 10,000 for the second inbox measurement.
"""

import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timezone

from . import completions, inbox, pages, registry, report, state, yearend
from .drive import Journey
from .population import Population
from .world import Client, build

SMALL, LARGE = 1_000, 10_000
WARMUP_SUBJECTS, SUBJECTS = 2, 24  # nine completions each: 216 measured
LARGE_SUBJECTS = 6
STARTS = 50


def main() -> int:
    """Print the figures; a missed target is a figure to act on, not a failure of the run."""
    began, cpu_before = time.perf_counter(), _cpu()
    print(f"Laurel benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="laurel-bench-") as folder:
        results = measure(folder)
    results["seconds"] = time.perf_counter() - began
    print()
    print(report.render(results))
    print()
    # The year end: one agency's round of lists and a council session, its own database.
    with tempfile.TemporaryDirectory(prefix="laurel-yearend-") as folder:
        print(yearend.measure(folder), flush=True)
    results["seconds"] = time.perf_counter() - began
    # Other work on the machine shows up as noise in every figure; say how busy it was.
    print(f"Whole run: {results['seconds']:.0f} s; {_others(cpu_before, _cpu(), results['seconds'])}.")
    return 0


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def _cpu() -> tuple[float, float] | None:
    """CPU seconds used by the whole machine (Linux only) and by this process so far."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return None
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]  # all but idle and waiting for I/O
    own = os.times()
    return busy / os.sysconf("SC_CLK_TCK"), own.user + own.system


def _others(before, after, seconds: float) -> str:
    if before is None or after is None:
        return _load() + " at the end"
    others = ((after[0] - before[0]) - (after[1] - before[1])) / seconds
    return f"other processes kept {others:.2f} of {os.cpu_count()} CPUs busy on average meanwhile"


def step(message: str) -> None:
    print(f"  .. {message}", flush=True)


def measure(folder: str) -> dict:
    """Every measurement, in the order the module docstring explains; the results by name."""
    world = build(folder)
    client = Client(world.app)
    population = Population(world)
    step("driving template nominations through the process")
    population.make_templates()
    population.grow_to(SMALL)
    step(f"inbox at {SMALL:,} nominations")
    small = inbox.measure(world, client, population.count())

    step("task completions through the API")
    done = completions.Completions(world, client)
    done.run(population.take("endorsing", WARMUP_SUBJECTS), measured=False)
    done.run(population.take("endorsing", SUBJECTS))
    step("nomination starts through the API")
    starts = completions.starts(world, client, STARTS)

    step(f"growing to {LARGE:,} nominations")
    population.grow_to(LARGE)
    step("completions on copies at the larger size (also proves the copies are real)")
    large_done = completions.Completions(world, client)
    large_done.run(population.take("endorsing", LARGE_SUBJECTS))
    one_of_each = completions.one_of_each(world, client, population)
    step(f"inbox at {LARGE:,} nominations")
    large = inbox.measure(world, client, population.count(), earlier=small)
    step(f"HTML pages at {LARGE:,} nominations, signed in through the form")
    page_figures = pages.measure(world, population, population.count())

    step("stored size of instances and the engine cycle")
    sizes = [state.stored_size(world, "full path (awarded, 5 council members)", Journey("done")),
             state.stored_size(world, "5 revision loops, then awarded", Journey("done", returns=5))]
    cycles = [state.engine_cycle(world, "check_dossier, first pass", Journey("checking")),
              state.engine_cycle(world, "check_dossier after 5 revision loops",
                                 Journey("checking", returns=5))]

    step(f"registry import of {registry.PEOPLE:,} people (XLSX, CSV, a file with bad rows)")
    with world.app.app_context():
        imported = registry.measure()
    return {"completions": done, "large_completions": large_done, "starts": starts, "inbox_small": small,
            "inbox_large": large, "one_of_each": one_of_each, "sizes": sizes, "cycles": cycles,
            "pages": page_figures,
            "targets": report.targets(done, small, large, sizes, page_figures) + registry.lines(imported),
            "more_information": registry.information(imported)}


if __name__ == "__main__":
    sys.exit(main())
