"""Refusals about the rules: eligibility rule sets, the council's regulation and their versions.

A refusal about one value of a rule is shown next to that value in the publishing form, so
it names kinds of check and values in the reader's words, never by their keys.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..rules import DISCIPLINE_NAMES, INITIATIVE_SCOPES, PARAMETER_LABELS, grade_name, kind_label


def _kind(params) -> str:
    return kind_label(str(params.get("kind", "")))


def _value_name(name) -> str:
    return str(PARAMETER_LABELS.get(name, name))


def _choice(value) -> str:
    named = INITIATIVE_SCOPES.get(value) or DISCIPLINE_NAMES.get(value)
    return str(named) if named else grade_name(value)


def _unknown_kind(params) -> str:
    if not params.get("kind") or params.get("kind") == "None":
        return _("Choose the kind of check.")
    return _("Unknown kind of check: %(kind)s.", kind=params["kind"])


def _list(values, word=str) -> str:
    return ", ".join(word(value) for value in values or [])


WORDS = {
    "rules.not_readable": _l("You may not read the rules."),
    "rule_set.not_found": _l("No rule set %(code)s."),
    "rule_set.rules_needed": _l("Give the rules as a list of 1 to %(max)s rules."),
    "rule_set.cannot_publish": _l("The rule set cannot be published."),
    "rule.not_an_object": _l("Each rule names its award, its kind of check, the check's values and its legal "
                             "basis."),
    "regulation.unknown_awards": _l("No such award type: %(code)s."),
    "rule.unknown_award": _l("Unknown award type %(award)s (“*” stands for every award)."),
    "rule.basis_needed": _l("Every rule names its legal basis."),
    "rule.basis_vi_needed": _l("Give the legal basis in Vietnamese too."),
    "rule.params_not_an_object": _l("The check's values must be given as an object."),
    "rule.unknown_kind": _unknown_kind,
    "rule.unknown_params": lambda p: _("The check “%(kind)s” takes no value named %(names)s.", kind=_kind(p),
                                       names=_list(p.get("names"))),
    "rule.missing_params": lambda p: _("The check “%(kind)s” needs: %(names)s.", kind=_kind(p),
                                       names=_list(p.get("names"), _value_name)),
    "rule.bad_months": _l("Give a number of months between 1 and 12."),
    "rule.bad_value": lambda p: _("Choose one of: %(choices)s.", choices=_list(p.get("choices"), _choice)),
    "rule.bad_number": _l("Give a whole number between %(min)s and %(max)s."),
    "rule.bad_share": _l("Give a share above 0 and at most 100 per cent."),
    "rule.text_needed": _l("Say what people are to judge."),
    "rule.bad_units": _l("Name at most %(max)s units by their codes."),
    "rule.unknown_units": _l("Unknown units: %(names)s."),
    "rule.checks_needed": _l("A group holds 1 to %(max)s conditions."),
    "rule.too_deep": _l("Groups may hold groups, %(max)s levels deep at most."),
    "regulation.articles_needed": _l("A regulation has 1 to %(max)s articles."),
    "regulation.article_incomplete": _l("Each article gives its number, quorum, threshold and base."),
    "regulation.article_invalid": _l("The article of the regulation is not valid."),
    "regulation.bad_article": _l("Choose the article (a short code of letters, digits and _)."),
    "regulation.bad_share": _l("Give a share between 0 and 100 per cent."),
    "regulation.invalid": _l("The regulation is not valid."),
    "regulation.cannot_publish": _l("The regulation cannot be published."),
    "version.bad_code": _l("A code of 1 to %(max)s characters is required."),
    "version.exists": _l("A version with the code %(code)s already exists; versions are never overwritten."),
    "version.not_after_latest": _l("Must be after %(latest)s, when the latest version took effect."),
    "version.cannot_publish": _l("The version cannot be published."),
}
