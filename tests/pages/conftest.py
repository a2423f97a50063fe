"""Helpers for the pages: a browser-like client that signs in through the form."""

import re

from tests.conftest import PASSWORD


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Browser:
    """A test client that keeps its session cookie and posts forms with their CSRF token."""

    def __init__(self, app):
        self.client = app.test_client()

    def get(self, path, **kw):
        return self.client.get(path, **kw)

    def post_form(self, page_path, action, data, **kw):
        token = csrf_token(self.client.get(page_path).get_data(as_text=True))
        return self.client.post(action, data={"csrf_token": token, **data}, **kw)

    def sign_in(self, username, password=PASSWORD):
        response = self.post_form("/sign-in", "/sign-in", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return self
