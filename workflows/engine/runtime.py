"""One running process instance, spoken to in plain Python.

Nothing here hands a SpiffWorkflow object to the caller: tasks come out as dataclasses with
``str`` ids, state goes in and out as JSON text without the embedded spec.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.util.task import TaskState

from ..errors import ProcessError, WorkflowError
from .definitions import SERIALIZER, WORKFLOW_CONVERTER, restore_specs
from .scripting import script_engine


class TaskNotReady(Exception):
    """The task exists in this instance but is not waiting for anyone (done, cancelled, not reached)."""


class UnknownTask(Exception):
    """No task with this id belongs to this instance."""


class ProcessFault(Exception):
    """A script, condition or rule of the diagram failed; carries where, for the trail.

    ``refusal`` is the domain's own error when a helper the script called refused (no
    regulation in force, say); ``detail`` is the engine's technical account, for administrators.
    """

    def __init__(self, detail: str, task_key: str | None, line: int | None, refusal: WorkflowError | None = None):
        super().__init__(detail)
        self.detail = detail
        self.task_key = task_key
        self.line = line
        self.refusal = refusal


@dataclass(frozen=True)
class HumanTask:
    """A task waiting for a person, with what routing needs to know about it."""

    id: str
    key: str
    name: str
    lane: str | None
    role: str | None
    status: str | None
    form: str | None
    due_in_days: int | None
    assignee: str | None
    secret: bool
    documentation: str | None


@dataclass(frozen=True)
class AutomaticStep:
    """A script or rule task that ran and whose results belong in the audit trail."""

    key: str
    name: str
    action: str
    details: dict = field(default_factory=dict)


def _properties(task_spec) -> dict:
    return (getattr(task_spec, "extensions", None) or {}).get("properties", {}) or {}


def _as_human_task(task) -> HumanTask:
    spec = task.task_spec
    props = _properties(spec)
    assignee_var = props.get("assignee_data")
    assignee = task.data.get(assignee_var) if assignee_var else None
    due = props.get("due_in_days")
    return HumanTask(
        id=str(task.id), key=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id, lane=spec.lane,
        role=props.get("role"), status=props.get("status"), form=props.get("form"),
        due_in_days=int(due) if due else None,
        assignee=str(assignee) if assignee else None,
        secret=props.get("secret", "").lower() == "true",
        documentation=getattr(spec, "documentation", None),
    )


def _fault(exc: Exception) -> ProcessFault:
    task = getattr(exc, "task", None)
    key = task.task_spec.bpmn_id if task is not None else None
    line = getattr(exc, "line_number", None) or None
    return ProcessFault(str(exc).rstrip(". ") or type(exc).__name__, key, line, _refusal_behind(exc))


def _refusal_behind(exc: BaseException) -> WorkflowError | None:
    """The domain error a script's helper raised, which the engine wrapped in its own."""
    seen = exc
    for _ in range(5):
        seen = seen.__cause__ or seen.__context__
        if seen is None or isinstance(seen, WorkflowError):
            return seen
    return None


def _require_a_matching_row(task) -> None:
    """A decision table that matches no row sets nothing and the process would go on silently."""
    engine = getattr(task.task_spec, "dmnEngine", None)
    if engine is None or engine.decide(task):
        return
    table = engine.decision_table
    inputs = ", ".join(f"{i.expression}={task.data.get(i.expression)!r}" for i in table.inputs
                       if i.expression and i.expression.isidentifier())
    raise ProcessFault(f"{table.name or table.id}: {inputs}", task.task_spec.bpmn_id, None,
                       ProcessError("process.no_matching_row", table=table.name or table.id, inputs=inputs))


class Run:
    """Wraps one workflow; every human step is followed by the engine steps it unlocks."""

    def __init__(self, workflow: BpmnWorkflow, helpers: dict):
        self._workflow = workflow
        self._workflow.script_engine = script_engine(helpers)
        self._steps: list[AutomaticStep] = []

    @classmethod
    def start(cls, spec_json: str, data: dict, helpers: dict) -> "Run":
        """Start a new instance with ``data`` as its initial data and run it to its first wait."""
        spec, subprocess_specs = restore_specs(spec_json)
        run = cls(BpmnWorkflow(spec, subprocess_specs), helpers)
        run._workflow.task_tree.data.update(data)
        run._advance()
        return run

    @classmethod
    def load(cls, spec_json: str, state: str, helpers: dict) -> "Run":
        """Restore an instance saved by :meth:`dump` onto its own definition."""
        dct = json.loads(state)
        if dct.get(SERIALIZER.VERSION_KEY) != SERIALIZER.VERSION:
            # An instance saved by an older engine: upgrade it the library's way, with its spec.
            dct.update(json.loads(spec_json))
            SERIALIZER.migrate(dct)
            return cls(SERIALIZER.from_dict(dct), helpers)
        return cls(WORKFLOW_CONVERTER.from_dict(dct, specs=restore_specs(spec_json)), helpers)

    def dump(self) -> str:
        """The instance as JSON, without the spec (that is stored once per definition)."""
        dct = WORKFLOW_CONVERTER.to_dict(self._workflow, with_spec=False)
        dct["typename"] = WORKFLOW_CONVERTER.typename
        dct[SERIALIZER.VERSION_KEY] = SERIALIZER.VERSION
        return json.dumps(dct, separators=(",", ":"))

    # -- reading ---------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self._workflow.is_completed()

    @property
    def data(self) -> dict:
        """The current data: the workflow's once finished, else the latest task's."""
        if self.finished:
            return self._workflow.data
        last = self._workflow.last_task or self._workflow.task_tree
        return last.data

    @property
    def outcome(self) -> str | None:
        return self.data.get("outcome") if self.finished else None

    def human_tasks(self) -> list[HumanTask]:
        """Tasks waiting for a person, in a stable order."""
        ready = self._workflow.get_tasks(state=TaskState.READY, manual=True)
        return [_as_human_task(t) for t in ready]

    def task_states(self, task_ids) -> dict[str, str]:
        """The engine's state name (COMPLETED, CANCELLED, READY, ...) of each known task id."""
        states = {}
        for task_id in task_ids:
            task = self._workflow.get_task_from_id(UUID(task_id))
            if task is not None:
                states[task_id] = TaskState.get_name(task.state)
        return states

    def completed_steps(self) -> list[str]:
        """Ids of every diagram element that has run to completion, by a person or on its own."""
        return sorted({task.task_spec.bpmn_id for task in self._workflow.get_tasks(state=TaskState.COMPLETED)
                       if getattr(task.task_spec, "bpmn_id", None)})

    def automatic_steps(self) -> list[AutomaticStep]:
        """Audited automatic steps run since this object was made."""
        return list(self._steps)

    def next_timer_at(self) -> datetime | None:
        """When the earliest waiting timer is due, if any."""
        due = []
        for event in self._workflow.waiting_events():
            if "Timer" in event.event_type and event.value:
                value = event.value["next"] if isinstance(event.value, dict) else event.value
                due.append(TimerEventDefinition.get_datetime(value).astimezone(timezone.utc))
        return min(due) if due else None

    # -- changing --------------------------------------------------------------------------

    def complete(self, task_id: str, form: dict) -> HumanTask:
        """Complete a READY human task with ``form`` stored under the task's key, then advance.

        The engine itself would happily re-run a completed task (counting a vote twice) or
        run a future one, so readiness is checked here.
        """
        try:
            task = self._workflow.get_task_from_id(UUID(task_id))
        except (ValueError, WorkflowException):
            task = None
        if task is None or not task.task_spec.manual:
            raise UnknownTask(task_id)
        if task.state != TaskState.READY:
            raise TaskNotReady(task.task_spec.bpmn_id, TaskState.get_name(task.state).lower())
        done = _as_human_task(task)
        task.data[task.task_spec.bpmn_id] = dict(form)
        try:
            task.run()
        except SpiffWorkflowException as exc:
            raise _fault(exc) from exc
        self._advance()
        return done

    def fire_due_timers(self) -> None:
        """Fire timers whose time has come; nothing fires by itself."""
        try:
            self._workflow.refresh_timers()
        except SpiffWorkflowException as exc:
            raise _fault(exc) from exc
        self._advance()

    def cancel(self) -> None:
        """End the instance where it stands (a withdrawal)."""
        self._workflow.cancel()

    def _advance(self) -> None:
        def record(task):
            _require_a_matching_row(task)
            props = _properties(task.task_spec)
            if "action" in props:
                keys = [k.strip() for k in props.get("audit", "").split(",") if k.strip()]
                self._steps.append(AutomaticStep(
                    key=task.task_spec.bpmn_id, name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
                    action=props["action"], details={k: task.data.get(k) for k in keys}))

        try:
            self._workflow.do_engine_steps(did_complete_task=record)
        except SpiffWorkflowException as exc:
            raise _fault(exc) from exc
