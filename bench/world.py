"""A throw-away Laurel installation: the app on SQLite in a temporary folder, with people.

The benchmark must never read or write the project's instance folder, so the Flask
instance path is pointed at the temporary folder while the app is built; everything the
app stores (database, uploads) lives there and disappears with it.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask

from webapp import create_app
from workflows.db import db
from workflows.models import User
from workflows.services import instances, reference
from workflows.usecases import accounts

BPMN_FOLDER = os.path.join(os.path.dirname(__file__), "..", "bpmn")
PASSWORD = "bench-password"
# Cheap hashing: sign-in is not what is measured and must not dominate the run.
FAST_HASH = "pbkdf2:sha256:1000"
COUNCIL = ["m1", "m2", "m3", "m4", "chair"]
BLOC_USERS = [
    ("sec", ["secretariat"]), ("rev", ["reviewer"]), ("rev2", ["reviewer"]),
    ("m1", ["council_member"]), ("m2", ["council_member"]), ("m3", ["council_member"]),
    ("m4", ["council_member"]), ("chair", ["council_member", "council_chair"]), ("aud", ["auditor"]),
]


def clerk(unit_code: str) -> str:
    return f"clerk_{unit_code.lower()}"


def head(unit_code: str) -> str:
    return f"head_{unit_code.lower()}"


@dataclass
class World:
    """The app plus what the scenarios need to find quickly: units and user ids by name."""

    app: Flask
    folder: str
    unit_ids: dict[str, int] = field(default_factory=dict)  # code -> id
    user_ids: dict[str, int] = field(default_factory=dict)  # username -> id

    def user(self, username: str) -> User:
        """The user, in the current app context's session."""
        return db.session.get(User, self.user_ids[username])

    def unit_code(self, unit_id: int) -> str:
        return next(code for code, uid in self.unit_ids.items() if uid == unit_id)


@contextmanager
def _instance_path(folder: str):
    """Make Flask place its instance folder in ``folder`` while the app is created."""
    original = Flask.auto_find_instance_path
    Flask.auto_find_instance_path = lambda self: folder
    try:
        yield
    finally:
        Flask.auto_find_instance_path = original


def build(folder: str) -> World:
    """A fresh database with the reference data, the process, a clerk and a head per unit, the bloc."""
    with _instance_path(os.path.join(folder, "instance")):
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(folder, 'bench.sqlite')}",
            "UPLOAD_FOLDER": os.path.join(folder, "uploads"), "MAX_UPLOAD_MB": 1, "BPMN_FOLDER": BPMN_FOLDER,
            "PASSWORD_HASH_METHOD": FAST_HASH,
        })
    world = World(app, folder)
    with app.app_context():
        db.create_all()
        reference.load_reference_data()
        instances.deploy(BPMN_FOLDER)
        for unit in accounts.units():
            world.unit_ids[unit.code] = unit.id
            for name, role in ((clerk(unit.code), "unit_clerk"), (head(unit.code), "unit_head")):
                accounts.create_user(name, PASSWORD, roles=[role], unit_code=unit.code, hash_method=FAST_HASH)
        for name, roles in BLOC_USERS:
            accounts.create_user(name, PASSWORD, roles=roles, hash_method=FAST_HASH)
        db.session.commit()
        world.user_ids = {u.username: u.id for u in db.session.query(User)}
    return world


class Client:
    """The JSON API through Flask's test client, one bearer token per user (signed in once)."""

    def __init__(self, app: Flask):
        self.client = app.test_client()
        self.tokens: dict[str, dict] = {}

    def headers(self, username: str) -> dict:
        if username not in self.tokens:
            body = {"username": username, "password": PASSWORD}
            response = self.client.post("/api/v1/auth/token", json=body)
            assert response.status_code == 200, response.get_json()
            self.tokens[username] = {"Authorization": f"Bearer {response.get_json()['token']}"}
        return self.tokens[username]

    def get(self, username: str, path: str):
        return self.client.get(f"/api/v1{path}", headers=self.headers(username))

    def post(self, username: str, path: str, body=None):
        return self.client.post(f"/api/v1{path}", json=body or {}, headers=self.headers(username))
