"""Task pages: what an official needs to decide, the task's form, claiming from a pool."""

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from workflows.errors import Conflict, InvalidData
from workflows.usecases import tasks

from .. import vocabulary
from . import nominations as nomination_pages

bp = Blueprint("work", __name__)
bp.context_processor(nomination_pages.display_labels)

# Errors of a task's form about something that is not one of its fields, and where on the page to go for it.
PLACES = {"documents": "dossier"}


@dataclass(frozen=True)
class FieldView:
    """One form field ready to display: its choices labelled, the input kept, its error."""

    name: str
    type: str
    label: str
    required: bool
    hint: str
    choices: list[tuple[str, str]]
    value: object
    error: str | None

    @property
    def id(self) -> str:
        return f"field-{self.name}"


@bp.get("/tasks/<task_id>")
@login_required
def task(task_id):
    return _render(tasks.view(current_user, task_id))


@bp.post("/tasks/<task_id>")
@login_required
def complete(task_id):
    shown = tasks.view(current_user, task_id)
    if shown.task.secret:
        return redirect(url_for("council.ballot"))
    submitted = _submitted(shown.form)
    try:
        nomination = tasks.complete(current_user, task_id, submitted)
    except InvalidData as error:
        # A password is never sent back to the browser, not even the one that was refused.
        kept = {name: value for name, value in submitted.items() if name not in tasks.secret_names(shown.form)}
        return _render(shown, values=kept, refusal=vocabulary.describe(error), status=422)
    except Conflict as error:
        return render_template("work/conflict.html", view=tasks.view(current_user, task_id),
                               message=vocabulary.describe(error).message), 409
    flash(done_message(_("Done: %(task)s for %(nominee)s. The nomination is now: %(status)s.",
                         task=vocabulary.task_name(shown.task), nominee=nomination.nominee_name,
                         status=vocabulary.status_label(nomination.status)), nomination), "success")
    return redirect(url_for("inbox.index"))


def done_message(text: str, nomination) -> Markup:
    """What was done, with the way on: the nomination, and the signed decision or proposal once there is one."""
    links = [(url_for("nominations.detail", nomination_id=nomination.id),
              _("Open nomination %(id)s", id=nomination.id))]
    decision = nomination.decision
    if decision is not None:
        words = _("Proposal %(number)s (PDF)", number=decision.number) if decision.kind == "proposal" else \
            _("Decision %(number)s (PDF)", number=decision.number)
        links.insert(0, (url_for("decisions.decision_pdf", nomination_id=nomination.id), words))
    return Markup("{} {}").format(text, Markup(" · ").join(
        Markup('<a class="alert-link" href="{}">{}</a>').format(href, words) for href, words in links))


@bp.post("/tasks/<task_id>/claim")
@login_required
def claim(task_id):
    tasks.claim(current_user, task_id)
    flash(_("The task is yours now; nobody else in the pool will work on it."), "success")
    return redirect(url_for(".task", task_id=task_id))


@bp.post("/tasks/<task_id>/unclaim")
@login_required
def unclaim(task_id):
    tasks.unclaim(current_user, task_id)
    flash(_("The task is back in the pool."), "success")
    return redirect(url_for(".task", task_id=task_id))


def _submitted(form: dict) -> dict:
    """The form's own fields from the request: a checkbox that is not ticked is false."""
    values = {}
    for field in form.get("fields", []):
        name = field["name"]
        values[name] = name in request.form if field["type"] == "boolean" else request.form.get(name, "")
    return values


def _render(shown, *, values=None, refusal=None, status=200):
    """The task page; a refusal is listed at the form's top, each error linked to its field or its place."""
    values = values or {}
    errors, codes = (refusal.fields, refusal.field_codes) if refusal else ({}, {})
    specs = shown.form.get("fields", [])
    form_key = (shown.task.form or shown.task.key).removesuffix(".json")  # the form file names the form
    labels = {spec["name"]: vocabulary.field_label(form_key, spec["name"], spec.get("label", "")) for spec in specs}
    fields = [_field_view(spec, shown, labels, values.get(spec["name"]), errors.get(spec["name"]),
                          codes.get(spec["name"])) for spec in specs]
    return render_template("work/task.html", view=shown, task=shown.task, nomination=shown.nomination,
                           fields=fields, summary=_summary(refusal, fields, labels)), status


def _summary(refusal, fields: list[FieldView], labels: dict) -> list[tuple[str | None, str]]:
    """(where to go, what is wrong) for each error: the form's fields in order, then the rest."""
    if refusal is None:
        return []
    items = [(f"{f.id}-1" if f.type == "choice" else f.id, f.error) for f in fields if f.error]
    unplaced = [name for name in refusal.fields if name not in labels]
    if unplaced or not refusal.fields:
        # Something the form has no field for, such as a missing document: the headline says what it is.
        place = next((PLACES[name] for name in unplaced if name in PLACES), None)
        words = refusal.message if place or not unplaced else \
            " ".join([refusal.message, *(refusal.fields[name] for name in unplaced)])
        items.insert(0, (place, words))
    return items


def _field_view(spec: dict, shown, labels: dict, value, error, code) -> FieldView:
    choices = [(choice, vocabulary.choice_label(choice)) for choice in spec.get("choices", [])]
    if spec["type"] == "user":
        choices = [("", _("Nobody in particular"))] + [
            (user.username, _person(user)) for user in shown.candidates.get(spec["name"], [])]
    hint = _required_when(spec, labels)
    if error and hint and code == "field.required_for_choice":
        error = _("This field is required when %(conditions)s.", conditions=hint)  # the condition, in words
    return FieldView(name=spec["name"], type=spec["type"], label=labels[spec["name"]],
                     required=bool(spec.get("required")), hint=hint, choices=choices, value=value, error=error)


def _required_when(spec: dict, labels: dict) -> str:
    """'Decision is Return to the unit', from the form's own condition."""
    conditions = spec.get("required_when") or {}
    parts = [_("%(field)s is %(choices)s", field=labels.get(other, other),
               choices=_(" or ").join(vocabulary.choice_label(c) for c in choices))
             for other, choices in conditions.items()]
    return _(" and ").join(parts)


def _person(user) -> str:
    """A person as a list offers them: by name, with their unit to tell namesakes apart."""
    return f"{user.full_name} · {user.unit.code}" if user.unit else user.full_name
