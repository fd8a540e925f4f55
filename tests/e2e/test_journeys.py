"""The five journeys of issue 8, each from login to result, axe on every page visited.

The live server is shared by the whole session, so each journey works on its own table,
seat or person and does not depend on the order the journeys run in.
"""

from __future__ import annotations

import email
import re
import urllib.request
from datetime import date, datetime, timedelta
from email.message import Message
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, LiveServer, _context
from tests.e2e.journey import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.zuidoost@example.org"
PARTNER = "opbouwwerk.zuidoost@example.org"
REDACTEUR = "redacteur.coa@example.org"


def visit(page, name: str | None = None) -> None:  # noqa: ANN001
    """Every page a journey sees: a telling title, axe-clean, and optionally a screenshot."""
    # A page's own title before the site name; expect() waits out a navigation in flight.
    expect(page).to_have_title(re.compile(r"^\S.* · Matchtafel$"))
    assert_accessible(page)
    if name:
        screenshot(page, name)


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def assert_no_sideways_scroll(page) -> None:  # noqa: ANN001
    """Nothing on the page sticks out to the right of the viewport (WCAG 1.4.10 reflow)."""
    width = page.viewport_size["width"]
    wide = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40))""",
        width,
    )
    assert not wide, wide[:5]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def first_tuesday_after(day: date) -> date:
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


def create_table(page, name: str, *, count: int = 4) -> str:  # noqa: ANN001
    """Create a monthly table (second Tuesday, 10:00–11:30) in Zuidoost; return its URL."""
    page.goto("/tafels/nieuw")
    visit(page)
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Stadsdeel of wijk").select_option(label="Zuidoost")
    page.get_by_label("Adres").fill("Buurthuis Bijlmerplein, zaal 2")
    page.get_by_label("Vaste agenda").fill("1. Opening\n2. Afspraken\n3. Rondvraag")
    page.get_by_label("Maandelijks op een weekdag (bijv. tweede dinsdag)").check()
    page.get_by_label("De", exact=True).select_option(label="tweede")
    page.get_by_label("Weekdag", exact=True).select_option(label="dinsdag")
    start = first_tuesday_after(today() + timedelta(days=7))
    page.get_by_label("Vanaf", exact=True).fill(start.isoformat())
    page.get_by_label("Begintijd").fill("10:00")
    page.get_by_label("Eindtijd").fill("11:30")
    page.get_by_label("Na een aantal keer").check()
    page.get_by_label("Aantal keer", exact=True).fill(str(count))
    page.get_by_role("button", name="Tafel aanmaken").click()
    page.wait_for_url(re.compile(r".*/tafels/\d+$"))
    assert name in page.inner_text("h1")
    return page.url


def add_seat(page, role_label: str) -> None:  # noqa: ANN001
    page.get_by_text("Zetel toevoegen", exact=True).click()
    select = page.get_by_label("Organisatie – functie")
    option = select.locator("option", has_text=role_label).first
    select.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    page.wait_for_load_state()
    assert role_label.split(" – ")[-1] in page.locator("table.seats").inner_text()


def delivered_mail(live_server: LiveServer) -> list[Message]:
    live_server.flask("send-due")
    return [
        email.message_from_bytes(path.read_bytes())
        for path in sorted(Path(live_server.mail_dir).rglob("*.eml"))
    ]


def calendars(message: Message) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(part.get_payload(decode=True))
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    ]


def text_body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def mail_about(messages: list[Message], table_name: str, to: str) -> list[Message]:
    return [
        m
        for m in messages
        if to in (m["To"] or "")
        and any(table_name in str(c.walk("VEVENT")[0].get("SUMMARY")) for c in calendars(m))
    ]


# --- a) a coordinator creates a table, adds seats, moves a meeting; invites go out ------------


def test_coordinator_creates_table_moves_meeting_and_invites_are_sent(page, live_server):
    log_in(page, COORDINATOR)
    visit(page, "start-desktop")
    table_url = create_table(page, "Wijkoverleg Gein (journey a)")
    add_seat(page, "Buurtteam Zuidoost – Aandachtsfunctionaris nieuwkomers")
    add_seat(page, "Taalhuis Bibliotheek Zuidoost")
    add_seat(page, "Voedselbank Zuidoost")
    visit(page, "table-desktop")
    # A destructive action asks first; the confirm step is keyboard-reachable and axe-clean.
    row = page.locator("table.seats tr", has_text="Voedselbank Zuidoost")
    row.locator("summary").click()
    assert "De zetel verdwijnt van de tafel." in row.inner_text()
    visit(page)
    row.get_by_role("button", name=re.compile("^Ja, zetel verwijderen")).click()
    page.wait_for_load_state()
    assert "Voedselbank Zuidoost" not in page.locator("table.seats").inner_text()
    # Dutch dates: "di 12 jan 2027 10:00–11:30".
    first = page.locator(".agenda-list li").first
    assert re.search(r"^di \d{1,2} \w{3} \d{4},? 10:00–11:30", first.inner_text())

    first.get_by_role("link").click()
    visit(page, "meeting-desktop")
    # The agenda prints without the forms around it.
    page.emulate_media(media="print")
    assert page.locator("pre.print-only").first.is_visible()
    assert "3. Rondvraag" in page.locator("pre.print-only").first.inner_text()
    assert not page.get_by_role("button", name="Agenda opslaan").is_visible()
    screenshot(page, "meeting-print")
    page.emulate_media(media="screen")
    page.get_by_text("Verplaatsen", exact=True).first.click()
    original = page.url
    new_day = first_tuesday_after(today() + timedelta(days=7)) + timedelta(days=2)
    page.get_by_label("Nieuwe datum").fill(new_day.isoformat())
    page.get_by_label("Nieuwe begintijd").fill("14:00")
    page.get_by_role("button", name="Verplaatsen").click()
    page.wait_for_load_state()
    assert page.url == original
    assert "De bijeenkomst is verplaatst." in page.get_by_role("status").first.inner_text()
    visit(page)

    messages = mail_about(
        delivered_mail(live_server),
        "Wijkoverleg Gein (journey a)",
        "m.bakker@buurtteamzuidoost.example.org",
    )
    assert messages, "no invite for the seat holder in the mail folder"
    methods = {str(c.get("METHOD")) for m in messages for c in calendars(m)}
    assert "REQUEST" in methods
    series = next(
        c.walk("VEVENT")[0]
        for m in messages
        for c in calendars(m)
        if c.walk("VEVENT")[0].get("RRULE")
    )
    assert series.get("RRULE")["FREQ"] == ["MONTHLY"]
    moved = [
        e
        for m in messages
        for c in calendars(m)
        for e in c.walk("VEVENT")
        if e.get("RECURRENCE-ID") and e.decoded("DTSTART").date() == new_day
    ]
    assert moved, "the moved meeting was not sent as its own invite"
    page.goto(table_url)
    visit(page)
    # The coordinator's start page now lists the new table's meetings? Only seat holders see
    # their own meetings there; the coordinator holds the Matchtafel Zuidoost seat.
    page.goto("/")
    assert (
        "Matchtafel Zuidoost"
        in page.locator("section[aria-labelledby='meetings-title']").inner_text()
    )


# --- b) a partner creates a feed link and downloads the feed ---------------------------------


def test_partner_creates_feed_link_and_downloads_the_feed(page, live_server):
    log_in(page, PARTNER)
    page.goto("/feeds/")
    visit(page, "feeds-desktop")
    page.get_by_role("button", name="Abonnement op mijn tafels").click()
    page.wait_for_load_state()
    visit(page, "feed-link-desktop")
    url = page.get_by_label("Link (https)").input_value()
    assert url.startswith(live_server.url)
    assert url.endswith(".ics")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        assert response.headers.get_content_type() == "text/calendar"
        calendar = icalendar.Calendar.from_ical(response.read())
    summaries = {str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")}
    assert "Matchtafel Zuidoost" in summaries  # Joyce holds the opbouwwerk seat there
    page.goto("/feeds/")
    visit(page)
    assert "nog niet" not in page.locator("table").inner_text()


def test_start_page_quick_lookup_works_with_the_keyboard_only(page):
    log_in(page, PARTNER)
    visit(page)
    page.get_by_label("Thema").focus()
    page.keyboard.type("Huisv")
    page.keyboard.press("Tab")
    page.keyboard.type("Ongedoc")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Zoeken"
    page.keyboard.press("Enter")
    page.wait_for_url("**/wie-doet-wat/?*")
    assert "topic=huisvesting" in page.url
    assert "target_group=ongedocumenteerden" in page.url
    visit(page)


# --- c) an opbouwwerker on a phone asks "Wie doet wat?" --------------------------------------


def test_opbouwwerker_on_phone_sees_the_buurtteam_boundary(phone):
    log_in(phone, PARTNER)
    phone.get_by_role("link", name="Wie doet wat?").first.click()
    visit(phone, "lookup-phone")
    menu = phone.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Wie doet wat?").get_attribute("aria-current") == "page"
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Thema").select_option(label="Huisvesting")
    phone.get_by_label("Doelgroep").select_option(label="Ongedocumenteerden")
    phone.get_by_label("Wijk of stadsdeel").select_option(value="zuidoost")
    phone.get_by_role("button", name="Zoeken").click()
    phone.wait_for_load_state()
    visit(phone, "lookup-result-phone")
    boundaries = phone.locator("section[aria-labelledby='boundaries-title']")
    text = boundaries.inner_text()
    assert "Buurtteam Zuidoost" in text
    assert "BSN" in text
    # Nothing scrolls sideways on a phone.
    assert_no_sideways_scroll(phone)


# --- d) a seat holder leaves and the coordinator hands the seat over -------------------------


def test_seat_holder_leaves_and_coordinator_hands_over(browser, live_server):
    redacteur = _context(browser, live_server, DESKTOP).new_page()
    log_in(redacteur, REDACTEUR)
    redacteur.goto("/wie-doet-wat/organisaties/coa-zuidoost")
    visit(redacteur, "organisation-desktop")
    redacteur.get_by_role("link", name=re.compile(r"^uit dienst melden\W+Rob Meijer$")).click()
    visit(redacteur)
    redacteur.get_by_role("button", name=re.compile("uit dienst", re.I)).click()
    redacteur.wait_for_load_state()
    assert "Rob Meijer is uit dienst gemeld" in redacteur.get_by_role("status").first.inner_text()
    visit(redacteur)
    redacteur.context.close()

    coordinator = _context(browser, live_server, DESKTOP).new_page()
    log_in(coordinator, COORDINATOR)
    coordinator.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Tafels", exact=True
    ).click()
    coordinator.get_by_role("link", name="Partnerspreekuur Bijlmer").first.click()
    visit(coordinator)
    row = coordinator.locator("table.seats tr", has_text="Woonbegeleiding")
    row.get_by_role("link", name="Overdragen").click()
    visit(coordinator, "handover-desktop")
    coordinator.get_by_label("Een opvolger").check()
    coordinator.get_by_label("Opvolger", exact=True).select_option(label="Yonas Tesfay")
    coordinator.get_by_label("Overdrachtsnotitie").fill("Neemt de woonbegeleiding over.")
    coordinator.get_by_role("button", name="Overdragen").click()
    coordinator.wait_for_url(re.compile(r".*/tafels/\d+$"))
    assert "De zetel is overgedragen." in coordinator.get_by_role("status").first.inner_text()
    row = coordinator.locator("table.seats tr", has_text="Woonbegeleiding")
    assert "Yonas Tesfay" in row.inner_text()
    visit(coordinator)
    coordinator.context.close()


# --- e) an RSVP link from a delivered invite, opened without logging in -----------------------


def test_rsvp_link_from_an_invite_works_without_login(browser, live_server):
    coordinator = _context(browser, live_server, DESKTOP).new_page()
    log_in(coordinator, COORDINATOR)
    create_table(coordinator, "Taalcafé Holendrecht (journey e)", count=2)
    add_seat(coordinator, "Geldpunt Zuidoost")
    coordinator.context.close()

    messages = [
        m
        for m in delivered_mail(live_server)
        if "Taalcafé Holendrecht"
        in str(email.header.make_header(email.header.decode_header(m["Subject"])))
    ]
    assert messages, "no invite delivered for the new table"
    links = re.findall(r"https?://\S+/rsvp/[\w.-]+", text_body(messages[0]))
    assert links, "the invite carries no RSVP link"
    accept = links[0]

    guest = _context(browser, live_server, PHONE, is_mobile=True, has_touch=True).new_page()
    guest.goto(accept)
    assert "/account/login" not in guest.url
    visit(guest, "rsvp-phone")
    assert_no_sideways_scroll(guest)
    guest.get_by_role("button", name=re.compile("^Bevestig")).click()
    guest.wait_for_load_state()
    visit(guest, "rsvp-done-phone")
    assert "/account/login" not in guest.url
    assert "Dank" in guest.inner_text("main") or "doorgegeven" in guest.inner_text("main")
    guest.context.close()


# --- errors, print and the public sociale kaart ------------------------------------------------


def test_form_errors_are_linked_to_their_fields(page):
    log_in(page, COORDINATOR)
    page.goto("/tafels/nieuw")
    page.get_by_role("button", name="Tafel aanmaken").click()
    page.wait_for_load_state()
    name = page.get_by_label("Naam", exact=True)
    assert name.get_attribute("aria-invalid") == "true"
    error_id = name.get_attribute("aria-describedby")
    assert page.locator(f"#{error_id}").inner_text() == "Geef de tafel een naam."
    visit(page, "table-errors-desktop")


def test_rule_builder_shows_only_the_fields_of_the_chosen_pattern(page):
    log_in(page, COORDINATOR)
    page.goto("/tafels/nieuw")
    weekday, month_day = (
        page.get_by_label("Weekdag", exact=True),
        page.get_by_label("Dag van de maand", exact=True),
    )
    monday = page.get_by_label("maandag", exact=True)
    until, count = (
        page.get_by_label("Einddatum", exact=True),
        page.get_by_label("Aantal keer", exact=True),
    )
    expect(weekday).to_be_visible()
    for hidden in (month_day, monday, until, count):
        expect(hidden).to_be_hidden()
    page.get_by_label("Wekelijks of om de paar weken").check()
    expect(monday).to_be_visible()
    expect(weekday).to_be_hidden()
    page.get_by_label("Maandelijks op een dag van de maand").check()
    expect(month_day).to_be_visible()
    expect(monday).to_be_hidden()
    page.get_by_label("Tot en met").check()
    expect(until).to_be_visible()
    expect(count).to_be_hidden()
    visit(page, "rule-builder-phone")


def test_sociale_kaart_prints_without_the_site_around_it(page):
    page.goto("/wie-doet-wat/sociale-kaart/zuidoost")
    visit(page, "sociale-kaart-desktop")
    page.goto("/wie-doet-wat/sociale-kaart/zuidoost/afdrukken")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert "Buurtteam Zuidoost" in page.inner_text("body")
    screenshot(page, "sociale-kaart-print")
