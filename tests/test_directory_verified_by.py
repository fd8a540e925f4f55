""" "Laatst bevestigd door": who confirmed an entry, cut to what the viewer may see."""

from __future__ import annotations

import pytest

from coordinator.db import now_utc
from coordinator.directory.models import PersonKind, Visibility
from coordinator.directory.visibility import ANONYMOUS, Viewer, verifier_name
from coordinator.extensions import db
from tests.directory_fixtures import build_city, organisation, responsibility
from tests.factories import PASSWORD, PersonFactory, UserFactory
from tests.helpers import login
from tests.test_directory_api import bearer


@pytest.fixture
def city():
    return build_city()


def _entry(city, verifier):  # noqa: ANN001, ANN202
    org = verifier.organisation
    return responsibility(
        org,
        topics=[city.topics["huisvesting"]],
        groups=[city.groups["iedereen"]],
        areas=[city.zuidoost],
        verified_by=verifier,
    )


def test_verifier_name_follows_the_visibility_rules(city):
    org = organisation("Buurtteam Zuidoost", visibility=Visibility.PUBLIC)
    staff = PersonFactory(organisation=org, name="Sanne de Vries")
    volunteer = PersonFactory(organisation=org, name="Vrijwilliger Ali", kind=PersonKind.VOLUNTEER)
    erased = PersonFactory(organisation=org, name=None, erased_at=now_utc())
    partner = Viewer(authenticated=True, organisation_id=None)
    colleague = Viewer(authenticated=True, organisation_id=org.id)
    assert verifier_name(_entry(city, staff), partner) == "Sanne de Vries"
    # Network contact details: the public does not see the person, only the organisation.
    assert verifier_name(_entry(city, staff), ANONYMOUS) == "Buurtteam Zuidoost"
    # Volunteers without consent are named within their own organisation only.
    assert verifier_name(_entry(city, volunteer), partner) == "Buurtteam Zuidoost"
    assert verifier_name(_entry(city, volunteer), colleague) == "Vrijwilliger Ali"
    assert verifier_name(_entry(city, erased), colleague) is None
    unknown = _entry(city, staff)
    unknown.verified_by = None
    assert verifier_name(unknown, colleague) is None


def test_lookup_page_shows_who_confirmed(client, city):
    org = organisation("Buurtteam Zuidoost")
    _entry(city, PersonFactory(organisation=org, name="Sanne de Vries"))
    volunteer = PersonFactory(organisation=organisation("Hushu House"), kind=PersonKind.VOLUNTEER)
    volunteer.name = "Geheime Vrijwilliger"
    _entry(city, volunteer)
    db.session.commit()
    login(client, UserFactory().email, PASSWORD)
    html = client.get("/wie-doet-wat/?topic=huisvesting&area=zuidoost").get_data(as_text=True)
    assert "Laatst bevestigd:" in html
    assert "door Sanne de Vries" in html
    assert "door Hushu House" in html
    assert "Geheime Vrijwilliger" not in html


def test_lookup_page_without_a_known_verifier_shows_only_the_date(client, city):
    org = organisation("Buurtteam Zuidoost")
    _entry(city, PersonFactory(organisation=org, name=None, erased_at=now_utc()))
    login(client, UserFactory().email, PASSWORD)
    html = client.get("/wie-doet-wat/?topic=huisvesting&area=zuidoost").get_data(as_text=True)
    assert "Laatst bevestigd:" in html
    assert "door " not in html.split("Laatst bevestigd:")[1].split("</p>")[0]


def test_api_reports_verified_by(client, city):
    org = organisation("Buurtteam Zuidoost")
    _entry(city, PersonFactory(organisation=org, name="Sanne de Vries"))
    hidden = PersonFactory(organisation=org, name="Vrijwilliger Ali", kind=PersonKind.VOLUNTEER)
    _entry(city, hidden)
    erased = PersonFactory(organisation=org, name=None, erased_at=now_utc())
    _entry(city, erased)
    partner = UserFactory(person=PersonFactory(organisation=organisation("Eigen Organisatie")))
    headers = bearer(partner)
    body = client.get("/api/v1/lookup?topic=huisvesting&area=zuidoost", headers=headers).get_json()
    assert sorted(e["verified_by"] or "" for e in body["handles"]) == [
        "",
        "Buurtteam Zuidoost",
        "Sanne de Vries",
    ]
    detail = client.get(f"/api/v1/organisations/{org.id}", headers=headers).get_json()
    assert sorted(e["verified_by"] or "" for e in detail["handles"]) == [
        "",
        "Buurtteam Zuidoost",
        "Sanne de Vries",
    ]
    assert all(e["verified_by"] != "Vrijwilliger Ali" for e in detail["handles"])


def test_openapi_documents_verified_by(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    entry = spec["components"]["schemas"]["LookupEntry"]["properties"]
    assert entry["verified_by"]["nullable"] is True
