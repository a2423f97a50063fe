"""Domain errors. They carry no HTTP status and no sentence: a stable code and its particulars.

A refusal is raised as ``NotFound("nomination.not_found", id=7)``; what is wrong with each
field of a request as ``InvalidData("nomination.invalid", fields={"year": Reason("year.out_of_range",
first=2000, last=2027)})``. The web layer words codes in the reader's language (pages, JSON and the
command line alike), so the domain never decides what a person reads. Codes are dotted,
``subject.what``, and never change once published: API clients may switch on them.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


@dataclass(frozen=True)
class Reason:
    """Why one value was refused: a stable code and the particulars its wording needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, code: str, /, **params: Any):
        if not CODE.fullmatch(code):
            raise ValueError(f"not a refusal code: {code!r}")
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", params)


class WorkflowError(Exception):
    """Base of every error a use case raises on purpose."""

    def __init__(self, code: str, /, *, fields: Mapping[str, Reason] | None = None, **params: Any):
        if not CODE.fullmatch(code):
            raise ValueError(f"not a refusal code: {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params
        self.fields: dict[str, Reason] = dict(fields or {})

    @property
    def reason(self) -> Reason:
        return Reason(self.code, **self.params)

    def __str__(self) -> str:
        """For logs and developers: the code, its particulars and the fields' codes."""
        parts = [self.code]
        if self.params:
            parts.append(", ".join(f"{k}={v!r}" for k, v in self.params.items()))
        if self.fields:
            parts.append("fields: " + ", ".join(f"{k}={r.code}" for k, r in self.fields.items()))
        return " ".join(parts)


class NotFound(WorkflowError):
    """The thing does not exist, or the caller may not know that it does."""


class NotAllowed(WorkflowError):
    """The caller is known but may not do this."""


class InvalidData(WorkflowError):
    """The input is well-formed but breaks a rule; ``fields`` names the culprits."""


class Conflict(WorkflowError):
    """The state moved on: the task was completed by someone else, the nomination ended, ..."""


class TooLarge(WorkflowError):
    """An upload is over the configured limit."""


class NotAuthenticated(WorkflowError):
    """The credentials are missing or wrong."""


class ProcessError(WorkflowError):
    """A script, condition or rule of the process diagram failed; the change was undone."""


class TooManyAttempts(WorkflowError):
    """Too many failed attempts in a short time; try again later."""



class Damaged(WorkflowError):
    """What is stored is not what was recorded (a file changed or lost on disk): the fault is ours."""
