"""The JSON API: bearer tokens (UI and CLI), refusals as JSON, and a complete OpenAPI document."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from openapi_spec_validator import validate

from coordinator.auth.models import ApiToken
from coordinator.extensions import db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import csrf_token, login, post_form

_NEW_TOKEN = re.compile(r'<code class="token">(mt_[^<]+)</code>')


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token_from_ui(client, user) -> str:  # noqa: ANN001
    login(client, user.email, PASSWORD)
    response = post_form(client, "/account/tokens", {"name": "rapportage"}, page="/account/")
    assert response.status_code == 200
    match = _NEW_TOKEN.search(response.text)
    assert match, response.text
    return match.group(1)


def test_call_without_token_is_refused_in_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["message"].startswith("Geef een API-token mee")


def test_token_created_in_the_ui_acts_as_its_owner(client):
    user = UserFactory()
    token = _token_from_ui(client, user)
    response = client.get("/api/v1/me", headers=_bearer(token))
    assert response.status_code == 200
    assert response.json["email"] == user.email
    assert response.json["role"] == user.role.value


def test_token_is_stored_only_as_a_hash(client):
    user = UserFactory()
    token = _token_from_ui(client, user)
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert token not in (stored.token_hash, stored.prefix)
    assert stored.prefix == token[:10]


def test_revoked_token_is_refused(client):
    user = UserFactory()
    token = _token_from_ui(client, user)
    stored = db.session.scalars(sa.select(ApiToken)).one()
    page = client.get("/account/").text
    client.post(f"/account/tokens/{stored.id}/revoke", data={"csrf_token": csrf_token(page)})
    response = client.get("/api/v1/me", headers=_bearer(token))
    assert response.status_code == 401
    assert "ingetrokken" in response.json["message"]


def test_unknown_token_is_refused(client):
    response = client.get("/api/v1/me", headers=_bearer("mt_not-a-real-token"))
    assert response.status_code == 401


def test_cli_creates_a_working_token(client, runner):
    user = UserFactory()
    result = runner.invoke(args=["create-api-token", user.email, "--name", "koppeling"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert client.get("/api/v1/me", headers=_bearer(token)).json["email"] == user.email


def test_cli_refuses_unknown_account(runner):
    result = runner.invoke(args=["create-api-token", "niemand@example.org"])
    assert result.exit_code != 0
    assert "Geen actief account" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_token_of_a_person_who_left_stops_working(client, runner):
    user = UserFactory()
    token = runner.invoke(args=["create-api-token", user.email]).output.strip()
    user.person.left_on = date.today() - timedelta(days=1)  # noqa: DTZ011
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_unknown_api_path_answers_json(client, runner):
    user = UserFactory()
    token = runner.invoke(args=["create-api-token", user.email]).output.strip()
    response = client.get("/api/v1/does-not-exist", headers=_bearer(token))
    assert response.status_code == 404
    assert response.is_json
    assert response.json["message"]


def test_openapi_document_is_public_and_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    validate(response.json)


def test_every_api_route_is_documented(app, client):
    document = client.get("/api/v1/openapi.json").json
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in document["paths"].get(path, {}), f"{method} {path}"
