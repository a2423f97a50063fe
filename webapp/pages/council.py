"""The council's batch pages: one ballot sheet per member, one signing sheet for the chair.

A ballot's choice is read from the form and handed to the use case; it is never rendered
back, not even to the member who cast it.
"""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workflows.errors import Conflict, InvalidData, NotAllowed, NotFound, ProcessError
from workflows.usecases import batches

from . import nominations as nomination_pages

bp = Blueprint("council", __name__)
bp.context_processor(nomination_pages.display_labels)

SHEET_SIZE = 200


@bp.get("/ballot")
@login_required
def ballot():
    return _ballot_page(None)


@bp.post("/ballot")
@login_required
def cast():
    chosen = {name.removeprefix("vote-"): value for name, value in request.form.items()
              if name.startswith("vote-") and value}
    return _ballot_page(batches.cast_ballots(current_user, chosen))


def _ballot_page(outcomes):
    """The sheet; after a submission (``outcomes`` not None) with what became of each ballot."""
    sheet = batches.ballot_sheet(current_user, limit=SHEET_SIZE)
    return render_template("council/ballot.html", sheet=sheet, submitted=outcomes is not None,
                           results=[(outcome, _reason(outcome.error)) for outcome in outcomes or []])


@bp.get("/signing")
@login_required
def signing():
    return _signing_page(None, {})


@bp.post("/signing")
@login_required
def sign():
    chosen = {}
    for name, value in request.form.items():
        if name.startswith("decision-") and value:
            task_id = name.removeprefix("decision-")
            chosen[task_id] = {"decision": value, "comment": request.form.get(f"comment-{task_id}", "")}
    try:
        outcomes = batches.sign_decisions(current_user, chosen, request.form.get("password"))
    except InvalidData as error:
        # Nothing was signed: every choice stays, only the password is asked for again.
        message = _("Enter your password to sign.") if error.code == "signature.password_needed" \
            else _("The password is wrong; nothing was signed.")
        return _signing_page(None, chosen, password_error=message), 422
    # Rows that failed keep what the chair entered, so nothing has to be typed again.
    kept = {o.task_id: chosen[o.task_id] for o in outcomes if not o.ok}
    return _signing_page(outcomes, kept)


def _signing_page(outcomes, kept, password_error=None):
    """The sheet; after a submission (``outcomes`` not None) with what became of each signature."""
    sheet = batches.signing_sheet(current_user, limit=SHEET_SIZE)
    errors = {o.task_id: _reason(o.error) for o in outcomes or [] if not o.ok}
    return render_template("council/signing.html", sheet=sheet, kept=kept, errors=errors,
                           submitted=outcomes is not None, password_error=password_error,
                           results=[(outcome, errors.get(outcome.task_id)) for outcome in outcomes or []])


def _reason(error) -> str | None:
    """Why one item of a batch was not recorded, in the reader's language."""
    if error is None:
        return None
    if isinstance(error, InvalidData) and "comment" in error.fields:
        return _("A refusal needs a comment giving the reasons.")
    if isinstance(error, InvalidData):
        return _("The choice was not valid; choose again.")
    if isinstance(error, Conflict):
        return _("This was already done, or changed at the same moment; nothing was recorded for it.")
    if isinstance(error, (NotAllowed, NotFound)):
        return _("This item is not waiting for you.")
    if isinstance(error, ProcessError):
        return _("The process failed at this step; nothing was recorded for it. The administrators have been told.")
    return _("This item could not be recorded.")
