"""Writing a checked import plan: create or update rows, skip unchanged ones; no commit.

Every created or changed record is logged in the directory's audit trail like a hand edit, by
the importing user, with the entry's label naming the import as its source. (An import never
deletes: rows missing from the sheets are left alone.)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from coordinator.directory import audit
from coordinator.directory.io.catalog import Catalog
from coordinator.directory.io.columns import Sheet
from coordinator.directory.models import (
    Assignment,
    AuditAction,
    Organisation,
    Person,
    Responsibility,
    Role,
)
from coordinator.directory.people import PRIVATE_FIELDS, record_assignment
from coordinator.directory.services import responsibility_label
from coordinator.extensions import db

if TYPE_CHECKING:
    from coordinator.auth.models import User
    from coordinator.directory.io.csv_import import ImportPlan

#: The outcome of one planned row, as the preview shows it.
NEW, CHANGED, UNCHANGED = "nieuw", "bijgewerkt", "ongewijzigd"


def by_import(label: str) -> str:
    """An audit label that names the import as the source of the change."""
    return _("%(label)s (via import)", label=label)


def _person_label(person: Person) -> str:
    return by_import(_("persoon #%(id)s", id=person.id))


def _changed(
    obj: Any,
    changes: dict[str, Any],
    actor: User | None,
    *,
    entity_type: str,
    label: str,
    private_fields: tuple[str, ...] = (),
) -> None:
    audit.apply_changes(
        obj,
        changes,
        actor,
        organisation_id=obj.organisation_id if entity_type != "organisation" else obj.id,
        entity_type=entity_type,
        label=label,
        private_fields=private_fields,
    )


def apply_plan(plan: ImportPlan, actor: User | None = None) -> None:
    """Write the planned rows and log them for ``actor``; unchanged rows are skipped.

    The caller commits.
    """
    catalog = plan.catalog or Catalog()
    session = db.session
    organisations = dict(catalog.organisations)
    for record in plan.records.get(Sheet.ORGANISATIONS, []):
        if record.outcome == UNCHANGED:
            continue
        organisation = organisations.get(record.org_slug)
        areas = [catalog.areas[s] for s in record.extra["areas"]]
        if organisation is None:
            organisation = Organisation(slug=record.org_slug, areas=[])
            audit.add_created(
                organisation,
                record.values,
                actor,
                organisation=organisation,
                entity_type="organisation",
                label=lambda o: by_import(o.name),
            )
            organisation.areas = areas
            organisations[record.org_slug] = organisation
        else:
            _changed(
                organisation,
                {**record.values, "areas": areas},
                actor,
                entity_type="organisation",
                label=by_import(record.values.get("name") or organisation.name),
            )

    roles = dict(catalog.roles)
    for record in plan.records.get(Sheet.ROLES, []):
        role = roles.get(record.key)
        values = record.values if record.outcome != UNCHANGED else {}
        if role is None:
            owner = organisations[record.org_slug]
            role = audit.add_created(
                Role(organisation=owner, name=record.extra["name"]),
                values,
                actor,
                organisation=owner,
                entity_type="role",
                label=lambda r: by_import(r.name),
            )
            roles[record.key] = role
        elif values:
            _changed(role, dict(values), actor, entity_type="role", label=by_import(role.name))

    people = dict(catalog.people)
    today = date.today()  # noqa: DTZ011 - a calendar day
    for record in plan.records.get(Sheet.PEOPLE, []):
        if record.outcome == UNCHANGED:
            continue
        person = people.get(record.key)
        if person is None:
            owner = organisations[record.org_slug]
            person = audit.add_created(
                Person(organisation=owner),
                record.values,
                actor,
                organisation=owner,
                entity_type="person",
                label=_person_label,
                new=lambda p: p.kind,
            )
            people[record.key] = person
        else:
            _changed(
                person,
                dict(record.values),
                actor,
                entity_type="person",
                label=_person_label(person),
                private_fields=PRIVATE_FIELDS,
            )
        if record.extra["role"]:
            role = roles[(record.org_slug, record.extra["role"].lower())]
            starts_on = record.extra["starts_on"] or today
            match = next(
                (
                    a
                    for a in person.assignments
                    if a.role is role
                    and (record.extra["starts_on"] is None or a.starts_on == starts_on)
                ),
                None,
            )
            ends_on = record.extra["ends_on"]
            if match is None:
                assignment = Assignment(role=role, starts_on=starts_on, ends_on=ends_on)
                person.assignments.append(assignment)
                session.flush()
                record_assignment(
                    assignment,
                    actor,
                    AuditAction.CREATE,
                    label=by_import(role.name),
                    field="starts_on",
                    new=starts_on,
                )
            elif match.ends_on != ends_on:
                old, match.ends_on = match.ends_on, ends_on
                record_assignment(
                    match,
                    actor,
                    AuditAction.UPDATE,
                    label=by_import(match.role.name),
                    field="ends_on",
                    old=old,
                    new=ends_on,
                )

    for record in plan.records.get(Sheet.RESPONSIBILITIES, []):
        if record.outcome == UNCHANGED:
            continue
        extra = record.extra
        changes = {
            "role": roles[(record.org_slug, extra["role"].lower())] if extra["role"] else None,
            "handles": extra["handles"],
            "topics": [catalog.topics[s] for s in extra["topics"]],
            "target_groups": [catalog.groups[s] for s in extra["groups"]],
            "areas": [catalog.areas[s] for s in extra["areas"]],
            **record.values,
        }
        if extra["stored_id"] is None:
            owner = organisations[record.org_slug]
            audit.add_created(
                Responsibility(organisation=owner),
                changes,
                actor,
                organisation=owner,
                entity_type="responsibility",
                label=lambda r: by_import(responsibility_label(r)),
            )
        else:
            responsibility = session.get(Responsibility, extra["stored_id"])
            _changed(
                responsibility,
                changes,
                actor,
                entity_type="responsibility",
                label=by_import(responsibility_label(responsibility)),
            )
    session.flush()
