"""The directory's audit trail, entry by entry, through a listing's whole life.

Pins what each service writes to the log (entity, action, label, field, old → new) so that the
shared recording helpers keep every entry exactly as it was.
"""

from __future__ import annotations

from datetime import date, timedelta
from unittest.mock import ANY

import sqlalchemy as sa

from coordinator.auth.models import AccountRole
from coordinator.directory import people, services
from coordinator.directory.models import AuditAction, AuditEntry, OrganisationKind
from coordinator.extensions import db
from tests.factories import TopicFactory, UserFactory

CREATE, UPDATE, DELETE = AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE


def trail() -> list[tuple[object, ...]]:
    rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))
    return [
        (
            e.organisation_id,
            e.entity_type,
            e.entity_id,
            e.action,
            e.entity_label,
            e.field,
            e.old_value,
            e.new_value,
            e.actor_user_id,
        )
        for e in rows
    ]


def test_every_change_to_a_listing_leaves_its_entry() -> None:
    admin = UserFactory(role=AccountRole.ADMIN)
    topic = TopicFactory(slug="taal", name="Taal")
    org = services.create_organisation(
        {"name": "Stichting Taal", "kind": OrganisationKind.FORMAL, "infrastructure": "sociaal"},
        admin,
    )
    role = services.create_role(org, {"name": "Taalcoach"}, admin)
    later_role = services.create_role(org, {"name": "Coördinator"}, None)
    person = people.create_person(org, {"name": "Sam de Vries"}, admin)
    resp = services.create_responsibility(org, {"topics": [topic], "summary": "Taalcafé"}, admin)
    held = people.assign(person, role, date(2025, 1, 1), admin)
    future = people.assign(person, later_role, date(2025, 9, 1), admin)
    services.update_role(role, {"name": "Taalmaatje", "description": "Elke week"}, admin)
    services.mark_organisation_verified(org, admin)
    people.update_person(person, {"email": "sam@org.example.org", "kind": "vrijwilliger"}, admin)
    services.update_responsibility(resp, {"handles": False, "reason": "Geen les"}, admin)
    services.verify_responsibility(resp, admin)
    people.leave(person, date(2025, 6, 30), admin)
    resp_id = resp.id
    services.delete_responsibility(resp, admin)
    today = date(2025, 6, 30) + timedelta(days=400)
    assert people.erase_departed_people(today, retention=30) == 1

    o, a, p = org.id, admin.id, f"persoon #{person.id}"
    doet = "doet: Taal (Taalcafé)"
    doet_niet = "doet niet: Taal (Taalcafé)"
    assert trail() == [
        (o, "organisation", o, CREATE, "Stichting Taal", None, None, None, a),
        (o, "role", role.id, CREATE, "Taalcoach", None, None, None, a),
        (o, "role", later_role.id, CREATE, "Coördinator", None, None, None, None),
        (o, "person", person.id, CREATE, p, None, None, "medewerker", a),
        (o, "responsibility", resp_id, CREATE, doet, None, None, None, a),
        (o, "assignment", held.id, CREATE, "Taalcoach", "starts_on", None, "2025-01-01", a),
        (o, "assignment", future.id, CREATE, "Coördinator", "starts_on", None, "2025-09-01", a),
        (o, "role", role.id, UPDATE, "Taalcoach", "name", "Taalcoach", "Taalmaatje", a),
        (o, "role", role.id, UPDATE, "Taalcoach", "description", "", "Elke week", a),
        (o, "organisation", o, UPDATE, "Stichting Taal", "verified_at", None, ANY, a),
        (o, "person", person.id, UPDATE, p, "email", None, None, a),
        (o, "person", person.id, UPDATE, p, "kind", "medewerker", "vrijwilliger", a),
        (o, "responsibility", resp_id, UPDATE, doet, "handles", "ja", "nee", a),
        (o, "responsibility", resp_id, UPDATE, doet, "reason", "", "Geen les", a),
        (o, "responsibility", resp_id, UPDATE, doet_niet, "verified_at", None, ANY, a),
        (o, "person", person.id, UPDATE, p, "left_on", None, "2025-06-30", a),
        (o, "assignment", held.id, UPDATE, "Taalmaatje", "ends_on", None, "2025-06-30", a),
        (o, "assignment", future.id, DELETE, "Coördinator", None, None, None, a),
        (o, "responsibility", resp_id, DELETE, doet_niet, None, None, None, a),
        (o, "person", person.id, UPDATE, p, "erased_at", None, ANY, None),
    ]


def test_a_committed_import_leaves_its_entries_naming_the_import() -> None:
    from coordinator.directory.audit import history
    from coordinator.directory.io.columns import Sheet
    from coordinator.directory.io.csv_import import import_directory
    from coordinator.directory.models import Organisation, Person
    from tests.directory_io_data import admin, make_taxonomy, sample_files

    make_taxonomy()
    importer = admin()
    import_directory(sample_files(), importer)
    buurtteam = db.session.scalar(sa.select(Organisation).filter_by(slug="buurtteam-zuidoost"))
    sanne = db.session.scalar(sa.select(Person).filter_by(name="Sanne de Boer"))
    created = [
        (e.entity_type, e.action, e.entity_label, e.actor_user_id)
        for e in reversed(history(buurtteam.id))
    ]
    assert created == [
        ("organisation", CREATE, "Buurtteam Zuidoost (via import)", importer.id),
        ("role", CREATE, "Brugfunctionaris (via import)", importer.id),
        ("person", CREATE, f"persoon #{sanne.id} (via import)", importer.id),
        ("assignment", CREATE, "Brugfunctionaris (via import)", importer.id),
        (
            "responsibility",
            CREATE,
            "doet niet: Huisvesting (Geen hulp zonder BSN) (via import)",
            importer.id,
        ),
        (
            "responsibility",
            CREATE,
            "doet: Huisvesting, Taal en inburgering (Woonvragen statushouders) (via import)",
            importer.id,
        ),
    ]
    person_entry = next(e for e in history(buurtteam.id) if e.entity_type == "person")
    assert person_entry.new_value == "medewerker"  # never the name or contact details

    # A second import that changes the functional e-mail and a person's phone: updates logged,
    # personal contact details without their values; unchanged rows leave nothing.
    files = sample_files()
    files[Sheet.ORGANISATIONS] = files[Sheet.ORGANISATIONS].replace(
        b"info@buurtteam.example.org", b"team@buurtteam.example.org"
    )
    files[Sheet.PEOPLE] = files[Sheet.PEOPLE].replace(b"06 1234 5678", b"06 8765 4321")
    before = len(trail())
    import_directory(files, importer)
    updates = trail()[before:]
    assert [(r[1], r[3], r[4], r[5], r[6], r[7], r[8]) for r in updates] == [
        (
            "organisation",
            UPDATE,
            "Buurtteam Zuidoost (via import)",
            "email",
            "info@buurtteam.example.org",
            "team@buurtteam.example.org",
            importer.id,
        ),
        ("person", UPDATE, f"persoon #{sanne.id} (via import)", "phone", None, None, importer.id),
    ]
