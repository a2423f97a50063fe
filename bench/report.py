"""The printed tables: one line per figure, with its target and PASS/MISS where there is one."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    figure: str
    value: str
    target: str = ""
    passed: bool | None = None  # None: for information

    @property
    def verdict(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "MISS")


def table(title: str, header: tuple[str, ...], rows: list[tuple]) -> str:
    """A plain-text table with columns as wide as their widest cell."""
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([title, line(cells[0]), rule] + [line(r) for r in cells[1:]])


def lines_table(title: str, lines: list[Line]) -> str:
    return table(title, ("figure", "value", "target", "result"),
                 [(x.figure, x.value, x.target, x.verdict) for x in lines])


COMPLETION_P50_MS = 10.0
INBOX_P50_MS = 10.0
INBOX_GROWTH = 1.5
STATE_BYTES = 20_000
PAGE_P95_MS = 50.0


def _ms(stats) -> str:
    return f"p50 {stats.p50:.1f} ms, p95 {stats.p95:.1f} ms (n={stats.n})"


def targets(done, small, large, sizes, pages=()) -> list[Line]:
    """The figures that have a target, each judged."""
    overall = done.overall()
    lines = [Line("1. task completion via API, ~1,000 nominations", _ms(overall),
                  f"p50 <= {COMPLETION_P50_MS:.0f} ms", overall.p50 <= COMPLETION_P50_MS)]
    for before, after in zip(small, large, strict=True):
        for channel in ("service", "api"):
            then, now = getattr(before, channel), getattr(after, channel)
            name = f"2. inbox {after.label}, {'inbox()' if channel == 'service' else 'GET /tasks'}"
            lines.append(Line(f"{name} at {after.nominations:,}", _ms(now), f"p50 <= {INBOX_P50_MS:.0f} ms",
                              now.p50 <= INBOX_P50_MS))
            compared = now if after.same_page is None else after.same_page[0 if channel == "service" else 1]
            growth = compared.p50 / then.p50
            same = "" if after.same_page is None else f" (pages of {before.rows} rows at both sizes)"
            lines.append(Line(f"{name} growth from {before.nominations:,}{same}", f"x{growth:.2f}",
                              f"<= x{INBOX_GROWTH}", growth <= INBOX_GROWTH))
    full = sizes[0]
    lines.append(Line(f"3. stored state, {full.label}", f"{full.raw:,} bytes",
                      f"<= {STATE_BYTES:,} bytes", full.raw <= STATE_BYTES))
    for figure in pages:
        lines.append(Line(f"5. {figure.page}, {figure.label}, at {figure.nominations:,}", _ms(figure.stats),
                          f"p95 <= {PAGE_P95_MS:.0f} ms", figure.stats.p95 <= PAGE_P95_MS))
    return lines


def render(results: dict) -> str:
    """Every table, targets first."""
    judged = results["targets"]
    summary = f"{sum(1 for line in judged if line.passed)} of {len(judged)} targets met."
    return "\n\n".join([lines_table("Targets", judged) + "\n" + summary, _completions(results["completions"]),
                         _inbox(results["inbox_small"] + results["inbox_large"]), _state(results),
                         lines_table("For information", _information(results))])


def _completions(done) -> str:
    rows = [(key, s.n, f"{s.p50:.1f}", f"{s.p95:.1f}", f"{cpu.p50:.1f}", f"{statements:.1f}", f"{sql_ms:.2f}")
            for key, (s, statements, sql_ms, cpu) in done.per_key().items()]
    overall, (statements, sql_ms) = done.overall(), done.sql_per_completion()
    rows.append(("all", overall.n, f"{overall.p50:.1f}", f"{overall.p95:.1f}", f"{done.cpu().p50:.1f}",
                 f"{statements:.1f}", f"{sql_ms:.2f}"))
    return table("Task completion via API by task (ms; ~1,000 nominations; CPU: this process's own time; "
                 "SQL: mean per completion)",
                 ("task", "n", "p50", "p95", "CPU p50", "SQL statements", "SQL ms"), rows)


def _inbox(figures) -> str:
    rows = [(f.label, f"{f.nominations:,}", f.waiting, f.rows, f"{f.service.p50:.1f}", f"{f.service.p95:.1f}",
             f"{f.api.p50:.1f}", f"{f.api.p95:.1f}") for f in figures]
    earlier = {f.username: f.rows for f in figures if f.same_page is None}
    rows += [(f.label, f"{f.nominations:,}", f.waiting, earlier.get(f.username, "?"), f"{f.same_page[0].p50:.1f}",
              f"{f.same_page[0].p95:.1f}", f"{f.same_page[1].p50:.1f}", f"{f.same_page[1].p95:.1f}")
             for f in figures if f.same_page is not None]
    return table("Inbox (ms; the first page of up to 100, soonest due first)",
                 ("user", "nominations", "waiting", "rows", "inbox() p50", "p95", "GET /tasks p50", "p95"), rows)


def _state(results) -> str:
    sizes = table("Stored instance state", ("instance", "status", "task rows", "bytes", "gzip bytes"),
                  [(s.label, s.status, s.tasks, f"{s.raw:,}", f"{s.gzipped:,}") for s in results["sizes"]])
    cycles = table("Engine cycle in memory (ms, p50 / p95)",
                   ("instance", "state bytes", "load", "complete", "dump", "load+complete+dump"),
                   [(c.label, f"{c.state_bytes:,}", c.load, c.complete, c.dump, c.cycle)
                    for c in results["cycles"]])
    return sizes + "\n\n" + cycles


def _information(results) -> list[Line]:
    ended = results["completions"].final_statuses + results["large_completions"].final_statuses
    large = results["large_completions"]
    statements, sql_ms = large.sql_per_completion()
    return [Line("4. nomination start via API (POST /nominations)", _ms(results["starts"])),
            Line("4. task completion via API, ~10,000 nominations",
                 f"{_ms(large.overall())}; SQL {statements:.1f} statements, {sql_ms:.2f} ms"),
            Line("copies driven to a decision through the API",
                 f"{ended.count('awarded')} of {len(ended)} awarded"),
            Line("copies at other steps completed through the API",
                 f"{results['one_of_each']} of 4 answered 200")] + results.get("more_information", [])
