"""A fresh app and database for every test: SQLite by default, PostgreSQL when TEST_DATABASE_URL is set.

Every JSON answer of the API a test receives is checked against the OpenAPI document when the
test ends (``openapi_contract``): an undocumented status or a body off its schema fails the test.
"""

import io
import logging
import os

import pytest
from sqlalchemy import MetaData, inspect

from webapp import create_app
from workflows.db import db
from workflows.services import instances, reference
from workflows.usecases import accounts

from . import openapi_contract

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BPMN_FOLDER = os.path.join(os.path.dirname(__file__), "..", "bpmn")
PASSWORD = "correct horse"
SIGN = "sign_decision"
FAST_HASH = "pbkdf2:sha256:1000"  # tests only: cheap hashing keeps sign-in fast
# Tests only: every test app seals ballots with this key, and none writes a key file.
BALLOT_KEY = "dGVzdHMgb25seTogdGhlIGtleSB0aGF0IHNlYWxzIGI="

UNIT_A, UNIT_B = "VPTW", "BTCTW"
USERS = [
    ("clerk_a", UNIT_A, ["unit_clerk"]),
    ("head_a", UNIT_A, ["unit_head"]),
    ("clerk_b", UNIT_B, ["unit_clerk"]),
    ("head_b", UNIT_B, ["unit_head"]),
    ("sec", None, ["secretariat"]),
    ("rev", None, ["reviewer"]),
    ("rev2", None, ["reviewer"]),
    ("m1", None, ["council_member"]),
    ("m2", None, ["council_member"]),
    ("m3", None, ["council_member"]),
    ("m4", None, ["council_member"]),
    ("chair", None, ["council_member", "council_chair"]),
    ("aud", None, ["auditor"]),
    ("admin", None, ["admin"]),
]
COUNCIL = ["m1", "m2", "m3", "m4", "chair"]

# Smallest well-formed documents of each accepted type.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def database_url(tmp_path) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "BALLOT_KEY": BALLOT_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"), "MAX_UPLOAD_MB": 1, "BPMN_FOLDER": BPMN_FOLDER,
        "PASSWORD_HASH_METHOD": FAST_HASH, "AUDIT_KEY": None, "AUDIT_KEY_FILE": str(tmp_path / "audit.key"),
    })
    with app.app_context():
        db.drop_all()
        db.create_all()
        reference.load_reference_data()
        instances.deploy(BPMN_FOLDER)
        for username, unit, roles in USERS:
            accounts.create_user(username, PASSWORD, roles=roles, unit_code=unit, full_name=username.title(),
                                 email=f"{username}@example.org", hash_method=FAST_HASH)
        db.session.commit()
    recorder = openapi_contract.Recorder(app)
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            db.drop_all()
        db.engine.dispose()
    undescribed = recorder.problems()
    assert not undescribed, "answers the OpenAPI document does not describe:\n" + "\n".join(undescribed)


class Api:
    """The JSON API as each scenario user sees it: ``api.as_("clerk_a").post(...)``."""

    def __init__(self, client):
        self.client = client
        self.tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self.tokens:
            response = self.client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.get_json()
            self.tokens[username] = response.get_json()["token"]
        return self.tokens[username]

    def as_(self, username: str | None) -> "Caller":
        return Caller(self, username)


class Caller:
    def __init__(self, api: Api, username: str | None):
        self.api, self.username = api, username

    def _headers(self, extra=None):
        own = {"Authorization": f"Bearer {self.api.token(self.username)}"} if self.username else {}
        return {**own, **(extra or {})}

    def get(self, path, headers=None, **kw):
        return self.api.client.get(f"/api/v1{path}", headers=self._headers(headers), **kw)

    def post(self, path, json=None, headers=None, **kw):
        return self.api.client.post(f"/api/v1{path}", json=json, headers=self._headers(headers), **kw)

    def put(self, path, json=None, headers=None, **kw):
        return self.api.client.put(f"/api/v1{path}", json=json, headers=self._headers(headers), **kw)

    def upload(self, nomination_id, kind, content=PDF, filename=None):
        data = {"kind": kind, "file": (io.BytesIO(content), filename or f"{kind}.pdf")}
        return self.api.client.post(f"/api/v1/nominations/{nomination_id}/documents", data=data,
                                    headers=self._headers(), content_type="multipart/form-data")

    # -- conveniences over the raw calls ---------------------------------------------------

    def task(self, nomination_id, key):
        """The one ready task of ``key`` for this nomination in the caller's inbox."""
        found = [t for t in self.get(f"/tasks?key={key}&limit=500").get_json()
                 if t["nomination_id"] == nomination_id]
        assert len(found) == 1, f"{self.username} has {len(found)} {key} task(s) for {nomination_id}"
        return found[0]["id"]

    def complete(self, nomination_id, key, form=None, expect=200):
        form = dict(form or {})
        if key == SIGN:  # signing is an electronic signature: the signer re-enters their password
            form.setdefault("password", PASSWORD)
        response = self.post(f"/tasks/{self.task(nomination_id, key)}/complete", json=form)
        assert response.status_code == expect, response.get_json()
        return response.get_json()


@pytest.fixture
def api(app):
    return Api(app.test_client())


def register(app, unit_code: str, name: str, *, kind="individual", year=2026, username=None) -> str:
    """Put a nominee in the unit's registry with a good record for the year; return their code.

    A person was recruited long ago and assessed "completed tasks well" (HTTNV) that year; a
    collective has the same grade and ten members who are all advanced workers (LDTT).
    """
    from datetime import date

    from sqlalchemy import select

    from workflows.models import Assessment, AwardRecord, Collective, Person, Unit, User

    code = f"{unit_code}-{abs(hash((name, kind))) % 10**8}"
    with app.app_context():
        unit = db.session.execute(select(Unit).where(Unit.code == unit_code)).scalar_one()
        model = Collective if kind == "collective" else Person
        if db.session.execute(select(model).where(model.code == code)).scalar_one_or_none() is None:
            if kind == "collective":
                collective = Collective(code=code, unit_id=unit.id, name=name)
                db.session.add(collective)
                db.session.flush()
                db.session.add(Assessment(collective_id=collective.id, year=year, grade="HTTNV"))
                for i in range(10):
                    member = Person(code=f"{code}-{i}", unit_id=unit.id, collective_id=collective.id,
                                    full_name=f"{name} {i}", recruited_on=date(2015, 1, 5))
                    db.session.add(member)
                    db.session.flush()
                    db.session.add(AwardRecord(person_id=member.id, award_code="LDTT", year=year))
            else:
                user = db.session.execute(select(User).where(User.username == username)).scalar_one() \
                    if username else None
                person = Person(code=code, unit_id=unit.id, full_name=name, position="Chuyên viên",
                                recruited_on=date(2015, 1, 5), user=user)
                db.session.add(person)
                db.session.flush()
                db.session.add(Assessment(person_id=person.id, year=year, grade="HTTNV"))
            db.session.commit()
    return code


@pytest.fixture
def nominate(app, api):
    """Start a nomination as clerk_a for a nominee of the registry and return its id.

    ``registered=False`` nominates someone who is not in the registry (by name only).
    """

    def start(award_type="LDTT", name="Nguyễn Văn Tâm", username=None, clerk="clerk_a", registered=True,
              **extra):
        kind = extra.pop("kind", "individual")
        nominee = {"kind": kind, "name": name, "position": "Chuyên viên"}
        if registered:
            unit = next(unit for user, unit, _ in USERS if user == clerk)
            nominee["code"] = register(app, unit, name, kind=kind, year=extra.get("year", 2026), username=username)
        if username:
            nominee["username"] = username
        response = api.as_(clerk).post("/nominations", json={
            "award_type": award_type, "nominee": nominee, "year": extra.pop("year", 2026),
            "summary": "Hoàn thành xuất sắc nhiệm vụ."})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    return start


@pytest.fixture
def walk(api):
    """Drive a nomination along the happy path up to (not including) a step."""

    def to(nomination_id, step, reviewer=None, clerk="clerk_a", head="head_a"):
        order = ["prepare_dossier", "endorse", "check_dossier", "appraise", "vote", "sign_decision"]
        for key in order[:order.index(step)]:
            if key == "prepare_dossier":
                award = api.as_(clerk).get(f"/nominations/{nomination_id}").get_json()["award_type"]
                kinds = {a["code"]: a for a in api.as_(clerk).get("/award-types").get_json()}[award]
                for kind in kinds["required_documents"]:
                    assert api.as_(clerk).upload(nomination_id, kind).status_code == 201
                api.as_(clerk).complete(nomination_id, key)
            elif key == "endorse":
                api.as_(head).complete(nomination_id, key, {"decision": "endorse", "comment": "OK"})
            elif key == "check_dossier":
                form = {"decision": "accept", "comment": "Complete"}
                if reviewer:
                    form["reviewer"] = reviewer
                api.as_("sec").complete(nomination_id, key, form)
            elif key == "appraise":
                who = reviewer or "rev"
                if not reviewer:
                    task_id = api.as_(who).task(nomination_id, key)
                    assert api.as_(who).post(f"/tasks/{task_id}/claim").status_code == 200
                api.as_(who).complete(nomination_id, key, {"recommendation": "approve", "comment": "Meets criteria"})
            elif key == "vote":
                voters = api.as_("sec").get(f"/nominations/{nomination_id}").get_json()["open_tasks"]
                for task in voters:
                    api.as_(task["assignee"]).complete(nomination_id, "vote", {"vote": "yes"})

    return to


def snapshot() -> dict:
    """Every row of every table, to compare the database before and after a refused request."""
    rows = {}
    for table in db.metadata.sorted_tables:
        result = db.session.execute(table.select()).all()
        rows[table.name] = sorted((tuple(str(v) for v in row) for row in result))
    db.session.rollback()
    return rows


@pytest.fixture
def unchanged(app):
    """Assert that the block changes nothing stored: ``with unchanged(): ...``, or nothing but the tables named."""
    from contextlib import contextmanager

    @contextmanager
    def check(*except_tables):
        with app.app_context():
            before = snapshot()
        yield
        with app.app_context():
            after = snapshot()
        changed = [name for name in before if before[name] != after[name] and name not in except_tables]
        assert not changed, f"tables changed: {changed}"

    return check


def drop_everything() -> None:
    """Remove every table in the database: the models', the migrations' own, and any that an
    older revision has and the models no longer do (a test may leave the schema downgraded)."""
    with db.engine.begin() as connection:
        everything = MetaData()
        everything.reflect(connection)
        everything.drop_all(connection)


@pytest.fixture
def keep_logging():
    """The migration environment reconfigures logging; put it back for the tests that follow."""
    loggers = [logging.getLogger()] + [lg for lg in logging.root.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    saved = [(lg, lg.disabled, lg.level, lg.handlers[:], lg.propagate) for lg in loggers]
    yield
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False  # loggers made during the test start enabled
    for logger, disabled, level, handlers, propagate in saved:
        logger.disabled, logger.level, logger.propagate = disabled, level, propagate
        logger.handlers[:] = handlers


@pytest.fixture
def empty_app(tmp_path, keep_logging):
    """An app on a database without any table: nothing is created but by the code under test."""
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test", "BALLOT_KEY": BALLOT_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"), "BPMN_FOLDER": BPMN_FOLDER,
        "PASSWORD_HASH_METHOD": FAST_HASH, "AUDIT_KEY": None, "AUDIT_KEY_FILE": str(tmp_path / "audit.key"),
    })
    with app.app_context():
        if TEST_DATABASE_URL:
            drop_everything()
        assert inspect(db.engine).get_table_names() == []
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            drop_everything()
        db.engine.dispose()


@pytest.fixture
def browser(app):
    """A page client that signs in through the form: ``browser("sec", HTTP_ACCEPT_LANGUAGE="vi")``."""
    from tests.pages.conftest import Browser  # the pages' helpers import this module

    def make(username=None, **headers):
        b = Browser(app)
        if headers:
            b.client.environ_base.update(headers)
        return b.sign_in(username) if username else b

    return make
