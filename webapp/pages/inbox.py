"""My tasks: the page every official lands on."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows import tasks

bp = Blueprint("inbox", __name__)

PAGE_SIZE = 50


@bp.get("/")
def home():
    return redirect(url_for("inbox.index"))


@bp.get("/tasks")
@login_required
def index():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    key = request.args.get("key") or None
    # The counts by kind give the total too: one scan of a large inbox instead of two.
    counts = tasks.inbox_counts(current_user)
    total = sum(count for _, count in counts.values()) if not key else sum(
        count for task_key, (_, count) in counts.items() if task_key == key)
    entries, _ = tasks.inbox(current_user, key=key, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, count=False)
    return render_template("inbox/index.html", entries=entries, total=total, counts=counts, key=key, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), now=tasks.now())
