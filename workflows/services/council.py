"""The council's regulation applied to a vote, and the tally minutes it leaves behind.

The article that governs a vote comes from the diagram's decision table; what the article asks
(quorum, threshold, base, rounding) comes from the regulation in force when the vote opened,
recorded in the process so that a regulation replaced mid-vote does not change the count.
"""

from datetime import date

from sqlalchemy import select

from workflows.db import db, utcnow
from workflows.errors import Conflict, InvalidData, Reason
from workflows.models import Authority, CouncilRegulation, IndexedTask, Nomination, TallyRecord, User, VoteRule
from workflows.services import ballot_box
from workflows.services.voting import ROUNDINGS, tally

BASES = ("members", "voters")


class RegulationMissing(Conflict):
    """No regulation, or no article of it, applies: the vote cannot be counted until one is added."""


def regulation_in_force(on: date, authority_id: int | None = None) -> CouncilRegulation | None:
    """The regulation of the authority's council in force on the day. An authority that has not
    issued its own yet votes under the one above it (a unit's agency, an agency's bloc)."""
    seen = set()
    while authority_id is not None and authority_id not in seen:
        seen.add(authority_id)
        found = db.session.execute(CouncilRegulation.in_force_on(on).where(
            CouncilRegulation.authority_id == authority_id)).scalar_one_or_none()
        if found is not None:
            return found
        if db.session.execute(select(CouncilRegulation.id).where(
                CouncilRegulation.authority_id == authority_id).limit(1)).first() is not None:
            return None  # it has its own, none of them in force that day
        authority_id = db.session.execute(select(Authority.parent_id).where(
            Authority.id == authority_id)).scalar_one_or_none()
    if authority_id is None and not seen:
        return db.session.execute(CouncilRegulation.in_force_on(on).where(
            CouncilRegulation.authority_id == _bloc_id())).scalar_one_or_none()
    return None


def _bloc_id() -> int | None:
    return db.session.execute(select(Authority.id).where(Authority.kind == "bloc").order_by(Authority.id)
                              .limit(1)).scalar()


def article_of(regulation_code: str, article: str) -> tuple[CouncilRegulation, VoteRule]:
    regulation = db.session.execute(
        select(CouncilRegulation).where(CouncilRegulation.code == regulation_code)).scalar_one_or_none()
    if regulation is None:
        raise RegulationMissing("council.regulation_unknown", regulation=regulation_code)
    rule = next((r for r in regulation.rules if r.article == article), None)
    if rule is None:
        raise RegulationMissing("council.article_missing", regulation=regulation_code, article=article)
    return regulation, rule


def count_votes(nomination: Nomination, regulation_code: str, article: str, council: list[str],
                voted: list[str]) -> dict:
    """Open the ballot box, count it under the article and write the tally minutes: the close of the vote.

    ``voted`` names the members who took part: participation is public (the trail records it),
    the choices were sealed in the ballot box, which is emptied here.
    """
    regulation, rule = article_of(regulation_code, article)
    counts = ballot_box.count_and_clear(nomination.id, expected=len(voted))
    result = tally(counts, len(council), rule.quorum, rule.threshold, rule.base, regulation.rounding)
    described = describe(rule)
    record = db.session.get(TallyRecord, nomination.id) or TallyRecord(nomination_id=nomination.id)
    record.regulation_id, record.regulation_code = regulation.id, regulation.code
    record.rule = {"article": rule.article, "quorum": rule.quorum, "threshold": rule.threshold,
                   "base": rule.base, "rounding": regulation.rounding, "text": described,
                   "legal_basis": rule.legal_basis, "regulation_basis": regulation.legal_basis,
                   "legal_basis_vi": rule.legal_basis_vi, "regulation_basis_vi": regulation.legal_basis_vi}
    record.members = _full_names(council)
    record.voters = _full_names([username for username in council if username in set(voted)])
    record.yes, record.no = result["yes"], result["no"]
    record.needed_voters, record.needed_yes = result["needed_voters"], result["needed_yes"]
    record.quorum_met, record.passed = result["quorum_met"], result["passed"]
    record.opened_at = _vote_opened_at(nomination)
    record.counted_at = utcnow()
    db.session.add(record)
    return {**result, "regulation": regulation.code, "article": rule.article, "rounding": regulation.rounding,
            "rule": described, "rule_basis": f"{regulation.code}: {rule.legal_basis}"}


def describe(rule: VoteRule) -> str:
    """The article in English, as the trail has always recorded it; readers get it worded from its
    numbers (pages) or in Vietnamese (the tally minutes)."""
    of = "all members entitled to vote" if rule.base == "members" else "the members who voted"
    return f"{rule.threshold:.0%} of {of} (quorum {rule.quorum:.0%} of the members)"


def check_rule(article: str, quorum: float, threshold: float, base: str) -> None:
    """Refuse an article that could not be counted, naming the field."""
    if problems := rule_problems(article, quorum, threshold, base):
        raise InvalidData("regulation.article_invalid", fields=problems)


def rule_problems(article: str, quorum: float | None, threshold: float | None, base: str) -> dict[str, Reason]:
    """What is wrong with an article, by field: its name, its two shares (0 to 1) and its base."""
    problems = {}
    if not isinstance(article, str) or not 0 < len(article) <= 32 or not article.replace("_", "").isalnum():
        problems["article"] = Reason("regulation.bad_article")
    for name, value in (("quorum", quorum), ("threshold", threshold)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            problems[name] = Reason("regulation.bad_share")
    if base not in BASES:
        problems["base"] = Reason("field.choose_one", choices=list(BASES))
    return problems


def check_rounding(rounding: str) -> None:
    if problems := rounding_problems(rounding):
        raise InvalidData("regulation.invalid", fields=problems)


def rounding_problems(rounding) -> dict[str, Reason]:
    if rounding not in ROUNDINGS:
        return {"rounding": Reason("field.choose_one", choices=list(ROUNDINGS))}
    return {}


def _vote_opened_at(nomination: Nomination):
    return db.session.execute(select(IndexedTask.created_at).where(
        IndexedTask.nomination_id == nomination.id, IndexedTask.key == "vote"
    ).order_by(IndexedTask.created_at).limit(1)).scalar_one_or_none()


def _full_names(usernames: list[str]) -> list[str]:
    # Sorted by name, so the order says nothing about who voted first.
    names = dict(db.session.execute(select(User.username, User.full_name).where(User.username.in_(usernames))).all())
    return sorted(names.get(u, u) for u in usernames)
