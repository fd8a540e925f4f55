"""Browsing roles and people by name, topic, area, kind and language, like organisations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from coordinator.directory.browse import Filters, search_people, search_roles
from coordinator.directory.models import OrganisationKind, Role, Visibility
from coordinator.directory.visibility import Viewer
from tests.directory_fixtures import build_city, organisation, responsibility
from tests.factories import PASSWORD, AssignmentFactory, PersonFactory, RoleFactory, UserFactory
from tests.helpers import login

PARTNER = Viewer(authenticated=True)


@dataclass
class Network:
    brug: Role
    coach: Role


@pytest.fixture
def network() -> Network:
    city = build_city()
    buurtteam = organisation("Buurtteam Zuidoost", areas=[city.zuidoost])
    brug = RoleFactory(organisation=buurtteam, name="Brugfunctionaris")
    responsibility(buurtteam, role=brug, topics=[city.topics["zorg"]], groups=[], areas=[])
    # A refusal does not make the role findable under that topic.
    responsibility(
        buurtteam,
        role=brug,
        topics=[city.topics["huisvesting"]],
        groups=[],
        areas=[],
        handles=False,
    )
    AssignmentFactory(
        role=brug,
        person=PersonFactory(organisation=buurtteam, name="Fatima", language_codes=["nl", "ar"]),
    )
    PersonFactory(organisation=buurtteam, name="Piet", language_codes=["nl"])
    taalcafe = organisation("Taalcafé Noord", areas=[city.noord], kind=OrganisationKind.INFORMAL)
    # Handled by the organisation as a whole: every role and person there is found under it.
    responsibility(taalcafe, topics=[city.topics["taal"]], groups=[], areas=[])
    coach = RoleFactory(organisation=taalcafe, name="Taalcoach")
    AssignmentFactory(
        role=coach, person=PersonFactory(organisation=taalcafe, name="Jan", language_codes=["nl"])
    )
    return Network(brug, coach)


def _roles(**filters: str) -> list[str]:
    return [r.name for r in search_roles(Filters(**filters), PARTNER)]


def _people(**filters: str) -> list[str]:
    return [p.name for p in search_people(Filters(**filters), PARTNER)]


def test_without_filters_there_is_no_list(network):
    assert _roles() == []
    assert _people() == []


def test_by_name(network):
    assert _roles(q="brug") == ["Brugfunctionaris"]
    assert _people(q="fat") == ["Fatima"]


def test_by_topic_of_the_role_or_its_organisation(network):
    assert _roles(topic="zorg") == ["Brugfunctionaris"]
    assert _people(topic="zorg") == ["Fatima"]
    assert _roles(topic="taal") == ["Taalcoach"]
    assert _people(topic="taal") == ["Jan"]
    assert _roles(topic="huisvesting") == []
    assert _people(topic="huisvesting") == []


def test_by_area_including_areas_above_and_below(network):
    assert _roles(area="bijlmer-centrum") == ["Brugfunctionaris"]
    assert _people(area="bijlmer-centrum") == ["Fatima", "Piet"]
    assert _roles(area="noord") == ["Taalcoach"]
    assert _people(area="noord") == ["Jan"]


def test_by_kind(network):
    assert _roles(kind="informeel") == ["Taalcoach"]
    assert _people(kind="informeel") == ["Jan"]
    assert _roles(kind="formeel") == ["Brugfunctionaris"]
    assert _people(kind="formeel") == ["Fatima", "Piet"]


def test_by_language(network):
    assert _roles(language="ar") == ["Brugfunctionaris"]
    assert _people(language="ar") == ["Fatima"]
    assert _roles(language="nl") == ["Brugfunctionaris", "Taalcoach"]


def test_filters_combine(network):
    assert _people(kind="formeel", topic="zorg", language="nl") == ["Fatima"]
    assert _roles(q="taal", area="zuidoost") == []
    assert _people(q="piet", topic="zorg") == []


def test_hidden_roles_stay_hidden(network):
    network.coach.visibility = Visibility.ORGANISATION
    assert _roles(topic="taal") == []
    colleague = Viewer(authenticated=True, organisation_id=network.coach.organisation_id)
    assert [r.name for r in search_roles(Filters(topic="taal"), colleague)] == ["Taalcoach"]


def test_browse_page_filters_roles_and_people(client, network):
    login(client, UserFactory().email, PASSWORD)
    html = client.get("/wie-doet-wat/organisaties?topic=zorg").get_data(as_text=True)
    roles = html.split("<h2>Functies")[1].split("<h2>")[0]
    people = html.split("<h2>Mensen")[1]
    assert "Brugfunctionaris" in roles
    assert "Taalcoach" not in roles
    assert "Fatima" in people
    assert "Jan" not in people
    html = client.get("/wie-doet-wat/organisaties?kind=informeel&area=noord").get_data(as_text=True)
    assert "Taalcoach" in html.split("<h2>Functies")[1]
    assert "Brugfunctionaris" not in html
