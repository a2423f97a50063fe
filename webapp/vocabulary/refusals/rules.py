"""Refusals about the rules: eligibility rule sets, the council's regulation and their versions."""

from flask_babel import lazy_gettext as _l

WORDS = {
    "rules.not_readable": _l("You may not read the rules."),
    "rule_set.not_found": _l("No rule set %(code)s."),
    "rule_set.rules_needed": _l("Give the rules as a list of 1 to %(max)s rules."),
    "rule_set.cannot_publish": _l("The rule set cannot be published."),
    "rule.not_an_object": _l("Each rule names its award, its kind of check, the check's values and its legal "
                             "basis."),
    "rule.unknown_award": _l("Unknown award type %(award)s (“*” stands for every award)."),
    "rule.basis_needed": _l("Every rule names its legal basis."),
    "rule.params_not_an_object": _l("The check's values must be given as an object."),
    "rule.bad_params": _l("The values of the check %(kind)s are not valid."),
    "rule.unknown_kind": _l("Unknown kind of check: %(kind)s."),
    "rule.unknown_params": _l("The check %(kind)s takes no value named %(names)s."),
    "rule.missing_params": _l("The check %(kind)s needs a value for %(names)s."),
    "rule.bad_months": _l("The check %(kind)s counts months between 1 and 12."),
    "rule.bad_value": _l("In the check %(kind)s, %(name)s must be one of %(choices)s."),
    "regulation.articles_needed": _l("A regulation has at least one article."),
    "regulation.article_not_an_object": _l("Each article is given with its own fields."),
    "regulation.article_incomplete": _l("Each article gives its number, quorum, threshold and base."),
    "regulation.article_twice": _l("The article %(article)s is given twice."),
    "regulation.article_invalid": _l("The article of the regulation is not valid."),
    "regulation.bad_article": _l("An article is a short code of letters, digits and _."),
    "regulation.bad_share": _l("Give a share between 0 and 1."),
    "regulation.invalid": _l("The regulation is not valid."),
    "version.bad_code": _l("A code of 1 to %(max)s characters is required."),
    "version.exists": _l("A version with the code %(code)s already exists; versions are never overwritten."),
    "version.not_after_latest": _l("Must be after %(latest)s, when the latest version took effect."),
    "version.cannot_publish": _l("The version cannot be published."),
}
