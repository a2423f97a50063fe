"""The inbox: the service query and GET /api/v1/tasks, for users whose inboxes differ in kind.

Each service call runs in its own app context, so its session starts empty as a request's
does; reusing one session would time the identity map instead of the query. Each series is
measured in three rounds and the quietest round is reported (see ``measure.best_of``).
"""

from dataclasses import dataclass

from workflows import tasks
from workflows.db import db
from workflows.models import User

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
REPEATS, ROUNDS = 40, 3


@dataclass(frozen=True)
class InboxFigure:
    label: str
    username: str
    nominations: int
    waiting: int  # ready tasks in the user's inbox; both calls return the first 100
    service: Stats
    api: Stats


def measure(world: World, client: Client, nominations: int) -> list[InboxFigure]:
    """Every user's inbox through the service and through the API, at the current size."""
    figures = []
    for label, username in USERS:
        def service(watch, user_id=world.user_ids[username]):
            with world.app.app_context():
                user = db.session.get(User, user_id)
                user.roles  # noqa: B018  loaded before the clock starts, as a request's sign-in would
                with watch:
                    tasks.inbox(user)

        service_stats = best_of(ROUNDS, lambda: repeat_part(service, REPEATS))
        api_stats = best_of(ROUNDS, lambda name=username: repeat(lambda: _get_inbox(client, name), REPEATS))
        waiting = int(_get_inbox(client, username).headers["X-Total-Count"])
        figures.append(InboxFigure(label, username, nominations, waiting, service_stats, api_stats))
    return figures


def _get_inbox(client: Client, username: str):
    response = client.get(username, "/tasks")
    if response.status_code != 200:
        raise RuntimeError(f"inbox of {username}: {response.status_code}")
    return response
