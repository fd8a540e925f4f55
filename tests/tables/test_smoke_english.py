"""The table pages also render in English (the lead's catalog translates the msgids)."""

from __future__ import annotations

from flask.testing import FlaskClient

from coordinator.extensions import db
from coordinator.tables import schedule, services
from tests.factories import PASSWORD
from tests.helpers import login
from tests.tables.conftest import Network, second_tuesday_schedule


def test_pages_render_for_an_english_speaking_coordinator(
    client: FlaskClient, network: Network
) -> None:
    network.coordinator.locale = "en"
    db.session.commit()
    table = services.create_table(
        services.TableData(name="Matchtafel Zuidoost", area_id=network.area.id),
        network.coordinator,
        second_tuesday_schedule(),
    )
    first = schedule.upcoming(table, days=400)[0]
    login(client, network.coordinator.email, PASSWORD)
    show = client.get(f"/tafels/{table.id}").get_data(as_text=True)
    assert "Every second Tuesday of the month, 10:00–11:30" in show
    page = client.get(f"/tafels/{table.id}/bijeenkomsten/{first.recurrence_id:%Y-%m-%dT%H:%M}")
    assert page.status_code == 200
