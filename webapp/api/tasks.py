"""The caller's tasks: inbox, claim, unclaim, complete."""

from flask import jsonify
from flask_smorest import Blueprint

from workflows.usecases import tasks

from . import presenters
from .responses import TOTAL_COUNT, responds
from .schemas import CompletionOut, TaskDetail, TaskOut, TaskQuery, TaskSubmission
from .security import BEARER, current_api_user, require_token

blp = Blueprint("api_tasks", __name__, description="Tasks routed to the caller")
blp.before_request(require_token)


@blp.get("/tasks")
@blp.arguments(TaskQuery, location="query")
@blp.response(200, TaskOut(many=True), headers=TOTAL_COUNT)
@blp.doc(security=BEARER)
@responds(401, 422)
def inbox(query):
    """Ready tasks for the caller: assigned to them, or to a pool of their roles. Total in X-Total-Count."""
    entries, total = tasks.inbox(current_api_user(), **query)
    # Serialized here rather than by TaskOut (which still documents the shape): dumping a
    # page of plain rows through marshmallow cost more than the query that found them.
    response = jsonify([presenters.inbox_entry_json(e) for e in entries])
    response.headers["X-Total-Count"] = str(total)
    return response


@blp.get("/tasks/<task_id>")
@blp.response(200, TaskDetail)
@blp.doc(security=BEARER)
@responds(401, 403, 404)
def detail(task_id):
    """One task with the fields of its form, as the deployed process defines them; labels in the caller's language."""
    task, form = tasks.get(current_api_user(), task_id)
    return {**presenters.inbox_entry(tasks.entry(task)), "form": presenters.task_form(task, form)}


@blp.post("/tasks/<task_id>/claim")
@blp.response(200, TaskOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409)
def claim(task_id):
    """Take a pool task."""
    return presenters.inbox_entry(tasks.entry(tasks.claim(current_api_user(), task_id)))


@blp.post("/tasks/<task_id>/unclaim")
@blp.response(200, TaskOut)
@blp.doc(security=BEARER)
@responds(401, 403, 404, 409)
def unclaim(task_id):
    """Give a claimed pool task back."""
    return presenters.inbox_entry(tasks.entry(tasks.unclaim(current_api_user(), task_id)))


@blp.post("/tasks/<task_id>/complete")
@blp.arguments(TaskSubmission)
@blp.response(200, CompletionOut)
@blp.doc(security=BEARER)
@responds(400, 401, 403, 404, 409, 413, 422, 429)
def complete(body, task_id):
    """Complete the task with its form's fields; answers the nomination's new status.

    A pool task nobody holds is claimed by the sending: the trail records the claim, then the completion.
    """
    nomination = tasks.complete(current_api_user(), task_id, body)
    return {"nomination_id": nomination.id, "status": nomination.status}
