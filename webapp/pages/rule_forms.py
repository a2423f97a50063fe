"""What the rules pages show: each version's rules as sentences, and the choices the publishing
forms offer (kinds of check, awards, grades, levels, units, articles), all in the reader's words."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from workflows.services.eligibility import KINDS
from workflows.services.eligibility.validation import CHOICES, GROUPS, IMPLIED, PARAMETERS
from workflows.usecases import rulebook

from ..vocabulary import rules as words
from ..vocabulary.citations import legal_basis, version_title
from ..vocabulary.process import award_name, unit_name

# The order of a row's value fields, from the most asked for.
PARAMETER_ORDER = ("grade", "at_least", "level", "award", "of_award", "after_award", "months", "count", "years",
                   "share", "max_share", "units", "what", "what_vi")


@dataclass(frozen=True)
class RuleLine:
    award: str
    worded: words.Worded
    basis: str


@dataclass(frozen=True)
class Version:
    """A rule set or a regulation as its readers see it."""

    code: str
    title: str
    legal_basis: str
    effective_from: date
    effective_to: date | None
    lines: list
    rounding: str = ""
    # A regulation's: the awards decided without a vote in a round, and whether written ballots count.
    without_vote: tuple[str, ...] = ()
    written_ballots: bool = True


@dataclass(frozen=True)
class ArticleLine:
    name: str
    sentence: str
    basis: str


@dataclass(frozen=True)
class Parameter:
    """A value field of a rule's row, shown for the kinds of check that take it."""

    name: str
    sort: str
    kinds: tuple[str, ...]
    label: str


def rule_set_view(rule_set, names) -> Version:
    lines = [RuleLine(words.rule_award(rule.award_code, names.awards),
                      words.check_sentence({"kind": rule.kind, "params": rule.params}, names.awards, names.units),
                      legal_basis(rule)) for rule in rule_set.rules]
    return Version(rule_set.code, version_title(rule_set), legal_basis(rule_set), rule_set.effective_from,
                   rule_set.effective_to, lines)


def regulation_view(regulation, names) -> Version:
    lines = [ArticleLine(words.article_name(rule.article),
                         words.capital(words.vote_rule_sentence(rule.quorum, rule.threshold, rule.base)),
                         legal_basis(rule))
             for rule in regulation.rules]
    awards = names.awards
    return Version(regulation.code, version_title(regulation), legal_basis(regulation), regulation.effective_from,
                   regulation.effective_to, lines, str(words.ROUNDING_SENTENCES.get(regulation.rounding,
                                                                                   regulation.rounding)),
                   tuple(award_name(awards[code]) if code in awards else code for code in regulation.without_vote),
                   regulation.written_ballots)


def parameter_fields() -> list[Parameter]:
    kinds_of: dict[str, list[str]] = {}
    for kind in KINDS:
        for name, _required in rulebook.check_parameters(kind):
            if name != "checks" and (kind, name) not in IMPLIED:
                kinds_of.setdefault(name, []).append(kind)
    return [Parameter(name, PARAMETERS[name], tuple(kinds_of[name]), str(words.PARAMETER_LABELS[name]))
            for name in PARAMETER_ORDER if name in kinds_of]


def rule_choices(names) -> dict:
    """The options of the rule set's form; "" is the empty choice of a row not filled in yet."""
    awards = [(code, f"{award_name(award)} ({code})") for code, award in names.awards.items()]
    kinds = [("", _("Choose the kind of check"))] + [(kind, words.kind_label(kind)) for kind in KINDS]
    return {
        "kinds": kinds, "plain_kinds": [(kind, label) for kind, label in kinds if kind not in GROUPS],
        "for": [("*", _("Every award"))] + awards,
        "award": [("", _("Choose an award"))] + awards,
        "after_award": [("", _("No earlier award needed"))] + awards,
        "grade": [("", _("Choose a grade"))] + [(g, words.grade_name(g)) for g in CHOICES["grade"]],
        "initiative_level": [("", _("Choose a level"))] + [(level, str(words.INITIATIVE_SCOPES[level]))
                                                           for level in CHOICES["initiative_level"]],
        "discipline_level": [("", _("Choose a measure"))] + [(level, str(words.DISCIPLINE_NAMES[level]))
                                                             for level in CHOICES["discipline_level"]],
        "units": [(code, unit_name(unit)) for code, unit in names.units.items()],
        "parameters": parameter_fields(),
    }


def article_choices(current: list) -> dict:
    """The articles the shipped decision table names, and any other the regulation in force has."""
    known = list(words.ARTICLE_NAMES)
    for regulation in current[:1]:
        known += [rule.article for rule in regulation.rules if rule.article not in known]
    return {"articles": [("", _("Choose an article"))] + [(a, words.article_name(a)) for a in known],
            "bases": [("", _("Choose whom the share counts"))] + [(b, str(n)) for b, n in words.BASE_NAMES.items()]}
