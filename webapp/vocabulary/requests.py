"""Refusals of a request before it reaches the domain: its form, its fields, its address, its credentials.

The request's own checks (the HTTP server's, and the API's field validation) speak English;
here their outcomes become codes, like the domain's, and are worded in the reader's language.
Field messages are recognised from the validation library's own message templates, so a
change of its wording shows up as ``field.invalid`` rather than as untranslated English.
"""

import re

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from marshmallow.schema import Schema

from .refusals import CATALOGUE as DOMAIN_WORDS
from .refusals import shown

WORDS = {
    "request.malformed": _l("The request could not be read; send well-formed JSON or form data."),
    "request.invalid": _l("Some fields are not valid."),
    "request.not_found": _l("There is nothing at this address."),
    "request.method_not_allowed": _l("This address cannot be used that way."),
    "request.unsupported": _l("The request cannot be handled."),
    "request.unstorable_character": _l("The request holds a character no text may hold (NUL or a broken Unicode "
                                       "character) in its address, a field or a header; remove it."),
    "request.too_deep": _l("The JSON body nests lists and objects more than %(max)s levels deep; no request "
                           "of this API needs that."),
    "upload.file_needed": _l("Attach the file as the multipart field “file”."),
    "auth.token_needed": _l("Sign in first: send “Authorization: Bearer <token>” obtained from POST "
                            "/api/v1/auth/token."),
    "server.error": _l("Something went wrong on our side; nothing was changed. Please try again."),
    "field.invalid": _l("Not a valid value."),
    "field.null": _l("A value is required here."),
    "field.not_an_integer": _l("Not a whole number."),
    "field.not_a_number": _l("Not a number."),
    "field.not_a_list": _l("Not a list."),
    "field.not_a_datetime": _l("Not a date and time; write it as 2026-12-07T09:00:00+07:00."),
    "field.at_least": _l("Must be at least %(min)s."),
    "field.at_most": _l("Must be at most %(max)s."),
    "field.between": _l("Must be between %(min)s and %(max)s."),
    "field.length_between": _l("Use between %(min)s and %(max)s characters."),
    "field.too_short": _l("Use at least %(min)s characters."),
    "field.pattern": _l("Not in the expected form."),
}
# For a field refusal the request's words and the domain's are one vocabulary.
_ALL = {**DOMAIN_WORDS, **WORDS}

# Message keys of the validation library -> our codes.
_BY_KEY = {
    "required": "field.required", "null": "field.null", "unknown": "field.unknown", "type": "field.invalid",
    "validator_failed": "field.invalid", "too_large": "field.invalid", "special": "field.not_a_number",
    "invalid_utf8": "field.not_text",
}
_BY_FIELD = {
    fields.String: "field.not_text", fields.Integer: "field.not_an_integer", fields.Number: "field.not_a_number",
    fields.Boolean: "field.not_boolean", fields.List: "field.not_a_list", fields.DateTime: "field.not_a_datetime",
    fields.Date: "field.not_a_date", fields.Nested: "field.object_needed", fields.Dict: "field.object_needed",
}


def _pattern(template: str) -> re.Pattern:
    """A message template ("Must be one of: {choices}.") as a pattern capturing its particulars."""
    parts = re.split(r"\{(\w+)(?:![rs])?\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                              for i, part in enumerate(parts)) + r"\Z")


def _recognised() -> list[tuple[re.Pattern, str]]:
    known: list[tuple[re.Pattern, str]] = []

    def add(template: str, code: str) -> None:
        known.append((_pattern(template), code))

    for field_class, code in _BY_FIELD.items():
        for key, template in field_class.default_error_messages.items():
            add(template, _BY_KEY.get(key, code))
    for key, template in fields.Field.default_error_messages.items():
        add(template, _BY_KEY.get(key, "field.invalid"))
    for key, template in Schema._default_error_messages.items():
        add(template, _BY_KEY.get(key, "field.invalid"))
    add(validate.OneOf.default_message, "field.choose_one")
    add(validate.Length.message_all, "field.length_between")
    add(validate.Length.message_max, "field.too_long")
    add(validate.Length.message_min, "field.too_short")
    add(validate.Regexp.default_message, "field.pattern")
    ranges = validate.Range
    for op in (ranges.message_gte, ranges.message_gt):
        for top in (ranges.message_lte, ranges.message_lt):
            add(ranges.message_all.format(min_op=op, max_op=top), "field.between")
        add(ranges.message_min.format(min_op=op), "field.at_least")
    for top in (ranges.message_lte, ranges.message_lt):
        add(ranges.message_max.format(max_op=top), "field.at_most")
    return known


_KNOWN = _recognised()


def field_refusal(message: str) -> tuple[str, dict]:
    """The code and particulars of one field message of the request's validation."""
    for pattern, code in _KNOWN:
        found = pattern.match(message)
        if found:
            params = found.groupdict()
            if "choices" in params:
                params["choices"] = params["choices"].split(", ")
            return code, params
    return "field.invalid", {}


def word(code: str, params: dict | None = None) -> str:
    """A request's refusal (or one of its fields'), in the reader's language."""
    params = params or {}
    wording = _ALL.get(code)
    if wording is None:
        return str(WORDS["request.unsupported"])
    if callable(wording):
        return wording(params)
    return str(wording) % {name: shown(name, value) for name, value in params.items()}
