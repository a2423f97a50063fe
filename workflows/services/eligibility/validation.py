"""Whether a rule could run: its kind is known and its values are the ones that kind takes.

Rules are data an administrator writes (in a form, through the API, in the reference file). A
rule that could not run is refused when it is published, each problem at its place in the rule
(``kind`` for the check itself, ``params.checks[1].kind`` for the second check of a group), not
found out the day a nomination is checked.
"""

import inspect

from workflows.errors import Reason
from workflows.models.registry import DISCIPLINE_LEVELS, GRADES, INITIATIVE_LEVELS
from workflows.services.eligibility.checks import KINDS, RuleError

# What each parameter holds; forms that edit rules offer a field of that sort for it.
PARAMETERS = {
    "grade": "grade", "level": "initiative_level", "at_least": "discipline_level",
    "award": "award", "of_award": "award", "after_award": "award",
    "months": "months", "years": "years", "count": "count", "share": "share", "max_share": "share",
    "units": "units", "what": "text", "what_vi": "text", "checks": "checks",
}
CHOICES = {"grade": GRADES, "initiative_level": INITIATIVE_LEVELS, "discipline_level": DISCIPLINE_LEVELS}
NUMBER_RANGES = {"years": (1, 50), "count": (1, 50)}
GROUPS = ("any_of", "all_of")
# A quota's own award is the rule's award, filled in when the rule runs: nobody needs to write it.
IMPLIED = {("quota", "award")}
MAX_CHECKS = 20  # in one group
MAX_DEPTH = 4  # groups within groups
MAX_UNITS = 50


def parameters(kind: str) -> list[tuple[str, bool]]:
    """The values a kind of check takes, in the order it names them, each with whether it is required."""
    signature = inspect.signature(KINDS[kind])
    return [(name, p.default is inspect.Parameter.empty) for name, p in signature.parameters.items()
            if p.kind is p.KEYWORD_ONLY]


def validate(check: dict) -> None:
    """Refuse a rule that could not run, with its first problem."""
    for reason in problems(check).values():
        raise RuleError(reason.code, **reason.params)


def problems(check, *, awards: set[str] | None = None, units: set[str] | None = None,
             depth: int = 0) -> dict[str, Reason]:
    """Every problem of a check and of the checks it groups, by where it is; ``awards`` and
    ``units``, when given, are the codes a value may name."""
    if not isinstance(check, dict):
        return {"kind": Reason("rule.not_an_object")}
    kind, params = check.get("kind"), check.get("params", {})
    if kind not in KINDS:
        return {"kind": Reason("rule.unknown_kind", kind=str(kind), known=sorted(KINDS))}
    if not isinstance(params, dict):
        return {"kind": Reason("rule.params_not_an_object")}
    taken = dict(parameters(kind))
    if unknown := set(params) - set(taken):
        return {"kind": Reason("rule.unknown_params", kind=kind, names=sorted(map(str, unknown)))}
    if missing := {name for name, required in taken.items() if required} - set(params):
        return {"kind": Reason("rule.missing_params", kind=kind, names=sorted(missing))}
    for name, value in params.items():
        if name != "checks" and (reason := _value_problem(kind, name, value, awards, units)):
            return {"kind": reason}
    if kind not in GROUPS:
        return {}
    if depth + 1 >= MAX_DEPTH:
        return {"kind": Reason("rule.too_deep", max=MAX_DEPTH)}
    checks = params["checks"]
    if not isinstance(checks, list) or not 1 <= len(checks) <= MAX_CHECKS:
        return {"kind": Reason("rule.checks_needed", kind=kind, max=MAX_CHECKS)}
    found = {}
    for position, nested in enumerate(checks):
        for where, reason in problems(nested, awards=awards, units=units, depth=depth + 1).items():
            found[f"params.checks[{position}].{where}"] = reason
    return found


def _value_problem(kind: str, name: str, value, awards, units) -> Reason | None:
    sort = PARAMETERS.get(name)
    if sort in CHOICES and value not in CHOICES[sort]:
        return Reason("rule.bad_value", kind=kind, name=name, choices=list(CHOICES[sort]))
    if sort == "months" and not (_whole(value) and 1 <= value <= 12):
        return Reason("rule.bad_months", kind=kind)
    if sort in NUMBER_RANGES:
        low, high = NUMBER_RANGES[sort]
        if not (_whole(value) and low <= value <= high):
            return Reason("rule.bad_number", kind=kind, name=name, min=low, max=high)
    if sort == "share" and not (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1):
        return Reason("rule.bad_share", kind=kind, name=name)
    if sort == "text" and not (isinstance(value, str) and value.strip()):
        return Reason("rule.text_needed", kind=kind, name=name)
    if sort == "award" and not (isinstance(value, str) and value and (awards is None or value in awards)):
        return Reason("rule.unknown_award", award=str(value), name=name)
    if sort == "units":
        if not (isinstance(value, list) and len(value) <= MAX_UNITS and all(isinstance(u, str) for u in value)):
            return Reason("rule.bad_units", kind=kind, max=MAX_UNITS)
        if units is not None and (unknown := [u for u in value if u not in units]):
            return Reason("rule.unknown_units", names=unknown)
    return None


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
