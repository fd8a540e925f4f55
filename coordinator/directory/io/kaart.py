"""The sociale kaart of one area, for print: who works here, what they do and do not do.

An area's kaart covers entries for the area itself, the areas above it (a wijk includes its
stadsdeel and the whole city) and, for a stadsdeel, the wijken below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from coordinator.directory.io import visibility
from coordinator.directory.models import (
    Area,
    Assignment,
    Organisation,
    Person,
    Responsibility,
    Role,
    organisation_areas,
    responsibility_areas,
)
from coordinator.extensions import db


@dataclass
class KaartEntry:
    organisation: Organisation
    handles: list[Responsibility] = field(default_factory=list)
    does_not_handle: list[Responsibility] = field(default_factory=list)
    #: Visible roles with the holders the viewer may see (empty list = vacant).
    roles: list[tuple[Role, list[Person]]] = field(default_factory=list)
    #: Whether functional e-mail and phone (organisation and roles) may be shown: partners only.
    show_contact: bool = False


def covered_area_ids(area: Area) -> set[int]:
    """The area, everything above it and everything below it."""
    ids = {a.id for a in area.lineage()}
    stack = list(area.children)
    while stack:
        child = stack.pop()
        ids.add(child.id)
        stack.extend(child.children)
    return ids


def sociale_kaart(area: Area, viewer: object | None) -> list[KaartEntry]:
    """Organisations working in ``area`` that the viewer may see, by name."""
    viewer = visibility.viewer_of(viewer)
    ids = covered_area_ids(area)
    working_here = sa.union(
        sa.select(organisation_areas.c.organisation_id).where(
            organisation_areas.c.area_id.in_(ids)
        ),
        sa.select(Responsibility.organisation_id)
        .join(responsibility_areas, responsibility_areas.c.responsibility_id == Responsibility.id)
        .where(responsibility_areas.c.area_id.in_(ids)),
    )
    query = (
        sa.select(Organisation)
        .where(Organisation.id.in_(working_here), visibility.organisation_clause(viewer))
        .order_by(Organisation.name)
        .options(
            selectinload(Organisation.areas),
            selectinload(Organisation.roles)
            .selectinload(Role.assignments)
            .selectinload(Assignment.person),
            selectinload(Organisation.responsibilities).options(
                selectinload(Responsibility.topics),
                selectinload(Responsibility.target_groups),
                selectinload(Responsibility.areas),
                selectinload(Responsibility.role),
            ),
        )
    )
    entries = []
    for org in db.session.scalars(query):
        if not visibility.organisation_visible(viewer, org):
            continue
        tasks = [
            r
            for r in org.responsibilities
            if visibility.responsibility_visible(viewer, r)
            and (any(a.id in ids for a in r.areas) or (not r.areas and _serves(org, ids)))
        ]
        if not tasks and not _serves(org, ids):
            continue
        entry = KaartEntry(org, show_contact=visibility.organisation_contact_visible(viewer, org))
        for r in sorted(tasks, key=lambda r: [t.position for t in r.topics] or [0]):
            (entry.handles if r.handles else entry.does_not_handle).append(r)
        for role in org.roles:
            if visibility.role_visible(viewer, role):
                holders = [p for p in role.holders if visibility.person_listed(viewer, p)]
                entry.roles.append((role, holders))
        entries.append(entry)
    return entries


def _serves(org: Organisation, ids: set[int]) -> bool:
    return any(a.id in ids for a in org.areas)
