"""Domain errors. They carry no HTTP status: the web layer maps them in one place."""


class WorkflowError(Exception):
    """Base of every error a use case raises on purpose."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


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
