"""A list proposal's process: start it, move it one step, say where it stands.

A list runs ``bpmn/proposal.bpmn`` once for the whole list: a list of forty is one completion
per step. What differs between nominees (findings, return, hold, withdrawal, vote, outcome)
lives on each nominee's ``Nomination`` row. Everything here runs in the caller's transaction;
the caller commits (see docs/rounds.md, "Who calls whom").
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import bindparam, select

from workflows.db import db, utcnow
from workflows.engine import ProcessFault, TaskNotReady, UnknownTask
from workflows.errors import Conflict, ProcessError
from workflows.models import Document, IndexedTask, Nomination, ProcessInstance, Proposal, ProposalDocument
from workflows.services import audit, council, eligibility, instances

# The list's steps, in order, as the diagram names its tasks.
STEPS = ("prepare_list", "endorse_list", "check_list", "await_session", "sign_list")
# Nominees still on a list (the office has not sent them back, the unit has not taken them off,
# the council has not turned them down).
OFF_THE_LIST = ("returned", "withdrawn", "not_approved")
# The list's own papers.
PAPER_KINDS = ("proposal_letter", "review_minutes")


def nominees(proposal: Proposal, *, all_of_them: bool = False) -> list[Nomination]:
    """The list's nominees, in the order they were put on it; without ``all_of_them``, only those
    still on it."""
    query = select(Nomination).where(Nomination.proposal_id == proposal.id)
    if not all_of_them:
        query = query.where(Nomination.status.not_in(OFF_THE_LIST))
    return list(db.session.execute(query.order_by(Nomination.id)).scalars())


def paper_kinds(proposal_id: int) -> set[str]:
    """The kinds of the list's papers currently attached."""
    return set(db.session.execute(select(ProposalDocument.kind).where(
        ProposalDocument.proposal_id == proposal_id, ProposalDocument.removed_at.is_(None))
        .group_by(ProposalDocument.kind)).scalars())


def needs_vote(proposal: Proposal, on: date | None = None) -> bool:
    """Whether the list's award goes to a council vote: it does unless the regulation in force for
    the deciding authority names it among those decided without a vote."""
    regulation = council.regulation_in_force(on or utcnow().date(), proposal.authority_id)
    if regulation is None:
        return True
    return proposal.award_type.code not in (regulation.without_vote or [])


def helpers(proposal: Proposal) -> dict:
    """The functions the list's diagram calls, bound to this list."""

    def list_findings():
        on_list = nominees(proposal)
        papers = paper_kinds(proposal.id)
        found = eligibility.findings_for_many(on_list, papers)
        # A nominee's own documents (an achievement report, say) count with the list's papers.
        own = defaultdict(set)
        for nomination_id, kind in db.session.execute(select(Document.nomination_id, Document.kind).where(
                Document.nomination_id.in_([n.id for n in on_list]), Document.removed_at.is_(None))):
            own[nomination_id].add(kind)
        unmet = 0
        for nomination in on_list:
            if own[nomination.id]:
                found[nomination.id] = eligibility.findings_for_many([nomination], papers | own[nomination.id])[
                    nomination.id]
            nomination.findings = found[nomination.id]
            if any(f.get("met") is False for f in nomination.findings):
                unmet += 1
        return {"nominees": len(on_list), "with_unmet_findings": unmet}

    return {"list_findings": list_findings}


def start(proposal: Proposal) -> None:
    """Start the list's process at ``prepare_list`` and index its first task (caller's transaction)."""
    definition = instances.latest_definition(instances.LIST_PROCESS_KEY)
    if definition is None:
        raise Conflict("process.not_deployed")
    award = proposal.award_type
    instances.start_instance(proposal, definition, {
        "proposal_id": proposal.id, "award_type": award.code, "award_level": award.level,
        "award_kind": award.kind, "year": proposal.year,
    }, helpers(proposal))


def step_of(proposal: Proposal) -> str | None:
    """The step the list waits at (a task key of ``STEPS``), or None once it has ended."""
    return db.session.execute(_READY_STEP, {"proposal_id": proposal.id}).scalars().first()


_READY_STEP = select(IndexedTask.key).where(IndexedTask.proposal_id == bindparam("proposal_id"),
                                            IndexedTask.state == "ready").order_by(IndexedTask.created_at)


def ready_task(proposal: Proposal, key: str) -> IndexedTask | None:
    """The list's ready task of that step, if it waits there."""
    return db.session.execute(select(IndexedTask).where(
        IndexedTask.proposal_id == proposal.id, IndexedTask.key == key,
        IndexedTask.state == "ready")).scalars().first()


def complete_step(proposal: Proposal, key: str, data: dict, actor) -> str | None:
    """Complete the list's ready task ``key`` with ``data`` and run the list to its next step.

    Runs in the caller's transaction (no commit). The list's instance is locked first, so of two
    requests moving the same list only one does; the other is refused with ``list.step_not_ready``
    like any request for a step the list is not at. Updates ``Proposal.status`` from the diagram,
    the task index and the trail. Returns the step the list now waits at (None once ended).
    """
    if proposal.instance_id is None:
        raise Conflict("list.step_not_ready", list=proposal.id, step=key, at="")
    instance = instances.lock_instance(proposal.instance_id)
    run = instances.resume_with(instance, helpers(proposal))
    task = next((t for t in run.human_tasks() if t.key == key), None)
    if task is None:
        at = next((t.key for t in run.human_tasks()), "")
        raise Conflict("list.step_not_ready", list=proposal.id, step=key, at=at)
    try:
        run.complete(task.id, dict(data))
    except (TaskNotReady, UnknownTask) as exc:
        raise Conflict("list.step_not_ready", list=proposal.id, step=key, at="") from exc
    except ProcessFault as fault:
        if fault.refusal is not None:
            raise type(fault.refusal)(fault.refusal.code, task=fault.task_key or key,
                                      **fault.refusal.params) from fault
        raise ProcessError("process.failed", task=fault.task_key or key) from fault
    audit.record("list_step_completed", actor=actor, task_key=key, task_id=task.id,
                 details={"proposal": proposal.id, **_plain(data)})
    instances.save(instance, run, proposal, actor=actor, completed_task_id=task.id)
    return next((t.key for t in run.human_tasks()), None)


def instance_of(proposal: Proposal) -> ProcessInstance | None:
    return db.session.get(ProcessInstance, proposal.instance_id) if proposal.instance_id else None


def _plain(data: dict) -> dict:
    """What of a step's data the trail keeps: short plain values only."""
    return {k: v for k, v in data.items() if isinstance(v, (bool, int, str)) and len(str(v)) <= 500}
