"""The table and meeting pages as a coordinator reads them: overdue afspraken stand out, the
status buttons say which afspraak they close, the last meetings are one click away, and
attendance reads as words in the reader's language."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient

from coordinator.extensions import db
from coordinator.tables import meetings, schedule, services
from coordinator.tables import seats as seating
from tests.factories import PASSWORD, UserFactory
from tests.helpers import login
from tests.tables.conftest import Network, second_tuesday_schedule
from tests.tables.test_views import as_coordinator


def _table_since_last_year(network: Network):  # noqa: ANN202
    table = services.create_table(
        services.TableData(name="Matchtafel Zuidoost", area_id=network.area.id),
        network.coordinator,
        second_tuesday_schedule(date.today().year - 1),  # noqa: DTZ011
    )
    seat = seating.add_seat(
        table,
        organisation_id=network.roles["ggd"].organisation_id,
        role_id=network.roles["ggd"].id,
        actor=network.coordinator,
    )
    return table, seat


def _page(table, occurrence) -> str:  # noqa: ANN001
    return f"/tafels/{table.id}/bijeenkomsten/{occurrence.recurrence_id:%Y-%m-%dT%H:%M}"


def test_overdue_afspraak_is_marked_and_buttons_name_it(
    client: FlaskClient, network: Network
) -> None:
    table, seat = _table_since_last_year(network)
    upcoming = schedule.upcoming(table, days=400)[0]
    key = upcoming.recurrence_id
    yesterday = date.today() - timedelta(days=1)  # noqa: DTZ011
    next_month = date.today() + timedelta(days=30)  # noqa: DTZ011
    meetings.add_action(
        table,
        seat_id=seat.id,
        description="Zaal reserveren",
        due_on=yesterday,
        actor=network.coordinator,
        key=key,
    )
    meetings.add_action(
        table,
        seat_id=seat.id,
        description="Tolken navragen",
        due_on=next_month,
        actor=network.coordinator,
        key=key,
    )
    db.session.commit()
    as_coordinator(client, network)

    meeting = client.get(_page(table, upcoming)).get_data(as_text=True)
    assert meeting.count(">te laat<") == 1
    assert 'Afgerond<span class="visually-hidden">: Zaal reserveren</span>' in meeting
    assert 'Vervallen<span class="visually-hidden">: Tolken navragen</span>' in meeting
    assert "Tekst van de agenda" in meeting
    assert "Tekst van het verslag" in meeting

    show = client.get(f"/tafels/{table.id}").get_data(as_text=True)
    assert show.count(">te laat<") == 1


def test_table_page_links_the_last_meetings(client: FlaskClient, network: Network) -> None:
    table, _seat = _table_since_last_year(network)
    now = schedule.now_utc()
    past = [
        o for o in schedule.occurrences(table, now - timedelta(days=400), now) if o.start <= now
    ]
    as_coordinator(client, network)
    html = client.get(f"/tafels/{table.id}").get_data(as_text=True)
    assert "Vorige bijeenkomsten" in html
    assert f'href="{_page(table, past[-1])}"' in html
    assert f'href="{_page(table, past[-4])}"' not in html  # only the last three


def test_attendance_reads_as_words_in_english(client: FlaskClient, network: Network) -> None:
    table, seat = _table_since_last_year(network)
    upcoming = schedule.upcoming(table, days=400)[0]
    meetings.record_attendance(
        table, upcoming.recurrence_id, {seat.id: "vervanger aanwezig"}, network.coordinator
    )
    reader = UserFactory(locale="en")
    db.session.commit()
    login(client, reader.email, PASSWORD)
    html = client.get(_page(table, upcoming)).get_data(as_text=True)
    assert ": deputy present" in html
    assert "vervanger aanwezig" not in html
    assert "Back to Matchtafel Zuidoost" in html
