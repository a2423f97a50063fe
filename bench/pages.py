"""Server time of the HTML pages a signed-in official opens most: My tasks and a nomination's page.

Each user signs in through the sign-in form (with its CSRF token), as a browser does, and keeps
the session cookie; every request then goes through the whole stack: session, user loader,
the use cases, the templates. The nomination opened is a driven template at the user's step,
so its page has a full timeline, dossier and diagram (copies carry no audit trail).
"""

import re
from dataclasses import dataclass

from flask.testing import FlaskClient

from .measure import Stats, best_of, repeat
from .population import Population
from .world import PASSWORD, World, clerk

# (label, username, the step of the nomination whose page is opened)
USERS = [
    ("unit clerk (VPTW)", clerk("VPTW"), "preparing"),
    ("secretariat", "sec", "checking"),
    ("council chair", "chair", "signing"),
]
REPEATS, ROUNDS = 40, 3


@dataclass(frozen=True)
class PageFigure:
    label: str
    page: str
    nominations: int
    stats: Stats


def measure(world: World, population: Population, nominations: int) -> list[PageFigure]:
    figures = []
    for label, username, step in USERS:
        browser = signed_in(world, username)
        nomination_id = population.templates[step][0].nomination["id"]
        for page, path in (("My tasks (GET /tasks)", "/tasks"),
                           ("nomination page (GET /nominations/<id>)", f"/nominations/{nomination_id}")):
            _get(browser, path)  # the first view fills caches a running server already has
            stats = best_of(ROUNDS, lambda path=path: repeat(lambda: _get(browser, path), REPEATS))
            figures.append(PageFigure(label, page, nominations, stats))
    return figures


def signed_in(world: World, username: str) -> FlaskClient:
    browser = world.app.test_client()
    form = browser.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = browser.post("/sign-in", data={"csrf_token": token, "username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in: {response.status_code}")
    return browser


def _get(browser: FlaskClient, path: str) -> None:
    response = browser.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}")
    response.get_data()  # the body is rendered while it is read
