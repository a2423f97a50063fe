"""The tables, one module per aggregate; importing this package registers them all."""

from .audit import AuditEvent, AuditHead
from .authorities import Authority, AuthorityRole
from .awards import AwardType
from .nominations import Decision, Document, Nomination, NumberCounter, SealedBallot, Signature, TallyRecord
from .outbox import OutboxMessage
from .people import ApiToken, SignInCounter, Unit, User, UserRole, UserSession
from .process import IndexedTask, ProcessDefinition, ProcessInstance
from .registry import Assessment, AwardRecord, Collective, DisciplineRecord, Initiative, Person, ReviewHold
from .rounds import (
    CouncilSession,
    LateEntry,
    Proposal,
    ProposalDocument,
    Round,
    SessionItem,
    SessionMember,
    UpwardOutcome,
)
from .rules import CouncilRegulation, CouncilSeat, EligibilityRule, RuleSet, Setting, VoteRule

__all__ = [
    "Assessment", "AwardRecord", "Collective", "CouncilRegulation", "CouncilSeat", "DisciplineRecord",
    "EligibilityRule", "Initiative", "Person", "ReviewHold", "RuleSet", "Setting", "Signature",
    "TallyRecord", "VoteRule",
    "CouncilSession", "LateEntry", "Proposal", "ProposalDocument", "Round", "SessionItem", "SessionMember",
    "UpwardOutcome",
    "ApiToken", "AuditEvent", "Authority", "AuthorityRole", "AuditHead", "AwardType", "Decision", "Document",
    "IndexedTask", "Nomination", "NumberCounter", "OutboxMessage", "ProcessDefinition", "ProcessInstance",
    "SealedBallot", "SignInCounter", "Unit",
    "User", "UserRole", "UserSession",
]
