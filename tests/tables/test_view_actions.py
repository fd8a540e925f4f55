"""The table pages' one-click POST actions: what each flashes and where it goes back to.

Every action validates its form (flashing the field errors), calls one service (flashing a
refusal) and flashes its own success message; the tests pin that contract for each route.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coordinator.extensions import db
from coordinator.tables import schedule
from coordinator.tables import seats as seating
from coordinator.tables.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    Guest,
    Meeting,
    OccurrenceChange,
    Seat,
    Table,
    TableStatus,
)
from coordinator.tables.recurrence import Status
from tests.factories import PASSWORD, UserFactory
from tests.helpers import login, post_form
from tests.tables.conftest import Network
from tests.tables.test_views import as_coordinator, make_table

TAKE_PART = "Alleen de coördinator en wie aan deze tafel zit, kunnen dit bijwerken."
MANAGE = "Alleen de coördinator van dit stadsdeel kan deze tafel wijzigen."


@dataclass
class Setting:
    table: Table
    seat: Seat
    page: str  # the occurrence page of the first meeting

    @property
    def show(self) -> str:
        return f"/tafels/{self.table.id}"


@pytest.fixture
def setting(network: Network) -> Setting:
    table = make_table(network)
    seat = seating.add_seat(
        table,
        organisation_id=network.roles["ggd"].organisation_id,
        role_id=network.roles["ggd"].id,
        actor=network.coordinator,
    )
    first = schedule.upcoming(table, days=400)[0]
    page = f"/tafels/{table.id}/bijeenkomsten/{first.recurrence_id:%Y-%m-%dT%H:%M}"
    return Setting(table, seat, page)


def flashes(client: FlaskClient) -> list[tuple[str, str]]:
    """The messages flashed so far (and not yet shown), as (category, message)."""
    with client.session_transaction() as session:
        return [tuple(pair) for pair in session.pop("_flashes", [])]


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def as_outsider(client: FlaskClient) -> None:
    login(client, UserFactory().email, PASSWORD)


def occurrence_posts(s: Setting) -> dict[str, tuple[dict[str, str], str]]:
    """Per occurrence action: the valid form data and the success message."""
    day = s.page.rsplit("/", 1)[1][:10]
    return {
        "agenda": ({"agenda-text": "Kennismaken"}, "Opgeslagen."),
        "minutes": ({"minutes-text": "GGD regelt de zaal."}, "Opgeslagen."),
        "afspraken": (
            {"action-seat_id": str(s.seat.id), "action-description": "Zaal reserveren"},
            "De afspraak is vastgelegd.",
        ),
        "aanwezigheid": ({f"seat-{s.seat.id}": "afwezig"}, "De aanwezigheid is opgeslagen."),
        "gasten": (
            {"guest-name": "Gast", "guest-organisation_name": "VluchtelingenWerk"},
            "De gast is toegevoegd.",
        ),
        "verplaatsen": (
            {"move-new_day": day[:8] + "20", "move-new_time": "14:00"},
            "De bijeenkomst is verplaatst.",
        ),
        "afgelasten": ({"cancel-reason": "Zaal bezet"}, "De bijeenkomst gaat niet door."),
    }


@pytest.mark.parametrize(
    "action",
    ["agenda", "minutes", "afspraken", "aanwezigheid", "gasten", "verplaatsen", "afgelasten"],
)
def test_occurrence_action_flashes_success_and_returns_to_the_occurrence(
    client: FlaskClient, network: Network, setting: Setting, action: str
) -> None:
    data, message = occurrence_posts(setting)[action]
    as_coordinator(client, network)
    flashes(client)
    response = post_form(client, f"{setting.page}/{action}", data, page=setting.page)
    assert response.status_code == 302
    assert response.headers["Location"] == setting.page
    assert flashes(client) == [("success", message)]
    changed = {
        "agenda": lambda: db.session.scalar(sa.select(Meeting.agenda)) == "Kennismaken",
        "minutes": lambda: db.session.scalar(sa.select(Meeting.minutes)) == "GGD regelt de zaal.",
        "afspraken": lambda: count(ActionItem) == 1,
        "aanwezigheid": lambda: count(Attendance) == 1,
        "gasten": lambda: count(Guest) == 1,
        "verplaatsen": lambda: db.session.scalar(sa.select(OccurrenceChange.new_start)) is not None,
        "afgelasten": lambda: (
            db.session.scalar(sa.select(OccurrenceChange.status)) == Status.CANCELLED
        ),
    }
    assert changed[action]()


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("agenda", TAKE_PART),
        ("minutes", TAKE_PART),
        ("afspraken", TAKE_PART),
        ("aanwezigheid", TAKE_PART),
        ("gasten", TAKE_PART),
        ("verplaatsen", MANAGE),
        ("afgelasten", MANAGE),
    ],
)
def test_occurrence_action_refused_by_the_service_flashes_the_refusal(
    client: FlaskClient, setting: Setting, action: str, message: str
) -> None:
    data, _success = occurrence_posts(setting)[action]
    as_outsider(client)
    flashes(client)
    response = post_form(client, f"{setting.page}/{action}", data, page=setting.page)
    assert response.status_code == 302
    assert response.headers["Location"] == setting.page
    assert flashes(client) == [("error", message)]
    for model in (Meeting, ActionItem, Attendance, Guest, OccurrenceChange):
        assert count(model) == 0


@pytest.mark.parametrize(
    ("action", "data", "errors"),
    [
        ("minutes", {"minutes-text": "Bel mevrouw op 0612345678"}, 1),
        ("afspraken", {"action-description": ""}, 2),
        ("gasten", {"guest-name": ""}, 1),
        ("verplaatsen", {"move-new_day": "", "move-new_time": ""}, 2),
        ("afgelasten", {"cancel-reason": "Bel 0612345678"}, 1),
    ],
)
def test_invalid_occurrence_form_flashes_each_field_error_and_changes_nothing(
    client: FlaskClient,
    network: Network,
    setting: Setting,
    action: str,
    data: dict[str, str],
    errors: int,
) -> None:
    as_coordinator(client, network)
    flashes(client)
    response = post_form(client, f"{setting.page}/{action}", data, page=setting.page)
    assert response.status_code == 302
    assert response.headers["Location"] == setting.page
    shown = flashes(client)
    assert len(shown) == errors
    assert all(category == "error" and text for category, text in shown)
    for model in (Meeting, ActionItem, Guest, OccurrenceChange):
        assert count(model) == 0


def test_restore_flashes_success_then_the_refusal_when_nothing_is_changed(
    client: FlaskClient, network: Network, setting: Setting
) -> None:
    as_coordinator(client, network)
    data, _message = occurrence_posts(setting)["afgelasten"]
    post_form(client, f"{setting.page}/afgelasten", data, page=setting.page)
    flashes(client)
    url = f"{setting.page}/terugzetten"
    response = post_form(client, url, {}, page=setting.page)
    assert response.headers["Location"] == setting.page
    assert flashes(client) == [("success", "De bijeenkomst gaat weer door zoals gepland.")]
    assert db.session.scalar(sa.select(OccurrenceChange.status)) == Status.SCHEDULED
    second = schedule.upcoming(setting.table, days=400)[1]
    other = f"/tafels/{setting.table.id}/bijeenkomsten/{second.recurrence_id:%Y-%m-%dT%H:%M}"
    response = post_form(client, f"{other}/terugzetten", {}, page=other)
    assert response.headers["Location"] == other
    assert flashes(client) == [("error", "Deze bijeenkomst is niet gewijzigd.")]


def test_action_status_goes_back_to_a_same_site_next_without_a_flash(
    client: FlaskClient, network: Network, setting: Setting
) -> None:
    as_coordinator(client, network)
    data, _message = occurrence_posts(setting)["afspraken"]
    post_form(client, f"{setting.page}/afspraken", data, page=setting.page)
    item = db.session.scalar(sa.select(ActionItem))
    url = f"/tafels/{setting.table.id}/afspraken/{item.id}/status"
    flashes(client)
    done = {"status-status": "afgerond", "next": setting.page}
    response = post_form(client, url, done, page=setting.page)
    assert response.headers["Location"] == setting.page
    assert flashes(client) == []
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).status == ActionStatus.DONE
    response = post_form(client, url, {**done, "next": "//elders.example"}, page=setting.page)
    assert response.headers["Location"] == setting.show
    bad = post_form(client, url, {"status-status": "kwijt"}, page=setting.page)
    assert bad.headers["Location"] == setting.show
    assert [category for category, _text in flashes(client)] == ["error"]


def test_action_status_refusal_is_flashed(client: FlaskClient, setting: Setting) -> None:
    item = ActionItem(table=setting.table, seat=setting.seat, description="Zaal")
    db.session.add(item)
    db.session.commit()
    as_outsider(client)
    flashes(client)
    url = f"/tafels/{setting.table.id}/afspraken/{item.id}/status"
    response = post_form(client, url, {"status-status": "afgerond"}, page=setting.page)
    assert response.headers["Location"] == setting.show
    assert flashes(client) == [("error", TAKE_PART)]
    assert db.session.get(ActionItem, item.id).status == ActionStatus.OPEN


# --- the table page: skip, pause, end, seats --------------------------------------------------


def test_skip_pause_and_end_flash_and_return_to_next_or_the_table(
    client: FlaskClient, network: Network, setting: Setting
) -> None:
    as_coordinator(client, network)
    table = setting.table
    key = setting.page.rsplit("/", 1)[1]
    flashes(client)
    planning = f"/tafels/{table.id}/planning"
    skipped = post_form(
        client,
        f"/tafels/{table.id}/bijeenkomsten/{key}/overslaan",
        {"reason": "Zomerstop", "next": planning},
        page=planning,
    )
    assert skipped.headers["Location"] == planning
    assert flashes(client) == [("success", "De bijeenkomst wordt overgeslagen.")]
    assert db.session.scalar(sa.select(OccurrenceChange.status)) == Status.SKIPPED

    no_reason = post_form(client, f"/tafels/{table.id}/pauzeren", {"reason": ""}, page=setting.show)
    assert no_reason.headers["Location"] == setting.show
    assert flashes(client) == [("error", "Geef een reden voor de pauze.")]
    paused = post_form(
        client, f"/tafels/{table.id}/pauzeren", {"reason": "Zomer"}, page=setting.show
    )
    assert paused.headers["Location"] == setting.show
    assert flashes(client) == [("success", "De tafel is gepauzeerd.")]
    db.session.expire_all()
    assert db.session.get(Table, table.id).status == TableStatus.PAUSED
    paused_again = post_form(
        client, f"/tafels/{table.id}/pauzeren", {"reason": "Zomer"}, page=setting.show
    )
    assert paused_again.headers["Location"] == setting.show
    assert flashes(client) == [("error", "Alleen een actieve tafel kan pauzeren.")]

    ended = post_form(client, f"/tafels/{table.id}/beeindigen", {}, page=setting.show)
    assert ended.headers["Location"] == setting.show
    assert flashes(client) == [("success", "De tafel is beëindigd.")]
    post_form(client, f"/tafels/{table.id}/beeindigen", {}, page=setting.show)
    assert flashes(client) == [("error", "Deze tafel is al beëindigd.")]


def test_skip_pause_and_end_refused_for_an_outsider(client: FlaskClient, setting: Setting) -> None:
    table = setting.table
    key = setting.page.rsplit("/", 1)[1]
    as_outsider(client)
    flashes(client)
    for url, data in [
        (f"/tafels/{table.id}/bijeenkomsten/{key}/overslaan", {}),
        (f"/tafels/{table.id}/pauzeren", {"reason": "Zomer"}),
        (f"/tafels/{table.id}/beeindigen", {}),
    ]:
        response = post_form(client, url, data, page=setting.show)
        assert response.headers["Location"] == setting.show, url
        assert flashes(client) == [("error", MANAGE)], url
    assert count(OccurrenceChange) == 0
    db.session.expire_all()
    assert db.session.get(Table, table.id).status == TableStatus.ACTIVE


def test_seats_are_added_and_removed_with_a_flash(
    client: FlaskClient, network: Network, setting: Setting
) -> None:
    as_coordinator(client, network)
    url = f"/tafels/{setting.table.id}/zetels"
    coa = {"role_id": str(network.roles["coa"].id), "deputy_person_id": "0"}
    flashes(client)
    response = post_form(client, url, coa, page=setting.show)
    assert response.headers["Location"] == setting.show
    assert flashes(client) == [("success", "De zetel is toegevoegd.")]
    post_form(client, url, coa, page=setting.show)
    assert flashes(client) == [("error", "Deze functie heeft al een zetel aan deze tafel.")]
    post_form(client, url, {"role_id": "", "deputy_person_id": "0"}, page=setting.show)
    assert [category for category, _text in flashes(client)] == ["error"]
    assert len(setting.table.active_seats) == 2

    removal = f"/tafels/zetels/{setting.seat.id}/verwijderen"
    response = post_form(client, removal, {}, page=setting.show)
    assert response.headers["Location"] == setting.show
    assert flashes(client) == [("success", "De zetel is verwijderd.")]
    post_form(client, removal, {}, page=setting.show)
    assert flashes(client) == [("error", "Deze zetel is al verwijderd.")]


def test_seats_refused_for_an_outsider(
    client: FlaskClient, network: Network, setting: Setting
) -> None:
    as_outsider(client)
    flashes(client)
    coa = {"role_id": str(network.roles["coa"].id), "deputy_person_id": "0"}
    post_form(client, f"/tafels/{setting.table.id}/zetels", coa, page=setting.show)
    assert flashes(client) == [("error", MANAGE)]
    post_form(client, f"/tafels/zetels/{setting.seat.id}/verwijderen", {}, page=setting.show)
    assert flashes(client) == [("error", MANAGE)]
    assert count(Seat) == 1
    assert db.session.get(Seat, setting.seat.id).removed_at is None
