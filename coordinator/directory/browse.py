"""Browsing and searching the directory as a given viewer, and the organisation page's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from coordinator.directory import audit
from coordinator.directory.lookup import area_scope
from coordinator.directory.models import (
    Area,
    Assignment,
    AuditEntry,
    Organisation,
    OrganisationKind,
    Person,
    Responsibility,
    Role,
    Topic,
    organisation_areas,
    responsibility_areas,
    responsibility_topics,
)
from coordinator.directory.visibility import (
    Viewer,
    organisation_clause,
    organisation_visible,
    person_clause,
    person_contact_visible,
    person_listed,
    responsibility_visible,
    role_clause,
    role_visible,
)
from coordinator.errors import NotFound
from coordinator.extensions import db

#: Search results per list.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    """What the browse page and ``GET /organisations`` filter on (all optional)."""

    q: str = ""
    topic: str | None = None
    area: str | None = None
    kind: str | None = None
    language: str | None = None


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _area_ids(slug: str | None) -> list[int] | None:
    if not slug:
        return None
    areas = list(db.session.scalars(sa.select(Area)))
    area = next((a for a in areas if a.slug == slug), None)
    if area is None:
        raise NotFound(_("Onbekend gebied: %(slug)s.", slug=slug), field="area")
    return list(area_scope(area, areas).kinds)


def _where_kind(stmt: sa.Select, kind: str | None) -> sa.Select:
    """Formal or informal organisations only (the statement joins :class:`Organisation`)."""
    if kind in {k.value for k in OrganisationKind}:
        stmt = stmt.where(Organisation.kind == OrganisationKind(kind))
    return stmt


def _handles_topic(slug: str) -> sa.ColumnElement[bool]:
    """Filter on :class:`Responsibility`: it handles (not refuses) the topic."""
    return sa.and_(
        Responsibility.handles.is_(True),
        Responsibility.id.in_(
            sa.select(responsibility_topics.c.responsibility_id)
            .join(Topic, Topic.id == responsibility_topics.c.topic_id)
            .where(Topic.slug == slug)
        ),
    )


def _role_handles_topic(slug: str) -> sa.ColumnElement[bool]:
    """Filter on :class:`Role`: the role, or its organisation as a whole, handles the topic."""
    return sa.exists().where(
        _handles_topic(slug),
        sa.or_(
            Responsibility.role_id == Role.id,
            sa.and_(
                Responsibility.role_id.is_(None),
                Responsibility.organisation_id == Role.organisation_id,
            ),
        ),
    )


def _serves_area(
    organisation_id: sa.ColumnElement[int], area_ids: list[int]
) -> sa.ColumnElement[bool]:
    """The organisation (by id column) serves one of ``area_ids`` itself or through an entry."""
    return sa.or_(
        organisation_id.in_(
            sa.select(organisation_areas.c.organisation_id).where(
                organisation_areas.c.area_id.in_(area_ids)
            )
        ),
        organisation_id.in_(
            sa.select(Responsibility.organisation_id)
            .join(
                responsibility_areas,
                responsibility_areas.c.responsibility_id == Responsibility.id,
            )
            .where(responsibility_areas.c.area_id.in_(area_ids))
        ),
    )


def _has_filters(filters: Filters) -> bool:
    return bool(
        filters.q.strip() or filters.topic or filters.area or filters.kind or filters.language
    )


def search_organisations(filters: Filters, viewer: Viewer) -> list[Organisation]:
    """Organisations the viewer may see, matching every given filter, by name."""
    stmt = (
        sa.select(Organisation)
        .where(organisation_clause(viewer))
        .options(selectinload(Organisation.areas))
        .order_by(Organisation.name)
        .limit(PAGE_SIZE)
    )
    if filters.q.strip():
        pattern = _like(filters.q.strip())
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Organisation.name).like(pattern, escape="\\"),
                sa.func.lower(Organisation.description).like(pattern, escape="\\"),
            )
        )
    stmt = _where_kind(stmt, filters.kind)
    if filters.topic:
        stmt = stmt.where(
            Organisation.id.in_(
                sa.select(Responsibility.organisation_id).where(_handles_topic(filters.topic))
            )
        )
    area_ids = _area_ids(filters.area)
    if area_ids is not None:
        stmt = stmt.where(_serves_area(Organisation.id, area_ids))
    organisations = list(db.session.scalars(stmt))
    if filters.language:
        speaking = _organisations_speaking(
            filters.language.strip().lower(), [o.id for o in organisations], viewer
        )
        organisations = [o for o in organisations if o.id in speaking]
    return organisations


def _organisations_speaking(language: str, among: list[int], viewer: Viewer) -> set[int]:
    """Those of ``among`` with an entry or a listed current person speaking ``language``."""
    ids: set[int] = set()
    for org_id, codes in db.session.execute(
        sa.select(Responsibility.organisation_id, Responsibility.language_codes).where(
            Responsibility.organisation_id.in_(among)
        )
    ):
        if language in (codes or []):
            ids.add(org_id)
    people = db.session.scalars(
        sa.select(Person)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.organisation_id.in_(among), Person.left_on.is_(None), person_clause(viewer))
    )
    ids.update(p.organisation_id for p in people if language in (p.language_codes or []))
    return ids


def search_roles(filters: Filters, viewer: Viewer, *, today: date | None = None) -> list[Role]:
    """Roles (functies) the viewer may see, e.g. "brugfunctionaris", matching every filter.

    Name; topic (handled by the role or its organisation as a whole); area and kind (of its
    organisation, as for organisations); language (spoken by a current listed holder or offered
    by one of the role's entries). Without any filter there is no list.
    """
    if not _has_filters(filters):
        return []
    stmt = (
        sa.select(Role)
        .join(Organisation, Organisation.id == Role.organisation_id)
        .where(organisation_clause(viewer), role_clause(viewer))
        .options(selectinload(Role.assignments).joinedload(Assignment.person))
        .order_by(Role.name, Organisation.name)
    )
    if filters.q.strip():
        stmt = stmt.where(sa.func.lower(Role.name).like(_like(filters.q.strip()), escape="\\"))
    stmt = _where_kind(stmt, filters.kind)
    if filters.topic:
        stmt = stmt.where(_role_handles_topic(filters.topic))
    area_ids = _area_ids(filters.area)
    if area_ids is not None:
        stmt = stmt.where(_serves_area(Role.organisation_id, area_ids))
    if not filters.language:
        return list(db.session.scalars(stmt.limit(PAGE_SIZE)))
    language = filters.language.strip().lower()
    day = today or date.today()  # noqa: DTZ011 - a calendar day
    roles = list(db.session.scalars(stmt.limit(PAGE_SIZE * 5)))
    offered = {
        role_id
        for role_id, codes in db.session.execute(
            sa.select(Responsibility.role_id, Responsibility.language_codes).where(
                Responsibility.role_id.in_([r.id for r in roles])
            )
        )
        if language in (codes or [])
    }
    return [
        r
        for r in roles
        if r.id in offered
        or any(
            a.is_current(day)
            and person_listed(a.person, viewer)
            and language in (a.person.language_codes or [])
            for a in r.assignments
        )
    ][:PAGE_SIZE]


def search_people(filters: Filters, viewer: Viewer, *, today: date | None = None) -> list[Person]:
    """Current people the viewer may see listed, matching every filter.

    Name and language of the person; topic (handled by a role they currently hold or by their
    organisation as a whole); area and kind of their organisation, as for organisations.
    Without any filter there is no list.
    """
    if not _has_filters(filters):
        return []
    stmt = (
        sa.select(Person)
        .join(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.left_on.is_(None), person_clause(viewer))
        .order_by(Person.name)
        .limit(PAGE_SIZE * 5)
    )
    if filters.q.strip():
        stmt = stmt.where(sa.func.lower(Person.name).like(_like(filters.q.strip()), escape="\\"))
    stmt = _where_kind(stmt, filters.kind)
    if filters.topic:
        day = today or date.today()  # noqa: DTZ011 - a calendar day
        holds_role = (
            sa.select(Assignment.person_id)
            .join(Role, Role.id == Assignment.role_id)
            .where(
                Assignment.starts_on <= day,
                sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= day),
                role_clause(viewer),
                sa.exists().where(_handles_topic(filters.topic), Responsibility.role_id == Role.id),
            )
        )
        organisation_wide = sa.select(Responsibility.organisation_id).where(
            _handles_topic(filters.topic), Responsibility.role_id.is_(None)
        )
        stmt = stmt.where(
            sa.or_(Person.id.in_(holds_role), Person.organisation_id.in_(organisation_wide))
        )
    area_ids = _area_ids(filters.area)
    if area_ids is not None:
        stmt = stmt.where(_serves_area(Person.organisation_id, area_ids))
    people = [p for p in db.session.scalars(stmt) if person_listed(p, viewer)]
    if filters.language:
        language = filters.language.strip().lower()
        people = [p for p in people if language in (p.language_codes or [])]
    return people[:PAGE_SIZE]


@dataclass
class RoleView:
    role: Role
    holders: list[Person]
    contacts: set[int]

    @property
    def vacant(self) -> bool:
        return not self.holders


@dataclass
class OrganisationView:
    """Everything the organisation page shows, already filtered for the viewer."""

    organisation: Organisation
    roles: list[RoleView]
    handles: list[Responsibility]
    does_not_handle: list[Responsibility]
    people: list[Person]
    tables: list = field(default_factory=list)
    history: list[AuditEntry] = field(default_factory=list)

    @property
    def visible_role_ids(self) -> set[int]:
        return {rv.role.id for rv in self.roles}

    #: Names of this organisation's people as the viewer may see them (history shows them).
    person_names: dict[int, str] = field(default_factory=dict)


def get_organisation(ident: int | str, viewer: Viewer) -> Organisation:
    """By id or slug; invisible organisations are reported as not found."""
    column = Organisation.id if isinstance(ident, int) else Organisation.slug
    organisation = db.session.scalar(sa.select(Organisation).where(column == ident))
    if organisation is None or not organisation_visible(organisation, viewer):
        raise NotFound(_("Deze organisatie bestaat niet of is niet zichtbaar voor u."))
    return organisation


def organisation_view(
    organisation: Organisation,
    viewer: Viewer,
    *,
    today: date | None = None,
    with_history: bool = False,
) -> OrganisationView:
    day = today or date.today()  # noqa: DTZ011 - a calendar day
    roles = []
    for role in organisation.roles:
        if not role_visible(role, viewer):
            continue
        holders = [
            a.person
            for a in role.assignments
            if a.is_current(day) and person_listed(a.person, viewer)
        ]
        roles.append(
            RoleView(role, holders, {p.id for p in holders if person_contact_visible(p, viewer)})
        )
    current = [
        r
        for r in organisation.responsibilities
        if (r.valid_until is None or r.valid_until >= day) and responsibility_visible(r, viewer)
    ]
    current.sort(key=lambda r: (min((t.position for t in r.topics), default=0), r.id))
    people = [p for p in organisation.people if p.left_on is None and person_listed(p, viewer)]
    view = OrganisationView(
        organisation,
        roles,
        [r for r in current if r.handles],
        [r for r in current if not r.handles],
        people,
    )
    if viewer.authenticated:
        view.tables = _tables_of(organisation)
    if with_history:
        view.history = audit.history(organisation.id)
        view.person_names = {
            p.id: p.display_name for p in organisation.people if person_listed(p, viewer)
        }
    return view


def _tables_of(organisation: Organisation) -> list:
    """Tables where the organisation has an active seat."""
    from coordinator.tables.models import Seat, Table

    return list(
        db.session.scalars(
            sa.select(Table)
            .join(Seat, Seat.table_id == Table.id)
            .where(Seat.organisation_id == organisation.id, Seat.removed_at.is_(None))
            .distinct()
            .order_by(Table.name)
        )
    )
