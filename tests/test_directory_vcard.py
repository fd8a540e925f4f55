"""Issue 3 item 7: vCard 4 (RFC 6350) export of a person, a role's holder and an organisation."""

from __future__ import annotations

from datetime import date

import pytest
import vobject

from coordinator.directory.io.vcard import (
    escape_text,
    fold,
    organisation_cards,
    person_card,
    role_cards,
)
from coordinator.directory.models import PersonKind, Visibility
from tests.factories import (
    AssignmentFactory,
    OrganisationFactory,
    PersonFactory,
    RoleFactory,
    UserFactory,
)

BASE = "https://matchtafel.example.org"


def parse_all(text: str) -> list:
    return list(vobject.readComponents(text))


def test_escape_and_fold_are_pure_and_lossless() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "NOTE:" + "Één straat verder, bij de Huis van de Wijk — ma/di/wo. " * 4
    folded = fold(line)
    physical = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert folded.replace("\r\n ", "") == line


def test_person_card_parses_with_escaped_values_and_languages() -> None:
    organisation = OrganisationFactory(name="Buurtteam Zuidoost; team Noord, West")
    person = PersonFactory(
        organisation=organisation,
        name="Sanne de Boer",
        email="s.deboer@buurtteam.example.org",
        phone="020 123 4567",
        language_codes=["nl", "ar"],
    )
    AssignmentFactory(
        person=person, role=RoleFactory(organisation=organisation, name="Brugfunctionaris")
    )
    text = person_card(person, UserFactory(), BASE)

    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
    card = vobject.readOne(text)
    assert card.version.value == "4.0"
    assert card.fn.value == "Sanne de Boer"
    assert card.org.value == ["Buurtteam Zuidoost; team Noord, West"]
    assert card.title.value == "Brugfunctionaris"
    assert card.email.value == "s.deboer@buurtteam.example.org"
    assert card.tel.value == "tel:+31201234567"
    assert [(lang.value, lang.params["PREF"]) for lang in card.lang_list] == [
        ("nl", ["1"]),
        ("ar", ["2"]),
    ]
    assert card.uid.value.startswith("urn:uuid:")


def test_hidden_contact_falls_back_to_the_role_mailbox() -> None:
    role = RoleFactory(name="Klantmanager statushouders", email="statushouders@wpi.example.org")
    person = PersonFactory(
        organisation=role.organisation,
        email="private@wpi.example.org",
        contact_visibility=Visibility.ORGANISATION,
    )
    AssignmentFactory(person=person, role=role)
    card = vobject.readOne(role_cards(role, UserFactory(), BASE))
    assert card.email.value == "statushouders@wpi.example.org"
    assert "private@" not in role_cards(role, UserFactory(), BASE)


def test_vacant_role_gives_its_functional_contact() -> None:
    role = RoleFactory(name="Sociaal beheerder", email="beheer@corporatie.example.org")
    AssignmentFactory(role=role, person__organisation=role.organisation, ends_on=date(2025, 1, 1))
    card = vobject.readOne(role_cards(role, UserFactory(), BASE))
    assert card.fn.value.startswith("Sociaal beheerder (")
    assert card.email.value == "beheer@corporatie.example.org"
    assert "niet bezet" in card.note.value


@pytest.mark.parametrize("consented", [False, True])
def test_organisation_cards_list_roles_and_respect_consent(consented: bool) -> None:
    organisation = OrganisationFactory(
        name="Stichting Kümbet",
        website="https://kumbet.example.org",
        description="Taal, koffie; en advies",
    )
    volunteer = PersonFactory(
        organisation=organisation,
        name="Ayşe Yılmaz",
        kind=PersonKind.VOLUNTEER,
        consent_given_on=date(2026, 3, 1) if consented else None,
    )
    AssignmentFactory(
        person=volunteer, role=RoleFactory(organisation=organisation, name="Taalmaatje")
    )
    cards = parse_all(organisation_cards(organisation, UserFactory(), BASE))

    assert cards[0].kind.value == "org"
    assert cards[0].note.value == "Taal, koffie; en advies"
    assert cards[0].url.value == "https://kumbet.example.org"
    assert len(cards) == 2
    assert (cards[1].fn.value == "Ayşe Yılmaz") is consented
