"""Directory form pages: a saved form flashes and returns to the organisation page; a refusal
from the service is shown on its field (or above the form) with status 400 and saves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from coordinator.auth.models import AccountRole
from coordinator.db import now_utc
from coordinator.directory.models import (
    AuditEntry,
    Organisation,
    Person,
    Responsibility,
    Role,
)
from coordinator.extensions import db
from tests.directory_fixtures import build_city, organisation, responsibility
from tests.factories import PASSWORD, AssignmentFactory, PersonFactory, RoleFactory, UserFactory
from tests.helpers import login, post_form


@dataclass
class Listing:
    org: Organisation
    role: Role
    person: Person
    resp: Responsibility

    @property
    def base(self) -> str:
        return f"/wie-doet-wat/organisaties/{self.org.slug}"


@pytest.fixture
def listing(client: FlaskClient) -> Listing:
    """An editor logged in on their own organisation with a role, a person and a task."""
    city = build_city()
    org = organisation("Mijn Stichting", areas=[city.zuidoost])
    role = RoleFactory(organisation=org, name="Brugfunctionaris")
    person = PersonFactory(organisation=org, name="Nieuwe Collega")
    resp = responsibility(org, topics=[city.topics["taal"]], groups=[], areas=[], role=role)
    editor = UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=org))
    login(client, editor.email, PASSWORD)
    return Listing(org, role, person, resp)


def flashes(client: FlaskClient) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return [tuple(pair) for pair in session.pop("_flashes", [])]


def audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))


SAVED = "De wijzigingen zijn opgeslagen."
ROLE = {"name": "Sociaal beheerder", "visibility": "netwerk"}
PERSON = {"name": "Vrijwilliger B", "kind": "vrijwilliger", "contact_visibility": "netwerk"}
TASK = {"handles": "1", "role": "0", "topics": "taal", "summary": "Taalcafé"}


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/bewerken",
            {"name": "Mijn Stichting", "kind": "formeel", "infrastructure": "sociaal"}
            | {"visibility": "openbaar", "description": "Taalles"},
            SAVED,
        ),
        ("/functies/nieuw", ROLE, "De functie is toegevoegd."),
        ("/functies/{role}/bewerken", ROLE, SAVED),
        ("/functies/{role}/toewijzen", {"person": "{person}", "starts_on": "2025-02-01"}, None),
        ("/mensen/nieuw", PERSON, "De persoon is toegevoegd."),
        ("/mensen/{person}/bewerken", PERSON, SAVED),
        ("/taken/nieuw", TASK, "De taak is toegevoegd."),
        ("/taken/{resp}/bewerken", TASK, SAVED),
    ],
)
def test_saved_form_flashes_and_returns_to_the_organisation(
    client: FlaskClient, listing: Listing, path: str, data: dict[str, str], message: str | None
) -> None:
    ids = {"role": listing.role.id, "person": listing.person.id, "resp": listing.resp.id}
    url = listing.base + path.format(**ids)
    flashes(client)
    response = post_form(client, url, {k: v.format(**ids) for k, v in data.items()})
    assert response.status_code == 302
    assert response.headers["Location"] == listing.base
    assert flashes(client) == [("success", message or "De functie is toegewezen.")]
    assert audit_count() >= 1


def test_new_organisation_returns_to_the_created_organisation(client: FlaskClient) -> None:
    city = build_city()
    login(client, UserFactory(role=AccountRole.ADMIN).email, PASSWORD)
    flashes(client)
    response = post_form(
        client,
        "/wie-doet-wat/organisaties/nieuw",
        {"name": "Stichting Nieuw", "kind": "informeel", "infrastructure": "aankomst"}
        | {"visibility": "netwerk", "areas": str(city.zuidoost.id)},
    )
    assert response.headers["Location"] == "/wie-doet-wat/organisaties/stichting-nieuw"
    assert flashes(client) == [("success", "De organisatie is toegevoegd.")]


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "/functies/nieuw",
            {"name": "Brugfunctionaris", "visibility": "netwerk"},
            "al een functie",
        ),
        ("/functies/{other_role}/bewerken", {"name": "Brugfunctionaris"}, "al een functie"),
        ("/mensen/nieuw", PERSON | {"language_codes": "nederlands"}, "geen taalcode"),
        ("/mensen/{person}/bewerken", PERSON | {"language_codes": "x1"}, "geen taalcode"),
        ("/taken/nieuw", TASK | {"handles": "0", "reason": ""}, "Leg uit waarom"),
        (
            "/taken/{resp}/bewerken",
            TASK | {"valid_from": "2026-05-01", "valid_until": "2026-04-01"},
            "De einddatum ligt voor de begindatum.",
        ),
    ],
)
def test_service_refusal_shows_on_the_form_with_400_and_saves_nothing(
    client: FlaskClient, listing: Listing, path: str, data: dict[str, str], message: str
) -> None:
    other_role = RoleFactory(organisation=listing.org, name="Opbouwwerker")
    ids = {
        "role": listing.role.id,
        "other_role": other_role.id,
        "person": listing.person.id,
        "resp": listing.resp.id,
    }
    url = listing.base + path.format(**ids)
    flashes(client)
    response = post_form(client, url, {k: v.format(**ids) for k, v in data.items()})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="field-error"' in page  # shown on the field it is about
    assert flashes(client) == []
    assert audit_count() == 0


def test_refusal_without_a_field_is_shown_above_the_form(
    client: FlaskClient, listing: Listing
) -> None:
    listing.person.erased_at = now_utc()
    db.session.commit()
    url = f"{listing.base}/mensen/{listing.person.id}/bewerken"
    response = post_form(client, url, PERSON)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="alert alert-error"' in page
    assert "De gegevens van deze persoon zijn verwijderd." in page
    holder = PersonFactory(organisation=listing.org, name="Huidige Houder")
    AssignmentFactory(person=holder, role=listing.role)
    url = f"{listing.base}/functies/{listing.role.id}/toewijzen"
    response = post_form(client, url, {"person": str(holder.id), "starts_on": "2025-02-01"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="alert alert-error"' in page  # the form has no "role" field to show it on
    assert "Deze persoon vervult deze functie al." in page


def test_form_errors_give_400_without_calling_the_service(
    client: FlaskClient, listing: Listing
) -> None:
    response = post_form(client, f"{listing.base}/functies/nieuw", {"name": ""})
    assert response.status_code == 400
    assert "Vul de naam in." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Role.id))) == 1


def test_leaving_and_verifying_flash_and_return_to_the_organisation(
    client: FlaskClient, listing: Listing
) -> None:
    flashes(client)
    url = f"{listing.base}/mensen/{listing.person.id}/uit-dienst"
    response = post_form(client, url, {"on_date": "2025-01-31"})
    assert response.headers["Location"] == listing.base
    [(category, message)] = flashes(client)
    assert category == "success"
    assert message.startswith("Nieuwe Collega is uit dienst gemeld.")
    assert db.session.get(Person, listing.person.id).left_on == date(2025, 1, 31)
    again = post_form(client, url, {"on_date": "2025-02-28"})
    assert again.status_code == 400
    assert "al uit dienst gemeld" in again.get_data(as_text=True)

    response = post_form(client, f"{listing.base}/bevestigen", {}, page=f"{listing.base}/bewerken")
    assert response.headers["Location"] == listing.base
    assert flashes(client) == [("success", "Bevestigd: de gegevens kloppen nog.")]
    assert db.session.get(Organisation, listing.org.id).verified_at is not None
