"""Publishing new versions of the rules: eligibility rule sets, the council's regulation, its seats.

A version is never edited once published: the law changes by new texts with a date of effect,
and so do the rules here. Publishing a version ends the one before it the day before the new
one takes effect; nominations made under the old rules keep them, votes opened under the old
regulation are counted by it.
"""

from datetime import date, timedelta

from sqlalchemy import select

from . import audit, council, eligibility
from .administration import require_admin
from .db import db
from .errors import Conflict, InvalidData, NotAllowed, NotFound, Reason
from .models import AwardType, CouncilRegulation, CouncilSeat, EligibilityRule, RuleSet, User, VoteRule
from .models.rules import COUNCIL_POSITIONS
from .transactions import use_case

MAX_RULES = 500
# Everyone who applies the rules may read them; only administrators publish.
READERS = ("admin", "secretariat", "reviewer", "council_member", "council_chair", "auditor", "unit_clerk",
           "unit_head")


def _require_reader(actor) -> None:
    if actor is None or not actor.active or not actor.has_role(*READERS):
        raise NotAllowed("rules.not_readable")


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
def publish_rule_set(actor, *, code, title, legal_basis, effective_from, rules) -> RuleSet:
    """Publish a rule set taking effect on ``effective_from``; the one in force before ends the day before."""
    require_admin(actor)
    header = _checked_header(RuleSet, code, title, legal_basis, effective_from)
    rows = _checked_rules(rules)
    previous = _close_previous(RuleSet, header["effective_from"])
    published = RuleSet(**header, rules=rows)
    db.session.add(published)
    db.session.flush()
    audit.record("rule_set_published", actor=actor, details={
        "code": published.code, "effective_from": published.effective_from.isoformat(),
        "replaces": previous.code if previous else None, "rules": len(rows)})
    db.session.commit()
    return published


def _checked_rules(rules) -> list[EligibilityRule]:
    if not isinstance(rules, list) or not rules or len(rules) > MAX_RULES:
        raise InvalidData("rule_set.rules_needed", fields={"rules": Reason("rule_set.rules_needed", max=MAX_RULES)},
                          max=MAX_RULES)
    awards = set(db.session.execute(select(AwardType.code)).scalars()) | {"*"}
    rows, problems = [], {}
    for position, rule in enumerate(rules):
        where = f"rules[{position}]"
        if not isinstance(rule, dict):
            problems[where] = Reason("rule.not_an_object")
            continue
        award, kind, params, basis = rule.get("award"), rule.get("kind"), rule.get("params", {}), rule.get("basis")
        if award not in awards:
            problems[f"{where}.award"] = Reason("rule.unknown_award", award=str(award))
        if not isinstance(basis, str) or not basis.strip():
            problems[f"{where}.basis"] = Reason("rule.basis_needed")
        try:
            if not isinstance(params, dict):
                raise eligibility.RuleError("rule.params_not_an_object")
            eligibility.validate({"kind": kind, "params": params})
        except eligibility.RuleError as exc:
            problems[f"{where}.kind"] = exc.reason
        except (TypeError, ValueError):
            problems[f"{where}.kind"] = Reason("rule.bad_params", kind=str(kind))
        if not problems:
            rows.append(EligibilityRule(award_code=award, position=position, kind=kind, params=params,
                                        legal_basis=basis.strip()))
    if problems:
        raise InvalidData("rule_set.cannot_publish", fields=problems)
    return rows


# -- the council's regulation --------------------------------------------------------------------

def regulations(actor) -> list[CouncilRegulation]:
    _require_reader(actor)
    return list(db.session.execute(
        select(CouncilRegulation).order_by(CouncilRegulation.effective_from.desc())).scalars())


@use_case
def publish_regulation(actor, *, code, title, legal_basis, effective_from, rounding, articles) -> CouncilRegulation:
    """Publish a version of the regulation; votes opened before it takes effect keep the old one."""
    require_admin(actor)
    header = _checked_header(CouncilRegulation, code, title, legal_basis, effective_from)
    council.check_rounding(rounding)
    if not isinstance(articles, list) or not articles:
        raise InvalidData("regulation.articles_needed", fields={"articles": Reason("regulation.articles_needed")})
    rows, seen = [], set()
    for position, article in enumerate(articles):
        if not isinstance(article, dict):
            raise InvalidData("regulation.article_not_an_object",
                              fields={f"articles[{position}]": Reason("field.object_needed")})
        try:
            values = {"article": str(article["article"]), "quorum": float(article["quorum"]),
                      "threshold": float(article["threshold"]), "base": article["base"]}
        except (KeyError, TypeError, ValueError):
            raise InvalidData("regulation.article_incomplete",
                              fields={f"articles[{position}]": Reason("regulation.article_incomplete")}) from None
        council.check_rule(**values)
        if values["article"] in seen:
            raise InvalidData("regulation.article_twice", article=values["article"],
                              fields={f"articles[{position}].article": Reason("field.given_twice")})
        seen.add(values["article"])
        rows.append(VoteRule(position=position, legal_basis=str(article.get("legal_basis", "")), **values))
    previous = _close_previous(CouncilRegulation, header["effective_from"])
    published = CouncilRegulation(**header, rounding=rounding, rules=rows)
    db.session.add(published)
    db.session.flush()
    audit.record("regulation_published", actor=actor, details={
        "code": published.code, "effective_from": published.effective_from.isoformat(),
        "replaces": previous.code if previous else None, "articles": sorted(seen)})
    db.session.commit()
    return published


# -- council seats -------------------------------------------------------------------------------

def seats(actor) -> list[tuple[User, str]]:
    _require_reader(actor)
    rows = db.session.execute(select(User, CouncilSeat.position).join(CouncilSeat, CouncilSeat.user_id == User.id))
    return sorted(((user, position) for user, position in rows),
                  key=lambda seat: (COUNCIL_POSITIONS.index(seat[1]), seat[0].full_name))


@use_case
def set_seat(actor, username: str, position: str | None) -> None:
    """Seat a user on the council in a position, or (position None) take the seat away."""
    require_admin(actor)
    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise NotFound("user.not_found", username=username)
    if position is not None and position not in COUNCIL_POSITIONS:
        raise InvalidData("council.unknown_position", position=str(position),
                          fields={"position": Reason("field.choose_one", choices=list(COUNCIL_POSITIONS))})
    seat = db.session.get(CouncilSeat, user.id)
    if position is None:
        if seat is not None:
            db.session.delete(seat)
    elif seat is None:
        db.session.add(CouncilSeat(user_id=user.id, position=position))
    else:
        seat.position = position
    audit.record("council_seat_changed", actor=actor, details={"user": username, "position": position})
    db.session.commit()


# -- shared --------------------------------------------------------------------------------------

def _checked_header(model, code, title, legal_basis, effective_from) -> dict:
    problems = {}
    if not isinstance(code, str) or not 1 <= len(code.strip()) <= 64:
        problems["code"] = Reason("version.bad_code", max=64)
    elif db.session.execute(select(model.id).where(model.code == code.strip())).first():
        raise Conflict("version.exists", code=code.strip())
    if not isinstance(title, str) or not title.strip():
        problems["title"] = Reason("field.required")
    if not isinstance(legal_basis, str) or not legal_basis.strip():
        problems["legal_basis"] = Reason("field.required")
    day = _day(effective_from)
    if day is None:
        problems["effective_from"] = Reason("field.date_needed")
    else:
        latest = db.session.execute(select(model.effective_from).order_by(model.effective_from.desc())
                                    .limit(1)).scalar_one_or_none()
        if latest is not None and day <= latest:
            problems["effective_from"] = Reason("version.not_after_latest", latest=latest)
    if problems:
        raise InvalidData("version.cannot_publish", fields=problems)
    return {"code": code.strip(), "title": title.strip(), "legal_basis": legal_basis.strip(), "effective_from": day}


def _close_previous(model, effective_from: date):
    previous = db.session.execute(select(model).where(model.effective_to.is_(None))
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
