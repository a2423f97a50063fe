"""The kinds of prerequisite a rule can name, each a small function of a nominee's record.

A rule set (data) picks the kinds and their parameters per award; these functions only know
how to check one kind. Each returns whether it is met (None: people must judge) and, in the
words of the finding, what it needed and what it found.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from ..models.registry import DISCIPLINE_LEVELS, GRADES, INITIATIVE_LEVELS
from .history import History


@dataclass(frozen=True)
class Result:
    met: bool | None
    message: str
    initiative_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a check may need beyond the record: the nomination and the unit's numbers."""

    nomination_id: int | None = None
    unit_code: str | None = None  # the nominating unit, for settings that differ per agency
    # (award code, year) -> how many of the unit's people hold or are nominated for it.
    unit_count: Callable[[str, int], int] = field(default=lambda award, year: 0)


class RuleError(ValueError):
    """A rule's parameters do not make sense; raised when a rule set is loaded or edited."""


def _years(years) -> str:
    return ", ".join(str(y) for y in sorted(years)) if years else "none"


def _at_least(grade: str, minimum: str) -> bool:
    return grade in GRADES and GRADES.index(grade) <= GRADES.index(minimum)


def assessment_at_least(h: History, year: int, ctx: Context, *, grade: str) -> Result:
    found = h.assessments.get(year)
    return Result(found is not None and _at_least(found, grade),
                  f"needs {grade} or better in {year}; found {found or 'no assessment'}")


def recruited_before_year_end(h: History, year: int, ctx: Context, *, months: int) -> Result:
    # Working from the first of a month to 31 December counts that month in full: with 6 months,
    # someone recruited on 1 July qualifies and someone recruited on 2 July does not.
    latest = date(year, 13 - months, 1)
    if h.recruited_on is None:
        return Result(False, f"needs recruitment on or before {latest.isoformat()}; no recruitment date")
    return Result(h.recruited_on <= latest, f"needs recruitment on or before {latest.isoformat()}; "
                                            f"recruited {h.recruited_on.isoformat()}")


def award_in_year(h: History, year: int, ctx: Context, *, award: str) -> Result:
    held = year in h.award_years(award)
    return Result(held, f"needs {award} in {year}; " + ("found" if held else "not found"))


def award_held_before(h: History, year: int, ctx: Context, *, award: str) -> Result:
    found = sorted(y for y in h.award_years(award) if y < year)
    return Result(bool(found), f"needs {award} before {year}; found {_years(found)}")


def consecutive_awards(h: History, year: int, ctx: Context, *, award: str, years: int) -> Result:
    window = range(year - years + 1, year + 1)
    found = [y for y in window if y in h.award_years(award)]
    return Result(len(found) == years, f"needs {award} in {_years(window)}; found {_years(found)}")


def awards_in_window(h: History, year: int, ctx: Context, *, award: str, count: int, years: int) -> Result:
    window = range(year - years + 1, year + 1)
    found = [y for y in window if y in h.award_years(award)]
    return Result(len(found) >= count, f"needs {award} at least {count} times in {window[0]}–{year}; "
                                       f"found {_years(found)}")


def consecutive_assessments(h: History, year: int, ctx: Context, *, grade: str, years: int,
                            after_award: str | None = None) -> Result:
    window = range(year - years + 1, year + 1)
    found = [y for y in window if _at_least(h.assessments.get(y, ""), grade)]
    met = len(found) == years
    message = f"needs {grade} or better in {_years(window)}; found {_years(found)}"
    if after_award:
        earlier = [y for y in h.award_years(after_award) if y < window[0]]
        met = met and bool(earlier)
        message += f"; after {after_award} (held {_years(earlier)} before {window[0]})"
    return Result(met, message)


def grades_in_window(h: History, year: int, ctx: Context, *, grade: str, count: int, years: int) -> Result:
    window = range(year - years + 1, year + 1)
    found = [y for y in window if _at_least(h.assessments.get(y, ""), grade)]
    return Result(len(found) >= count, f"needs {grade} at least {count} times in {window[0]}–{year}; "
                                       f"found {_years(found)}")


def unused_initiatives(h: History, year: int, ctx: Context, *, count: int, level: str, years: int) -> Result:
    """Initiatives recognised at `level` or wider within the window and not yet the grounds of an award."""
    rank = INITIATIVE_LEVELS.index(level)
    window = range(year - years + 1, year + 1)
    eligible = [i for i in h.initiatives
                if INITIATIVE_LEVELS.index(i.level) >= rank and i.year in window]
    unused = sorted((i for i in eligible if i.used_by_nomination_id in (None, ctx.nomination_id)),
                    key=lambda i: (i.year, i.id))
    used = len(eligible) - len(unused)
    chosen = tuple(i.id for i in unused[:count])
    message = f"needs {count} unused initiative(s) recognised at {level} level or wider in " \
              f"{window[0]}–{year}; found {len(unused)} unused" + (f", {used} already used" if used else "")
    return Result(len(unused) >= count, message, chosen if len(unused) >= count else ())


def members_with_award(h: History, year: int, ctx: Context, *, award: str, share: float) -> Result:
    members = len(h.members)
    holding = sum(1 for m in h.members if year in m.award_years(award))
    # Whole people: 70 % of 10 members is 7; compare in integers to avoid float noise.
    met = members > 0 and holding * 1000 >= round(share * 1000) * members
    percent = f"{holding * 100 / members:.0f} %" if members else "no members"
    return Result(met, f"needs at least {share:.0%} of members with {award} in {year}; "
                       f"found {holding} of {members} ({percent})")


def member_with_award(h: History, year: int, ctx: Context, *, award: str) -> Result:
    holding = sum(1 for m in h.members if year in m.award_years(award))
    return Result(holding > 0, f"needs a member with {award} in {year}; found {holding}")


def no_member_discipline(h: History, year: int, ctx: Context, *, at_least: str) -> Result:
    rank = DISCIPLINE_LEVELS.index(at_least)
    found = [level for m in h.members for y, level in m.discipline
             if y == year and DISCIPLINE_LEVELS.index(level) >= rank]
    return Result(not found, f"needs no member disciplined at '{at_least}' or above in {year}; "
                             f"found {len(found)}" + (f" ({', '.join(sorted(found))})" if found else ""))


def no_open_hold(h: History, year: int, ctx: Context) -> Result:
    if not h.open_holds:
        return Result(True, "no disciplinary review, inspection or complaint pending")
    kinds = ", ".join(sorted({kind for kind, _ in h.open_holds}))
    return Result(False, f"on hold: {kinds} pending; the nomination cannot go to the vote until it is lifted")


def quota(h: History, year: int, ctx: Context, *, of_award: str, max_share: float, award: str = "",
          units: list[str] | None = None) -> Result:
    """At most a share of the unit's holders of another award; ``units`` limits it to some agencies."""
    if units and ctx.unit_code not in units:
        return Result(True, f"no quota for {award or 'this award'} applies to this unit")
    base = ctx.unit_count(of_award, year)
    taken = ctx.unit_count(award, year)
    allowed = int(max_share * base + 1e-9)
    return Result(taken <= allowed, f"at most {max_share:.0%} of the unit's {of_award} ({base}) may hold "
                                    f"{award or 'this award'}: {allowed} allowed; {taken} nominated or held")


def confirmed_by_people(h: History, year: int, ctx: Context, *, what: str) -> Result:
    return Result(None, f"to be judged by the secretariat and the council: {what}")


def any_of(h: History, year: int, ctx: Context, *, checks: list[dict]) -> Result:
    results = [run(c, h, year, ctx) for c in checks]
    chosen = next((r for r in results if r.met), None)
    message = " OR ".join(r.message for r in results)
    return Result(chosen is not None, message, chosen.initiative_ids if chosen else ())


def all_of(h: History, year: int, ctx: Context, *, checks: list[dict]) -> Result:
    results = [run(c, h, year, ctx) for c in checks]
    met = all(r.met for r in results)
    ids = tuple(i for r in results for i in r.initiative_ids) if met else ()
    return Result(met, " AND ".join(r.message for r in results), ids)


KINDS: dict[str, Callable[..., Result]] = {f.__name__: f for f in (
    assessment_at_least, recruited_before_year_end, award_in_year, award_held_before, consecutive_awards,
    awards_in_window, consecutive_assessments, grades_in_window, unused_initiatives, members_with_award,
    member_with_award, no_member_discipline, no_open_hold, quota, confirmed_by_people, any_of, all_of,
)}
# Kinds whose subject must be a collective (they read the members' records).
COLLECTIVE_KINDS = frozenset({"members_with_award", "member_with_award", "no_member_discipline"})


def run(check: dict, h: History, year: int, ctx: Context) -> Result:
    return KINDS[check["kind"]](h, year, ctx, **check.get("params", {}))


def validate(check: dict) -> None:
    """Refuse a rule that could not run: an unknown kind or parameters the kind does not take."""
    import inspect

    kind = check.get("kind")
    if kind not in KINDS:
        raise RuleError(f"unknown kind of rule {kind!r}; known: {', '.join(sorted(KINDS))}")
    params = check.get("params", {})
    signature = inspect.signature(KINDS[kind])
    accepted = {name for name, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY}
    required = {name for name in accepted if signature.parameters[name].default is inspect.Parameter.empty}
    if unknown := set(params) - accepted:
        raise RuleError(f"rule {kind}: unknown parameter(s) {', '.join(sorted(unknown))}")
    if missing := required - set(params):
        raise RuleError(f"rule {kind}: missing parameter(s) {', '.join(sorted(missing))}")
    if kind == "recruited_before_year_end" and not 1 <= int(params["months"]) <= 12:
        raise RuleError("rule recruited_before_year_end: months must be between 1 and 12")
    for name, vocabulary in (("grade", GRADES), ("level", INITIATIVE_LEVELS), ("at_least", DISCIPLINE_LEVELS)):
        if name in params and params[name] not in vocabulary:
            raise RuleError(f"rule {kind}: {name} must be one of {', '.join(vocabulary)}")
    for nested in params.get("checks", []) if kind in ("any_of", "all_of") else []:
        validate(nested)
