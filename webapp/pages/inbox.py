"""My tasks: the page every official lands on."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from workflows.usecases import tasks

from ..hostile_input import query_int

bp = Blueprint("inbox", __name__)

PAGE_SIZE = 50


@bp.get("/")
def home():
    return redirect(url_for("inbox.index"))


@bp.get("/tasks")
@login_required
def index():
    page = max(query_int("page", 1), 1)
    key = request.args.get("key") or None
    counts = tasks.inbox_counts(current_user)
    entries, total = tasks.inbox(current_user, key=key, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template("inbox/index.html", entries=entries, total=total, counts=counts, key=key, page=page,
                           pages=pages, page_numbers=page_numbers(page, pages), now=tasks.now(),
                           is_vi=str(get_locale()) == "vi",
                           # Each row links to its task and nomination: the links' fixed parts, built once.
                           task_prefix=url_for("work.task", task_id="-").removesuffix("-"),
                           nomination_prefix=url_for("nominations.detail", nomination_id=1).removesuffix("1"),
                           list_prefix=url_for("lists.list_detail", proposal_id=1).removesuffix("1"))


def page_numbers(page: int, pages: int, around: int = 3) -> list[int | None]:
    """The first and last page and those near the current one; None where numbers are left out."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
