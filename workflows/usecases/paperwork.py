"""The documents of a nomination, built from what is stored: the signed decision or proposal,
and the tally minutes. Same access as the nomination itself."""

import re
from dataclasses import dataclass

from sqlalchemy import select

from workflows.db import db
from workflows.errors import NotFound
from workflows.models import CouncilSeat, Decision, TallyRecord, User
from workflows.rendering import citations
from workflows.rendering.papers import (
    DecisionPaper,
    Revocation,
    Signer,
    TallyPaper,
    VoteRuleText,
    decision_pdf,
    proposal_pdf,
    tally_minutes_pdf,
)
from workflows.usecases import decisions, list_decisions, nominations


@dataclass(frozen=True)
class Paper:
    filename: str
    content: bytes
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class Available:
    """What a nomination's page offers: its documents, and whether this user may revoke."""

    decision: Decision | None
    has_tally: bool
    may_revoke: bool
    needs_password: bool  # the chair re-enters it to revoke; an administrator does not
    # The list decision (or proposal upward) whose annex names the nominee; revoked on its own page.
    list_decision: Decision | None = None


def available(user, nomination) -> Available:
    decision = nomination.decision
    may_revoke = decision is not None and decision.revoked_at is None and decisions.may_revoke(user, decision)
    return Available(decision=decision, has_tally=db.session.get(TallyRecord, nomination.id) is not None,
                     may_revoke=may_revoke, needs_password=may_revoke and "admin" not in user.roles,
                     list_decision=nomination.list_decision if decision is None else None)


def decision_paper(decision: Decision) -> DecisionPaper:
    """The document as it was signed: every name and figure comes from the signed content, so
    a later renaming of the unit, the award or the signer never changes what the PDF says."""
    content = decisions.signed_content(decision)
    awardee, award, reward, signer = content["awardee"], content["award"], content["reward"], content["signer"]
    signed_at = decisions.local(decision.signed_at)
    revocation = None
    if decision.revoked_at is not None:
        revocation = Revocation(decisions.local(decision.revoked_at), decisions.revocation_text(decision))
    return DecisionPaper(
        number=content["number"], signed_on=signed_at, legal_basis=list(content["legal_basis"]),
        awardee=awardee["name"], awardee_kind=awardee["kind"], awardee_position=awardee["position"],
        unit=awardee["unit"], award=award["name"], year=award["year"], reward_coefficient=reward["coefficient"],
        base_salary=reward["base_salary"], reward_amount=reward["amount"],
        signer=Signer(signer["position"], signer["name"], signed_at), sha256=decision.content_sha256,
        revocation=revocation, audit_seq=decision.audit_seq, audit_hash=decision.audit_hash or "",
        issuer=(content.get("authority") or {}).get("name", ""))


def decision_document(user, nomination_id: int) -> Paper:
    """The decision (or proposal) of a nomination the user may see, as PDF; revoked ones say so."""
    nomination = nominations.get(user, nomination_id)
    decision = nomination.decision
    if decision is None and nomination.list_decision_id is not None:
        # Named in a list decision's annex: the list decision is the nominee's document.
        paper = list_decisions.document(user, nomination.list_decision_id)
        return Paper(paper.filename, paper.content)
    if decision is None:
        raise NotFound("decision.none_signed", nomination=nomination_id)
    render = proposal_pdf if decision.kind == "proposal" else decision_pdf
    slug = re.sub(r"[^A-Za-z0-9]+", "-", decision.number.split("/")[0])
    return Paper(f"{decision.kind}-{decision.year}-{slug}.pdf", render(decision_paper(decision)))


def tally_paper(nomination, record: TallyRecord) -> TallyPaper:
    nominee = nomination.nominee_user.username if nomination.nominee_user else None
    names = _full_names([v for v in list(record.members or []) + list(record.voters or []) if isinstance(v, str)])
    members = [_entry(m, names) for m in record.members or []]
    entitled = [name for name, username, may_vote in members if may_vote and (nominee is None or username != nominee)]
    rule = record.rule or {}
    seats = _seat_holders(nomination.authority_id)
    return TallyPaper(
        awardee=nomination.nominee_name, unit=decisions.unit_name(nomination.unit),
        award=decisions.award_name(nomination.award_type), year=nomination.year,
        members=[name for name, _, _ in members], entitled=entitled,
        voters=[_entry(v, names)[0] for v in record.voters or []], yes=record.yes, no=record.no,
        needed_voters=record.needed_voters, needed_yes=record.needed_yes, quorum_met=record.quorum_met,
        passed=record.passed,
        rule=VoteRuleText(quorum=float(rule.get("quorum", 0)), threshold=float(rule.get("threshold", 0)),
                          base=str(rule.get("base", "")), rounding=str(rule.get("rounding", "up")),
                          regulation_code=record.regulation_code or str(rule.get("regulation_code", "")),
                          legal_basis=_vietnamese_basis(rule)),
        counted_at=decisions.local(record.counted_at),
        opened_at=decisions.local(record.opened_at) if record.opened_at else None,
        chair=seats.get("chair", ""), secretary=seats.get("secretary", ""))


def _vietnamese_basis(rule: dict) -> str:
    """The article's legal basis as the minutes cite it: in Vietnamese, translated for minutes
    written before the regulation kept its Vietnamese wording."""
    return str(rule.get("legal_basis_vi") or "") or citations.vietnamese(str(rule.get("legal_basis") or ""))


def tally_document(user, nomination_id: int) -> Paper:
    """The tally minutes of a nomination the user may see, as PDF."""
    nomination = nominations.get(user, nomination_id)
    record = db.session.get(TallyRecord, nomination.id)
    if record is None:
        raise NotFound("tally.none_yet", nomination=nomination_id)
    return Paper(f"tally-{nomination.year}-{nomination.id}.pdf", tally_minutes_pdf(tally_paper(nomination, record)))


def _entry(value, names: dict[str, str]) -> tuple[str, str | None, bool]:
    """(printed name, username, may vote) of one member as the minutes stored it: a username or a dict."""
    if isinstance(value, dict):
        username = value.get("username")
        name = value.get("full_name") or value.get("name") or names.get(username) or username or ""
        return str(name), username, value.get("entitled", value.get("votes", True)) is not False
    return names.get(str(value), str(value)), str(value), True


def _full_names(usernames) -> dict[str, str]:
    wanted = sorted(set(usernames))
    if not wanted:
        return {}
    return dict(db.session.execute(select(User.username, User.full_name).where(User.username.in_(wanted))).all())


def _seat_holders(authority_id: int) -> dict[str, str]:
    rows = db.session.execute(select(CouncilSeat.position, User.full_name).join(User, User.id == CouncilSeat.user_id)
                              .where(CouncilSeat.authority_id == authority_id))
    return {position: name for position, name in rows}
