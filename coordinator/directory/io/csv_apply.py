"""Writing a checked import plan: create or update rows, skip unchanged ones; no commit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from coordinator.directory.io.catalog import Catalog
from coordinator.directory.io.columns import Sheet
from coordinator.directory.models import Assignment, Organisation, Person, Responsibility, Role
from coordinator.extensions import db

if TYPE_CHECKING:
    from coordinator.directory.io.csv_import import ImportPlan

#: The outcome of one planned row, as the preview shows it.
NEW, CHANGED, UNCHANGED = "nieuw", "bijgewerkt", "ongewijzigd"


def apply_plan(plan: ImportPlan) -> None:
    """Write the planned rows; unchanged rows are skipped. The caller commits."""
    catalog = plan.catalog or Catalog()
    session = db.session
    organisations = dict(catalog.organisations)
    for record in plan.records.get(Sheet.ORGANISATIONS, []):
        if record.outcome == UNCHANGED:
            continue
        organisation = organisations.get(record.org_slug)
        if organisation is None:
            organisation = Organisation(slug=record.org_slug)
            session.add(organisation)
            organisations[record.org_slug] = organisation
        for name, value in record.values.items():
            setattr(organisation, name, value)
        organisation.areas = [catalog.areas[s] for s in record.extra["areas"]]

    roles = dict(catalog.roles)
    for record in plan.records.get(Sheet.ROLES, []):
        role = roles.get(record.key)
        if role is None:
            role = Role(organisation=organisations[record.org_slug], name=record.extra["name"])
            session.add(role)
            roles[record.key] = role
        if record.outcome != UNCHANGED:
            for name, value in record.values.items():
                setattr(role, name, value)

    people = dict(catalog.people)
    today = date.today()  # noqa: DTZ011 - a calendar day
    for record in plan.records.get(Sheet.PEOPLE, []):
        if record.outcome == UNCHANGED:
            continue
        person = people.get(record.key)
        if person is None:
            person = Person(organisation=organisations[record.org_slug])
            session.add(person)
            people[record.key] = person
        for name, value in record.values.items():
            setattr(person, name, value)
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
            if match is None:
                person.assignments.append(
                    Assignment(role=role, starts_on=starts_on, ends_on=record.extra["ends_on"])
                )
            else:
                match.ends_on = record.extra["ends_on"]

    for record in plan.records.get(Sheet.RESPONSIBILITIES, []):
        if record.outcome == UNCHANGED:
            continue
        extra = record.extra
        if extra["stored_id"] is None:
            responsibility = Responsibility(organisation=organisations[record.org_slug])
            session.add(responsibility)
        else:
            responsibility = session.get(Responsibility, extra["stored_id"])
        responsibility.role = (
            roles[(record.org_slug, extra["role"].lower())] if extra["role"] else None
        )
        responsibility.handles = extra["handles"]
        responsibility.topics = [catalog.topics[s] for s in extra["topics"]]
        responsibility.target_groups = [catalog.groups[s] for s in extra["groups"]]
        responsibility.areas = [catalog.areas[s] for s in extra["areas"]]
        for name, value in record.values.items():
            setattr(responsibility, name, value)
    session.flush()
