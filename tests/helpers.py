"""Small helpers for driving the app like a browser: CSRF tokens and logging in."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no csrf_token field"
    return match.group(1)


def post_form(
    client: FlaskClient, url: str, data: dict[str, str], *, page: str | None = None
) -> TestResponse:
    """GET ``page`` (default ``url``) for a CSRF token, then POST ``data`` with it."""
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token(html)})


def login(client: FlaskClient, email: str, password: str) -> TestResponse:
    return post_form(client, "/account/login", {"email": email, "password": password})
