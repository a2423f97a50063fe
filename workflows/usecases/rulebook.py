"""Publishing new versions of the rules: eligibility rule sets, the council's regulation, its seats.

A version is never edited once published: the law changes by new texts with a date of effect,
and so do the rules here. Publishing a version ends the one before it the day before the new
one takes effect; nominations made under the old rules keep them, votes opened under the old
regulation are counted by it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, true

from workflows.db import db
from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from workflows.models import (
    Authority,
    AwardType,
    CouncilRegulation,
    CouncilSeat,
    EligibilityRule,
    RuleSet,
    Unit,
    User,
    VoteRule,
)
from workflows.models.rules import COUNCIL_POSITIONS
from workflows.services import audit, authorities, council, eligibility
from workflows.services.transactions import use_case
from workflows.usecases.administration import require_admin

MAX_RULES = 500
MAX_ARTICLES = 50
# Everyone who applies the rules may read them; only administrators publish.
READERS = ("admin", "secretariat", "reviewer", "council_member", "council_chair", "auditor", "unit_clerk",
           "unit_head")


def _require_reader(actor) -> None:
    if actor is None or not actor.active or not actor.has_role(*READERS):
        raise NotAllowed("rules.not_readable")


@dataclass(frozen=True)
class Names:
    """The award types and units that rules name, by code, so that readers see them by name."""

    awards: dict[str, AwardType]
    units: dict[str, Unit]


def names(actor) -> Names:
    """Every award type and unit by code (inactive ones too: older rules may name them)."""
    _require_reader(actor)
    return Names({a.code: a for a in db.session.execute(select(AwardType).order_by(AwardType.id)).scalars()},
                 {u.code: u for u in db.session.execute(select(Unit).order_by(Unit.code)).scalars()})


# -- eligibility rule sets -----------------------------------------------------------------------

def rule_sets(actor) -> list[RuleSet]:
    _require_reader(actor)
    return list(db.session.execute(select(RuleSet).order_by(RuleSet.effective_from.desc())).scalars())


def rule_set(actor, code: str) -> RuleSet:
    _require_reader(actor)
    found = db.session.execute(select(RuleSet).where(RuleSet.code == code)).scalar_one_or_none()
    if found is None:
        raise NotFound("rule_set.not_found", code=code)
    return found


@use_case
def publish_rule_set(actor, *, code, title, legal_basis, effective_from, rules, title_vi=None,
                     legal_basis_vi=None) -> RuleSet:
    """Publish a rule set taking effect on ``effective_from``; the one in force before ends the day before.

    The Vietnamese title and legal basis (and each rule's ``basis_vi``) may be left out by older
    clients; when given they may not be blank.
    """
    require_admin(actor)
    header, problems = _checked_header(RuleSet, code, title, legal_basis, effective_from, title_vi, legal_basis_vi)
    rows, rule_problems = _checked_rules(rules)
    if problems or rule_problems:
        raise InvalidData("rule_set.cannot_publish" if rule_problems else "version.cannot_publish",
                          fields={**problems, **rule_problems})
    previous = _close_previous(RuleSet, header["effective_from"])
    published = RuleSet(**header, rules=rows)
    db.session.add(published)
    db.session.flush()
    audit.record("rule_set_published", actor=actor, details={
        "code": published.code, "effective_from": published.effective_from.isoformat(),
        "replaces": previous.code if previous else None, "rules": len(rows)})
    db.session.commit()
    return published


def _checked_rules(rules) -> tuple[list[EligibilityRule], dict[str, Reason]]:
    if not isinstance(rules, list) or not rules or len(rules) > MAX_RULES:
        return [], {"rules": Reason("rule_set.rules_needed", max=MAX_RULES)}
    awards = set(db.session.execute(select(AwardType.code)).scalars())
    units = set(db.session.execute(select(Unit.code)).scalars())
    rows, problems = [], {}
    for position, rule in enumerate(rules):
        where = f"rules[{position}]"
        if not isinstance(rule, dict):
            problems[where] = Reason("rule.not_an_object")
            continue
        award, kind, params = rule.get("award"), rule.get("kind"), rule.get("params", {})
        basis, basis_vi = rule.get("basis"), rule.get("basis_vi", "")
        if award not in awards | {"*"}:
            problems[f"{where}.award"] = Reason("rule.unknown_award", award=str(award))
        if not isinstance(basis, str) or not basis.strip():
            problems[f"{where}.basis"] = Reason("rule.basis_needed")
        if "basis_vi" in rule and (not isinstance(basis_vi, str) or not basis_vi.strip()):
            problems[f"{where}.basis_vi"] = Reason("rule.basis_vi_needed")
        check = {"kind": kind, "params": params}
        for place, reason in eligibility.problems(check, awards=awards, units=units).items():
            problems[f"{where}.{place}"] = reason
        if not problems:
            rows.append(EligibilityRule(award_code=award, position=position, kind=kind, params=params,
                                        legal_basis=basis.strip(), legal_basis_vi=basis_vi.strip()))
    return rows, problems


# -- the council's regulation --------------------------------------------------------------------

def council_of(authority: str | None) -> Authority:
    """The authority whose council is meant: the bloc's unless a code names another."""
    if not authority:
        return authorities.bloc()
    found = authorities.by_code(authority)
    if found is None:
        raise NotFound("authority.not_found", code=str(authority))
    return found


def regulations(actor, authority: str | None = None) -> list[CouncilRegulation]:
    _require_reader(actor)
    council_id = council_of(authority).id
    return list(db.session.execute(
        select(CouncilRegulation).where(CouncilRegulation.authority_id == council_id)
        .order_by(CouncilRegulation.effective_from.desc())).scalars())


@use_case
def publish_regulation(actor, *, code, title, legal_basis, effective_from, rounding, articles, title_vi=None,
                       legal_basis_vi=None, authority: str | None = None, without_vote=(),
                       written_ballots: bool = True) -> CouncilRegulation:
    """Publish a version of an authority's regulation (the bloc's by default); votes opened before it
    takes effect keep the old one. ``without_vote``: the award codes its head decides in a round on
    the office's list, without a council vote; ``written_ballots``: whether a member absent from a
    session may send a written ballot."""
    require_admin(actor)
    owner = council_of(authority)
    header, problems = _checked_header(CouncilRegulation, code, title, legal_basis, effective_from, title_vi,
                                       legal_basis_vi, scope=CouncilRegulation.authority_id == owner.id)
    problems.update(council.rounding_problems(rounding))
    awards, award_problems = _checked_award_codes(without_vote)
    problems.update(award_problems)
    if not isinstance(written_ballots, bool):
        problems["written_ballots"] = Reason("field.not_boolean")
    rows, article_problems = _checked_articles(articles)
    if problems or article_problems:
        raise InvalidData("regulation.cannot_publish", fields={**problems, **article_problems})
    previous = _close_previous(CouncilRegulation, header["effective_from"],
                               scope=CouncilRegulation.authority_id == owner.id)
    published = CouncilRegulation(**header, rounding=rounding, rules=rows, authority_id=owner.id,
                                  without_vote=awards, written_ballots=written_ballots)
    db.session.add(published)
    db.session.flush()
    audit.record("regulation_published", actor=actor, details={
        "code": published.code, "effective_from": published.effective_from.isoformat(),
        "replaces": previous.code if previous else None, "articles": [row.article for row in rows],
        "authority": owner.code, "without_vote": awards, "written_ballots": written_ballots})
    db.session.commit()
    return published


def _checked_award_codes(codes) -> tuple[list[str], dict[str, Reason]]:
    """Known award codes, each once, in the catalogue's order."""
    if not isinstance(codes, (list, tuple)) or not all(isinstance(code, str) for code in codes):
        return [], {"without_vote": Reason("field.list_needed")}
    known = list(db.session.execute(select(AwardType.code).order_by(AwardType.id)).scalars())
    unknown = sorted(set(codes) - set(known))
    if unknown:
        return [], {"without_vote": Reason("regulation.unknown_awards", code=", ".join(unknown))}
    return [code for code in known if code in set(codes)], {}


def _checked_articles(articles) -> tuple[list[VoteRule], dict[str, Reason]]:
    if not isinstance(articles, list) or not articles or len(articles) > MAX_ARTICLES:
        return [], {"articles": Reason("regulation.articles_needed", max=MAX_ARTICLES)}
    rows, problems, seen = [], {}, set()
    for position, article in enumerate(articles):
        where = f"articles[{position}]"
        if not isinstance(article, dict):
            problems[where] = Reason("field.object_needed")
            continue
        if not {"article", "quorum", "threshold", "base"} <= set(article):
            problems[where] = Reason("regulation.article_incomplete")
            continue
        values = {"article": str(article.get("article") or "").strip(), "base": article.get("base"),
                  "quorum": _share(article.get("quorum")), "threshold": _share(article.get("threshold"))}
        found = council.rule_problems(**values)
        if not found and values["article"] in seen:
            found["article"] = Reason("field.given_twice")
        basis_vi = article.get("legal_basis_vi", "")
        if "legal_basis_vi" in article and (not isinstance(basis_vi, str) or not basis_vi.strip()):
            found["legal_basis_vi"] = Reason("rule.basis_vi_needed")
        problems.update({f"{where}.{name}": reason for name, reason in found.items()})
        seen.add(values["article"])
        if not problems:
            rows.append(VoteRule(position=position, legal_basis=str(article.get("legal_basis") or "").strip(),
                                 legal_basis_vi=basis_vi.strip(), **values))
    return rows, problems


def _share(value):
    """A share as a number, or None when it is not one (the article is then refused for it)."""
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# -- council seats -------------------------------------------------------------------------------

def seats(actor, authority: str | None = None) -> list[tuple[User, str]]:
    _require_reader(actor)
    council_id = council_of(authority).id
    rows = db.session.execute(select(User, CouncilSeat.position).join(CouncilSeat, CouncilSeat.user_id == User.id)
                              .where(CouncilSeat.authority_id == council_id))
    return sorted(((user, position) for user, position in rows),
                  key=lambda seat: (COUNCIL_POSITIONS.index(seat[1]), seat[0].full_name))


@use_case
def set_seat(actor, username: str, position: str | None, authority: str | None = None) -> None:
    """Seat a user on an authority's council (the bloc's by default) in a position, or (position None)
    take the seat away."""
    require_admin(actor)
    owner = council_of(authority)
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound("user.not_found", username=username)
    if position is not None and position not in COUNCIL_POSITIONS:
        raise InvalidData("council.unknown_position", position=str(position),
                          fields={"position": Reason("field.choose_one", choices=list(COUNCIL_POSITIONS))})
    seat = db.session.get(CouncilSeat, (owner.id, user.id))
    if position is None:
        if seat is not None:
            db.session.delete(seat)
    elif seat is None:
        db.session.add(CouncilSeat(authority_id=owner.id, user_id=user.id, position=position))
    else:
        seat.position = position
    audit.record("council_seat_changed", actor=actor, details={"user": username, "position": position,
                                                               "authority": owner.code})
    db.session.commit()


# -- shared --------------------------------------------------------------------------------------

def _checked_header(model, code, title, legal_basis, effective_from, title_vi, legal_basis_vi, scope=None
                    ) -> tuple[dict, dict[str, Reason]]:
    problems = {}
    if not isinstance(code, str) or not 1 <= len(code.strip()) <= 64:
        problems["code"] = Reason("version.bad_code", max=64)
    elif db.session.execute(select(model.id).where(model.code == code.strip())).first():
        raise Conflict("version.exists", code=code.strip())
    for name, value, optional in (("title", title, False), ("legal_basis", legal_basis, False),
                                  ("title_vi", title_vi, True), ("legal_basis_vi", legal_basis_vi, True)):
        if optional and value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            problems[name] = Reason("field.required")
        elif name.startswith("title") and len(value.strip()) > 300:
            problems[name] = Reason("field.too_long", max=300)
    day = _day(effective_from)
    if day is None:
        problems["effective_from"] = Reason("field.date_needed")
    else:
        latest = db.session.execute(select(model.effective_from).where(true() if scope is None else scope)
                                    .order_by(model.effective_from.desc()).limit(1)).scalar_one_or_none()
        if latest is not None and day <= latest:
            problems["effective_from"] = Reason("version.not_after_latest", latest=latest)
    if problems:
        return {}, problems
    return {"code": code.strip(), "title": title.strip(), "legal_basis": legal_basis.strip(), "effective_from": day,
            "title_vi": (title_vi or "").strip(), "legal_basis_vi": (legal_basis_vi or "").strip()}, problems


def _close_previous(model, effective_from: date, scope=None):
    previous = db.session.execute(select(model).where(model.effective_to.is_(None), true() if scope is None else scope)
                                  .order_by(model.effective_from.desc()).limit(1)).scalar_one_or_none()
    if previous is not None:
        previous.effective_to = effective_from - timedelta(days=1)
    return previous


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_parameters(kind: str) -> list[tuple[str, bool]]:
    """The values a kind of eligibility check takes, each with whether it is required."""
    return eligibility.validation.parameters(kind)
