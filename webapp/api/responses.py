"""What the OpenAPI document says beyond the schemas: error responses, the total of a listing, uploads.

Every refusal has the body of ``ErrorResponse``. An operation names the error statuses it can
answer with (``@responds(401, 404)``); each refers to one shared response of the document, so
the meaning of a status is written once. Anything else (a failure of ours, 500) is ``default``.
"""

from http import HTTPStatus

from flask_smorest import Blueprint

from .schemas import ErrorResponse

# Only its alt_response decorator is used: it writes the response into the view's doc,
# whichever blueprint the view then belongs to.
_DOC = Blueprint("api_error_responses", __name__)

MEANINGS = {
    400: "The request is malformed: the body is not the JSON it should be, it nests deeper than 32 levels, "
         "or the address, a parameter, a field or a header holds a NUL or a lone surrogate.",
    401: "No valid bearer token (at sign-in: unknown username or wrong password).",
    403: "The caller's role does not allow this.",
    404: "No such thing, or not one the caller may see.",
    409: "The state moved on: the task was completed or claimed by someone else, the nomination can no "
         "longer be changed this way, a concurrent change, an existing version.",
    413: "The request body (an upload) is over the size limit.",
    422: "The data is not valid; error.fields names each bad field.",
    429: "Too many failed password attempts for this account or from this address: the password was not "
         "checked. Retry-After (and error.params.seconds) says how many seconds to wait.",
}
# Headers some error responses carry.
ERROR_HEADERS = {
    429: {"Retry-After": {"description": "seconds to wait before the next attempt",
                          "schema": {"type": "integer", "minimum": 1}}},
}

# What every operation may answer besides: a failure on our side, or of the process diagram's scripts.
UNEXPECTED = "Something failed on the server's side (500); nothing was changed."

# A listing answers with one page; the header says how many there are in all.
TOTAL_COUNT = {"X-Total-Count": {"description": "how many match in all, across every page",
                                 "schema": {"type": "integer", "minimum": 0}}}


def name(status: int) -> str:
    """The document's name of the shared response for ``status``."""
    return HTTPStatus(status).name


def register(spec) -> None:
    """Give each error status of ``MEANINGS`` its shared response, with the one error body.

    Registered lazily, like the responses they replace: only those some operation refers to
    appear in the document.
    """
    for status, meaning in MEANINGS.items():
        spec.components.response(name(status), _error(meaning, ERROR_HEADERS.get(status)), lazy=True)
    spec.components.response("DEFAULT_ERROR", _error(UNEXPECTED), lazy=True)


def _error(description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": ErrorResponse}}}
    if headers:
        response["headers"] = headers
    return response


def malformed_everywhere(spec) -> None:
    """Any request may be refused as malformed (``hostile_input``), so every operation lists 400."""
    ref = spec.components.get_ref("response", name(400))
    for operations in spec._paths.values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("400", ref)


def responds(*statuses: int):
    """Document the error statuses an operation can answer with; each body is an ``ErrorResponse``."""
    unknown = set(statuses) - set(MEANINGS)
    if unknown:
        raise ValueError(f"No shared response for {sorted(unknown)}; add it to MEANINGS.")

    def decorate(view):
        for status in sorted(statuses):
            view = _DOC.alt_response(status, response=name(status))(view)
        return view

    return decorate


def multipart(schema) -> dict:
    """The request body of an upload as it is sent: multipart, with the file beside the form fields."""
    return {"content": {"multipart/form-data": {"schema": schema}}}
