"""The inbox: the service query and GET /api/v1/tasks, for users whose inboxes differ in kind.

Each service call runs in its own app context, so its session starts empty as a request's
does; reusing one session would time the identity map instead of the query. Each series is
measured in three rounds and the quietest round is reported (see ``measure.best_of``).
"""

from dataclasses import dataclass

from workflows.db import db
from workflows.models import User
from workflows.usecases import tasks

from .measure import Stats, best_of, repeat, repeat_part
from .world import Client, World, clerk

# (label, username): a unit clerk, the secretariat, the reviewers' pool, a council member, the chair.
USERS = [
    ("unit clerk (VPTW)", clerk("VPTW")),
    ("secretariat", "sec"),
    ("reviewer", "rev"),
    ("council member", "m1"),
    ("council chair", "chair"),
]
REPEATS, ROUNDS = 60, 5
PAGE = 100


@dataclass(frozen=True)
class InboxFigure:
    label: str
    username: str
    nominations: int
    waiting: int  # ready tasks in the user's inbox; both calls return the first page of up to 100
    rows: int  # how many the first page holds
    service: Stats
    api: Stats
    # The growth with the database is judged on pages of the same number of rows at both sizes:
    # a clerk with 12 tasks at 1,000 nominations and 107 at 10,000 would otherwise compare a page
    # of 12 rows with one of 100. None where the page is already the same (full at both sizes).
    same_page: tuple[Stats, Stats] | None = None


def measure(world: World, client: Client, nominations: int,
            earlier: list[InboxFigure] | None = None) -> list[InboxFigure]:
    """Every user's inbox through the service and through the API, at the current size; with
    ``earlier`` figures, also the page those had, where it was smaller."""
    figures = []
    before = {figure.username: figure for figure in earlier or []}
    for label, username in USERS:
        waiting = int(_get_inbox(client, username).headers["X-Total-Count"])
        service_stats, api_stats = _series(world, client, username, PAGE)
        rows = min(PAGE, waiting)
        same_page = None
        if username in before and before[username].rows < rows:
            same_page = _series(world, client, username, before[username].rows)
        figures.append(InboxFigure(label, username, nominations, waiting, rows, service_stats, api_stats, same_page))
    return figures


def _series(world: World, client: Client, username: str, limit: int) -> tuple[Stats, Stats]:
    def service(watch, user_id=world.user_ids[username]):
        with world.app.app_context():
            user = db.session.get(User, user_id)
            user.roles  # noqa: B018  loaded before the clock starts, as a request's sign-in would
            with watch:
                tasks.inbox(user, limit=limit)

    service_stats = best_of(ROUNDS, lambda: repeat_part(service, REPEATS))
    api_stats = best_of(ROUNDS, lambda: repeat(lambda: _get_inbox(client, username, limit), REPEATS))
    return service_stats, api_stats


def _get_inbox(client: Client, username: str, limit: int = PAGE):
    response = client.get(username, f"/tasks?limit={limit}")
    if response.status_code != 200:
        raise RuntimeError(f"inbox of {username}: {response.status_code}")
    return response
