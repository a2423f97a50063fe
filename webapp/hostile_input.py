"""Refuse, before any view reads it, what no field of Laurel can hold.

- NUL and lone surrogates (``\\u0000``, ``\\ud800``) in the path, the query, form fields, file
  names, headers or any string of a JSON body: no database stores them as text (PostgreSQL
  refuses NUL; a lone surrogate cannot be encoded), and no person types them.
- JSON nested deeper than ``MAX_JSON_DEPTH``, counted on the raw bytes before the body is parsed:
  a parser recursing 100,000 levels deep fails inside itself.
- Whole numbers in the URL beyond the database's ids (``INT32_MAX``) are "not found" (404) before
  any view runs, and never reach a query the database would refuse. The ``int`` converter still
  matches them: a converter that refused would let the router answer 405 for a route of another method.

Each other refusal is a 400 with its code (the API's error body; a page elsewhere), so the request
never reaches a view, a query or the trail.
"""

import re

from flask import request
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter

from .vocabulary import requests

MAX_JSON_DEPTH = 32  # the deepest body of the API nests 4 levels
INT32_MAX = 2**31 - 1  # the ids' column type on every database we support
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A JSON string (skipped whole, brackets inside it are text) or a bracket.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class IdConverter(IntegerConverter):
    """``<int:…>``, documented as bounded to the ids a database column can hold; beyond is OUT_OF_RANGE."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str):
        if len(value) > len(str(INT32_MAX)):  # no int() of a 5,000-digit string
            return OUT_OF_RANGE
        number = int(value)
        return number if number <= INT32_MAX else OUT_OF_RANGE


OUT_OF_RANGE = INT32_MAX + 1


def init_url_map(app) -> None:
    """Before any route is added: rules resolve their converters as they are made."""
    app.url_map.converters["int"] = IdConverter


def init_app(app) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_input)


def refuse_hostile_input():
    if any(isinstance(value, int) and value > INT32_MAX for value in (request.view_args or {}).values()):
        raise NotFound()
    if _has_unstorable(request.path) or _in_pairs(request.args) or _in_headers():
        raise _refusal("request.unstorable_character")
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if _in_pairs(request.form) or any(_has_unstorable(f.filename or "") for f in request.files.values()):
            raise _refusal("request.unstorable_character")
    if request.is_json:
        body = request.get_data(cache=True)
        if too_deep(body):
            raise _refusal("request.too_deep", max=MAX_JSON_DEPTH)
        parsed = request.get_json(silent=True)
        if parsed is not None and _in_json(parsed):
            raise _refusal("request.unstorable_character")


def query_int(name: str, default=None):
    """A whole number from the query, or ``default`` when it is missing, not one, or past the int32 columns."""
    value = request.args.get(name, type=int)  # not a number (or 5,000 digits): None
    return value if value is not None and -INT32_MAX - 1 <= value <= INT32_MAX else default


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays and objects more than ``limit`` deep, strings not counted."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for token in _JSON_TOKENS.finditer(body):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif mark in (b"]", b"}"):
            depth -= 1
    return False


def _has_unstorable(text) -> bool:
    return isinstance(text, str) and _UNSTORABLE.search(text) is not None


def _in_pairs(multidict) -> bool:
    return any(_has_unstorable(key) or _has_unstorable(value) for key, value in multidict.items(multi=True))


def _in_headers() -> bool:
    return any(_has_unstorable(value) for value in request.headers.values())


def _in_json(value) -> bool:
    # Iterative: the depth is already bounded, but a wide body should not cost a deep stack.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _has_unstorable(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _refusal(code: str, **params) -> BadRequest:
    error = BadRequest(description=requests.word(code, params))
    error.data = {"code": code, "params": params}
    return error
