"""Signing in and out through the pages: sessions, CSRF, throttling, headers."""

import re

from tests.pages.conftest import csrf_token


def test_pages_need_a_signed_in_user(browser):
    response = browser().get("/tasks")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_sign_in_lands_on_my_tasks(browser):
    b = browser("head_a")
    page = b.get("/tasks").get_data(as_text=True)
    assert "My tasks" in page and "Head_A" in page


def test_wrong_password_is_refused_and_audited(app, browser):
    b = browser()
    response = b.post_form("/sign-in", "/sign-in", {"username": "head_a", "password": "nope"})
    assert response.status_code == 401 and "Unknown username or wrong password" in response.get_data(as_text=True)
    from workflows.services import audit

    with app.app_context():
        assert [e.details["username"] for e in audit.search(action="sign_in_failed")] == ["head_a"]


def test_repeated_failures_make_the_next_attempt_wait(browser):
    b = browser()
    for _ in range(3):
        assert b.post_form("/sign-in", "/sign-in", {"username": "sec", "password": "bad"}).status_code == 401
    response = b.post_form("/sign-in", "/sign-in", {"username": "sec", "password": "correct horse"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert "Too many failed password attempts; wait 1 second, then try again." in response.get_data(as_text=True)
    vietnamese = browser(HTTP_ACCEPT_LANGUAGE="vi")
    response = vietnamese.post_form("/sign-in", "/sign-in", {"username": "sec", "password": "correct horse"})
    assert response.status_code == 429 and "vui lòng chờ 1 giây rồi thử lại" in response.get_data(as_text=True)
    assert browser("head_a").get("/tasks").status_code == 200  # other users are not affected


def test_someone_failing_on_purpose_elsewhere_does_not_lock_the_user_out(browser):
    browser("chair")  # the chair's own machine has signed in before
    attacker = browser(REMOTE_ADDR="203.0.113.66")
    codes = [attacker.post_form("/sign-in", "/sign-in", {"username": "chair", "password": "guess"}).status_code
             for _ in range(8)]
    assert codes == [401] * 3 + [429] * 5
    assert browser("chair").get("/tasks").status_code == 200


def test_api_tokens_are_throttled_too(api):
    for _ in range(3):
        assert api.client.post("/api/v1/auth/token", json={"username": "rev", "password": "x"}).status_code == 401
    response = api.client.post("/api/v1/auth/token", json={"username": "rev", "password": "correct horse"},
                               headers={"Accept-Language": "vi"})
    error = response.get_json()["error"]
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert error["code"] == "sign_in.throttled" and error["params"] == {"seconds": 1}
    assert error["message"] == "Nhập sai mật khẩu quá nhiều lần; vui lòng chờ 1 giây rồi thử lại."


def test_a_form_posted_without_its_csrf_token_is_refused(browser):
    b = browser()
    response = b.client.post("/sign-in", data={"username": "head_a", "password": "correct horse"})
    assert response.status_code == 400
    signed_in = browser("head_a")
    assert signed_in.client.post("/sign-out").status_code == 400
    assert signed_in.get("/tasks").status_code == 200


def test_sign_out_ends_the_session(browser):
    b = browser("head_a")
    response = b.post_form("/tasks", "/sign-out", {})
    assert response.status_code == 302
    assert b.get("/tasks").status_code == 302


def test_session_cookie_is_http_only_and_same_site(app):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    response = client.post("/sign-in", data={"csrf_token": csrf_token(page), "username": "head_a",
                                             "password": "correct horse"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires" not in cookie  # no remember-me: the session ends with the browser


def test_security_headers_allow_only_our_own_origin(browser):
    response = browser().get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "cdn" not in page.lower() and "https://" not in page
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert len(stylesheets) == 2
    for href in stylesheets:
        assert browser().get(href).status_code == 200


def test_next_parameter_cannot_send_the_user_elsewhere(browser):
    b = browser()
    page = b.get("/sign-in?next=https://evil.example/").get_data(as_text=True)
    response = b.client.post("/sign-in?next=https://evil.example/", data={
        "csrf_token": csrf_token(page), "username": "head_a", "password": "correct horse"})
    assert response.headers["Location"].endswith("/tasks")


def test_password_change(browser):
    b = browser("head_a")
    response = b.post_form("/account", "/account", {
        "pw-current_password": "correct horse", "pw-new_password": "a new secret", "pw-confirm": "a new secret"})
    assert response.status_code == 302
    b.post_form("/tasks", "/sign-out", {})
    assert browser().post_form("/sign-in", "/sign-in", {"username": "head_a", "password": "correct horse"}
                               ).status_code == 401
    browser().sign_in("head_a", "a new secret")
