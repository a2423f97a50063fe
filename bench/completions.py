"""Completing real tasks through the JSON API, one nomination after another to its decision.

Each subject is a copied nomination waiting for its unit head's endorsement; it is taken
through endorse, check_dossier, appraise, five votes and sign_decision, so the sample mixes
every kind of task the way a real nomination does (votes are five of its nine tasks).
Only the POST that completes the task is timed; finding the task id is not.
"""

import time
from collections import defaultdict

from workflows.db import db
from workflows.models import IndexedTask, Nomination

from .drive import ready_task
from .measure import SqlMeter, Stats, Stopwatch, stats
from .world import COUNCIL, PASSWORD, Client, World, clerk, head

CLOSING_VOTE = "vote, closing"


def script(unit_code: str) -> list[tuple[str, str, dict]]:
    """(who, task key, form) from endorsement to the signed decision."""
    steps = [(head(unit_code), "endorse", {"decision": "endorse", "comment": "Đồng ý đề nghị."}),
             ("sec", "check_dossier", {"decision": "accept", "comment": "Hồ sơ đầy đủ.", "reviewer": "rev"}),
             ("rev", "appraise", {"recommendation": "approve", "comment": "Đủ tiêu chuẩn."})]
    steps += [(member, "vote", {"vote": "yes"}) for member in COUNCIL]
    signing = {"decision": "approve", "comment": "Đồng ý khen thưởng.", "password": PASSWORD}
    return steps + [("chair", "sign_decision", signing)]


class Completions:
    """Timed completions, overall and by task key."""

    def __init__(self, world: World, client: Client):
        self.world, self.client = world, client
        self.by_key: dict[str, list[float]] = defaultdict(list)
        self.all = Stopwatch()
        self.final_statuses: list[str] = []
        self.statements: dict[str, list[int]] = defaultdict(list)  # per completion, by key
        self.sql_ms: dict[str, list[float]] = defaultdict(list)
        # This thread's CPU time per request: other processes on a shared machine delay the
        # wall clock a great deal but this much less, so it compares runs more steadily.
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)
        with world.app.app_context():
            self.engine = db.engine

    def run(self, subjects: list[int], *, measured: bool = True) -> None:
        for nomination_id in subjects:
            self._drive(nomination_id, measured)

    def _drive(self, nomination_id: int, measured: bool) -> None:
        with self.world.app.app_context():
            unit_code = db.session.get(Nomination, nomination_id).unit.code
        status = None
        for username, key, form in script(unit_code):
            with self.world.app.app_context():
                assignee = self.world.user_ids[username] if key == "vote" else None
                task_id = ready_task(nomination_id, key, assignee)
            headers = self.client.headers(username)
            path = f"/api/v1/tasks/{task_id}/complete"
            watch, meter = Stopwatch(), SqlMeter(self.engine)
            cpu_started = time.thread_time()
            with watch, meter:
                response = self.client.client.post(path, json=form, headers=headers)
            cpu_ms = (time.thread_time() - cpu_started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{key} of {nomination_id}: {response.status_code} {response.get_json()}")
            status = response.get_json()["status"]
            if measured:
                # The last ballot also closes the vote: it counts the ballots, so it is shown apart.
                label = CLOSING_VOTE if key == "vote" and username == COUNCIL[-1] else key
                self.all.samples += watch.samples
                self.by_key[label] += watch.samples
                self.statements[label].append(meter.statements)
                self.sql_ms[label].append(meter.seconds * 1000)
                self.cpu_ms[label].append(cpu_ms)
        if measured:
            self.final_statuses.append(status)

    def overall(self) -> Stats:
        return self.all.stats()

    def per_key(self) -> dict[str, tuple[Stats, float, float, Stats]]:
        """By task key: the timing, the mean SQL statements, the mean SQLite time (ms) per
        completion, and the CPU time."""
        return {key: (stats(samples), _mean(self.statements[key]), _mean(self.sql_ms[key]), stats(self.cpu_ms[key]))
                for key, samples in self.by_key.items()}

    def cpu(self) -> Stats:
        return stats([ms for values in self.cpu_ms.values() for ms in values])

    def sql_per_completion(self) -> tuple[float, float]:
        counts = [n for values in self.statements.values() for n in values]
        times = [t for values in self.sql_ms.values() for t in values]
        return _mean(counts), _mean(times)


def _mean(values) -> float:
    return sum(values) / len(values)


def starts(world: World, client: Client, count: int, warmup: int = 5) -> Stats:
    """POST /api/v1/nominations by the clerks of every unit in turn; each starts a process."""
    units = sorted(world.unit_ids)
    watch = Stopwatch()
    for n in range(warmup + count):
        username = clerk(units[n % len(units)])
        body = {"award_type": "LDTT", "year": 2025, "summary": "Hoàn thành xuất sắc nhiệm vụ.",
                "nominee": {"kind": "individual", "name": f"Trần Thị {n:03d}", "position": "Chuyên viên"}}
        headers = client.headers(username)
        timer = Stopwatch() if n < warmup else watch
        with timer:
            response = client.client.post("/api/v1/nominations", json=body, headers=headers)
        if response.status_code != 201:
            raise RuntimeError(f"start: {response.status_code} {response.get_json()}")
    return watch.stats()


ONE_OF_EACH = {
    "checking": ("sec", "check_dossier", {"decision": "accept", "comment": "Hồ sơ đầy đủ."}),
    "appraising": ("rev", "appraise", {"recommendation": "approve", "comment": "Đủ tiêu chuẩn."}),
    "voting": ("chair", "vote", {"vote": "yes"}),
    "signing": ("chair", "sign_decision",
                {"decision": "approve", "comment": "Đồng ý khen thưởng.", "password": PASSWORD}),
}


def one_of_each(world: World, client: Client, population) -> int:
    """One API completion on a copy at each kind of step not driven above, each answered 200.

    A pool task is claimed through the API first; a task named to someone else is skipped.
    """
    done = 0
    for status, (username, key, form) in ONE_OF_EACH.items():
        user_id = world.user_ids[username]
        for nomination_id in population.copies[status]:
            with world.app.app_context():
                found = ready_task(nomination_id, key, user_id if key == "vote" else None)
                task = db.session.get(IndexedTask, found)
                task_id, pooled = task.id, task.pooled and task.assignee_id is None
                usable = task.assignee_id in (None, user_id)
            if usable:
                population.copies[status].remove(nomination_id)
                break
        else:
            raise RuntimeError(f"no copy at {status} has a {key} task {username} may complete")
        if pooled and client.post(username, f"/tasks/{task_id}/claim").status_code != 200:
            raise RuntimeError(f"claim on a copy at {status} failed")
        response = client.post(username, f"/tasks/{task_id}/complete", form)
        if response.status_code != 200:
            raise RuntimeError(f"copy at {status}: {response.status_code} {response.get_json()}")
        done += 1
    return done
