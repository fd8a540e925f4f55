"""Visibility for exports (CSV, HSDS, vCard, print): thin adapters over the one rule set.

The rules live in :mod:`coordinator.directory.visibility` (pure rules plus SQL clauses around a
:class:`~coordinator.directory.visibility.Viewer`). The functions here take the Flask-Login user
(or an already built ``Viewer``) first, as the export code does, and delegate. Functional e-mail
and phone of organisations and roles are partner information (DOMAIN §8): exports hide them
from anonymous viewers exactly as the public pages do.
"""

from __future__ import annotations

import sqlalchemy as sa

from coordinator.directory import visibility as rules
from coordinator.directory.models import Organisation, Person, Responsibility, Role
from coordinator.directory.visibility import Viewer


def viewer_of(user: object | None) -> Viewer:
    """The viewer for a Flask-Login user; a ``Viewer`` is passed through unchanged."""
    return user if isinstance(user, Viewer) else Viewer.of(user)


def organisation_visible(user: object | None, organisation: Organisation) -> bool:
    return rules.organisation_visible(organisation, viewer_of(user))


def organisation_contact_visible(user: object | None, organisation: Organisation) -> bool:
    """Whether the organisation's functional e-mail and phone may be shown."""
    return rules.organisation_contact_visible(organisation, viewer_of(user))


def role_visible(user: object | None, role: Role) -> bool:
    return rules.role_visible(role, viewer_of(user))


def role_contact_visible(user: object | None, role: Role) -> bool:
    """Whether the role's functional e-mail and phone may be shown."""
    return rules.role_contact_visible(role, viewer_of(user))


def responsibility_visible(user: object | None, responsibility: Responsibility) -> bool:
    return rules.responsibility_visible(responsibility, viewer_of(user))


def person_listed(user: object | None, person: Person) -> bool:
    """Whether the person appears at all (name and role), apart from their contact details."""
    return rules.person_listed(person, viewer_of(user))


def contact_visible(user: object | None, person: Person) -> bool:
    """Whether the person's own e-mail and phone may be shown."""
    return rules.person_contact_visible(person, viewer_of(user))


def organisation_clause(user: object | None) -> sa.ColumnElement[bool]:
    """The same rule as :func:`organisation_visible`, as SQL (to filter before loading)."""
    return rules.organisation_clause(viewer_of(user))
