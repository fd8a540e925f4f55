"""Who may see which directory entry in an export (openbaar / netwerk / organisatie).

Responsibilities have no tier of their own: they follow their organisation and role.
Volunteers and key figures are listed beyond their own organisation only with recorded consent.

Written in parallel with ``coordinator.directory.visibility`` (the directory branch, which has the
same tiers as pure rules plus SQL clauses around a ``Viewer``). After both are merged, these
functions should delegate to that module so there is one rule; the signatures here take the
Flask-Login user (``Viewer.of(user)`` converts).
"""

from __future__ import annotations

import sqlalchemy as sa

from coordinator.directory.models import (
    Organisation,
    Person,
    PersonKind,
    Responsibility,
    Role,
    Visibility,
)
from coordinator.permissions import is_admin


def _authenticated(user: object | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _own(user: object | None, organisation_id: int) -> bool:
    return _authenticated(user) and user.organisation_id == organisation_id  # type: ignore[union-attr]


def can_see(user: object | None, visibility: Visibility, organisation_id: int) -> bool:
    """Public for everyone, network for logged-in users, organisation for its own people."""
    if visibility == Visibility.PUBLIC:
        return True
    if not _authenticated(user):
        return False
    if is_admin(user) or visibility == Visibility.NETWORK:  # type: ignore[arg-type]
        return True
    return _own(user, organisation_id)


def organisation_visible(user: object | None, organisation: Organisation) -> bool:
    return can_see(user, organisation.visibility, organisation.id)


def role_visible(user: object | None, role: Role) -> bool:
    return organisation_visible(user, role.organisation) and can_see(
        user, role.visibility, role.organisation_id
    )


def responsibility_visible(user: object | None, responsibility: Responsibility) -> bool:
    if not organisation_visible(user, responsibility.organisation):
        return False
    return responsibility.role is None or role_visible(user, responsibility.role)


def person_listed(user: object | None, person: Person) -> bool:
    """Whether the person appears at all (name and role), apart from their contact details."""
    if person.erased_at is not None or person.name is None:
        return False
    if not organisation_visible(user, person.organisation):
        return False
    if person.kind != PersonKind.STAFF and person.consent_given_on is None:
        return is_admin(user) or _own(user, person.organisation_id)  # type: ignore[arg-type]
    return _authenticated(user) or person.contact_visibility == Visibility.PUBLIC


def contact_visible(user: object | None, person: Person) -> bool:
    """Whether the person's own e-mail and phone may be shown."""
    return person_listed(user, person) and can_see(
        user, person.contact_visibility, person.organisation_id
    )


def organisation_clause(user: object | None) -> sa.ColumnElement[bool]:
    """The same rule as :func:`organisation_visible`, as SQL (to filter before loading)."""
    if not _authenticated(user):
        return Organisation.visibility == Visibility.PUBLIC
    if is_admin(user):  # type: ignore[arg-type]
        return sa.true()
    return sa.or_(
        Organisation.visibility != Visibility.ORGANISATION,
        Organisation.id == user.organisation_id,  # type: ignore[union-attr]
    )
