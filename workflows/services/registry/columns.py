"""The spreadsheet columns of each record kind, and how a cell's text becomes a value.

Headers are fixed; each column is recognised by its English name or its Vietnamese heading,
in any letter case. Values may be given as codes (``warning``) or in Vietnamese (``cảnh cáo``).
Nothing here reads the database: references to units, people and awards are checked later.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from workflows.errors import InvalidData, Reason
from workflows.models.registry import DISCIPLINE_LEVELS, GRADES, INITIATIVE_LEVELS

# Collectives first, then people (who may belong to them), then the history that names both.
KINDS = ("collectives", "persons", "assessments", "awards", "initiatives", "discipline")
FIRST_YEAR, LAST_YEAR = 1945, 2100


@dataclass(frozen=True)
class Column:
    name: str  # the English header, also the key of the parsed row
    heading_vi: str
    required: bool = True


def _c(name, heading_vi, required=True):
    return Column(name, heading_vi, required)


_PERSON = _c("person", "Mã cá nhân", False)
_COLLECTIVE = _c("collective", "Mã tập thể", False)
_YEAR = _c("year", "Năm")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "collectives": (_c("code", "Mã"), _c("name", "Tên tập thể"), _c("unit", "Đơn vị")),
    "persons": (_c("code", "Mã"), _c("full_name", "Họ và tên"), _c("unit", "Đơn vị"),
                _c("collective", "Mã tập thể", False), _c("position", "Chức vụ", False),
                _c("recruited_on", "Ngày tuyển dụng", False)),
    "assessments": (_PERSON, _COLLECTIVE, _YEAR, _c("grade", "Xếp loại")),
    "awards": (_PERSON, _COLLECTIVE, _c("award", "Danh hiệu"), _YEAR, _c("decision_ref", "Số quyết định", False)),
    "initiatives": (_PERSON, _COLLECTIVE, _c("title", "Tên sáng kiến"), _c("level", "Cấp công nhận"), _YEAR,
                    _c("reference", "Số quyết định", False)),
    "discipline": (_c("person", "Mã cá nhân"), _YEAR, _c("level", "Hình thức kỷ luật"),
                   _c("reference", "Số quyết định", False)),
}

# Vietnamese words accepted for the coded values, as HR departments write them.
LEVEL_WORDS = {
    "discipline": {"khiển trách": "reprimand", "cảnh cáo": "warning", "cách chức": "removal",
                   "buộc thôi việc": "dismissal"},
    "initiatives": {"cơ sở": "grassroots", "cấp cơ sở": "grassroots", "cấp ban": "agency", "cấp bộ": "agency",
                    "toàn quốc": "national", "cấp toàn quốc": "national"},
}
LEVELS = {"discipline": DISCIPLINE_LEVELS, "initiatives": INITIATIVE_LEVELS}


def normal(text) -> str:
    """Text as compared: NFC (Excel on Windows may store decomposed accents), trimmed, one space."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def header_index(kind: str) -> dict[str, str]:
    """Every accepted spelling of the kind's headers, folded, to the column name."""
    index = {}
    for column in COLUMNS[kind]:
        index[normal(column.name).casefold()] = column.name
        index[normal(column.heading_vi).casefold()] = column.name
    return index


def guess_kind(headers: list[str]) -> str | None:
    """The one kind whose required headers are all present and which knows every header, if any."""
    folded = {normal(h).casefold() for h in headers if h}
    fits = []
    for kind in KINDS:
        index = header_index(kind)
        names = {index.get(h) for h in folded}
        required = {c.name for c in COLUMNS[kind] if c.required}
        if None not in names and required <= names:
            fits.append(kind)
    return fits[0] if len(fits) == 1 else None


# A cell starting with these is a formula to a spreadsheet: stored, it would run when an export is opened.
FORMULA_STARTS = ("=", "+", "@")
# NUL and lone surrogates reach a cell through XLSX escapes (_x0000_); no database stores them as text.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text(value, limit: int) -> str:
    if value is None:
        return ""
    result = normal(value) if not isinstance(value, float) or not value.is_integer() else str(int(value))
    if len(result) > limit:
        raise InvalidData("field.too_long", max=limit)
    if UNSTORABLE.search(result):
        raise InvalidData("field.unstorable_character")
    if result.startswith(FORMULA_STARTS):
        raise InvalidData("sheet.formula_start")
    return result


def code(value) -> str:
    result = text(value, 32)
    if not result:
        raise InvalidData("field.code_needed")
    return result


def year(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    else:
        raw = text(value, 10)
        if not raw.isdigit():
            raise InvalidData("field.not_a_year", value=raw)
        number = int(raw)
    if not FIRST_YEAR <= number <= LAST_YEAR:
        raise InvalidData("field.implausible_year", value=number, first=FIRST_YEAR, last=LAST_YEAR)
    return number


def day(value) -> date | None:
    """A date cell, or text as 2024-03-01 (ISO) or 01/03/2024 (day first, as written in Vietnam)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value, 20)
    if not raw:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise InvalidData("field.not_a_date", value=raw)


def grade(value) -> str:
    raw = text(value, 16).upper()
    if raw not in GRADES:
        raise InvalidData("registry.not_a_grade", value=raw, choices=list(GRADES))
    return raw


def level(kind: str, value) -> str:
    raw = text(value, 40)
    folded = raw.casefold()
    if folded in LEVELS[kind]:
        return folded
    if folded in LEVEL_WORDS[kind]:
        return LEVEL_WORDS[kind][folded]
    raise InvalidData("registry.not_a_level", value=raw, choices=list(LEVELS[kind]))


def parse(kind: str, raw: dict) -> tuple[dict, dict[str, Reason]]:
    """The row's values by model attribute, and the errors by column; only columns in ``raw`` are read.

    A history row's subject comes back as ``values["subject"]``: ("person" | "collective", code).
    """
    values, errors = {}, {}

    def take(column, parser, attribute=None):
        if column in raw:
            try:
                values[attribute or column] = parser(raw[column])
            except InvalidData as error:
                errors[column] = error.reason

    if kind in ("collectives", "persons"):
        take("code", code)
        take("unit", code, "unit_code")
        if kind == "collectives":
            take("name", lambda v: required(text(v, 200)))
        else:
            take("full_name", lambda v: required(text(v, 200)))
            take("collective", lambda v: text(v, 32), "collective_code")
            take("position", lambda v: text(v, 200))
            take("recruited_on", day)
        return values, errors
    try:
        person = text(raw.get("person"), 32) if "person" in raw else ""
        collective = text(raw.get("collective"), 32) if "collective" in raw else ""
    except InvalidData as error:
        errors["person"] = error.reason
    else:
        if bool(person) == bool(collective):
            errors["person"] = Reason("registry.person_or_collective_not_both" if person else
                                      "registry.person_or_collective_needed")
        else:
            values["subject"] = ("person", person) if person else ("collective", collective)
    take("year", year)
    if kind == "assessments":
        take("grade", grade)
    elif kind == "awards":
        take("award", lambda v: code(v).upper(), "award_code")
        take("decision_ref", lambda v: text(v, 100))
    elif kind == "initiatives":
        take("title", lambda v: required(text(v, 300)))
        take("level", lambda v: level("initiatives", v))
        take("reference", lambda v: text(v, 100))
    elif kind == "discipline":
        take("level", lambda v: level("discipline", v))
        take("reference", lambda v: text(v, 100))
    return values, errors


def required(value: str) -> str:
    if not value:
        raise InvalidData("field.required")
    return value
