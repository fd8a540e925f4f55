"""Who gets a question: the holders of matching roles, and opted-in seat holders of the area.

The matching is the "Wie doet wat?" lookup itself (topic × target group × area, with its
stadsdeel/citywide and boundary rules), seen as the asker sees it: a role or person the asker
may not see is not routed to, so "who was notified" never reveals hidden entries.

* A matching responsibility of a **role** reaches that role's current holders: in their inbox
  and by mail when they have an account, by mail at their work address when they have none
  (holders whose account is disabled, or who left, are skipped).
* A matching **organisation-wide** responsibility reaches that organisation's redacteuren and
  coördinatoren (the people who keep its listing).
* Seat holders at active **tables** in the question's area (the area itself, its stadsdeel and
  its wijken; not citywide tables) are added when they opted in (``notify_questions``).

Each person gets the question once, for the first reason found in that order; the asker never.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from coordinator.auth.models import AccountRole, User
from coordinator.directory.lookup import LookupQuery, LookupResult, lookup
from coordinator.directory.models import (
    Area,
    Assignment,
    Organisation,
    Person,
    Role,
    TargetGroup,
    Topic,
)
from coordinator.directory.ranking import AREA_CITY, area_scope
from coordinator.directory.visibility import Viewer
from coordinator.extensions import db
from coordinator.questions.models import QuestionPreference, RecipientReason
from coordinator.tables.models import Seat, Table, TableStatus

#: Accounts that keep an organisation's listing and so receive its organisation-wide questions.
LISTING_ROLES = (AccountRole.EDITOR, AccountRole.COORDINATOR)


@dataclass(frozen=True)
class Route:
    """One recipient and why; ``organisation``/``role``/``table`` are what the asker is shown."""

    person: Person
    #: The person's account (inbox); ``None`` means a mail to the work address only.
    user: User | None
    reason: RecipientReason
    organisation: Organisation
    role: Role | None = None
    table: Table | None = None

    @property
    def address(self) -> str | None:
        return self.user.email if self.user is not None else self.person.email


def _accounts_of(person_ids: set[int]) -> dict[int, User]:
    """Every account (active or not) by person id."""
    if not person_ids:
        return {}
    users = db.session.scalars(
        sa.select(User).where(User.person_id.in_(person_ids)).options(joinedload(User.person))
    )
    return {u.person_id: u for u in users}


def reachable(person: Person, account: User | None) -> tuple[bool, User | None]:
    """Whether a holder can be told, and through which account (pure).

    An active account: yes, through it. A disabled account or a person who left: no. No account:
    yes, by mail to the work address, if there is one.
    """
    if person.has_left or person.erased_at is not None:
        return False, None
    if account is not None:
        return (True, account) if account.is_active else (False, None)
    return bool(person.email), None


def _listing_keepers(organisation_ids: set[int]) -> dict[int, list[User]]:
    """Active redacteuren and coördinatoren per organisation."""
    if not organisation_ids:
        return {}
    users = db.session.scalars(
        sa.select(User)
        .join(Person, Person.id == User.person_id)
        .where(
            Person.organisation_id.in_(organisation_ids),
            User.role.in_(LISTING_ROLES),
            User.disabled_at.is_(None),
        )
        .options(joinedload(User.person))
        .order_by(User.id)
    )
    keepers: dict[int, list[User]] = {}
    for user in users:
        if user.is_active:
            keepers.setdefault(user.organisation_id, []).append(user)
    return keepers


def _responsibility_routes(result: LookupResult) -> list[Route]:
    routes: list[Route] = []
    holders = {p.id for match in result.handles if match.role is not None for p in match.holders}
    accounts = _accounts_of(holders)
    keepers = _listing_keepers(
        {m.organisation.id for m in result.handles if m.responsibility.role_id is None}
    )
    for match in result.handles:
        if match.role is not None:
            for person in match.holders:
                ok, user = reachable(person, accounts.get(person.id))
                if ok:
                    routes.append(
                        Route(person, user, RecipientReason.ROLE, match.organisation, match.role)
                    )
        elif match.responsibility.role_id is None:
            for user in keepers.get(match.organisation.id, []):
                routes.append(
                    Route(user.person, user, RecipientReason.ORGANISATION, match.organisation)
                )
    return routes


def table_area_ids(area: Area) -> set[int]:
    """The areas whose tables hear about a question in ``area`` (not citywide tables)."""
    all_areas = list(db.session.scalars(sa.select(Area)))
    scope = area_scope(area, all_areas)
    return {area_id for area_id, kind in scope.kinds.items() if kind != AREA_CITY}


def _table_routes(area: Area, today: date) -> list[Route]:
    seats = db.session.scalars(
        sa.select(Seat)
        .join(Table, Table.id == Seat.table_id)
        .where(
            Table.area_id.in_(table_area_ids(area)),
            Table.status == TableStatus.ACTIVE,
            Seat.removed_at.is_(None),
        )
        .options(
            joinedload(Seat.table),
            joinedload(Seat.organisation),
            joinedload(Seat.role).selectinload(Role.assignments).joinedload(Assignment.person),
        )
        .order_by(Table.name, Seat.id)
    ).unique()
    seats = list(seats)
    holders = {a.person_id for seat in seats for a in seat.role.assignments if a.is_current(today)}
    users = {pid: u for pid, u in _accounts_of(holders).items() if u.is_active}
    opted_in = set(
        db.session.scalars(
            sa.select(QuestionPreference.user_id).where(
                QuestionPreference.user_id.in_([u.id for u in users.values()]),
                QuestionPreference.notify_questions.is_(True),
            )
        )
    )
    routes = []
    for seat in seats:
        for assignment in seat.role.assignments:
            user = users.get(assignment.person_id)
            if assignment.is_current(today) and user is not None and user.id in opted_in:
                routes.append(
                    Route(
                        user.person,
                        user,
                        RecipientReason.TABLE,
                        seat.organisation,
                        seat.role,
                        seat.table,
                    )
                )
    return routes


def plan_routes(
    topic: Topic,
    target_group: TargetGroup,
    area: Area,
    asker: User,
    *,
    today: date | None = None,
    result: LookupResult | None = None,
) -> list[Route]:
    """Everyone the question would reach, once each, without writing anything."""
    day = today or date.today()  # noqa: DTZ011 - a calendar day
    if result is None:
        result = lookup(
            LookupQuery(topic.slug, target_group.slug, area.slug), Viewer.of(asker), today=day
        )
    seen = {asker.person_id}
    routes = []
    for route in _responsibility_routes(result) + _table_routes(area, day):
        if route.person.id not in seen:
            seen.add(route.person.id)
            routes.append(route)
    return routes


def route_label(organisation: Organisation, role: Role | None, table: Table | None) -> str:
    """How a recipient is shown: by table, organisation and role, never by name or address."""
    label = organisation.name if role is None else f"{organisation.name} – {role.name}"
    return f"{table.name}: {label}" if table is not None else label
