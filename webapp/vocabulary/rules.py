"""The rules themselves in the reader's language: what each eligibility rule asks, and what each
article of the council's regulation asks of a vote.

``findings`` words what a check *found* for one nominee; this module words what a rule *asks*
of everyone ("assessed “completed tasks well” (HTTNV) or better that year"), from the rule's
data (``workflows/services/eligibility/checks.py`` kinds). Awards and units are named in the reader's
language; shares are percentages in the reader's locale.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_percent, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .citations import in_language
from .process import award_name, unit_name

KIND_LABELS = {
    "assessment_at_least": _l("Annual assessment at a grade or better"),
    "recruited_before_year_end": _l("Months in service during the year"),
    "award_in_year": _l("Award held the same year"),
    "award_held_before": _l("Award held in an earlier year"),
    "consecutive_awards": _l("Award held several years in a row"),
    "awards_in_window": _l("Award held a number of times in a period"),
    "consecutive_assessments": _l("Assessments several years in a row"),
    "grades_in_window": _l("Assessments a number of times in a period"),
    "unused_initiatives": _l("Initiatives not yet used for an award"),
    "members_with_award": _l("Share of the members holding an award"),
    "member_with_award": _l("A member holding an award"),
    "no_member_discipline": _l("No member disciplined"),
    "no_open_hold": _l("No review, inspection or complaint pending"),
    "quota": _l("Quota within the unit"),
    "confirmed_by_people": _l("For people to judge"),
    "any_of": _l("One of several conditions"),
    "all_of": _l("All of several conditions"),
}
# The values of a rule, as the fields of the form that edits it are labelled.
PARAMETER_LABELS = {
    "grade": _l("Grade, or better"), "at_least": _l("Disciplinary measure, or heavier"),
    "level": _l("Initiatives recognised at, or wider"), "award": _l("Award"),
    "of_award": _l("Share of the holders of"), "after_award": _l("Only after being awarded"),
    "months": _l("Months in service, at least"), "years": _l("Years"), "count": _l("How many, at least"),
    "share": _l("Share of the members"), "max_share": _l("At most"),
    "units": _l("Only in these units (none chosen: in every unit)"),
    "what": _l("What people judge, in English"), "what_vi": _l("What people judge, in Vietnamese"),
}
GRADE_NAMES = {
    "HTXSNV": _l("completed tasks excellently"), "HTTNV": _l("completed tasks well"),
    "HTNV": _l("completed tasks"), "KHTNV": _l("did not complete tasks"),
}
INITIATIVE_SCOPES = {"grassroots": _l("grassroots level"), "agency": _l("agency level"),
                     "national": _l("national level")}
DISCIPLINE_NAMES = {"reprimand": _l("reprimand"), "warning": _l("warning"), "removal": _l("removal from post"),
                    "dismissal": _l("dismissal")}
# The articles the shipped decision table (bpmn/vote_rules.dmn) names.
ARTICLE_NAMES = {
    "emulation_fighter": _l("Agency-level and national emulation-fighter titles"),
    "state": _l("State awards"), "agency": _l("Agency-level awards"), "grassroots": _l("Grassroots awards"),
}
BASE_NAMES = {"members": _l("all members entitled to vote"), "voters": _l("the members who voted")}
ROUNDING_NAMES = {"up": _l("round up"), "nearest": _l("round to the nearest")}
ROUNDING_SENTENCES = {"up": _l("shares of the members are rounded up to whole ballots"),
                      "nearest": _l("shares of the members are rounded to the nearest whole ballot")}


@dataclass(frozen=True)
class Worded:
    """A rule in words: a sentence, and for a group the sentences of its checks."""

    text: str
    parts: tuple["Worded", ...] = ()


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def grade_name(grade: str) -> str:
    name = GRADE_NAMES.get(grade)
    return _("“%(name)s” (%(code)s)", name=name, code=grade) if name else str(grade)


def article_name(article: str) -> str:
    return str(ARTICLE_NAMES.get(article, article))


def share(value) -> str:
    """A share in the reader's words: two thirds, or a percentage in the reader's locale."""
    if not isinstance(value, (int, float)):
        return str(value)
    if abs(value - 2 / 3) < 1e-6:
        return _("two thirds")
    return format_percent(value, "#,##0.##%")


def check_sentence(check: dict, awards: dict, units: dict | None = None) -> Worded:
    """What one check asks; ``awards`` and ``units`` map codes to the records that name them."""
    kind, params = check.get("kind"), dict(check.get("params") or {})
    if kind in ("any_of", "all_of"):
        parts = tuple(check_sentence(c, awards, units) for c in params.get("checks") or [] if isinstance(c, dict))
        return Worded(capital(_("one of:") if kind == "any_of" else _("all of:")), parts)
    return Worded(capital(_plain(kind, params, _Names(awards, units or {}))))


def rule_award(code: str, awards: dict) -> str:
    """The award a rule is for, in the reader's language; "*" is every award."""
    return _("Every award") if code == "*" else _Names(awards, {}).award(code)


def vote_rule_sentence(quorum, threshold, base: str) -> str:
    """An article of the regulation: how many must take part, and how many must vote yes, of whom."""
    return _("quorum: %(quorum)s of the members entitled to vote; passes with %(threshold)s of %(base)s voting yes",
             quorum=share(quorum), threshold=share(threshold), base=str(BASE_NAMES.get(base, base)))


def what_to_judge(params: dict) -> str:
    return in_language(params.get("what", ""), params.get("what_vi", ""))


class _Names:
    def __init__(self, awards: dict, units: dict):
        self.awards, self.units = awards, units

    def award(self, code) -> str:
        award = self.awards.get(code)
        return award_name(award) if award is not None else str(code)

    def unit(self, code) -> str:
        unit = self.units.get(code)
        return unit_name(unit) if unit is not None else str(code)


def _number(value) -> int:
    """A count of a published rule (always a whole number: the domain refuses anything else)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _period(years) -> str:
    return _("that year") if years == 1 else _("in the last %(years)s years", years=years)


def _plain(kind: str, p: dict, names: _Names) -> str:
    if kind == "assessment_at_least":
        return _("assessed %(grade)s or better that year", grade=grade_name(p.get("grade")))
    if kind == "recruited_before_year_end":
        months = p.get("months")
        latest = format_date(date(2001, 13 - months, 1), "d MMMM") if isinstance(months, int) and \
            1 <= months <= 12 else "?"
        return _("in service at least %(months)s months of the year: recruited on or before %(day)s",
                 months=months, day=latest)
    if kind == "award_in_year":
        return _("holds %(award)s that year", award=names.award(p.get("award")))
    if kind == "award_held_before":
        return _("was awarded %(award)s in an earlier year", award=names.award(p.get("award")))
    if kind == "consecutive_awards":
        return _("holds %(award)s %(years)s years in a row, up to that year", award=names.award(p.get("award")),
                 years=p.get("years"))
    if kind == "awards_in_window":
        return ngettext("holds %(award)s at least %(num)s time %(period)s",
                        "holds %(award)s at least %(num)s times %(period)s", _number(p.get("count")),
                        award=names.award(p.get("award")), period=_period(p.get("years")))
    if kind == "consecutive_assessments":
        if p.get("after_award"):
            return _("assessed %(grade)s or better %(years)s years in a row, all after being awarded %(award)s",
                     grade=grade_name(p.get("grade")), years=p.get("years"), award=names.award(p["after_award"]))
        return _("assessed %(grade)s or better %(years)s years in a row", grade=grade_name(p.get("grade")),
                 years=p.get("years"))
    if kind == "grades_in_window":
        return ngettext("assessed %(grade)s or better at least %(num)s time %(period)s",
                        "assessed %(grade)s or better at least %(num)s times %(period)s", _number(p.get("count")),
                        grade=grade_name(p.get("grade")), period=_period(p.get("years")))
    if kind == "unused_initiatives":
        return ngettext("at least %(num)s initiative recognised at %(level)s or wider %(period)s, not yet the "
                        "grounds of another award",
                        "at least %(num)s initiatives recognised at %(level)s or wider %(period)s, not yet the "
                        "grounds of another award", _number(p.get("count")), period=_period(p.get("years")),
                        level=str(INITIATIVE_SCOPES.get(p.get("level"), p.get("level"))))
    if kind == "members_with_award":
        return _("at least %(share)s of its members hold %(award)s that year", share=share(p.get("share")),
                 award=names.award(p.get("award")))
    if kind == "member_with_award":
        return _("at least one of its members holds %(award)s that year", award=names.award(p.get("award")))
    if kind == "no_member_discipline":
        return _("none of its members disciplined with %(level)s or heavier that year",
                 level=str(DISCIPLINE_NAMES.get(p.get("at_least"), p.get("at_least"))))
    if kind == "no_open_hold":
        return _("no disciplinary review, inspection or complaint pending")
    if kind == "quota":
        said = _("at most %(share)s of the unit's holders of %(award)s may be given it",
                 share=share(p.get("max_share")), award=names.award(p.get("of_award")))
        if p.get("units"):
            said += _(" (only in %(units)s)", units=", ".join(names.unit(code) for code in p["units"]))
        return said
    if kind == "confirmed_by_people":
        return _("to be judged by the secretariat and the council: %(what)s", what=what_to_judge(p))
    return kind_label(str(kind))


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
