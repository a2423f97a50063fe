"""The tables, one module per aggregate; importing this package registers them all."""

from .audit import AuditEvent, AuditHead
from .awards import AwardType
from .nominations import Ballot, Decision, Document, Nomination, NumberCounter
from .outbox import OutboxMessage
from .people import ApiToken, SignInFailure, Unit, User, UserRole
from .process import IndexedTask, ProcessDefinition, ProcessInstance

__all__ = [
    "ApiToken", "AuditEvent", "AuditHead", "AwardType", "Ballot", "Decision", "Document",
    "IndexedTask", "Nomination", "NumberCounter", "OutboxMessage", "ProcessDefinition", "ProcessInstance",
    "SignInFailure", "Unit",
    "User", "UserRole",
]
