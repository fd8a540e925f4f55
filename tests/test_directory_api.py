"""Directory endpoints of /api/v1: lookup, taxonomies, organisations, editing and leaving."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coordinator.auth.models import AccountRole, ApiToken
from coordinator.auth.services import create_api_token
from coordinator.directory.models import (
    AuditEntry,
    Organisation,
    OrganisationKind,
    Visibility,
)
from coordinator.extensions import db
from coordinator.signals import person_left
from tests.directory_fixtures import build_city, organisation, responsibility
from tests.factories import AssignmentFactory, PersonFactory, RoleFactory, UserFactory
from tests.test_directory_lookup import BSN_REASON


def bearer(user) -> dict[str, str]:  # noqa: ANN001
    _token, plain = create_api_token(user, "test")
    return {"Authorization": f"Bearer {plain}"}


@pytest.fixture
def city():
    return build_city()


@pytest.fixture
def partner(city):
    return UserFactory(person=PersonFactory(organisation=organisation("Eigen Organisatie")))


def test_issue_3_lookup_through_the_api(client, city, partner):
    housing = city.topics["huisvesting"]
    buurtteam = organisation("Buurtteam Zuidoost")
    responsibility(
        buurtteam, topics=[housing], groups=[city.groups["iedereen"]], areas=[city.zuidoost]
    )
    responsibility(
        buurtteam,
        topics=[housing],
        groups=[city.groups["ongedocumenteerden"]],
        areas=[city.zuidoost],
        handles=False,
        reason=BSN_REASON,
    )
    hushu = organisation("Hushu House")
    role = RoleFactory(organisation=hushu, name="Coördinator", email="coordinatie@hushu.example")
    AssignmentFactory(role=role, person=PersonFactory(organisation=hushu, name="Mounir"))
    responsibility(
        hushu,
        role=role,
        topics=[housing],
        groups=[city.groups["ongedocumenteerden"]],
        areas=[city.amsterdam],
        referral_tips="Loop mee naar de inloop op dinsdag.",
    )
    response = client.get(
        "/api/v1/lookup?topic=huisvesting&target_group=ongedocumenteerden&area=zuidoost",
        headers=bearer(partner),
    )
    assert response.status_code == 200
    body = response.get_json()
    assert [e["organisation"]["name"] for e in body["handles"]] == ["Hushu House"]
    entry = body["handles"][0]
    assert entry["role"]["name"] == "Coördinator"
    assert entry["role"]["email"] == "coordinatie@hushu.example"
    assert [h["name"] for h in entry["role"]["holders"]] == ["Mounir"]
    assert entry["match"]["area"] == "stad"
    assert entry["referral_tips"] == "Loop mee naar de inloop op dinsdag."
    refusal = body["does_not_handle"][0]
    assert refusal["organisation"]["name"] == "Buurtteam Zuidoost"
    assert refusal["reason"] == BSN_REASON
    assert body["empty"] is False


def test_empty_lookup_through_the_api_says_why_each_alternative_is_offered(client, city, partner):
    care = organisation("GGZ Zuidoost")
    responsibility(
        care,
        topics=[city.topics["psychische-hulp"]],
        groups=[city.groups["iedereen"]],
        areas=[city.zuidoost],
        reason="Alleen met verwijzing van de huisarts.",
    )
    coordinator = UserFactory(role=AccountRole.COORDINATOR, areas=[city.zuidoost])
    response = client.get(
        "/api/v1/lookup?topic=zorg&target_group=statushouders&area=bijlmer-centrum",
        headers=bearer(partner),
    )
    body = response.get_json()
    assert body["empty"] is True
    [alternative] = body["alternatives"]
    assert alternative["organisation"]["name"] == "GGZ Zuidoost"
    assert alternative["suggested_because"] == "Verwant thema"
    assert alternative["reason"] == "Alleen met verwijzing van de huisarts."
    assert [c["name"] for c in body["coordinators"]] == [coordinator.person.name]


def test_lookup_needs_a_token_and_a_topic(client, city, partner):
    assert client.get("/api/v1/lookup?topic=huisvesting").status_code == 401
    response = client.get("/api/v1/lookup", headers=bearer(partner))
    assert response.status_code == 400
    assert response.get_json()["field"] == "topic"
    response = client.get("/api/v1/lookup?topic=huisvesting&area=atlantis", headers=bearer(partner))
    assert response.status_code == 404
    assert response.get_json()["field"] == "area"


def test_taxonomies_list_slugs(client, city, partner):
    headers = bearer(partner)
    topics = client.get("/api/v1/topics", headers=headers).get_json()
    assert [t["slug"] for t in topics][:2] == ["huisvesting", "taal"]
    groups = client.get("/api/v1/target-groups", headers=headers).get_json()
    assert {g["slug"] for g in groups} == {"statushouders", "ongedocumenteerden", "iedereen"}
    areas = {a["slug"]: a for a in client.get("/api/v1/areas", headers=headers).get_json()}
    assert areas["bijlmer-centrum"]["parent"] == "zuidoost"
    assert areas["amsterdam"]["kind"] == "stad"


def test_organisations_search_and_detail(client, city, partner):
    buurtteam = organisation("Buurtteam Zuidoost", areas=[city.zuidoost])
    role = RoleFactory(organisation=buurtteam, name="Brugfunctionaris")
    responsibility(
        buurtteam, topics=[city.topics["zorg"]], groups=[], areas=[city.zuidoost], role=role
    )
    organisation("Taalcafé Noord", areas=[city.noord])
    headers = bearer(partner)
    found = client.get("/api/v1/organisations?area=bijlmer-centrum", headers=headers).get_json()
    assert [o["name"] for o in found] == ["Buurtteam Zuidoost"]
    found = client.get("/api/v1/organisations?q=taal", headers=headers).get_json()
    assert [o["name"] for o in found] == ["Taalcafé Noord"]
    found = client.get("/api/v1/organisations?topic=zorg", headers=headers).get_json()
    assert [o["name"] for o in found] == ["Buurtteam Zuidoost"]
    detail = client.get(f"/api/v1/organisations/{buurtteam.id}", headers=headers).get_json()
    assert detail["roles"][0]["name"] == "Brugfunctionaris"
    assert detail["roles"][0]["vacant"] is True
    assert detail["handles"][0]["topics"] == ["zorg"]


def test_organisation_only_entries_stay_inside(client, city, partner):
    hidden = organisation("Zelforganisatie", visibility=Visibility.ORGANISATION)
    response = client.get(f"/api/v1/organisations/{hidden.id}", headers=bearer(partner))
    assert response.status_code == 404
    member = UserFactory(person=PersonFactory(organisation=hidden))
    response = client.get(f"/api/v1/organisations/{hidden.id}", headers=bearer(member))
    assert response.status_code == 200


def test_editor_cannot_change_another_organisation(client, city):
    mine = organisation("Mijn Stichting")
    theirs = organisation("Andere Stichting", description="Origineel")
    editor = UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=mine))
    response = client.patch(
        f"/api/v1/organisations/{theirs.id}",
        json={"description": "Gekaapt", "visibility": "openbaar"},
        headers=bearer(editor),
    )
    assert response.status_code == 403
    db.session.expire_all()
    fresh = db.session.get(Organisation, theirs.id)
    assert fresh.description == "Origineel"
    assert fresh.visibility == Visibility.NETWORK
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_editor_changes_own_organisation_and_history_records_it(client, city):
    mine = organisation("Mijn Stichting", description="Oud")
    editor = UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=mine))
    response = client.patch(
        f"/api/v1/organisations/{mine.id}",
        json={"description": "Nieuw", "areas": ["zuidoost"]},
        headers=bearer(editor),
    )
    assert response.status_code == 200, response.get_json()
    assert sorted(response.get_json()["changed"]) == ["areas", "description"]
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.field)).all()
    assert [(e.field, e.old_value, e.new_value, e.actor_user_id) for e in entries] == [
        ("areas", "", "Zuidoost", editor.id),
        ("description", "Oud", "Nieuw", editor.id),
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "Bel mevrouw op 0612345678"}, "description"),
        ({"visibility": "geheim"}, "visibility"),
        ({"areas": ["atlantis"]}, "areas"),
        ({"owner": "x"}, "owner"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_changes_nothing(client, city, payload, field):
    mine = organisation("Mijn Stichting", description="Oud")
    editor = UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=mine))
    response = client.patch(
        f"/api/v1/organisations/{mine.id}", json=payload, headers=bearer(editor)
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    db.session.expire_all()
    fresh = db.session.get(Organisation, mine.id)
    assert (fresh.name, fresh.description, fresh.areas) == ("Mijn Stichting", "Oud", [])


def test_coordinator_edits_formal_but_not_informal_organisations_in_their_area(client, city):
    formal = organisation("Welzijn Zuidoost", areas=[city.zuidoost])
    informal = organisation(
        "Zelforganisatie Zuidoost", areas=[city.zuidoost], kind=OrganisationKind.INFORMAL
    )
    coordinator = UserFactory(role=AccountRole.COORDINATOR, areas=[city.zuidoost])
    headers = bearer(coordinator)
    ok = client.patch(
        f"/api/v1/organisations/{formal.id}", json={"sector": "welzijn"}, headers=headers
    )
    assert ok.status_code == 200
    refused = client.patch(
        f"/api/v1/organisations/{informal.id}", json={"visibility": "openbaar"}, headers=headers
    )
    assert refused.status_code == 403


def test_leave_through_the_api(client, city):
    org = organisation("Welzijn Zuidoost")
    editor = UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=org))
    leaver = UserFactory(person=PersonFactory(organisation=org))
    assignment = AssignmentFactory(person=leaver.person, role=RoleFactory(organisation=org))
    leaver_headers = bearer(leaver)
    received = []

    def on_left(sender, **kwargs):  # noqa: ANN001, ANN003, ANN202
        received.append((sender.id, kwargs["on_date"], kwargs["actor"].id))

    yesterday = date.today() - timedelta(days=1)  # noqa: DTZ011
    with person_left.connected_to(on_left):
        response = client.post(
            f"/api/v1/people/{leaver.person.id}/leave",
            json={"on_date": yesterday.isoformat()},
            headers=bearer(editor),
        )
    assert response.status_code == 200, response.get_json()
    assert received == [(leaver.person.id, yesterday, editor.id)]
    db.session.expire_all()
    assert assignment.ends_on == yesterday
    assert assignment.role.holders == []
    assert not leaver.is_active
    assert client.get("/api/v1/me", headers=leaver_headers).status_code == 401
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                ApiToken.user_id == leaver.id, ApiToken.revoked_at.is_(None)
            )
        )
        == 0
    )


def test_leave_refused_for_another_organisation(client, city):
    editor = UserFactory(
        role=AccountRole.EDITOR, person=PersonFactory(organisation=organisation("A"))
    )
    other = PersonFactory(organisation=organisation("B"))
    response = client.post(f"/api/v1/people/{other.id}/leave", json={}, headers=bearer(editor))
    assert response.status_code == 403
    db.session.expire_all()
    assert other.left_on is None


def test_every_directory_route_is_documented(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    directory_routes = [
        rule for rule in app.url_map.iter_rules() if rule.endpoint.endswith("_endpoint")
    ]
    assert len(directory_routes) >= 8
    for rule in directory_routes:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"].get(path, {}).get(method.lower())
            assert operation, f"{method} {path}"
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path))
