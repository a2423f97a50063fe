"""The domain's refusals in the reader's language: each code worded once, per language.

The domain raises ``errors.WorkflowError`` subclasses with a stable code and its particulars
(``workflows/errors.py``); the subject modules here map every code to its English wording,
which the message catalogue carries into Vietnamese. A wording is a lazy string with
``%(name)s`` placeholders, or a function of the particulars for the few that need more than
that. Particulars are shown by what they are: a status in the reader's words, a list joined,
a date on the reader's calendar.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from ..process import DOCUMENT_LABELS, ELEMENT_NAMES, ROLE_NAMES, STATUS_LABELS, TASK_STATES
from . import (
    accounts,
    authorities,
    decisions,
    fields,
    integrity,
    lint,
    list_decisions,
    lists,
    nominations,
    registry,
    rules,
    sessions,
    tasks,
)

Wording = Any  # a lazy string, or Callable[[Mapping[str, Any]], str]

CATALOGUE: dict[str, Wording] = {}
for _subject in (accounts, authorities, decisions, fields, integrity, lint, list_decisions, lists, nominations,
                 registry, rules, sessions, tasks):
    _twice = CATALOGUE.keys() & _subject.WORDS.keys()
    assert not _twice, f"refusal codes worded twice: {sorted(_twice)}"
    CATALOGUE.update(_subject.WORDS)

# Particulars named so are codes of these kinds, shown in the reader's words.
_CODED = {"status": STATUS_LABELS, "state": TASK_STATES, "document_kind": DOCUMENT_LABELS,
          "missing": DOCUMENT_LABELS, "document_kinds": DOCUMENT_LABELS, "role": ROLE_NAMES, "roles": ROLE_NAMES,
          "task": ELEMENT_NAMES, "step": ELEMENT_NAMES, "at": ELEMENT_NAMES}
# Particulars that are counts or sizes, grouped in thousands the reader's way (ids are not).
_NUMBERS = frozenset({"count", "limit", "max", "min", "rows", "max_rows", "cells", "megabytes"})


@dataclass(frozen=True)
class Described:
    """A refusal as the reader is told it: the headline, and what is wrong with each field."""

    code: str
    message: str
    fields: dict[str, str]
    field_codes: dict[str, str]
    params: dict[str, Any]

    @property
    def full_message(self) -> str:
        """The headline followed by each field's reason: for readers who see no form."""
        return " ".join([self.message, *self.fields.values()]) if self.fields else self.message


def word(code: str, params: Mapping[str, Any] | None = None) -> str:
    """One code with its particulars, in the reader's language."""
    params = params or {}
    wording = CATALOGUE.get(code)
    if wording is None:  # a code newer than these words: say that something was refused, never the raw key
        return _("The request was refused (%(code)s).", code=code)
    if callable(wording):
        return wording(params)
    return str(wording) % {name: shown(name, value) for name, value in params.items()}


def describe(error) -> Described:
    """A domain error (or anything with ``code``, ``params`` and ``fields``) worded for the reader."""
    fields = {name: word(reason.code, reason.params) for name, reason in error.fields.items()}
    return Described(code=error.code, message=word(error.code, error.params), fields=fields,
                     field_codes={name: reason.code for name, reason in error.fields.items()},
                     params=plain_params(error.params))


def shown(name: str, value) -> str:
    """A particular as the reader sees it, by its name and type."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(shown(name, item) for item in items) if items else _("none")
    table = _CODED.get(name)
    if table is not None and isinstance(value, str):
        label = str(table.get(value, value))
        return label.lower() if name == "status" else label
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and name in _NUMBERS:
        return format_decimal(value)
    if isinstance(value, (date, datetime)):
        return format_date(value)
    return str(value)


def plain_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Particulars as JSON carries them."""
    return {name: _plain(value) for name, value in params.items()}


def _plain(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
