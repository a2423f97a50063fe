"""The year-end peak of member agencies, through the JSON API and the pages, step by step.

One agency's round: ``LISTS`` Advanced Worker (LĐTT) lists of ``PER_LIST`` staff (500 names)
proposed, endorsed, checked and signed one decision per list; then ``FIGHTERS`` Grassroots
Emulation Fighter (CSTĐCS) candidates in two lists, voted on in one council session of ``MEMBERS``
members and signed. Every call is timed as the server answers it (Flask's test client, no
network); the figures are each step's calls (p50 / p95 / slowest) and the round's total.

``python -m bench.yearend`` runs one agency on SQLite; ``--agencies 14 --database-url
postgresql://...`` runs every member agency's round, one after another, on PostgreSQL.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from workflows.db import db
from workflows.models import Unit

from .measure import stats
from .pages import signed_in
from .world import PASSWORD, Client, _instance_path
from .yearend_population import PER_LIST, YEAR, Agency, build_agency

LISTS, FIGHTERS, MEMBERS = 20, 40, 9
TARGET_CALL_MS, TARGET_ROUND_S = 200.0, 30.0


@dataclass
class Timings:
    """Server time of each call, grouped by the step it belongs to."""

    calls: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    profiles: dict | None = None  # step -> cProfile.Profile, when asked to profile

    def call(self, step: str, send, expect: int = 200):
        profile = None
        if self.profiles is not None:
            import cProfile
            profile = self.profiles.setdefault(step, cProfile.Profile())
            profile.enable()
        began, began_cpu = time.perf_counter(), time.process_time()
        response = send()
        if profile is not None:
            profile.disable()
        self.cpu[step].append((time.process_time() - began_cpu) * 1000)
        self.calls[step].append((time.perf_counter() - began) * 1000)
        if response.status_code != expect:
            raise RuntimeError(f"{step}: {response.status_code} {response.get_data(as_text=True)[:400]}")
        return response

    def total_s(self) -> float:
        return sum(sum(samples) for samples in self.calls.values()) / 1000

    def total_cpu_s(self) -> float:
        return sum(sum(samples) for samples in self.cpu.values()) / 1000


def run_agency(client: Client, agency: Agency, timings: Timings) -> None:
    """The whole round of one agency, as its office, unit, council and head would do it."""
    api = _Api(client, timings)
    round_ = api.post("open the round", agency.office, "/rounds", {
        "authority": agency.code, "name": f"Bình xét thi đua năm {YEAR}", "year": YEAR,
        "award_codes": ["LDTT", "CSTDCS"], "intake_deadline": date(YEAR + 1, 12, 31).isoformat(),
        "council_date": None}, expect=201)
    round_id = round_["id"]

    lists = [api.post("propose a list", agency.clerk, "/proposals", {
        "award_type": "LDTT", "round_id": round_id, "title": f"Danh sách LĐTT phòng {n + 1:02d}",
        "nominees": [{"person_id": pid} for pid in agency.staff[department]]}, expect=201)["id"]
        for n, department in enumerate(agency.departments)]
    _to_the_office(api, agency, lists)
    api.get("read the round's panel", agency.office, f"/rounds/{round_id}")
    for list_id in lists:
        _check_all(api, agency, list_id)
    for list_id in lists:
        api.post("sign a list decision", agency.head, f"/proposals/{list_id}/decision", {"password": PASSWORD})

    half = FIGHTERS // 2
    candidates = [agency.excellent[:half], agency.excellent[half:]]
    fighter_lists = [api.post("propose a list", agency.clerk, "/proposals", {
        "award_type": "CSTDCS", "round_id": round_id, "title": f"Danh sách CSTĐCS {n + 1}",
        "nominees": [{"person_id": pid} for pid in people]}, expect=201)["id"] for n, people in enumerate(candidates)]
    _to_the_office(api, agency, fighter_lists)
    for list_id in fighter_lists:
        _check_all(api, agency, list_id)

    session = api.post("schedule the session", agency.office, f"/rounds/{round_id}/sessions", {
        "scheduled_for": f"{YEAR}-12-20T08:00:00+07:00", "place": "Phòng họp"}, expect=201)
    session_id = session["id"]
    seated = api.get("read the session", agency.office, f"/sessions/{session_id}")
    marks = {str(seat["user_id"]): "present" for seat in seated["seated"]}
    api.post("take attendance", agency.office, f"/sessions/{session_id}/attendance", {"attendance": marks})
    api.post("open the ballots", agency.head, f"/sessions/{session_id}/open")
    agenda = [item["nomination_id"] for group in seated["agenda"] for item in group["items"]]
    for member in agency.members:
        api.post("cast a ballot sheet", member, f"/sessions/{session_id}/ballots",
                 {"choices": {str(nid): "yes" for nid in agenda}})
    api.post("close the ballots", agency.head, f"/sessions/{session_id}/close")
    api.raw("download the session minutes", agency.office, f"/sessions/{session_id}/minutes.pdf")
    for list_id in fighter_lists:
        api.post("sign a list decision", agency.head, f"/proposals/{list_id}/decision", {"password": PASSWORD})

    api.get("read the round's panel", agency.office, f"/rounds/{round_id}")
    decided = api.get("read a list", agency.office, f"/proposals/{lists[0]}")
    assert all(n["status"] == "awarded" for n in decided["nominees"]), "a LĐTT nominee was not awarded"
    fought = api.get("read a list", agency.office, f"/proposals/{fighter_lists[0]}")
    assert all(n["status"] == "awarded" for n in fought["nominees"]), "a CSTĐCS nominee was not awarded"
    for page in (f"/rounds/{round_id}", f"/lists/{lists[0]}", f"/sessions/{session_id}"):
        api.page("open a page", agency.office, page)


def _to_the_office(api, agency: Agency, lists: list[int]) -> None:
    for list_id in lists:
        api.post("submit a list", agency.clerk, f"/proposals/{list_id}/submit", {})
    for list_id in lists:
        api.post("endorse a list", agency.unit_head, f"/proposals/{list_id}/endorse", {"decision": "endorse"})


def _check_all(api, agency: Agency, list_id: int) -> None:
    nominees = api.get("read a list", agency.office, f"/proposals/{list_id}")["nominees"]
    api.post("check a list", agency.office, f"/proposals/{list_id}/check",
             {"decisions": {str(n["nomination_id"]): {"outcome": "accept"} for n in nominees}})


class _Api:
    def __init__(self, client: Client, timings: Timings):
        self.client, self.timings = client, timings
        self.browsers = {}

    def post(self, step, user, path, body=None, expect=200):
        return self.timings.call(step, lambda: self.client.post(user, path, body), expect).get_json()

    def get(self, step, user, path):
        return self.timings.call(step, lambda: self.client.get(user, path)).get_json()

    def raw(self, step, user, path):
        return self.timings.call(step, lambda: self.client.get(user, path))

    def page(self, step, user, path):
        if user not in self.browsers:
            self.browsers[user] = signed_in(SimpleNamespace(app=self.client.client.application), user)
        browser = self.browsers[user]
        return self.timings.call(step, lambda: browser.get(path))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    if len(samples) > 1:
        figures = stats(samples)
        return figures.p50, figures.p95
    return samples[0], samples[0]


def report(timings: Timings, agencies: int, nominees: int, seconds: float) -> str:
    lines = [f"Year-end round: {agencies} agenc{'y' if agencies == 1 else 'ies'}, {nominees} nominees",
             "wall: the server's elapsed time; cpu: the process's CPU time (steadier on a busy machine)",
             f"{'step':32} {'calls':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'total s':>8}"
             f" {'cpu p50':>8} {'cpu p95':>8} {'cpu s':>7}"]
    worst = 0.0
    for step, samples in timings.calls.items():
        p50, p95 = _percentiles(samples)
        cpu = timings.cpu[step]
        cpu50, cpu95 = _percentiles(cpu)
        worst = max(worst, p95)
        lines.append(f"{step:32} {len(samples):6d} {p50:8.1f} {p95:8.1f} {max(samples):8.1f} "
                     f"{sum(samples) / 1000:8.2f} {cpu50:8.1f} {cpu95:8.1f} {sum(cpu) / 1000:7.2f}")
    lines.append(f"cpu time: {timings.total_cpu_s():.1f} s in all; load average at the end: "
                 f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    total = timings.total_s()
    per_round = total / agencies
    lines.append(f"server time: {total:.1f} s in all, {per_round:.1f} s per agency's round "
                 f"(target ≤ {TARGET_ROUND_S:.0f} s: {'met' if per_round <= TARGET_ROUND_S else 'MISSED'}); "
                 f"slowest step p95 {worst:.0f} ms (target ≤ {TARGET_CALL_MS:.0f} ms: "
                 f"{'met' if worst <= TARGET_CALL_MS else 'MISSED'}); wall clock {seconds:.0f} s")
    return "\n".join(lines)


def measure(folder: str, *, agencies: int = 1, database_url: str | None = None, profile: str | None = None) -> str:
    from webapp import create_app
    from workflows.services import instances, reference

    from .world import BPMN_FOLDER, FAST_HASH
    with _instance_path(os.path.join(folder, "instance")):
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{os.path.join(folder, 'yearend.sqlite')}",
            "UPLOAD_FOLDER": os.path.join(folder, "uploads"), "BPMN_FOLDER": BPMN_FOLDER,
            "PASSWORD_HASH_METHOD": FAST_HASH, "AUDIT_KEY_FILE": os.path.join(folder, "audit.key"),
        })
    with app.app_context():
        db.drop_all()
        db.create_all()
        reference.load_reference_data()
        instances.deploy(BPMN_FOLDER)
        db.session.commit()
        units = list(db.session.execute(select(Unit).where(Unit.active.is_(True)).order_by(Unit.code)).scalars())
        built = [build_agency(unit, lists=LISTS, fighters=FIGHTERS, members=MEMBERS) for unit in units[:agencies]]
    client, timings = Client(app), Timings()
    if profile:
        timings.profiles = {}
    began = time.perf_counter()
    for agency in built:
        with app.app_context():
            run_agency(client, agency, timings)
    seconds = time.perf_counter() - began
    if database_url:
        with app.app_context():
            db.drop_all()
    if profile:
        for step, recorded in timings.profiles.items():
            recorded.dump_stats(os.path.join(profile, step.replace(" ", "_").replace("'", "") + ".prof"))
    return report(timings, len(built), len(built) * (LISTS * PER_LIST + FIGHTERS), seconds)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.yearend", description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=1, help="how many member agencies run their round")
    parser.add_argument("--database-url", default=None, help="a scratch database (emptied); SQLite when left out")
    parser.add_argument("--profile", default=None, help="a folder to write each step's cProfile statistics into")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="laurel-yearend-") as folder:
        print(measure(folder, agencies=args.agencies, database_url=args.database_url, profile=args.profile),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
