"""The tables JSON API: issue 4's scenarios over HTTP, errors in Dutch, nothing changed on refusal."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coordinator.auth.services import create_api_token
from coordinator.extensions import db
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries
from tests.factories import UserFactory
from tests.tables.conftest import Network, next_year


def bearer(user) -> dict[str, str]:  # noqa: ANN001
    _token, plain = create_api_token(user, "test")
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def auth(network: Network) -> dict[str, str]:
    return bearer(network.coordinator)


def second_tuesday() -> datetime:
    """10:00 on the second Tuesday of January next year (local wall-clock time)."""
    first = datetime(next_year(), 1, 8, 10)  # noqa: DTZ001
    while first.weekday() != 1:
        first += timedelta(days=1)
    return first


def local(value: datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M}"


def create(client: FlaskClient, auth: dict[str, str], **extra: object) -> dict:
    body = {
        "name": "Matchtafel Zuidoost",
        "area": "zuidoost",
        "location": "Hushu House",
        "rrule": "FREQ=MONTHLY;BYDAY=2TU",
        "dtstart": local(second_tuesday()),
        "duration_minutes": 90,
        **extra,
    }
    response = client.post("/api/v1/tables", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_issue_4_scenario_over_the_api(client: FlaskClient, network: Network, auth: dict) -> None:
    table = create(client, auth)
    assert table["rrule"] == "FREQ=MONTHLY;BYDAY=2TU"
    assert table["timezone"] == "Europe/Amsterdam"
    assert table["description"] == "Elke tweede dinsdag van de maand, 10:00–11:30"
    for role in network.roles.values():
        response = client.post(
            f"/api/v1/tables/{table['id']}/seats",
            json={"organisation_id": role.organisation_id, "role_id": role.id},
            headers=auth,
        )
        assert response.status_code == 201, response.get_json()
    year = next_year()
    window = {"from": f"{year}-01-01T00:00:00+01:00", "to": f"{year + 1}-01-01T00:00:00+01:00"}
    listing = client.get(
        f"/api/v1/tables/{table['id']}/occurrences", query_string=window, headers=auth
    )
    occurrences = listing.get_json()["occurrences"]
    assert len(occurrences) == 12
    december = occurrences[-1]
    moved = client.post(
        f"/api/v1/tables/{table['id']}/occurrences/{december['date']}/move",
        json={"start": f"{year}-12-15T14:00", "location": "Buurthuis"},
        headers=auth,
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["start"] == f"{year}-12-15T14:00+01:00"
    assert moved.get_json()["moved"] is True
    august = occurrences[7]
    cancelled = client.post(
        f"/api/v1/tables/{table['id']}/occurrences/{august['date']}/cancel",
        json={"reason": "Zomervakantie", "skipped": True},
        headers=auth,
    )
    assert cancelled.get_json()["status"] == "overgeslagen"

    after = client.get(
        f"/api/v1/tables/{table['id']}/occurrences", query_string=window, headers=auth
    ).get_json()["occurrences"]
    offsets = [o["start"][-6:] for o in after]
    # 10:00 local throughout; +01:00 in winter, +02:00 from April to October.
    assert offsets == ["+01:00"] * 3 + ["+02:00"] * 7 + ["+01:00"] * 2
    assert all(o["start"][11:16] == "10:00" for o in after if not o["moved"])
    assert after[-1]["location"] == "Buurthuis"
    assert after[7]["status"] == "overgeslagen"


def test_handover_over_the_api(client: FlaskClient, network: Network, auth: dict) -> None:
    table = create(client, auth)
    coa = network.roles["coa"]
    seat = client.post(
        f"/api/v1/tables/{table['id']}/seats",
        json={
            "organisation_id": coa.organisation_id,
            "role_id": coa.id,
            "deputy_person_id": network.coa_deputy.id,
        },
        headers=auth,
    ).get_json()
    response = client.post(
        f"/api/v1/seats/{seat['id']}/handover",
        json={"successor_person_id": network.coa_deputy.id, "note": "Overdracht besproken"},
        headers=auth,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["handover"]["from_person"]["id"] == network.holders["coa"].id
    assert body["handover"]["to_person"]["id"] == network.coa_deputy.id
    assert [h["id"] for h in body["seat"]["holders"]] == [network.coa_deputy.id]


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"rrule": "FREQ=DAILY"}, "rrule", "niet ondersteund"),
        ({"rrule": "FREQ=MONTHLY;BYMONTHDAY=31"}, "month_day", "1 tot en met 28"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=TU;UNTIL=20200101T000000Z"}, "until", "vóór de startdatum"),
        ({"dtstart": "morgen"}, "dtstart", "datum en tijd"),
        ({"duration_minutes": "lang"}, "duration_minutes", "geheel getal"),
        ({"timezone": "Europe/Nergens"}, "timezone", "tijdzone"),
        ({"name": ""}, "name", "naam"),
        (
            {"rrule": "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10", "dtstart": f"{next_year()}-01-04T10:00"},
            "count",
            "einddatum in plaats van een aantal keer",
        ),
    ],
)
def test_bad_table_input_gets_a_specific_dutch_error(
    client: FlaskClient, network: Network, auth: dict, body: dict, field: str, fragment: str
) -> None:
    payload = {
        "name": "Tafel",
        "area": "zuidoost",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "dtstart": f"{next_year()}-01-05T10:00",
        "duration_minutes": 60,
        **body,
    }
    response = client.post("/api/v1/tables", json=payload, headers=auth)
    assert response.status_code == 400
    error = response.get_json()
    assert error["field"] == field
    assert fragment in error["message"]
    assert count(Table) == 0


def test_patch_is_atomic_and_strict_about_dtstart(
    client: FlaskClient, network: Network, auth: dict
) -> None:
    table = create(client, auth)
    url = f"/api/v1/tables/{table['id']}"
    # A dtstart that is not an occurrence of the rule is refused, and the rename is not kept.
    response = client.patch(
        url,
        json={
            "name": "Nieuwe naam",
            "rrule": "FREQ=MONTHLY;BYDAY=1TH",
            "dtstart": f"{next_year()}-01-02T10:00",
        },
        headers=auth,
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "dtstart"
    assert "valt niet op het herhaalpatroon" in response.get_json()["message"]
    again = client.get(url, headers=auth).get_json()
    assert again["name"] == "Matchtafel Zuidoost"
    assert again["rrule"] == "FREQ=MONTHLY;BYDAY=2TU"
    wednesday = local(second_tuesday() + timedelta(days=1))
    ok = client.patch(
        url,
        json={"name": "Nieuwe naam", "rrule": "FREQ=WEEKLY;BYDAY=WE", "dtstart": wednesday},
        headers=auth,
    )
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["name"] == "Nieuwe naam"
    # Two organiser changes, each raising SEQUENCE: the rename (SUMMARY) and the new rule.
    assert ok.get_json()["series"][0]["sequence"] == 2


def test_seat_for_another_organisations_role_via_api(
    client: FlaskClient, network: Network, auth: dict
) -> None:
    table = create(client, auth)
    response = client.post(
        f"/api/v1/tables/{table['id']}/seats",
        json={
            "organisation_id": network.roles["coa"].organisation_id,
            "role_id": network.roles["ggd"].id,
        },
        headers=auth,
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "role_id"
    assert count(Seat) == 0


def test_occurrence_errors(client: FlaskClient, network: Network, auth: dict) -> None:
    table = create(client, auth)
    base = f"/api/v1/tables/{table['id']}/occurrences"
    first_tuesday = (second_tuesday() - timedelta(days=7)).date().isoformat()
    not_a_meeting = client.post(f"{base}/{first_tuesday}/cancel", json={}, headers=auth)
    assert not_a_meeting.status_code == 404
    assert "geen bijeenkomst" in not_a_meeting.get_json()["message"]
    assert client.post(f"{base}/gisteren/cancel", json={}, headers=auth).status_code == 400
    naive = client.get(base, query_string={"from": "2027-01-01T00:00"}, headers=auth)
    assert naive.status_code == 400
    assert "offset" in naive.get_json()["message"]
    assert count(OccurrenceChange) == 0


def test_partner_may_read_but_not_write(client: FlaskClient, network: Network, auth: dict) -> None:
    table = create(client, auth)
    partner = bearer(UserFactory())
    assert client.get(f"/api/v1/tables/{table['id']}", headers=partner).status_code == 200
    response = client.patch(f"/api/v1/tables/{table['id']}", json={"name": "x"}, headers=partner)
    assert response.status_code == 403
    assert db.session.scalar(sa.select(Table.name)) == "Matchtafel Zuidoost"
    assert client.get("/api/v1/tables").status_code == 401


def test_every_tables_endpoint_is_in_the_openapi_document(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/tables"]) == {"get", "post"}
    assert set(paths["/tables/{table_id}"]) == {"get", "patch"}
    for path in [
        "/tables/{table_id}/seats",
        "/tables/{table_id}/occurrences",
        "/tables/{table_id}/occurrences/{occurrence_date}/move",
        "/tables/{table_id}/occurrences/{occurrence_date}/cancel",
        "/seats/{seat_id}/handover",
    ]:
        assert path in paths
    assert count(TableSeries) == 0


def test_patch_to_a_rule_outlook_counts_differently_saves_nothing(
    client: FlaskClient, network: Network, auth: dict
) -> None:
    table = create(client, auth)
    url = f"/api/v1/tables/{table['id']}"
    response = client.patch(
        url,
        json={
            "name": "Nieuwe naam",
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10",
            "dtstart": f"{next_year()}-01-04T10:00",
        },
        headers=auth,
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "count"
    assert "Outlook telt anders" in response.get_json()["message"]
    again = client.get(url, headers=auth).get_json()
    assert again["name"] == "Matchtafel Zuidoost"
    assert again["rrule"] == "FREQ=MONTHLY;BYDAY=2TU"
