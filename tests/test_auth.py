"""Logging in, invitations, password reset, rate limiting, CSRF and leaving."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from coordinator.auth import services
from coordinator.auth.models import AccountRole, LoginAttempt, User
from coordinator.extensions import db
from tests.conftest import queued_mail
from tests.factories import PASSWORD, AreaFactory, PersonFactory, UserFactory
from tests.helpers import csrf_token, login, post_form


def _link_from(mail) -> str:  # noqa: ANN001
    text = mail.get_body(("plain",)).get_content()
    match = re.search(r"https://matchtafel\.example\.org(/account/\S+)", text)
    assert match, text
    return match.group(1)


def test_login_page_is_dutch(client):
    response = client.get("/account/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Inloggen bij Matchtafel" in html


def test_login_with_correct_password(client):
    user = UserFactory()
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert "Welkom" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_and_logged(client):
    user = UserFactory()
    response = login(client, user.email, "not the password")
    assert response.status_code == 401
    assert "Onjuist e-mailadres of wachtwoord" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still anonymous
    attempts = db.session.scalars(sa.select(LoginAttempt)).all()
    assert [a.succeeded for a in attempts] == [False]


def test_too_many_failures_block_even_the_right_password(client, app: Flask):
    user = UserFactory()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, user.email, "wrong")
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.get_data(as_text=True)


def test_forged_csrf_token_is_refused(client):
    user = UserFactory()
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert "formulier is verlopen of ongeldig" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt)) == 0


def test_invitation_sets_password_once(client):
    person = PersonFactory(email="nieuw@example.org")
    user = services.invite_user(person, "Nieuw@Example.org", AccountRole.PARTNER)
    assert user.email == "nieuw@example.org"
    assert not user.has_password
    [mail] = queued_mail("invitation")
    assert mail["To"] == "nieuw@example.org"
    link = _link_from(mail)

    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link,
        data={
            "password": "een-nieuw-wachtwoord",
            "confirm": "een-nieuw-wachtwoord",
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.has_password

    client.post(
        "/account/logout",
        data={"csrf_token": csrf_token(client.get("/account/").get_data(as_text=True))},
    )
    reused = client.get(link)
    assert reused.status_code == 400
    assert "al gebruikt" in reused.get_data(as_text=True)


def test_expired_invitation_is_refused(client, app: Flask, monkeypatch):
    person = PersonFactory()
    services.invite_user(person, person.email, AccountRole.PARTNER)
    link = _link_from(queued_mail("invitation")[0])
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)


def test_tampered_link_is_invalid(client):
    person = PersonFactory()
    services.invite_user(person, person.email, AccountRole.PARTNER)
    link = _link_from(queued_mail("invitation")[0])
    response = client.get(link[:-3] + "abc")
    assert response.status_code == 400
    assert "ongeldig" in response.get_data(as_text=True)


def test_coordinator_invitation_needs_an_area():
    person = PersonFactory()
    with pytest.raises(services.DomainError, match="stadsdeel"):
        services.invite_user(person, person.email, AccountRole.COORDINATOR)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    user = services.invite_user(
        person, person.email, AccountRole.COORDINATOR, areas=[AreaFactory()]
    )
    assert len(user.areas) == 1


def test_password_reset_round_trip(client):
    user = UserFactory()
    post_form(client, "/account/forgot", {"email": user.email})
    [mail] = queued_mail("password-reset")
    link = _link_from(mail)
    page = client.get(link)
    client.post(
        link,
        data={
            "password": "nog-een-wachtwoord",
            "confirm": "nog-een-wachtwoord",
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    fresh = client.application.test_client()
    assert login(fresh, user.email, "nog-een-wachtwoord").status_code == 302


def test_unknown_address_gets_no_reset_mail_and_same_answer(client):
    response = post_form(client, "/account/forgot", {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert queued_mail() == []


def test_person_who_left_cannot_log_in_and_loses_session(client):
    user = UserFactory()
    assert login(client, user.email, PASSWORD).status_code == 302
    user.person.left_on = date.today() - timedelta(days=1)  # noqa: DTZ011
    db.session.commit()
    assert client.get("/account/").status_code == 302  # session no longer valid
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 401
    assert "niet (meer) actief" in response.get_data(as_text=True)


def test_password_change_ends_other_sessions(client, app: Flask):
    user = UserFactory()
    login(client, user.email, PASSWORD)
    assert client.get("/account/").status_code == 200
    services.set_password(user, "een-heel-ander-wachtwoord")
    assert client.get("/account/").status_code == 302


def test_language_switch_to_english(client):
    user = UserFactory()
    login(client, user.email, PASSWORD)
    page = client.get("/account/").get_data(as_text=True)
    client.post(
        "/account/language",
        data={"locale": "en", "next": "/account/", "csrf_token": csrf_token(page)},
    )
    db.session.refresh(user)
    assert user.locale == "en"


def test_english_visitor_gets_english_pages(client):
    response = client.get("/account/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in response.text
    assert "Log in to Matchtafel" in response.text
    assert "Inloggen bij Matchtafel" not in response.text


def test_mail_states_its_language():
    user = UserFactory()
    services.request_password_reset(user.email)
    (mail,) = queued_mail("password-reset")
    assert mail["Content-Language"] == "nl"
    assert mail.get_content_type() == "multipart/alternative"


def test_fields_without_autocomplete_hint_render_no_attribute(client):
    html = client.get("/account/forgot").text
    assert 'autocomplete="None"' not in html
    assert 'autocomplete="username"' in client.get("/account/login").text
