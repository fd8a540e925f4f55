"""Logging in with the keyboard, in Dutch, on a desk and on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.journey import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

DEMO_ACCOUNTS = [
    ("beheer@example.org", "Mirjam de Wit"),
    ("coordinator.zuidoost@example.org", "Kwame Asante"),
    ("redacteur.coa@example.org", "Eva Jansen"),
    ("opbouwwerk.zuidoost@example.org", "Joyce Pinas"),
]


def test_login_page_is_dutch_accessible_and_keyboard_operable(page):
    page.goto("/")
    assert page.url.endswith("/account/login?next=%2F") or "/account/login" in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.title().startswith("Inloggen")
    assert_accessible(page)
    screenshot(page, "login-desktop")

    # Keyboard only: the skip link first, then the form fields in order.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Naar de inhoud"
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type("coordinator.zuidoost@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("matchtafel-demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "Welkom, Kwame Asante" in page.inner_text("h1")


def test_wrong_password_error_is_announced_and_linked(page):
    page.goto("/account/login")
    page.get_by_label("E-mailadres").fill("beheer@example.org")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    alert = page.get_by_role("alert")
    assert "Onjuist e-mailadres of wachtwoord" in alert.inner_text()
    assert_accessible(page)


@pytest.mark.parametrize(("email", "name"), DEMO_ACCOUNTS)
def test_each_demo_account_logs_in(page, email, name):
    log_in(page, email)
    assert name in page.inner_text("h1")
    assert_accessible(page)


def test_phone_login_and_home(phone):
    phone.goto("/account/login")
    assert_accessible(phone)
    screenshot(phone, "login-phone")
    log_in(phone, "opbouwwerk.zuidoost@example.org")
    assert_accessible(phone)
    screenshot(phone, "home-phone")
