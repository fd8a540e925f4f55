"""Directory services: validation, rights, audit log, leaving and erasure; visibility rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coordinator.auth.models import AccountRole, User
from coordinator.directory import people, services
from coordinator.directory.access import can_edit_listing
from coordinator.directory.models import (
    Assignment,
    AuditAction,
    AuditEntry,
    OrganisationKind,
    Person,
    PersonKind,
    Responsibility,
    Visibility,
)
from coordinator.directory.visibility import (
    ANONYMOUS,
    Viewer,
    may_see,
    person_contact_visible,
    person_listed,
)
from coordinator.errors import Conflict, DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.privacy import PersonalDataRefused
from tests.directory_fixtures import build_city, organisation
from tests.factories import AssignmentFactory, PersonFactory, RoleFactory, UserFactory

TODAY = date.today()  # noqa: DTZ011


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def editor_of(org) -> User:  # noqa: ANN001
    return UserFactory(role=AccountRole.EDITOR, person=PersonFactory(organisation=org))


# --- visibility (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "viewer", "expected"),
    [
        (Visibility.PUBLIC, ANONYMOUS, True),
        (Visibility.NETWORK, ANONYMOUS, False),
        (Visibility.NETWORK, Viewer(True, 2), True),
        (Visibility.ORGANISATION, Viewer(True, 2), False),
        (Visibility.ORGANISATION, Viewer(True, 1), True),
        (Visibility.ORGANISATION, Viewer(True, 2, admin=True), True),
    ],
)
def test_visibility_tiers(visibility, viewer, expected):
    assert may_see(visibility, 1, viewer) is expected


def test_person_contact_follows_its_own_tier():
    org = organisation("Org")
    person = PersonFactory(organisation=org, contact_visibility=Visibility.ORGANISATION)
    other = Viewer(True, org.id + 1000)
    assert person_listed(person, other)
    assert not person_contact_visible(person, other)
    assert person_contact_visible(person, Viewer(True, org.id))
    assert not person_listed(person, ANONYMOUS)


# --- edit rights ---------------------------------------------------------------------------


def test_informal_organisations_control_their_own_listing():
    city = build_city()
    informal = organisation(
        "Zelforganisatie", kind=OrganisationKind.INFORMAL, areas=[city.zuidoost]
    )
    coordinator = UserFactory(role=AccountRole.COORDINATOR, areas=[city.zuidoost])
    own_editor = editor_of(informal)
    own_partner = UserFactory(person=PersonFactory(organisation=informal))
    admin = UserFactory(role=AccountRole.ADMIN)
    assert not can_edit_listing(coordinator, informal)
    assert can_edit_listing(own_editor, informal)
    assert not can_edit_listing(own_partner, informal)  # plain partners read only
    assert can_edit_listing(admin, informal)


def test_coordinator_edits_only_within_their_area():
    city = build_city()
    coordinator = UserFactory(role=AccountRole.COORDINATOR, areas=[city.zuidoost])
    assert can_edit_listing(coordinator, organisation("In Bijlmer", areas=[city.bijlmer]))
    assert not can_edit_listing(coordinator, organisation("In Noord", areas=[city.noord]))


# --- organisations, roles, responsibilities ------------------------------------------------


def test_create_organisation_makes_a_unique_slug_and_logs_it():
    admin = UserFactory(role=AccountRole.ADMIN)
    values = {"name": "Huis van de Wijk Osdorp", "kind": OrganisationKind.FORMAL}
    first = services.create_organisation({**values, "infrastructure": "sociaal"}, admin)
    second = services.create_organisation({**values, "infrastructure": "sociaal"}, admin)
    assert (first.slug, second.slug) == ("huis-van-de-wijk-osdorp", "huis-van-de-wijk-osdorp-2")
    assert [e.action for e in entries()] == [AuditAction.CREATE, AuditAction.CREATE]


def test_partners_cannot_create_organisations():
    with pytest.raises(PermissionDenied):
        services.create_organisation({"name": "X"}, UserFactory(role=AccountRole.EDITOR))


def test_role_names_are_unique_per_organisation_and_changes_are_logged():
    org = organisation("Welzijn West")
    editor = editor_of(org)
    role = services.create_role(org, {"name": "Brugfunctionaris"}, editor)
    with pytest.raises(Conflict):
        services.create_role(org, {"name": "Brugfunctionaris"}, editor)
    services.update_role(
        role, {"name": "Brugfunctionaris West", "email": "brug@west.example"}, editor
    )
    changes = [(e.entity_type, e.field, e.old_value, e.new_value) for e in entries()]
    assert changes == [
        ("role", None, None, None),
        ("role", "name", "Brugfunctionaris", "Brugfunctionaris West"),
        ("role", "email", None, "brug@west.example"),
    ]


def test_responsibility_validation_changes_nothing():
    city = build_city()
    org = organisation("Welzijn")
    editor = editor_of(org)
    other_role = RoleFactory(organisation=organisation("Ander"))
    housing = city.topics["huisvesting"]
    bad = [
        ({"topics": []}, "topics"),
        ({"topics": [housing], "handles": False}, "reason"),
        ({"topics": [housing], "role": other_role}, "role"),
        ({"topics": [housing], "language_codes": "nederlands"}, "language_codes"),
        (
            {"topics": [housing], "valid_from": TODAY, "valid_until": TODAY - timedelta(days=1)},
            "valid_until",
        ),
    ]
    for values, field in bad:
        with pytest.raises(DomainError) as info:
            services.create_responsibility(org, values, editor)
        assert info.value.field == field
    with pytest.raises(PersonalDataRefused):
        services.create_responsibility(
            org, {"topics": [housing], "referral_tips": "Mail jan@gmail.com"}, editor
        )
    assert db.session.scalar(sa.select(sa.func.count(Responsibility.id))) == 0
    assert entries() == []


def test_updating_a_responsibility_reverifies_it_and_logs_old_and_new():
    city = build_city()
    org = organisation("Welzijn")
    editor = editor_of(org)
    resp = services.create_responsibility(
        org,
        {"topics": [city.topics["taal"]], "language_codes": ["nl", "AR"], "summary": "Taalcafé"},
        editor,
    )
    assert resp.language_codes == ["nl", "ar"]
    resp.verified_at = resp.verified_at - timedelta(days=400)
    db.session.commit()
    services.update_responsibility(resp, {"summary": "Taalcafé op dinsdag"}, editor)
    assert resp.verified_at > resp.created_at - timedelta(seconds=5)
    assert resp.verified_by == editor.person
    last = entries()[-1]
    assert (last.field, last.old_value, last.new_value) == (
        "summary",
        "Taalcafé",
        "Taalcafé op dinsdag",
    )


# --- people, leaving, erasure --------------------------------------------------------------


def test_audit_never_copies_personal_contact_details():
    org = organisation("Welzijn")
    editor = editor_of(org)
    person = people.create_person(
        org, {"name": "Sara de Vries", "email": "sara@welzijn.example"}, editor
    )
    people.update_person(person, {"name": "Sara de Jong", "phone": "020 555 0101"}, editor)
    text = " ".join(f"{e.entity_label} {e.old_value} {e.new_value}" for e in entries())
    assert "Sara" not in text
    assert "555" not in text
    assert {e.field for e in entries() if e.field} == {"name", "phone"}


def test_leave_in_the_future_keeps_access_until_then():
    org = organisation("Welzijn")
    user = UserFactory(person=PersonFactory(organisation=org))
    role = RoleFactory(organisation=org)
    current = AssignmentFactory(person=user.person, role=role, starts_on=TODAY - timedelta(days=30))
    later = AssignmentFactory(
        person=user.person, role=RoleFactory(organisation=org), starts_on=TODAY + timedelta(days=60)
    )
    later_id = later.id
    stamp = user.security_stamp
    people.leave(user.person, TODAY + timedelta(days=14), editor_of(org))
    assert current.ends_on == TODAY + timedelta(days=14)
    assert db.session.get(Assignment, later_id) is None  # never started: removed
    assert user.is_active
    assert user.security_stamp == stamp
    assert role.holders == [user.person]


def test_leaving_today_makes_the_role_vacant_at_once():
    org = organisation("Welzijn")
    role = RoleFactory(organisation=org)
    person = PersonFactory(organisation=org)
    AssignmentFactory(person=person, role=role, starts_on=TODAY - timedelta(days=30))
    assert role.holders == [person]
    people.leave(person, TODAY, editor_of(org))
    assert person.has_left
    assert role.holders == []


def test_leave_twice_is_refused():
    org = organisation("Welzijn")
    person = PersonFactory(organisation=org)
    people.leave(person, TODAY, None)
    with pytest.raises(DomainError):
        people.leave(person, TODAY, None)


def test_assign_checks_organisation_and_status():
    org = organisation("Welzijn")
    person = PersonFactory(organisation=org)
    with pytest.raises(DomainError):
        people.assign(person, RoleFactory(organisation=organisation("Ander")), TODAY, None)
    role = RoleFactory(organisation=org)
    people.assign(person, role, TODAY, None)
    with pytest.raises(DomainError):
        people.assign(person, role, TODAY, None)
    assert role.holders == [person]


def test_erase_departed_people_after_retention(app):
    org = organisation("Welzijn")
    gone = UserFactory(
        person=PersonFactory(
            organisation=org, phone="020 555 0101", language_codes=["nl", "ar"], focus_tags=["x"]
        )
    )
    recent = PersonFactory(organisation=org)
    staying = PersonFactory(organisation=org)
    people.leave(gone.person, TODAY - timedelta(days=31), None)
    people.leave(recent, TODAY - timedelta(days=5), None)
    assert app.config["PERSONAL_DATA_RETENTION_DAYS"] == 30
    assert people.erase_departed_people(TODAY) == 1
    assert people.erase_departed_people(TODAY) == 0  # idempotent
    db.session.expire_all()
    erased = db.session.get(Person, gone.person.id)
    assert (erased.name, erased.email, erased.phone, erased.language_codes, erased.focus_tags) == (
        None,
        None,
        None,
        [],
        [],
    )
    assert erased.erased_at is not None
    assert erased.display_name == "(gegevens verwijderd)"
    account = db.session.get(User, gone.id)
    assert account.password_hash is None
    assert account.disabled_at is not None
    assert "@invalid" in account.email
    assert db.session.get(Person, recent.id).name is not None
    assert db.session.get(Person, staying.id).name is not None


def test_consent_is_recorded_with_a_date():
    org = organisation("Zelforganisatie")
    editor = editor_of(org)
    figure = people.create_person(
        org, {"name": "Sleutelfiguur", "kind": PersonKind.KEY_FIGURE}, editor
    )
    outsider = Viewer(True, org.id + 1000)
    assert not person_listed(figure, outsider)
    people.update_person(figure, {"consent_given_on": TODAY}, editor)
    assert person_listed(figure, outsider)
    assert entries()[-1].new_value == TODAY.isoformat()
    with pytest.raises(DomainError) as info:
        people.update_person(figure, {"consent_given_on": TODAY + timedelta(days=1)}, editor)
    assert info.value.field == "consent_given_on"


def test_saving_unchanged_values_records_nothing():
    city = build_city()
    org = organisation("Welzijn", areas=[city.zuidoost], website=None)
    editor = editor_of(org)
    changed = services.update_organisation(
        org,
        {"areas": [city.zuidoost], "website": "", "visibility": "netwerk", "name": "Welzijn"},
        editor,
    )
    assert changed == []
    assert entries() == []


def test_erase_departed_command(runner):
    person = PersonFactory(organisation=organisation("Welzijn"))
    people.leave(person, date(2025, 1, 1), None)
    result = runner.invoke(args=["directory", "erase-departed", "--today", "2025-01-20"])
    assert result.output.strip() == "gegevens verwijderd van 0 personen"
    result = runner.invoke(args=["directory", "erase-departed", "--today", "2025-02-01"])
    assert result.exit_code == 0
    assert result.output.strip() == "gegevens verwijderd van 1 persoon"
    db.session.expire_all()
    assert person.name is None
