"""What import rows may refer to, loaded once per import: areas, taxonomies, organisations,
roles, people and (in bulk) stored responsibilities, with the keys rows are matched on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from coordinator.directory.io import bulk
from coordinator.directory.models import Area, Organisation, Person, Role, TargetGroup, Topic
from coordinator.extensions import db


class Catalog:
    """Everything the rows may refer to, loaded once per import."""

    def __init__(self) -> None:
        session = db.session
        self.areas = {a.slug: a for a in session.scalars(sa.select(Area))}
        self.topics = {t.slug: t for t in session.scalars(sa.select(Topic))}
        self.groups = {g.slug: g for g in session.scalars(sa.select(TargetGroup))}
        self.organisations = {
            o.slug: o
            for o in session.scalars(
                sa.select(Organisation).options(selectinload(Organisation.areas))
            )
        }
        self.roles = {
            (r.organisation.slug, r.name.lower()): r
            for r in session.scalars(sa.select(Role).options(selectinload(Role.organisation)))
        }
        self.people: dict[tuple[str, str], Person] = {}
        #: People with an e-mail address by organisation and lower-cased name, to recognise an
        #: exported row whose e-mail was blank because the exporter was not shown it.
        self.people_with_email: dict[tuple[str, str], list[Person]] = {}
        for person in session.scalars(
            sa.select(Person).options(
                selectinload(Person.organisation), selectinload(Person.assignments)
            )
        ):
            self.people[(person.organisation.slug, person_key(person.email, person.name))] = person
            if person.email:
                self.people_with_email.setdefault(
                    (person.organisation.slug, (person.name or "").lower()), []
                ).append(person)
        self._tasks: tuple[dict[int, StoredTask], dict[tuple, StoredTask]] | None = None

    def tasks(self) -> tuple[dict[int, StoredTask], dict[tuple, StoredTask]]:
        """Stored responsibilities by id and by scope key (Core rows, read in bulk)."""
        if self._tasks is None:
            org_slugs = {o.id: slug for slug, o in self.organisations.items()}
            role_names = {r.id: r.name for r in self.roles.values()}
            topics, groups, areas = bulk.topic_slugs(), bulk.group_slugs(), bulk.area_slugs()
            by_id: dict[int, StoredTask] = {}
            by_scope: dict[tuple, StoredTask] = {}
            for row in bulk.responsibility_rows():
                key = scope_key(
                    org_slugs[row.organisation_id],
                    role_names.get(row.role_id, "") if row.role_id else "",
                    row.handles,
                    topics.get(row.id, []),
                    groups.get(row.id, []),
                    areas.get(row.id, []),
                )
                stored = StoredTask(row, key)
                by_id[row.id] = stored
                by_scope.setdefault(key, stored)
            self._tasks = (by_id, by_scope)
        return self._tasks


@dataclass(frozen=True)
class StoredTask:
    row: Any
    key: tuple


def person_key(email: str | None, name: str | None) -> str:
    return f"email:{email.lower()}" if email else f"naam:{(name or '').lower()}"


def scope_key(org: str, role: str, handles: bool, topics: list, groups: list, areas: list) -> tuple:
    return (org, role.lower(), handles, frozenset(topics), frozenset(groups), frozenset(areas))
