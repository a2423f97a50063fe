"""The decision register, the documents of a nomination as PDF, and revocation."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from workflows.errors import InvalidData
from workflows.usecases import accounts, decisions, list_decisions, paperwork

from ..hostile_input import query_int
from ..vocabulary.process import REVOCATION_LABELS
from . import list_decisions as list_decision_pages
from . import nominations as nomination_pages

bp = Blueprint("decisions", __name__)
bp.context_processor(nomination_pages.display_labels)

PAGE_SIZE = 50
KIND_LABELS = {"decision": _l("Decision"), "proposal": _l("Proposal to the higher level")}
REASON_LABELS = REVOCATION_LABELS


@bp.get("/decisions")
@login_required
def register():
    if not decisions.may_read_register(current_user):
        abort(403, _("The register is for the office, the council and the head of each authority, auditors, "
                     "administrators and units."))
    args = request.args
    kind = args.get("kind") if args.get("kind") in decisions.KINDS else None
    filters = {"q": (args.get("q") or "").strip()[:200] or None, "year": query_int("year"),
               "kind": kind, "unit": args.get("unit") or None, "authority": args.get("authority") or None}
    page = max(query_int("page", 1), 1)
    rows, total = decisions.register(current_user, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    counts = list_decisions.awardee_counts([row.id for row in rows if row.nomination_id is None])
    return render_template("decisions/register.html", rows=rows, total=total, filters=filters, page=page,
                           query={name: value for name, value in filters.items() if value},
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), units=accounts.units(),
                           registers=decisions.readable_registers(current_user),
                           kind_labels=KIND_LABELS, reason_labels=REASON_LABELS, reason_code=_reason_code,
                           counts=counts, content=decisions.signed_content)


@bp.get("/nominations/<int:nomination_id>/decision.pdf")
@login_required
def decision_pdf(nomination_id):
    return _pdf(paperwork.decision_document(current_user, nomination_id))


@bp.get("/nominations/<int:nomination_id>/tally.pdf")
@login_required
def tally_pdf(nomination_id):
    return _pdf(paperwork.tally_document(current_user, nomination_id))


@bp.post("/decisions/<int:decision_id>/revoke")
@login_required
def revoke(decision_id):
    decision = decisions.get(current_user, decision_id)
    values = {"reason_code": request.form.get("reason_code", ""), "reason": request.form.get("reason", "")}
    try:
        decisions.revoke(current_user, decision_id, **values, password=request.form.get("password"))
    except InvalidData as error:
        # The password is never shown back; the reason and its kind are kept.
        errors = nomination_pages.field_errors(error, "reason")
        if decision.nomination_id is None:  # a list decision: its own page holds the form
            return list_decision_pages.render_detail(decision_id, status=422, revoke_errors=errors,
                                                     revoke_values=values)
        return nomination_pages.render_detail(decision.nomination_id, status=422, revoke_errors=errors,
                                              revoke_values=values)
    flash(_("Decision %(number)s has been revoked.", number=decision.number), "success")
    if decision.nomination_id is None:
        return redirect(url_for("list_decisions.detail", decision_id=decision_id))
    return redirect(url_for("nominations.detail", nomination_id=decision.nomination_id, _anchor="documents"))


def _pdf(paper):
    return send_file(io.BytesIO(paper.content), mimetype=paper.media_type, as_attachment=True,
                     download_name=paper.filename)


def _reason_code(decision) -> str:
    return (decision.revoke_reason or "").partition(": ")[0]
