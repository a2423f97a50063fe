"""The real diagrams on the engine: every path, the tasks it offers, dump and load. No Flask, no database."""

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from workflows.engine import ProcessFault, Run, TaskNotReady, UnknownTask, compile_process, read_sources
from workflows.services import voting

BPMN_DIR = Path(__file__).resolve().parents[1] / "bpmn"
COUNCIL = ["m1", "m2", "m3", "m4", "m5"]
GRASSROOTS = {"award_type": "LDTT", "award_level": "grassroots"}
# What a regulation asks under each article the decision table can name.
ARTICLES = {"emulation_fighter": (0.9, "members"), "state": (0.9, "members"), "agency": (0.7, "voters"),
            "grassroots": (0.7, "voters")}


@pytest.fixture(scope="module")
def spec_json() -> str:
    return compile_process("nomination", read_sources(BPMN_DIR, "nomination")).spec_json


class Helpers:
    """The functions the diagram's scripts call, with what they were asked recorded."""

    def __init__(self, council=COUNCIL):
        self.council = list(council)
        self.counts = {"yes": len(self.council)}
        self.findings = [{"rule": "dossier_complete", "met": True}]
        self.reminders = []

    def as_dict(self) -> dict:
        return {"eligibility_findings": lambda: self.findings,
                "voting_members": lambda: {name: name for name in self.council},
                "regulation_in_force": lambda: "REG-TEST", "count_votes": self.count_votes,
                "send_reminder": self.reminders.append}

    def count_votes(self, regulation, article, council, voted):
        """The regulation's arithmetic on the recorded counts; the article comes from the diagram."""
        threshold, base = ARTICLES[article]
        self.counted = {"regulation": regulation, "council": list(council), "voted": list(voted)}
        return {**voting.tally(self.counts, len(council), 2 / 3, threshold, base),
                "article": article, "rule": f"{article}: {threshold:.0%} of {base}", "rule_basis": regulation}


@pytest.fixture
def helpers():
    return Helpers()


def start(spec_json, helpers, data=GRASSROOTS) -> Run:
    return Run.start(spec_json, dict(data), helpers.as_dict())


def only(run: Run, key: str):
    """The single ready task, which must be ``key``."""
    tasks = run.human_tasks()
    assert [t.key for t in tasks] == [key]
    return tasks[0]


def step(run: Run, key: str, form: dict | None = None):
    """Complete the single ready task, which must be ``key``; return it."""
    task = only(run, key)
    run.complete(task.id, form or {})
    return task


# What each task is completed with along the straight path.
STRAIGHT = {
    "prepare_dossier": {}, "endorse": {"decision": "endorse"}, "check_dossier": {"decision": "accept"},
    "appraise": {"recommendation": "approve", "comment": "ok"}, "vote": {"voted": True},
    "sign_decision": {"decision": "approve"},
}


def complete_ready(run, reviewer=None) -> list:
    """Complete every waiting task as the straight path does; return them."""
    tasks = run.human_tasks()
    for task in tasks:
        named = {"reviewer": reviewer} if reviewer and task.key == "check_dossier" else {}
        run.complete(task.id, {**STRAIGHT[task.key], **named})
    return tasks


def advance(run, until: str, reviewer=None) -> None:
    """Follow the straight path until ``until`` is waiting or the process ends."""
    while run.human_tasks() and run.human_tasks()[0].key != until:
        complete_ready(run, reviewer)


def tally_step(run):
    [found] = [s for s in run.automatic_steps() if s.key == "tally"]
    return found


@pytest.mark.parametrize("data, sign, outcome", [
    (GRASSROOTS, "approve", "awarded"),
    (GRASSROOTS, "reject", "rejected"),
    ({"award_type": "BKTTG", "award_level": "state"}, "approve", "forwarded"),
    ({"award_type": "BKTTG", "award_level": "state"}, "reject", "rejected"),
])
def test_chair_decision_ends_the_process(spec_json, helpers, data, sign, outcome):
    run = start(spec_json, helpers, data)
    advance(run, "sign_decision")
    step(run, "sign_decision", {"decision": sign})
    assert (run.finished, run.outcome, run.human_tasks()) == (True, outcome, [])


@pytest.mark.parametrize("council, counts", [
    (COUNCIL, {"yes": 3, "no": 2}),  # below 70 % of voters
    (COUNCIL, {"yes": 3}),           # below the quorum of 4
    (COUNCIL, {}),
    ([], {}),                        # nobody may vote: no ballot is opened
])
def test_vote_below_threshold_or_quorum_ends_not_approved(spec_json, council, counts):
    helpers = Helpers(council)
    helpers.counts = counts
    run = start(spec_json, helpers)
    advance(run, "sign_decision")
    assert (run.finished, run.outcome) == (True, "not_approved")
    assert tally_step(run).details["tally_result"]["passed"] is False


@pytest.mark.parametrize("returning_key, form", [
    ("endorse", {"decision": "return", "comment": "add the minutes"}),
    ("check_dossier", {"decision": "return", "comment": "initiative proof unsigned"}),
])
def test_return_goes_back_to_prepare_dossier_as_a_new_task(spec_json, helpers, returning_key, form):
    run = start(spec_json, helpers)
    seen = [step(run, "prepare_dossier").id]
    for _ in range(2):
        if returning_key == "check_dossier":
            step(run, "endorse", {"decision": "endorse"})
        step(run, returning_key, form)
        seen.append(only(run, "prepare_dossier").id)
        step(run, "prepare_dossier")
    assert len(set(seen)) == 3
    step(run, "endorse", {"decision": "endorse"})
    step(run, "check_dossier", {"decision": "accept"})
    assert only(run, "appraise").key == "appraise"


# key -> (lane, role, status, form, due_in_days)
TASK_PROPERTIES = {
    "prepare_dossier": ("Unit", "unit_clerk", "preparing", "prepare_dossier.json", 10),
    "endorse": ("Unit", "unit_head", "endorsing", "endorse.json", 5),
    "check_dossier": ("Secretariat", "secretariat", "checking", "check_dossier.json", 10),
    "appraise": ("Reviewer", "reviewer", "appraising", "appraise.json", 10),
    "vote": ("Council", "council_member", "voting", "vote.json", None),
    "sign_decision": ("Chair", "council_chair", "signing", "sign_decision.json", 5),
}


def walk_offering(spec_json, helpers, reviewer=None) -> dict:
    """Every human task offered along the straight path, by key (votes as a list)."""
    run, offered = start(spec_json, helpers), {}
    while not run.finished:
        for task in complete_ready(run, reviewer):
            offered.setdefault(task.key, []).append(task)
    return offered


@pytest.mark.parametrize("key", sorted(TASK_PROPERTIES))
def test_human_task_properties(spec_json, helpers, key):
    [task, *_] = walk_offering(spec_json, helpers, reviewer="rev")[key]
    assert (task.lane, task.role, task.status, task.form, task.due_in_days) == TASK_PROPERTIES[key]
    assert task.secret is (key == "vote")
    assert task.name and task.name != key


@pytest.mark.parametrize("reviewer", ["rev", None])
def test_assignees_are_the_named_reviewer_and_one_member_per_ballot(spec_json, helpers, reviewer):
    offered = walk_offering(spec_json, helpers, reviewer=reviewer)
    assert [t.assignee for t in offered["appraise"]] == [reviewer]
    assert sorted(t.assignee for t in offered["vote"]) == COUNCIL
    assert len({t.id for t in offered["vote"]}) == len(COUNCIL)
    assert {t.assignee for k, ts in offered.items() if k not in ("appraise", "vote") for t in ts} == {None}


def test_dump_and_load_mid_vote_continues_identically(spec_json, helpers):
    straight, resumed = start(spec_json, helpers), start(spec_json, helpers)
    for run in (straight, resumed):
        advance(run, "vote")
        run.complete(run.human_tasks()[0].id, {"voted": True})
    state = resumed.dump()
    resumed = Run.load(spec_json, state, helpers.as_dict())
    assert [(t.key, t.assignee) for t in resumed.human_tasks()] == \
        [(t.key, t.assignee) for t in straight.human_tasks()]
    assert json.loads(resumed.dump()) == json.loads(state)
    for run in (straight, resumed):
        advance(run, "sign_decision")
        step(run, "sign_decision", {"decision": "approve"})
    assert resumed.outcome == straight.outcome == "awarded"
    assert tally_step(resumed).details == tally_step(straight).details
    assert resumed.data == straight.data


def test_dump_leaves_the_spec_out_and_stays_small(spec_json, helpers):
    run = start(spec_json, helpers)
    step(run, "prepare_dossier")
    step(run, "endorse", {"decision": "return", "comment": "again"})
    advance(run, "sign_decision", reviewer="rev")
    step(run, "sign_decision", {"decision": "approve"})
    state = run.dump()
    assert not {"spec", "subprocess_specs"} & set(json.loads(state))
    assert "attach every required document" not in state  # a task's documentation belongs to the spec
    assert len(state.encode("utf-8")) < 20_000
    assert Run.load(spec_json, state, helpers.as_dict()).outcome == "awarded"


def test_completing_a_task_twice_is_refused(spec_json, helpers):
    run = start(spec_json, helpers)
    done = step(run, "prepare_dossier")
    with pytest.raises(TaskNotReady, match="prepare_dossier"):
        run.complete(done.id, {})
    advance(run, "vote")
    ballot = run.human_tasks()[0]  # a ballot counted twice would skew the tally
    run.complete(ballot.id, {"voted": True})
    with pytest.raises(TaskNotReady):
        run.complete(ballot.id, {"voted": True})
    assert len(run.human_tasks()) == len(COUNCIL) - 1


@pytest.mark.parametrize("task_id", [str(uuid.uuid4()), "not-a-uuid", ""])
def test_unknown_task_id_is_refused(spec_json, helpers, task_id):
    run = start(spec_json, helpers)
    with pytest.raises(UnknownTask):
        run.complete(task_id, {})
    assert only(run, "prepare_dossier")


@pytest.mark.parametrize("award, level, article, threshold, base", [
    ("CSTDBO", "agency", "emulation_fighter", 0.9, "members"),
    ("CSTDTQ", "state", "emulation_fighter", 0.9, "members"),
    ("LDTT", "state", "state", 0.9, "members"),
    ("LDTT", "grassroots", "grassroots", 0.7, "voters"),
    ("BKBAN", "agency", "agency", 0.7, "voters"),
])
def test_the_decision_table_names_the_article_of_the_regulation(spec_json, helpers, award, level, article,
                                                                 threshold, base):
    helpers.counts = {"yes": 4, "no": 1}
    run = start(spec_json, helpers, {"award_type": award, "award_level": level})
    advance(run, "sign_decision")
    details = tally_step(run).details
    assert details["rule"].startswith(f"{article}:") and details["rule_basis"] == "REG-TEST"
    assert helpers.counted == {"regulation": "REG-TEST", "council": COUNCIL, "voted": COUNCIL}
    result = details["tally_result"]
    assert (result["threshold"], result["base"], result["members"]) == (threshold, base, len(COUNCIL))
    assert result["quorum"] == pytest.approx(2 / 3)
    # 4 yes of 5 is 80 %: enough of the voters, short of 90 % of the members.
    assert result["passed"] is (base == "voters")


def test_eligibility_findings_are_recorded_as_an_automatic_step(spec_json, helpers):
    run = start(spec_json, helpers)
    advance(run, "check_dossier")
    [found] = [s for s in run.automatic_steps() if s.key == "eligibility"]
    assert (found.action, found.details) == ("eligibility_checked", {"findings": helpers.findings})


def test_check_dossier_timer_is_due_ten_days_after_it_becomes_ready(spec_json, helpers):
    run = start(spec_json, helpers)
    assert run.next_timer_at() is None
    step(run, "prepare_dossier")
    before = datetime.now(timezone.utc)
    step(run, "endorse", {"decision": "endorse"})
    after = datetime.now(timezone.utc)
    assert before + timedelta(days=10, seconds=-1) <= run.next_timer_at() <= after + timedelta(days=10)
    waiting = only(run, "check_dossier")
    run.fire_due_timers()  # not due yet: nothing happens
    assert helpers.reminders == []
    assert only(run, "check_dossier").id == waiting.id


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_timer_is_cancelled_once_the_check_is_done(spec_json, helpers, decision):
    run = start(spec_json, helpers)
    advance(run, "check_dossier")
    step(run, "check_dossier", {"decision": decision, "comment": "x"})
    assert run.next_timer_at() is None


def test_failing_script_raises_process_fault_naming_its_task(spec_json, helpers):
    def broken():
        raise ValueError("no award history")

    run = Run.start(spec_json, dict(GRASSROOTS), {**helpers.as_dict(), "eligibility_findings": broken})
    step(run, "prepare_dossier")
    with pytest.raises(ProcessFault) as caught:
        step(run, "endorse", {"decision": "endorse"})
    assert caught.value.task_key == "eligibility"
    assert "no award history" in str(caught.value)


def test_a_decision_table_that_matches_no_row_stops_the_process_instead_of_going_on_silently(tmp_path, helpers):
    import re
    import shutil

    for name in ("nomination.bpmn", "vote_rules.dmn"):
        shutil.copy(BPMN_DIR / name, tmp_path / name)
    table = (tmp_path / "vote_rules.dmn").read_text(encoding="utf-8")
    # Without the catch-all row, a grassroots award matches nothing.
    (tmp_path / "vote_rules.dmn").write_text(
        re.sub(r'<rule id="rule_default">.*?</rule>', "", table, flags=re.S), encoding="utf-8")
    spec = compile_process("nomination", read_sources(tmp_path, "nomination")).spec_json
    run = start(spec, helpers)
    with pytest.raises(ProcessFault) as fault:
        advance(run, "sign_decision")
    assert fault.value.task_key == "vote_rule"
    assert fault.value.refusal.code == "process.no_matching_row"
    inputs = fault.value.refusal.params["inputs"]
    assert "award_type='LDTT'" in inputs and "award_level='grassroots'" in inputs
