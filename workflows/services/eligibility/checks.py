"""The kinds of prerequisite a rule can name, each a small function of a nominee's record.

A rule set (data) picks the kinds and their parameters per award; these functions only know
how to check one kind. Each returns whether it is met (None: people must judge) and, in the
words of the finding, what it needed and what it found.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from workflows.errors import InvalidData
from workflows.models.registry import DISCIPLINE_LEVELS, GRADES, INITIATIVE_LEVELS
from workflows.services.eligibility.history import History


@dataclass(frozen=True)
class Result:
    """Whether a check is met and its evidence as data (``facts``, with the check's ``kind``), so
    that each reader can be told it in their own language; ``message`` says it in English."""

    met: bool | None
    facts: dict
    initiative_ids: tuple[int, ...] = ()

    @property
    def message(self) -> str:
        return describe(self.facts)


@dataclass(frozen=True)
class Context:
    """What a check may need beyond the record: the nomination and the unit's numbers."""

    nomination_id: int | None = None
    unit_code: str | None = None  # the nominating unit, for settings that differ per agency
    # (award code, year) -> how many of the unit's people hold or are nominated for it.
    unit_count: Callable[[str, int], int] = field(default=lambda award, year: 0)


class RuleError(InvalidData):
    """A rule's parameters do not make sense; raised when a rule set is loaded or edited."""


def _at_least(grade: str, minimum: str) -> bool:
    return grade in GRADES and GRADES.index(grade) <= GRADES.index(minimum)


def _window(year: int, years: int) -> list[int]:
    return list(range(year - years + 1, year + 1))


def assessment_at_least(h: History, year: int, ctx: Context, *, grade: str) -> Result:
    found = h.assessments.get(year)
    return Result(found is not None and _at_least(found, grade),
                  {"kind": "assessment_at_least", "grade": grade, "year": year, "found": found})


def recruited_before_year_end(h: History, year: int, ctx: Context, *, months: int) -> Result:
    # Working from the first of a month to 31 December counts that month in full: with 6 months,
    # someone recruited on 1 July qualifies and someone recruited on 2 July does not.
    latest = date(year, 13 - months, 1)
    recruited = h.recruited_on
    return Result(recruited is not None and recruited <= latest, {
        "kind": "recruited_before_year_end", "latest": latest.isoformat(),
        "recruited": recruited.isoformat() if recruited else None})


def award_in_year(h: History, year: int, ctx: Context, *, award: str) -> Result:
    held = year in h.award_years(award)
    return Result(held, {"kind": "award_in_year", "award": award, "year": year, "held": held})


def award_held_before(h: History, year: int, ctx: Context, *, award: str) -> Result:
    found = sorted(y for y in h.award_years(award) if y < year)
    return Result(bool(found), {"kind": "award_held_before", "award": award, "year": year, "found": found})


def consecutive_awards(h: History, year: int, ctx: Context, *, award: str, years: int) -> Result:
    window = _window(year, years)
    found = [y for y in window if y in h.award_years(award)]
    return Result(len(found) == years, {"kind": "consecutive_awards", "award": award, "years": window,
                                        "found": found})


def awards_in_window(h: History, year: int, ctx: Context, *, award: str, count: int, years: int) -> Result:
    window = _window(year, years)
    found = [y for y in window if y in h.award_years(award)]
    return Result(len(found) >= count, {"kind": "awards_in_window", "award": award, "count": count,
                                        "start": window[0], "year": year, "found": found})


def consecutive_assessments(h: History, year: int, ctx: Context, *, grade: str, years: int,
                            after_award: str | None = None) -> Result:
    window = _window(year, years)
    found = [y for y in window if _at_least(h.assessments.get(y, ""), grade)]
    facts = {"kind": "consecutive_assessments", "grade": grade, "years": window, "found": found}
    met = len(found) == years
    if after_award:
        earlier = sorted(y for y in h.award_years(after_award) if y < window[0])
        facts.update(after_award=after_award, earlier=earlier)
        met = met and bool(earlier)
    return Result(met, facts)


def grades_in_window(h: History, year: int, ctx: Context, *, grade: str, count: int, years: int) -> Result:
    window = _window(year, years)
    found = [y for y in window if _at_least(h.assessments.get(y, ""), grade)]
    return Result(len(found) >= count, {"kind": "grades_in_window", "grade": grade, "count": count,
                                        "start": window[0], "year": year, "found": found})


def unused_initiatives(h: History, year: int, ctx: Context, *, count: int, level: str, years: int) -> Result:
    """Initiatives recognised at `level` or wider within the window and not yet the grounds of an award."""
    rank = INITIATIVE_LEVELS.index(level)
    window = _window(year, years)
    eligible = [i for i in h.initiatives if INITIATIVE_LEVELS.index(i.level) >= rank and i.year in window]
    unused = sorted((i for i in eligible if i.used_by_nomination_id in (None, ctx.nomination_id)),
                    key=lambda i: (i.year, i.id))
    met = len(unused) >= count
    return Result(met, {"kind": "unused_initiatives", "count": count, "level": level, "start": window[0],
                        "year": year, "unused": len(unused), "used": len(eligible) - len(unused)},
                  tuple(i.id for i in unused[:count]) if met else ())


def members_with_award(h: History, year: int, ctx: Context, *, award: str, share: float) -> Result:
    members = len(h.members)
    holding = sum(1 for m in h.members if year in m.award_years(award))
    # Whole people: 70 % of 10 members is 7; compare in integers to avoid float noise.
    met = members > 0 and holding * 1000 >= round(share * 1000) * members
    return Result(met, {"kind": "members_with_award", "award": award, "share": round(share * 100),
                        "year": year, "holding": holding, "members": members})


def member_with_award(h: History, year: int, ctx: Context, *, award: str) -> Result:
    holding = sum(1 for m in h.members if year in m.award_years(award))
    return Result(holding > 0, {"kind": "member_with_award", "award": award, "year": year, "holding": holding})


def no_member_discipline(h: History, year: int, ctx: Context, *, at_least: str) -> Result:
    rank = DISCIPLINE_LEVELS.index(at_least)
    found = sorted(level for m in h.members for y, level in m.discipline
                   if y == year and DISCIPLINE_LEVELS.index(level) >= rank)
    return Result(not found, {"kind": "no_member_discipline", "at_least": at_least, "year": year,
                              "found": found})


def no_open_hold(h: History, year: int, ctx: Context) -> Result:
    kinds = sorted({kind for kind, _ in h.open_holds})
    return Result(not kinds, {"kind": "no_open_hold", "holds": kinds})


def quota(h: History, year: int, ctx: Context, *, of_award: str, max_share: float, award: str = "",
          units: list[str] | None = None) -> Result:
    """At most a share of the unit's holders of another award; ``units`` limits it to some agencies."""
    if units and ctx.unit_code not in units:
        return Result(True, {"kind": "quota", "award": award, "applies": False})
    base = ctx.unit_count(of_award, year)
    taken = ctx.unit_count(award, year)
    allowed = int(max_share * base + 1e-9)
    return Result(taken <= allowed, {"kind": "quota", "award": award, "applies": True, "of_award": of_award,
                                     "share": round(max_share * 100), "base": base, "allowed": allowed,
                                     "taken": taken})


def confirmed_by_people(h: History, year: int, ctx: Context, *, what: str, what_vi: str = "") -> Result:
    """Left to the secretariat and the council; ``what_vi`` says it for Vietnamese readers."""
    facts = {"kind": "confirmed_by_people", "what": what}
    if what_vi:
        facts["what_vi"] = what_vi
    return Result(None, facts)


def any_of(h: History, year: int, ctx: Context, *, checks: list[dict]) -> Result:
    results = [run(c, h, year, ctx) for c in checks]
    chosen = next((r for r in results if r.met), None)
    return Result(chosen is not None, {"kind": "any_of", "parts": [r.facts for r in results]},
                  chosen.initiative_ids if chosen else ())


def all_of(h: History, year: int, ctx: Context, *, checks: list[dict]) -> Result:
    results = [run(c, h, year, ctx) for c in checks]
    met = all(r.met for r in results)
    return Result(met, {"kind": "all_of", "parts": [r.facts for r in results]},
                  tuple(i for r in results for i in r.initiative_ids) if met else ())


def _list(values) -> str:
    return ", ".join(str(v) for v in values) if values else "none"


# What a finding says, in English, from its facts; webapp/vocabulary/findings.py words it for every reader.
_ENGLISH = {
    "assessment_at_least": lambda f: f"needs {f['grade']} or better in {f['year']}; "
                                     f"found {f['found'] or 'no assessment'}",
    "recruited_before_year_end": lambda f: f"needs recruitment on or before {f['latest']}; " + (
        f"recruited {f['recruited']}" if f["recruited"] else "no recruitment date"),
    "award_in_year": lambda f: f"needs {f['award']} in {f['year']}; " + ("found" if f["held"] else "not found"),
    "award_held_before": lambda f: f"needs {f['award']} before {f['year']}; found {_list(f['found'])}",
    "consecutive_awards": lambda f: f"needs {f['award']} in {_list(f['years'])}; found {_list(f['found'])}",
    "awards_in_window": lambda f: f"needs {f['award']} at least {f['count']} times in {f['start']}–{f['year']}; "
                                  f"found {_list(f['found'])}",
    "consecutive_assessments": lambda f: f"needs {f['grade']} or better in {_list(f['years'])}; "
                                         f"found {_list(f['found'])}" + (
        f"; after {f['after_award']} (held {_list(f['earlier'])} before {f['years'][0]})"
        if f.get("after_award") else ""),
    "grades_in_window": lambda f: f"needs {f['grade']} at least {f['count']} times in {f['start']}–{f['year']}; "
                                  f"found {_list(f['found'])}",
    "unused_initiatives": lambda f: f"needs {f['count']} unused initiative(s) recognised at {f['level']} level or "
                                    f"wider in {f['start']}–{f['year']}; found {f['unused']} unused" + (
        f", {f['used']} already used" if f["used"] else ""),
    "members_with_award": lambda f: f"needs at least {f['share']}% of members with {f['award']} in {f['year']}; "
                                    f"found {f['holding']} of {f['members']} (" + (
        f"{f['holding'] * 100 / f['members']:.0f} %" if f["members"] else "no members") + ")",
    "member_with_award": lambda f: f"needs a member with {f['award']} in {f['year']}; found {f['holding']}",
    "no_member_discipline": lambda f: f"needs no member disciplined at '{f['at_least']}' or above in {f['year']}; "
                                      f"found {len(f['found'])}" + (
        f" ({', '.join(f['found'])})" if f["found"] else ""),
    "no_open_hold": lambda f: "no disciplinary review, inspection or complaint pending" if not f["holds"] else
    f"on hold: {', '.join(f['holds'])} pending; the nomination cannot go to the vote until it is lifted",
    "quota": lambda f: f"no quota for {f['award'] or 'this award'} applies to this unit" if not f["applies"] else
    f"at most {f['share']}% of the unit's {f['of_award']} ({f['base']}) may hold {f['award'] or 'this award'}: "
    f"{f['allowed']} allowed; {f['taken']} nominated or held",
    "confirmed_by_people": lambda f: f"to be judged by the secretariat and the council: {f['what']}",
    "any_of": lambda f: " OR ".join(describe(part) for part in f["parts"]),
    "all_of": lambda f: " AND ".join(describe(part) for part in f["parts"]),
}


def describe(facts: dict) -> str:
    return _ENGLISH[facts["kind"]](facts)


KINDS: dict[str, Callable[..., Result]] = {f.__name__: f for f in (
    assessment_at_least, recruited_before_year_end, award_in_year, award_held_before, consecutive_awards,
    awards_in_window, consecutive_assessments, grades_in_window, unused_initiatives, members_with_award,
    member_with_award, no_member_discipline, no_open_hold, quota, confirmed_by_people, any_of, all_of,
)}
# Kinds whose subject must be a collective (they read the members' records).
COLLECTIVE_KINDS = frozenset({"members_with_award", "member_with_award", "no_member_discipline"})


def run(check: dict, h: History, year: int, ctx: Context) -> Result:
    return KINDS[check["kind"]](h, year, ctx, **check.get("params", {}))
