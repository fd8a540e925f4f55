"""Table pages driven like a browser: the rule builder, the calendar views, occurrence forms."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from flask.testing import FlaskClient

from coordinator.extensions import db
from coordinator.tables import schedule, services
from coordinator.tables import seats as seating
from coordinator.tables.models import Meeting, OccurrenceChange, Table
from coordinator.tables.recurrence import Pattern, RuleSpec, Status
from tests.factories import PASSWORD, UserFactory
from tests.helpers import login, post_form
from tests.tables.conftest import Network, next_year, second_tuesday_schedule


def as_coordinator(client: FlaskClient, network: Network) -> None:
    response = login(client, network.coordinator.email, PASSWORD)
    assert response.status_code == 302


def rule_fields(prefix: str = "", **overrides: str) -> dict[str, str]:
    fields = {
        "pattern": "maandelijks-weekdag",
        "interval": "1",
        "nth": "2",
        "weekday": "1",
        "weekdays": "1",
        "month_day": "1",
        "start_day": f"{next_year()}-01-01",
        "start_time": "10:00",
        "end_time": "11:30",
        "end": "nooit",
        "until": "",
        "count": "",
        **overrides,
    }
    return {f"{prefix}{k}": v for k, v in fields.items()}


def make_table(network: Network) -> Table:
    return services.create_table(
        services.TableData(name="Matchtafel Zuidoost", area_id=network.area.id),
        network.coordinator,
        second_tuesday_schedule(),
    )


def test_coordinator_creates_a_table_with_the_dutch_rule_builder(
    client: FlaskClient, network: Network
) -> None:
    as_coordinator(client, network)
    page = client.get("/tafels/nieuw").get_data(as_text=True)
    assert "Wanneer komt de tafel bijeen?" in page
    data = {
        "table-name": "Matchtafel Zuidoost",
        "table-kind": "matchtafel",
        "table-area_id": str(network.area.id),
        "table-location": "Hushu House",
        "table-reminder_days_before": "2",
        **rule_fields("rule-"),
    }
    response = post_form(client, "/tafels/nieuw", data)
    assert response.status_code == 302
    table = db.session.scalar(sa.select(Table))
    assert table.series[0].rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert table.series[0].duration_minutes == 90
    show = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Elke tweede dinsdag van de maand, 10:00–11:30" in show


def test_several_weekdays_with_a_count_is_refused_for_outlook(
    client: FlaskClient, network: Network
) -> None:
    as_coordinator(client, network)
    data = {
        "table-name": "Tafel",
        "table-kind": "matchtafel",
        "table-area_id": str(network.area.id),
        "table-reminder_days_before": "2",
        **rule_fields("rule-", pattern="wekelijks", end="aantal", count="10"),
        "rule-weekdays": ["0", "3"],
    }
    response = post_form(client, "/tafels/nieuw", data)
    assert response.status_code == 400
    assert (
        "Kies bij meerdere weekdagen een einddatum in plaats van een aantal keer: "
        "Outlook telt anders." in response.get_data(as_text=True)
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Table)) == 0
    one_day = {**data, "rule-weekdays": ["0"]}
    assert post_form(client, "/tafels/nieuw", one_day).status_code == 302


def test_impossible_rule_in_the_form_gets_a_dutch_error(
    client: FlaskClient, network: Network
) -> None:
    as_coordinator(client, network)
    data = {
        "table-name": "Tafel",
        "table-kind": "matchtafel",
        "table-area_id": str(network.area.id),
        "table-reminder_days_before": "2",
        **rule_fields("rule-", end="tot", until="2001-01-01"),
    }
    response = post_form(client, "/tafels/nieuw", data)
    assert response.status_code == 400
    assert "De einddatum ligt vóór de startdatum." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Table)) == 0
    end_before_start = {**data, **rule_fields("rule-", end_time="09:00")}
    response = post_form(client, "/tafels/nieuw", end_before_start)
    assert response.status_code == 400
    assert "controleer begin- en eindtijd" in response.get_data(as_text=True)


def test_pages_render_for_the_coordinator(client: FlaskClient, network: Network) -> None:
    table = make_table(network)
    seating.add_seat(
        table,
        organisation_id=network.roles["coa"].organisation_id,
        role_id=network.roles["coa"].id,
        actor=network.coordinator,
    )
    first = schedule.upcoming(table, days=400)[0]
    as_coordinator(client, network)
    year = first.start.year
    month = f"{year}-{first.start.month:02d}"
    pages = {
        "/tafels/": "Matchtafel Zuidoost",
        "/tafels/?gebied=zuidoost": "Zuidoost",
        "/tafels/mijn": "Matchtafel Zuidoost",
        f"/tafels/kalender?maand={month}&gebied=zuidoost": "10:00 Matchtafel Zuidoost",
        f"/tafels/kalender?maand={month}&mijn=1": "Matchtafel Zuidoost",
        f"/tafels/{table.id}": "COA – participatie",
        f"/tafels/{table.id}/planning": "Matchtafel Zuidoost",
        f"/tafels/{table.id}/schema": "Wanneer komt de tafel bijeen?",
        f"/tafels/{table.id}/bewerken": "Matchtafel Zuidoost",
        "/tafels/bijeenkomsten/x": None,
        f"/tafels/{table.id}/bijeenkomsten/{first.recurrence_id:%Y-%m-%dT%H:%M}": "Aanwezigheid",
        f"/tafels/zetels/{table.active_seats[0].id}/overdragen": "Zetel overdragen",
        "/tafels/continuiteit/zuidoost": "Vacante zetels",
    }
    for url, expected in pages.items():
        response = client.get(url)
        if expected is None:
            assert response.status_code == 404, url
            continue
        assert response.status_code == 200, url
        assert expected in response.get_data(as_text=True), url


def test_planning_flags_holidays_and_skips_in_one_click(
    client: FlaskClient, network: Network
) -> None:
    table = services.create_table(
        services.TableData(name="Spreekuur maandag", area_id=network.area.id),
        network.coordinator,
        schedule.Schedule(
            RuleSpec(Pattern.WEEKLY, weekdays=(0,)), date(next_year(), 1, 1), time(9), 60
        ),
    )
    as_coordinator(client, network)
    page = client.get(f"/tafels/{table.id}/planning").get_data(as_text=True)
    assert "Tweede paasdag" in page
    easter_monday = next(o for o in schedule.holiday_clashes(table, days=800))
    url = f"/tafels/{table.id}/bijeenkomsten/{easter_monday.recurrence_id:%Y-%m-%dT%H:%M}/overslaan"
    response = post_form(
        client, url, {"reason": easter_monday.holiday}, page=f"/tafels/{table.id}/planning"
    )
    assert response.status_code == 302
    change = db.session.scalar(sa.select(OccurrenceChange))
    assert change.status == Status.SKIPPED
    assert change.reason == easter_monday.holiday
    show = client.get(f"/tafels/{table.id}").get_data(as_text=True)
    assert f"overgeslagen ({easter_monday.holiday})" in show  # "since last time"


def test_minutes_with_resident_data_are_refused(client: FlaskClient, network: Network) -> None:
    table = make_table(network)
    first = schedule.upcoming(table, days=400)[0]
    as_coordinator(client, network)
    page = f"/tafels/{table.id}/bijeenkomsten/{first.recurrence_id:%Y-%m-%dT%H:%M}"
    response = post_form(
        client, f"{page}/minutes", {"minutes-text": "Bel mevrouw op 0612345678"}, page=page
    )
    assert response.status_code == 302
    assert "persoonsgegevens" in client.get(page).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0
    post_form(client, f"{page}/minutes", {"minutes-text": "GGD regelt de zaal."}, page=page)
    assert db.session.scalar(sa.select(Meeting.minutes)) == "GGD regelt de zaal."


def test_move_through_the_occurrence_page(client: FlaskClient, network: Network) -> None:
    table = make_table(network)
    first = schedule.upcoming(table, days=400)[0]
    as_coordinator(client, network)
    page = f"/tafels/{table.id}/bijeenkomsten/{first.recurrence_id:%Y-%m-%dT%H:%M}"
    new_day = first.recurrence_id.date().replace(day=20)
    response = post_form(
        client,
        f"{page}/verplaatsen",
        {"move-new_day": new_day.isoformat(), "move-new_time": "14:00", "move-location": "COA"},
        page=page,
    )
    assert response.status_code == 302
    moved = schedule.upcoming(table, days=400)[0]
    assert moved.moved
    assert moved.start.date() == new_day
    assert moved.location == "COA"


def test_partner_cannot_change_a_table(client: FlaskClient, network: Network) -> None:
    table = make_table(network)
    partner = UserFactory()
    login(client, partner.email, PASSWORD)
    assert client.get(f"/tafels/{table.id}/bewerken").status_code == 403
    assert client.get("/tafels/continuiteit/zuidoost").status_code == 403
    assert client.get(f"/tafels/{table.id}").status_code == 200
    day = schedule.upcoming(table, days=400)[0].recurrence_id
    url = f"/tafels/{table.id}/bijeenkomsten/{day:%Y-%m-%dT%H:%M}/overslaan"
    response = post_form(client, url, {}, page=f"/tafels/{table.id}")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OccurrenceChange)) == 0


def test_schedule_change_form_is_prefilled_and_splits_a_running_series(
    client: FlaskClient, network: Network
) -> None:
    table = make_table(network)
    as_coordinator(client, network)
    page = client.get(f"/tafels/{table.id}/schema").get_data(as_text=True)
    assert 'value="10:00"' in page
    assert 'value="11:30"' in page
    data = rule_fields(pattern="wekelijks", weekdays="3", start_day=f"{next_year()}-03-01")
    response = post_form(client, f"/tafels/{table.id}/schema", data)
    assert response.status_code == 302
    db.session.expire_all()
    rules = [s.rrule for s in db.session.get(Table, table.id).series]
    # The series had not begun, so it changed in place (same UID, new rule).
    assert rules == ["FREQ=WEEKLY;BYDAY=TH"]


def test_afspraken_and_attendance_through_the_occurrence_page(
    client: FlaskClient, network: Network
) -> None:
    from coordinator.tables.models import ActionItem, ActionStatus, Attendance

    table = make_table(network)
    seat = seating.add_seat(
        table,
        organisation_id=network.roles["ggd"].organisation_id,
        role_id=network.roles["ggd"].id,
        actor=network.coordinator,
    )
    first = schedule.upcoming(table, days=400)[0]
    as_coordinator(client, network)
    page = f"/tafels/{table.id}/bijeenkomsten/{first.recurrence_id:%Y-%m-%dT%H:%M}"
    post_form(
        client,
        f"{page}/afspraken",
        {"action-seat_id": str(seat.id), "action-description": "Zaal reserveren"},
        page=page,
    )
    item = db.session.scalar(sa.select(ActionItem))
    assert item.description == "Zaal reserveren"
    html = client.get(page).get_data(as_text=True)
    assert "Zaal reserveren" in html
    from tests.helpers import csrf_token

    response = client.post(
        f"/tafels/{table.id}/afspraken/{item.id}/status",
        data={"status-status": "afgerond", "status-csrf_token": csrf_token(html), "next": page},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ActionItem, item.id).status == ActionStatus.DONE
    post_form(client, f"{page}/aanwezigheid", {f"seat-{seat.id}": "afwezig"}, page=page)
    assert db.session.scalar(sa.select(Attendance.status)).value == "afwezig"


def test_successor_finds_the_table_under_mijn_tafels(client: FlaskClient, network: Network) -> None:
    table = make_table(network)
    seat = seating.add_seat(
        table,
        organisation_id=network.roles["coa"].organisation_id,
        role_id=network.roles["coa"].id,
        deputy_person_id=network.coa_deputy.id,
        actor=network.coordinator,
    )
    deputy_user = UserFactory(person=network.coa_deputy)
    leaver_user = UserFactory(person=network.holders["coa"])
    seating.hand_over(seat, network.coordinator, promote_deputy=True)
    login(client, deputy_user.email, PASSWORD)
    assert "Matchtafel Zuidoost" in client.get("/tafels/mijn").get_data(as_text=True)
    client.post("/account/logout", data={})
    other = client.application.test_client()
    login(other, leaver_user.email, PASSWORD)
    assert "Matchtafel Zuidoost" not in other.get("/tafels/mijn").get_data(as_text=True)


def test_handover_page_promotes_the_deputy(client: FlaskClient, network: Network) -> None:
    table = make_table(network)
    seat = seating.add_seat(
        table,
        organisation_id=network.roles["coa"].organisation_id,
        role_id=network.roles["coa"].id,
        deputy_person_id=network.coa_deputy.id,
        actor=network.coordinator,
    )
    as_coordinator(client, network)
    url = f"/tafels/zetels/{seat.id}/overdragen"
    bad = post_form(client, url, {"choice": "successor", "successor_person_id": "0"})
    assert bad.status_code == 400
    assert "Kies een opvolger óf schuif de vervanger door." in bad.get_data(as_text=True)
    response = post_form(
        client,
        url,
        {"choice": "deputy", "note": "Lopende afspraken doorgenomen", "from_person_id": "0"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    from coordinator.tables.models import Seat

    assert db.session.get(Seat, seat.id).holders == [network.coa_deputy]
    history = client.get(url).get_data(as_text=True)
    assert "vervanger neemt de zetel over" in history
    assert "Lopende afspraken doorgenomen" in history
    assert "vacant</li>" not in history


def test_since_last_time_does_not_call_a_seat_vacant_when_a_colleague_stays(
    client: FlaskClient, network: Network
) -> None:
    from coordinator.directory import people
    from tests.factories import AssignmentFactory, PersonFactory

    role = network.roles["coa"]
    colleague = PersonFactory(organisation=role.organisation, name="Collega COA")
    AssignmentFactory(person=colleague, role=role)
    table = make_table(network)
    seating.add_seat(
        table, organisation_id=role.organisation_id, role_id=role.id, actor=network.coordinator
    )
    people.leave(network.holders["coa"], date.today(), network.coordinator)  # noqa: DTZ011
    as_coordinator(client, network)
    page = client.get(f"/tafels/{table.id}").get_data(as_text=True)
    since = page[page.index("Sinds de vorige keer") :]
    leaver = network.holders["coa"].display_name
    assert f"{leaver} → vacant" not in since
    assert "een collega blijft houder" in since
