"""What a document says, as plain data: the caller (workflows.usecases.decisions) fills these in."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Signer:
    """Who signed, in which capacity, and when (local time of the bloc, Hà Nội)."""

    position: str  # e.g. "CHỦ TỊCH HỘI ĐỒNG"
    name: str
    signed_at: datetime


@dataclass(frozen=True)
class Revocation:
    at: datetime  # local time
    reason: str


@dataclass(frozen=True)
class DecisionPaper:
    """A decision (quyết định khen thưởng) or a proposal upward (tờ trình)."""

    number: str
    signed_on: datetime  # local time; the document's date
    legal_basis: list[str]
    awardee: str
    awardee_kind: str  # individual | collective
    awardee_position: str
    unit: str
    award: str  # the award's Vietnamese name
    year: int
    reward_coefficient: float
    base_salary: int
    reward_amount: int
    signer: Signer
    sha256: str
    revocation: Revocation | None = None
    # The audit chain's head when it was signed (event number and hash): the trail, anchored on paper.
    audit_seq: int | None = None
    audit_hash: str = ""
    # The authority that issues it, by name; "" for the bloc's council (the header it always had).
    issuer: str = ""


@dataclass(frozen=True)
class VoteRuleText:
    """The rule the council applied, as the minutes state it."""

    quorum: float
    threshold: float
    base: str  # members | voters
    rounding: str  # up | nearest
    regulation_code: str
    legal_basis: str


@dataclass(frozen=True)
class TallyPaper:
    """The tally minutes (biên bản kiểm phiếu). Voters are named; how each voted is never known."""

    awardee: str
    unit: str
    award: str
    year: int
    members: list[str]
    entitled: list[str]  # members who may vote on this nomination (the nominee excluded)
    voters: list[str]
    yes: int
    no: int
    needed_voters: int
    needed_yes: int
    quorum_met: bool
    passed: bool
    rule: VoteRuleText
    counted_at: datetime  # local time
    opened_at: datetime | None = None
    chair: str = ""
    secretary: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SessionMinutesRow:
    """One nominee's vote at a session: counts and result, never who voted which way."""

    nominee: str
    unit: str
    award: str
    article: str
    entitled: int
    voters: int
    yes: int
    no: int
    needed_voters: int
    needed_yes: int
    quorum_met: bool
    passed: bool
    threshold: float
    base: str  # members | voters
    recommended: str = ""  # an award code the council recommends proposing instead, if any


@dataclass(frozen=True)
class SessionMinutesPaper:
    """The minutes of one council session (biên bản phiên họp): attendance, quorum, every nominee's count."""

    issuer: str  # the authority's name; "" for the bloc's council
    round_name: str
    year: int
    place: str
    scheduled_for: datetime  # local times
    opened_at: datetime | None
    closed_at: datetime
    seated: int
    present: list[str]
    written: list[str]
    absent: list[str]
    quorum_share: float
    quorum_needed: int
    quorum_met: bool
    regulation_code: str
    rounding: str
    rows: list[SessionMinutesRow]
    chair: str = ""
    secretary: str = ""
