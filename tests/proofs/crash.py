"""``python -m tests.proofs.crash``: kill every worker under load, then prove nothing acknowledged was lost.

On a scratch PostgreSQL database it seeds the demo data, serves the app with gunicorn, and
has several clients walk nominations through their steps over the JSON API (a dossier, the
head's endorsement, the secretariat's check, the reviewer's appraisal, five ballots) while
every worker is killed with SIGKILL, several times; gunicorn starts new ones. Then it checks:

- every completion answered 2xx is completed in the task index, by that user, and has its
  event in the audit trail;
- nothing is half-done: the tasks completed by someone and the completion events are the same
  set, and every nomination's stored process agrees with the task index (its ready tasks are
  the index's open rows, the index's completed rows are completed in the process);
- ``flask audit verify`` finds the chain intact.

A request cut by a kill gets no answer; the client asks again (the step may already be done,
then it is refused as no longer ready). Such a completion was never acknowledged, so it may or
may not have happened, but never by half. Exit status 0 when every check holds.
"""

import argparse
import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit, urlunsplit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
PASSWORD = "laurel-demo"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
# clerk_a's unit (VPTW) decides its own grassroots titles in the demo: its office, reviewer and council act.
COUNCIL = ["vptw_m1", "vptw_m2", "vptw_m3", "vptw_m4", "vptw_head"]
STEPS = [("prepare_dossier", "clerk_a", {}), ("endorse", "head_a", {"decision": "endorse", "comment": "Đồng ý"}),
         ("check_dossier", "vptw_office", {"decision": "accept", "comment": "Đủ hồ sơ"}),
         ("appraise", "vptw_rev", {"recommendation": "approve", "comment": "Đạt"})]
COMPLETIONS = ("task_completed", "returned", "ballot_cast")


class Server:
    """The app under gunicorn, on a port of its own; only the processes it started are signalled."""

    def __init__(self, env: dict, workers: int, log_path: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.workers = workers
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
             "webapp:create_app()"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    pids.append(int(entry))
        return pids

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}")
            if len(self.worker_pids()) >= self.workers:
                try:
                    with urllib.request.urlopen(self.url + "/sign-in", timeout=5) as answer:
                        if answer.status == 200:
                            return
                except (OSError, urllib.error.URLError):
                    pass
            time.sleep(0.2)
        raise SystemExit("the server did not come up in time")

    def kill_workers(self) -> int:
        pids = self.worker_pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(pids)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log.close()


class Client:
    """The JSON API as one user; a cut connection is reported as status 0, never raised."""

    def __init__(self, base: str, username: str):
        self.base = base + "/api/v1"
        status, body = self.call("POST", "/auth/token", {"username": username, "password": PASSWORD}, token=None)
        if status != 200:
            raise SystemExit(f"no token for {username}: {status} {body}")
        self.token = body["token"]

    def call(self, method, path, payload=None, *, token="own", files=None):
        headers = {}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {self.token if token == 'own' else token}"
        if files is not None:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in payload.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                             f"{value}\r\n".encode())
            for name, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                             f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as refused:
            try:
                return refused.code, json.loads(refused.read() or b"null")
            except (ValueError, OSError):
                return refused.code, None
        except (OSError, ValueError):  # cut by a kill: no answer
            return 0, None


class Run:
    def __init__(self, server: Server, clients: dict, deadline: float):
        self.server, self.clients, self.deadline = server, clients, deadline
        self.acknowledged: list[tuple[str, str, int, str]] = []  # (task id, user, nomination, key)
        self.unanswered = 0
        self.server_errors: list[str] = []
        self.lock = threading.Lock()

    def ready_task(self, user: str, nomination: int, key: str) -> str | None:
        while time.monotonic() < self.deadline:
            status, body = self.clients[user].call("GET", f"/tasks?key={key}&limit=500")
            if status == 200:
                found = [t["id"] for t in body if t["nomination_id"] == nomination]
                return found[0] if found else None
            self.note(status, f"GET tasks as {user}")
            time.sleep(0.2)
        return None

    def note(self, status: int, what: str) -> None:
        with self.lock:
            if status == 0:
                self.unanswered += 1
            elif status >= 500:
                self.server_errors.append(f"{status} on {what}")

    def complete(self, user: str, nomination: int, key: str, form: dict) -> None:
        """Complete the user's ready task of ``key``, asking again after a cut connection, until it is done."""
        client = self.clients[user]
        for _attempt in range(200):
            if time.monotonic() > self.deadline:
                raise TimeoutError(f"{key} of nomination {nomination} not done before the deadline")
            task = self.ready_task(user, nomination, key)
            if task is None:
                return  # done already, by a request whose answer the kill cut
            if key == "appraise":
                status, _ = client.call("POST", f"/tasks/{task}/claim", {})
                self.note(status, "claim")
            status, body = client.call("POST", f"/tasks/{task}/complete", form)
            if 200 <= status < 300:
                with self.lock:
                    self.acknowledged.append((task, user, nomination, key))
                return
            self.note(status, f"complete {key}")
            if status not in (0, 409, 503) and status < 500:
                raise SystemExit(f"{user} could not complete {key} of {nomination}: {status} {body}")
            time.sleep(0.1)
        raise TimeoutError(f"{key} of nomination {nomination} never went through")

    def walk(self, nomination: int) -> None:
        for key, user, form in STEPS:
            self.complete(user, nomination, key, form)
        for member in COUNCIL:
            self.complete(member, nomination, "vote", {"vote": "yes"})


def start_nominations(clerk: Client, count: int, kinds: list[str]) -> list[int]:
    ids = []
    for number in range(count):
        status, body = clerk.call("POST", "/nominations", {
            "award_type": "LDTT", "year": 2026, "summary": "Hoàn thành tốt nhiệm vụ.",
            "nominee": {"kind": "individual", "name": f"Người Thử {number + 1}", "position": "Chuyên viên"}})
        if status != 201:
            raise SystemExit(f"could not start a nomination: {status} {body}")
        nomination = body["id"]
        for kind in kinds:
            status, body = clerk.call("POST", f"/nominations/{nomination}/documents", {"kind": kind},
                                      files={"file": (f"{kind}.pdf", PDF + kind.encode())})
            if status != 201:
                raise SystemExit(f"could not upload {kind}: {status} {body}")
        ids.append(nomination)
    return ids


def required_documents(clerk: Client) -> list[str]:
    status, body = clerk.call("GET", "/award-types")
    return next(a["required_documents"] for a in body if a["code"] == "LDTT")


def drive(server: Server, nominations: list[int], clients: dict, threads: int, kills: int, timeout: float):
    run = Run(server, clients, time.monotonic() + timeout)
    queue = list(nominations)
    failures = []

    def worker():
        while True:
            with run.lock:
                if not queue:
                    return
                nomination = queue.pop(0)
            try:
                run.walk(nomination)
            except BaseException as error:  # noqa: BLE001 - reported after the run
                failures.append(f"nomination {nomination}: {error!r}")

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    killed, rounds = 0, 0
    total = len(nominations) * (len(STEPS) + len(COUNCIL))
    for round_number in range(kills):
        # Spread the kills over the load: the next round when a further share of the work is done.
        target = total * (round_number + 1) // (kills + 1)
        while len(run.acknowledged) < target and any(t.is_alive() for t in pool) and time.monotonic() < run.deadline:
            time.sleep(0.05)
        if not any(t.is_alive() for t in pool):
            break
        killed += server.kill_workers()
        rounds += 1
        server.wait_ready()
    for thread in pool:
        thread.join(timeout=max(0.0, run.deadline - time.monotonic()))
    if any(t.is_alive() for t in pool):
        failures.append("a client did not finish before the deadline")
    return run, killed, rounds, failures


def check(env: dict, run: Run) -> dict:
    """Compare what was acknowledged with the database, the trail and the stored processes."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return _check(run)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _check(run: Run) -> dict:
    from sqlalchemy import select

    from webapp import create_app
    from workflows.db import db
    from workflows.models import AuditEvent, IndexedTask, Nomination, User
    from workflows.services import audit, instances

    app = create_app()
    problems = []
    with app.app_context():
        users = {u.username: u.id for u in db.session.execute(select(User)).scalars()}
        # The nominations' tasks: the demo's lists move by steps of their own, recorded otherwise.
        rows = {t.id: t for t in db.session.execute(
            select(IndexedTask).where(IndexedTask.nomination_id.is_not(None))).scalars()}
        events = db.session.execute(select(AuditEvent.task_id, AuditEvent.actor)
                                    .where(AuditEvent.action.in_(COMPLETIONS))).all()
        by_event = {}
        for task_id, actor in events:
            by_event.setdefault(task_id, []).append(actor)
        lost = 0
        for task, user, nomination, key in run.acknowledged:
            row = rows.get(task)
            if row is None or row.state != "completed" or row.completed_by_id != users[user] \
                    or by_event.get(task) != [user]:
                lost += 1
                problems.append(f"acknowledged {key} of {nomination} by {user}: index "
                                f"{getattr(row, 'state', None)}, events {by_event.get(task)}")
        completed = {t for t, row in rows.items() if row.state == "completed" and row.completed_by_id is not None}
        half_done = sorted(completed ^ set(by_event)) + sorted(t for t, actors in by_event.items() if len(actors) > 1)
        for task in half_done:
            problems.append(f"task {task}: index {getattr(rows.get(task), 'state', None)}, events {by_event.get(task)}")
        disagreeing = 0
        # A list's nominees have no process of their own (the list's is not what this proof drives).
        for nomination in db.session.execute(select(Nomination).where(Nomination.instance_id.is_not(None))).scalars():
            _instance, process = instances.load(nomination, lock=False)
            ready = {t.id for t in process.human_tasks()}
            own = [(t, row.state) for t, row in rows.items() if row.nomination_id == nomination.id]
            open_rows = {t for t, state in own if state == "ready"}
            done_rows = [t for t, state in own if state == "completed"]
            states = process.task_states(done_rows)
            if ready != open_rows or any(states.get(t) != "COMPLETED" for t in done_rows):
                disagreeing += 1
                problems.append(f"nomination {nomination.id}: process and task index disagree")
        verified = audit.verify()
        db.session.remove()
        db.engine.dispose()
    return {"lost": lost, "half_done": len(half_done), "disagreeing": disagreeing, "chain": verified,
            "problems": problems}


def scratch_database(url: str, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([os.path.join(BIN, "flask"), "--app", "webapp", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def prove(database_url: str, *, workers=4, clients=8, nominations=24, kills=5, timeout=600.0, keep=False,
          out=print) -> dict:
    if not database_url.startswith(("postgresql://", "postgres://")):
        raise SystemExit("the crash proof runs on PostgreSQL: give a postgresql:// URL of a scratch database")
    scratch_database(database_url)
    folder = tempfile.mkdtemp(prefix="laurel-crash-")
    env = {**os.environ, "DATABASE_URL": database_url, "UPLOAD_FOLDER": os.path.join(folder, "uploads"),
           "AUDIT_KEY_FILE": os.path.join(folder, "audit.key"), "SECRET_KEY": secrets.token_hex(16),
           "BALLOT_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
           "SMTP_URL": "smtp://127.0.0.1:9", "LAUREL_LANG": "en"}
    env.pop("FLASK_APP", None)
    try:
        for command in ("init-db", "seed-demo"):
            done = flask(env, command)
            if done.returncode:
                raise SystemExit(f"{command} failed: {done.stdout}{done.stderr}")
        server = Server(env, workers, os.path.join(folder, "gunicorn.log"))
        try:
            users = {name: Client(server.url, name) for name in {u for _, u, _ in STEPS} | set(COUNCIL)}
            ids = start_nominations(users["clerk_a"], nominations, required_documents(users["clerk_a"]))
            started = time.monotonic()
            run, killed, rounds, failures = drive(server, ids, users, clients, kills, timeout)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
        found = check(env, run)
        verify = flask(env, "audit", "verify")
        figures = {
            "nominations": len(ids), "clients": clients, "workers": workers, "seconds": round(elapsed, 1),
            "acknowledged": len(run.acknowledged), "unanswered": run.unanswered,
            "server_errors": len(run.server_errors),
            "kill_rounds": rounds, "workers_killed": killed, "lost": found["lost"], "half_done": found["half_done"],
            "process_disagreements": found["disagreeing"], "chain_intact": found["chain"].ok,
            "chain_events": found["chain"].checked, "audit_verify_exit": verify.returncode,
            "failures": failures, "problems": found["problems"][:20],
        }
        out(f"{figures['acknowledged']} completions acknowledged over {figures['nominations']} nominations "
            f"({clients} clients, {workers} workers, {figures['seconds']} s)")
        out(f"{rounds} kill rounds, {killed} workers killed with SIGKILL; {run.unanswered} requests cut, "
            f"{len(run.server_errors)} server errors")
        out(f"lost = {found['lost']}, half-done = {found['half_done']}, process/index disagreements = "
            f"{found['disagreeing']}, audit verify: {verify.stdout.strip() or verify.stderr.strip()}")
        for line in failures + found["problems"][:20] + run.server_errors[:10]:
            out("  " + line)
        return figures
    finally:
        if not keep:
            scratch_database(database_url, drop_only=True)


def passed(figures: dict) -> bool:
    return (figures["lost"] == 0 and figures["half_done"] == 0 and figures["process_disagreements"] == 0
            and figures["chain_intact"] and figures["audit_verify_exit"] == 0 and not figures["failures"]
            and figures["kill_rounds"] > 0 and figures["acknowledged"] > 0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("CRASH_DATABASE_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/laurel_crash"),
                        help="a scratch PostgreSQL database: it is dropped and created anew, then dropped")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--nominations", type=int, default=24)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database to look at it")
    options = parser.parse_args(argv)
    figures = prove(options.database_url, workers=options.workers, clients=options.clients,
                    nominations=options.nominations, kills=options.kills, timeout=options.timeout, keep=options.keep)
    ok = passed(figures)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
