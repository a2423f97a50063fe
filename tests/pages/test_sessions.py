"""Browser sessions kept on the server: signing out, a new password, a deactivation and the idle and
absolute limits end them for good; answers are not cached; HTTPS is insisted on once used."""

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from tests.conftest import PASSWORD
from webapp import create_app
from webapp.safeguards import client_address
from workflows.db import db
from workflows.models import ApiToken, User, UserSession
from workflows.services import audit
from workflows.usecases import sessions


def tokens_of(app, username):
    with app.app_context():
        user_id = db.session.execute(select(User.id).where(User.username == username)).scalar_one()
        return db.session.execute(select(ApiToken).where(ApiToken.user_id == user_id)).scalars().all()


def test_changing_ones_password_ends_the_other_sessions_and_tokens(app, api, browser):
    laptop, phone = browser("head_a"), browser("head_a")
    api.token("head_a")
    assert tokens_of(app, "head_a") and phone.get("/tasks").status_code == 200
    response = laptop.post_form("/account", "/account", {
        "pw-current_password": PASSWORD, "pw-new_password": "a new secret", "pw-confirm": "a new secret"})
    assert response.status_code == 302
    assert laptop.get("/tasks").status_code == 200  # where the change was made stays signed in
    stale = phone.get("/tasks")
    assert stale.status_code == 302 and "/sign-in" in stale.headers["Location"]
    assert api.as_("head_a").get("/me").status_code == 401 and tokens_of(app, "head_a") == []
    assert browser("head_b").get("/tasks").status_code == 200  # nobody else is affected


def test_a_wrong_current_password_ends_nothing(app, api, browser):
    laptop, phone = browser("head_a"), browser("head_a")
    api.token("head_a")
    response = laptop.post_form("/account", "/account", {
        "pw-current_password": "not it at all", "pw-new_password": "a new secret", "pw-confirm": "a new secret"})
    assert response.status_code == 200 and "Wrong password" in response.get_data(as_text=True)
    assert phone.get("/tasks").status_code == 200 and api.as_("head_a").get("/me").status_code == 200


def test_guessing_the_current_password_on_the_account_page_is_throttled(browser):
    b = browser("head_a")
    guess = {"pw-current_password": "not it", "pw-new_password": "a new secret", "pw-confirm": "a new secret"}
    assert [b.post_form("/account", "/account", guess).status_code for _ in range(3)] == [200] * 3
    response = b.post_form("/account", "/account", {**guess, "pw-current_password": PASSWORD})
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert "wait 1 second" in response.get_data(as_text=True)
    elsewhere = browser(REMOTE_ADDR="10.9.9.9")
    assert elsewhere.post_form("/sign-in", "/sign-in", {"username": "head_a", "password": "a new secret"}
                               ).status_code == 401  # nothing was changed


def test_an_admin_reset_signs_the_user_out_everywhere(app, api, browser):
    rev_session = browser("rev")
    assert rev_session.get("/tasks").status_code == 200
    admin = browser("admin")
    response = admin.post_form("/admin/users/rev", "/admin/users/rev/password",
                               {"pw-password": "brand new secret", "pw-confirm": "brand new secret"})
    assert response.status_code == 302
    assert rev_session.get("/tasks").status_code == 302
    assert admin.get("/admin/users").status_code == 200
    fresh = browser().sign_in("rev", "brand new secret")
    assert fresh.get("/tasks").status_code == 200


def test_an_admin_resetting_their_own_password_stays_signed_in_here_only(browser):
    here, elsewhere = browser("admin"), browser("admin")
    response = here.post_form("/admin/users/admin", "/admin/users/admin/password",
                              {"pw-password": "brand new secret", "pw-confirm": "brand new secret"})
    assert response.status_code == 302
    assert here.get("/admin/users").status_code == 200
    assert elsewhere.get("/admin/users").status_code == 302


def test_a_deactivated_then_reactivated_user_must_sign_in_again(app, browser):
    from workflows.usecases import administration

    session = browser("rev")
    with app.app_context():
        admin = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        rev = db.session.execute(select(User).where(User.username == "rev")).scalar_one()
        facts = {"full_name": rev.full_name, "email": rev.email, "unit_code": None, "roles": ["reviewer"]}
        administration.update_user(admin, "rev", active=False, **facts)
        administration.update_user(admin, "rev", active=True, **facts)
    assert session.get("/tasks").status_code == 302


# -- sessions kept on the server ----------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 7, 8, 0, 0)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(sessions, "utcnow", frozen)
    return frozen


def cookie_of(b) -> str:
    return b.client.get_cookie("session").value


def replay(app, cookie, **headers):
    """A stranger's client presenting a copied session cookie."""
    thief = app.test_client()
    thief.environ_base.update(headers)
    thief.set_cookie("session", cookie)
    return thief


def refused_with(client, path="/tasks") -> str:
    """Follow a refusal to the sign-in page; what it says."""
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def session_rows(app, username):
    with app.app_context():
        return db.session.execute(select(UserSession).join(User).where(User.username == username)
                                  .order_by(UserSession.id)).scalars().all()


def test_a_cookie_replayed_after_sign_out_is_refused(app, browser):
    b = browser("head_a")
    cookie = cookie_of(b)
    assert replay(app, cookie).get("/tasks").status_code == 200  # the copy works while the session is open
    assert b.post_form("/tasks", "/sign-out", {}).status_code == 302
    assert "Your session has ended. Please sign in again." in refused_with(replay(app, cookie))
    assert "Phiên làm việc của bạn đã kết thúc" in refused_with(replay(app, cookie, HTTP_ACCEPT_LANGUAGE="vi"))
    [row] = session_rows(app, "head_a")
    assert row.end_reason == "signed_out" and row.ended_at is not None
    with app.app_context():
        [event] = audit.search(action="signed_out")
        assert event.actor == "head_a" and event.details == {"session": row.id}


def test_the_cookie_holds_only_a_random_token_whose_hash_is_stored(app, browser):
    b = browser("head_a")
    content = app.session_interface.get_signing_serializer(app).loads(cookie_of(b))
    token = content["_user_id"]
    [row] = session_rows(app, "head_a")
    assert len(token) >= 43 and str(row.user_id) not in token.split(":")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in repr(row.__dict__)


def test_every_sign_in_gets_a_new_token(app, browser):
    b = browser("head_a")
    first = cookie_of(b)
    b.post_form("/tasks", "/sign-out", {})
    b.sign_in("head_a")
    assert cookie_of(b) != first and b.get("/tasks").status_code == 200
    assert replay(app, first).get("/tasks").status_code == 302


def test_after_a_password_change_the_other_sessions_and_the_old_cookie_fail(app, browser):
    laptop, phone = browser("head_a"), browser("head_a")
    before = cookie_of(laptop)
    laptop.post_form("/account", "/account", {
        "pw-current_password": PASSWORD, "pw-new_password": "a new secret", "pw-confirm": "a new secret"})
    assert laptop.get("/tasks").status_code == 200 and cookie_of(laptop) != before
    assert "because the password was changed" in refused_with(phone)
    assert replay(app, before).get("/tasks").status_code == 302
    assert [r.end_reason for r in session_rows(app, "head_a")] == ["password_changed", "password_changed", None]


def test_an_idle_session_ends_after_thirty_minutes(app, browser, clock):
    b = browser("head_a")
    for _ in range(3):  # active now and then: the session goes on
        clock.advance(minutes=29)
        assert b.get("/tasks").status_code == 200
    cookie = cookie_of(b)
    clock.advance(minutes=30)
    assert "after 30 minutes without activity" in refused_with(b)
    assert replay(app, cookie).get("/tasks").status_code == 302  # and it stays ended
    assert [r.end_reason for r in session_rows(app, "head_a")] == ["idle"]
    with app.app_context():
        assert audit.search(action="signed_out") == []  # an idle end is routine: the session row keeps it


def test_a_session_ends_twelve_hours_after_sign_in_however_active(app, browser, clock):
    b = browser(HTTP_ACCEPT_LANGUAGE="vi").sign_in("head_a")
    for _ in range(35):
        clock.advance(minutes=20)
        assert b.get("/tasks").status_code == 200
    clock.advance(minutes=20)  # 12 hours after signing in
    assert "kéo dài tối đa 12 giờ" in refused_with(b)
    assert [r.end_reason for r in session_rows(app, "head_a")] == ["expired"]


def test_the_limits_come_from_the_settings(app, browser, clock):
    app.config.update(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    b = browser("head_a")
    clock.advance(minutes=6)
    assert "after 5 minutes without activity" in refused_with(b)


def test_last_seen_is_written_at_most_once_a_minute(app, browser, clock):
    b = browser("head_a")
    writes = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE USER_SESSION"):
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(5):
            clock.advance(seconds=10)
            assert b.get("/tasks").status_code == 200
        assert writes == []
        clock.advance(seconds=20)
        assert b.get("/tasks").status_code == 200
        assert len(writes) == 1
    finally:
        event.remove(engine, "before_cursor_execute", count)
    [row] = session_rows(app, "head_a")
    assert row.last_seen_at == clock.now


def test_the_account_page_lists_the_sessions_and_signs_out_the_others(app, browser):
    laptop = browser("head_a")
    phone = browser(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 "
                                   "Firefox/128.0").sign_in("head_a")
    page = laptop.get("/account").get_data(as_text=True)
    assert "Firefox · Windows" in page and "This session" in page and "Sign out my other sessions" in page
    response = laptop.post_form("/account", "/account/sessions/end-others", {})
    assert response.status_code == 302
    assert "Your other sessions were signed out (1)." in laptop.get("/account").get_data(as_text=True)
    assert "signed out from another" in refused_with(phone)
    assert laptop.get("/tasks").status_code == 200
    with app.app_context():
        [ended] = audit.search(action="sessions_ended")
        assert ended.actor == "head_a" and ended.details["count"] == 1


def test_old_sessions_are_purged(app, browser, clock):
    browser("head_a")
    clock.advance(days=91)
    browser("head_b")
    with app.app_context():
        assert sessions.purge(clock.now) == 1
    assert [r.user.username for r in session_rows(app, "head_b")] == ["head_b"]


# -- what every answer says about caching and transport ------------------------------------------


def test_pages_and_api_answers_are_not_stored_but_static_files_are_cacheable(app, api, browser):
    b = browser("head_a")
    assert b.get("/tasks").headers["Cache-Control"] == "no-store"
    assert api.as_("head_a").get("/me").headers["Cache-Control"] == "no-store"
    refused = api.client.post("/api/v1/auth/token", json={"username": "head_a", "password": "nope"})
    assert refused.status_code == 401 and refused.headers["Cache-Control"] == "no-store"
    assert "no-store" not in b.get("/static/laurel.css").headers.get("Cache-Control", "")


def test_hsts_only_over_https(browser):
    b = browser()
    assert "Strict-Transport-Security" not in b.get("/sign-in").headers
    secure = b.get("/sign-in", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.fixture
def proxied_app(app):
    """The same database served behind one trusted reverse proxy."""
    behind = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                                       "UPLOAD_FOLDER", "BPMN_FOLDER", "PASSWORD_HASH_METHOD")},
                         "TRUSTED_PROXIES": 1})
    yield behind
    with behind.app_context():
        db.session.remove()
        db.engine.dispose()


def test_behind_a_trusted_proxy_its_forwarded_client_and_scheme_count(app, proxied_app):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    response = proxied_app.test_client().post("/api/v1/auth/token", json={"username": "rev", "password": "x"},
                                              headers=forwarded)
    assert response.status_code == 401 and "Strict-Transport-Security" in response.headers
    direct = app.test_client().post("/api/v1/auth/token", json={"username": "rev", "password": "x"},
                                    headers=forwarded)  # not behind a proxy: the headers are anyone's words
    assert "Strict-Transport-Security" not in direct.headers
    with app.app_context():
        sources = sorted(e.details["source"] for e in audit.search(action="sign_in_failed"))
    assert sources == ["127.0.0.1", "203.0.113.9"]


@pytest.mark.parametrize("remote, counted", [
    ("192.0.2.7", "192.0.2.7"), ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"), ("::ffff:10.0.0.1", "10.0.0.1"),
    ("not an address", "unknown"),
])
def test_the_client_address_as_the_throttle_counts_it(app, remote, counted):
    with app.test_request_context(environ_base={"REMOTE_ADDR": remote}):
        assert client_address() == counted


@pytest.mark.parametrize(("user_agent", "named"), [
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
     "Chrome · Linux"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox · Windows"),
    ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0", "Edge · Windows"),
    ("curl/8.5.0", None),
    ("", None),
])
def test_a_session_names_the_browser_a_person_recognises_and_nothing_else(user_agent, named):
    from webapp.session_cookie import device
    assert device(user_agent) == named


def test_the_account_page_calls_a_tool_an_unknown_browser_in_the_readers_language(browser):
    html = browser("head_a", HTTP_ACCEPT_LANGUAGE="vi").get("/account").get_data(as_text=True)
    assert "Trình duyệt không xác định" in html and "Werkzeug" not in html
