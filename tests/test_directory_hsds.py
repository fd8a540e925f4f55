"""Issue 3 item 7: the HSDS 3 export validates against the Open Referral schemas."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from coordinator.auth.models import User
from coordinator.directory.io.csv_import import import_directory
from coordinator.directory.io.hsds import build_package
from coordinator.directory.models import Responsibility, Visibility
from coordinator.extensions import db
from tests.directory_io_data import admin, make_taxonomy, sample_files
from tests.factories import UserFactory

SCHEMAS = Path(__file__).parent / "data" / "hsds"
SHARED_COMPILED = Path(__file__).resolve().parents[2] / "shared/hsds/schema/compiled"
BASE = "https://matchtafel.example.org"

#: HSDS's ``organization_package``: organizations, each with fully nested services.
PACKAGE = {
    "type": "array",
    "items": {
        "allOf": [
            {"$ref": "organization.json"},
            {"properties": {"services": {"type": "array", "items": {"$ref": "service.json"}}}},
        ]
    },
}


def validator() -> Draft202012Validator:
    registry = Registry().with_resources(
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    )
    return Draft202012Validator(PACKAGE, registry=registry, format_checker=FormatChecker())


def errors_of(package: list) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(package)]


@pytest.fixture
def viewer() -> User:
    make_taxonomy()
    user = admin()
    import_directory(sample_files(), user)
    return user


@pytest.fixture
def package(viewer: User) -> list[dict]:
    return build_package(viewer, BASE, today=date(2026, 11, 23))


def test_export_validates_against_hsds_schemas(package: list[dict]) -> None:
    assert errors_of(package) == []
    assert [org["name"] for org in package if org["alternate_name"] != "organisatie-1"][:2] == [
        "Buurtteam Zuidoost",
        "Hushu House",
    ]


def test_the_validator_does_reject_bad_records(package: list[dict]) -> None:
    package[0]["id"] = "niet-een-uuid"
    del package[0]["services"][0]["status"]
    problems = errors_of(package)
    assert any("'status' is a required property" in p for p in problems)
    assert any("is not a 'uuid'" in p for p in problems)


def test_exclusions_are_attributes_not_services(package: list[dict]) -> None:
    buurtteam = next(org for org in package if org["name"] == "Buurtteam Zuidoost")
    boundaries = [a for a in buurtteam["attributes"] if a["link_type"] == "does_not_handle"]
    assert [a["value"] for a in boundaries] == [
        "Huisvesting voor Ongedocumenteerden in Zuidoost: geen BSN, geen hulp mogelijk"
    ]
    assert boundaries[0]["taxonomy_term"]["code"] == "doet-dit-niet"
    assert boundaries[0]["link_id"] == buurtteam["id"]
    (service,) = buurtteam["services"]
    assert service["name"] == "Woonvragen statushouders"
    assert {a["taxonomy_term"]["code"] for a in service["attributes"]} == {
        "doet-dit",
        "huisvesting",
        "taal",
        "statushouders",
    }
    assert [area["name"] for area in service["service_areas"]] == ["Zuidoost"]
    assert [lang["code"] for lang in service["languages"]] == ["nl", "ar"]
    assert service["contacts"][0]["title"] == "Brugfunctionaris"


def test_ids_are_stable_across_exports(package: list[dict], viewer: User) -> None:
    again = build_package(viewer, BASE, today=date(2026, 11, 23))
    assert [o["id"] for o in again] == [o["id"] for o in package]


def test_anonymous_export_holds_public_entries_only() -> None:
    make_taxonomy()
    import_directory(sample_files(), admin())
    anonymous = build_package(None, BASE)
    assert [org["name"] for org in anonymous] == ["Buurtteam Zuidoost"]
    contact = anonymous[0]["contacts"][0]
    assert "name" not in contact  # Sanne's details are for the network, not the public
    assert errors_of(anonymous) == []
    partner = build_package(UserFactory(), BASE)
    assert "Hushu House" in [org["name"] for org in partner]


def test_expired_responsibility_is_inactive() -> None:
    make_taxonomy()
    import_directory(sample_files(), admin())
    for r in db.session.scalars(sa.select(Responsibility)):
        r.valid_until = date(2026, 1, 1)
    db.session.scalar(
        sa.select(Responsibility).filter_by(handles=True)
    ).organisation.visibility = Visibility.PUBLIC
    db.session.commit()
    package = build_package(admin(), BASE, today=date(2026, 11, 23))
    statuses = {s["status"] for org in package for s in org["services"]}
    assert statuses == {"inactive"}


@pytest.mark.skipif(not SHARED_COMPILED.exists(), reason="shared compiled HSDS schemas absent")
def test_export_validates_against_the_compiled_package_schema(package: list[dict]) -> None:
    schema = json.loads((SHARED_COMPILED / "organization_package.json").read_text())
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(package)] == []


#: Functional (partner-tier) contact details in the sample import, DOMAIN §8.
FUNCTIONAL = (
    "info@buurtteam.example.org",  # public organisation
    "020 123 4567",
    "brug@buurtteam.example.org",  # its public role
    "hallo@hushu.example.org",  # network organisation
)


def test_anonymous_export_hides_functional_contact_details() -> None:
    make_taxonomy()
    import_directory(sample_files(), admin())
    anonymous = build_package(None, BASE, today=date(2026, 11, 23))
    text = json.dumps(anonymous, ensure_ascii=False)
    assert [org["name"] for org in anonymous] == ["Buurtteam Zuidoost"]
    for detail in FUNCTIONAL:
        assert detail not in text
    buurtteam = anonymous[0]
    assert "email" not in buurtteam
    assert buurtteam["phones"] == []
    assert buurtteam["website"] == "https://buurtteam.example.org"  # public information
    assert errors_of(anonymous) == []

    partner = build_package(UserFactory(), BASE, today=date(2026, 11, 23))
    text = json.dumps(partner, ensure_ascii=False)
    for detail in FUNCTIONAL:
        assert detail in text
    hushu = next(org for org in partner if org["name"] == "Hushu House")
    assert hushu["email"] == "hallo@hushu.example.org"
    assert errors_of(partner) == []
