"""The rows of the form that publishes a rule set: one per rule, and one per check of a group.

A row is what the administrator sees and types: an award, a kind of check, the check's values
as text (shares in per cent), the legal basis in English and in Vietnamese. Rows are filled from
the rule set in force, read back from the posted form (``rule-<path>-<field>``; a path such as
``3.1`` is the second check of the fourth rule's group), and handed to the domain as the rules
it publishes. The domain judges them; its refusals are put back on the row and field they name.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from workflows.services.eligibility.validation import GROUPS, IMPLIED, MAX_DEPTH, PARAMETERS
from workflows.usecases import rulebook

MAX_ROWS = 600  # more than the domain accepts, so that it is the domain that says so
_FIELD = re.compile(r"rule-(?P<path>\d{1,4}(?:\.\d{1,3}){0,%d})-kind" % (MAX_DEPTH - 1))
_NUMBERS = ("months", "years", "count")


@dataclass
class RuleRow:
    """One rule (or a check of a group) as typed; its own award is the field ``for``."""

    path: tuple[int, ...]
    kind: str = ""
    award: str = ""
    values: dict = field(default_factory=dict)  # parameter name -> text, or a list of unit codes
    basis: str = ""
    basis_vi: str = ""
    children: list["RuleRow"] = field(default_factory=list)
    errors: dict = field(default_factory=dict)  # field name ("kind", "award", a parameter...) -> messages

    @property
    def key(self) -> str:
        return ".".join(str(i) for i in self.path)

    def name(self, part: str) -> str:
        return f"rule-{self.key}-{part}"

    @property
    def is_group(self) -> bool:
        return self.kind in GROUPS

    @property
    def may_hold_group(self) -> bool:
        return len(self.path) < MAX_DEPTH


def percent(share) -> str:
    """A share (0.15) as the per cent an administrator types (15); exact, so that it comes back the same."""
    try:
        text = format(Decimal(str(share)) * 100, "f")
    except (InvalidOperation, ValueError):
        return str(share)
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_of(text: str):
    """The share typed in per cent, or the text itself for the domain to refuse."""
    try:
        value = Decimal(text.strip().replace(",", ".").removesuffix("%").strip())
    except InvalidOperation:
        return text
    return float(value / 100) if value.is_finite() else text


def from_rules(rules) -> list[RuleRow]:
    """Rows for the rules of a published set (EligibilityRule rows)."""
    return [_row((position,), rule.kind, rule.params or {}, award=rule.award_code, basis=rule.legal_basis,
                 basis_vi=rule.legal_basis_vi or "") for position, rule in enumerate(rules)]


def _row(path, kind, params, **header) -> RuleRow:
    values = {}
    for name, value in params.items():
        if name == "checks":
            continue
        if PARAMETERS.get(name) == "share":
            values[name] = percent(value)
        elif name == "units":
            values[name] = [str(code) for code in value] if isinstance(value, list) else []
        else:
            values[name] = str(value)
    children = [_row((*path, i), c.get("kind", ""), c.get("params") or {})
                for i, c in enumerate(params.get("checks") or []) if isinstance(c, dict)] if kind in GROUPS else []
    return RuleRow(path, kind, values=values, children=children, **header)


def from_form(form) -> list[RuleRow]:
    """The rows as posted, renumbered in their order; rows beyond the limits are left out."""
    paths = sorted({tuple(int(i) for i in found["path"].split("."))
                    for found in map(_FIELD.fullmatch, form.keys()) if found})[:MAX_ROWS]
    by_path, top = {}, []
    for path in paths:
        key = ".".join(map(str, path))
        values = {name: form.get(f"rule-{key}-{name}", "").strip() for name in PARAMETERS if name != "units"}
        values["units"] = [code for code in form.getlist(f"rule-{key}-units") if code][:100]
        row = RuleRow(path, form.get(f"rule-{key}-kind", "").strip(), form.get(f"rule-{key}-for", "").strip(),
                      values, form.get(f"rule-{key}-basis", "").strip(), form.get(f"rule-{key}-basis_vi", "").strip())
        parent = by_path.get(path[:-1])
        if len(path) == 1:
            top.append(row)
        elif parent is not None and parent.is_group:
            parent.children.append(row)
        else:
            continue  # a check whose group is gone
        by_path[path] = row
    renumber(top)
    return top


def renumber(rows: list[RuleRow], prefix: tuple[int, ...] = ()) -> None:
    for position, row in enumerate(rows):
        row.path = (*prefix, position)
        renumber(row.children, row.path)


def find(rows: list[RuleRow], key: str) -> RuleRow | None:
    for row in rows:
        if row.key == key:
            return row
        if (found := find(row.children, key)) is not None:
            return found
    return None


def add_check(rows: list[RuleRow], key: str) -> None:
    """One more (empty) check in the group at ``key``."""
    group = find(rows, key)
    if group is not None and group.is_group:
        group.children.append(RuleRow((*group.path, len(group.children))))


def remove(rows: list[RuleRow], key: str) -> None:
    """Take away the rule or check at ``key`` (with the checks it groups)."""
    target = find(rows, key)
    if target is None:
        return
    siblings = rows if len(target.path) == 1 else find(rows, ".".join(map(str, target.path[:-1]))).children
    siblings.remove(target)
    renumber(rows)


def with_groups_filled(rows: list[RuleRow]) -> list[RuleRow]:
    """A group gets a first empty check to fill in as soon as its kind is chosen."""
    for row in rows:
        if row.is_group and not row.children and row.may_hold_group:
            row.children.append(RuleRow((*row.path, 0)))
        with_groups_filled(row.children)
    return rows


def to_rules(rows: list[RuleRow]) -> list[dict]:
    """The rules as the domain publishes them."""
    return [{"award": row.award, **_check(row), "basis": row.basis, "basis_vi": row.basis_vi} for row in rows]


def _check(row: RuleRow) -> dict:
    params = {}
    if row.kind in GROUPS:
        params["checks"] = [_check(child) for child in row.children]
    elif row.kind:
        for name, _required in rulebook.check_parameters(row.kind) if _known(row.kind) else []:
            if (row.kind, name) in IMPLIED:
                continue
            value = row.values.get(name)
            if name == "what_vi":
                params[name] = value or ""  # always given by the form: the domain refuses it blank
            elif value:
                params[name] = _typed(name, value)
    return {"kind": row.kind, "params": params}


def _known(kind: str) -> bool:
    try:
        rulebook.check_parameters(kind)
    except KeyError:
        return False
    return True


def _typed(name: str, value):
    if PARAMETERS.get(name) == "share":
        return share_of(value)
    if name in _NUMBERS:
        return int(value) if value.isdigit() and len(value) < 6 else value
    return value


_PLACE = re.compile(r"rules\[(?P<top>\d+)\](?P<nested>(?:\.params\.checks\[\d+\])*)(?:\.(?P<field>\w+))?")


def place(rows: list[RuleRow], where: str, reason, message: str) -> tuple[int, ...] | None:
    """Put a refusal on the row and field it names; the row's path, or None when it names no row."""
    found = _PLACE.fullmatch(where)
    if not found:
        return None
    path = [int(found["top"]), *(int(i) for i in re.findall(r"\[(\d+)\]", found["nested"]))]
    row = find(rows, ".".join(map(str, path)))
    if row is None:
        return None
    names = [{"award": "for"}.get(found["field"], found["field"] or "kind")]
    if names == ["kind"]:
        params = getattr(reason, "params", {}) or {}
        if params.get("name") in PARAMETERS:
            names = [params["name"]]
        elif reason.code == "rule.missing_params":
            names = [n for n in params.get("names", []) if n in PARAMETERS] or names
        elif reason.code == "rule.unknown_units":
            names = ["units"]
    for name in names:
        row.errors.setdefault(name, []).append(message)
    return row.path


def label(path: tuple[int, ...]) -> tuple[int, ...]:
    """The row's number as people count: rule 1, its condition 2."""
    return tuple(i + 1 for i in path)
