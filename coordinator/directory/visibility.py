"""Who may *see* which directory entries: the openbaar / netwerk / organisatie tiers.

Pure rules over a :class:`Viewer`, plus SQL clauses with the same meaning for list queries.
Anonymous visitors see public entries only; logged-in partners see the network; entries marked
*organisatie* stay within their own organisation. Volunteers and key figures are listed beyond
their own organisation only with recorded consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from coordinator.directory.models import (
    Organisation,
    Person,
    PersonKind,
    Responsibility,
    Role,
    Visibility,
)

if TYPE_CHECKING:
    from coordinator.auth.models import User

#: People who are at risk when findable; listed outside their organisation only with consent.
CONSENT_KINDS = frozenset({PersonKind.VOLUNTEER, PersonKind.KEY_FIGURE})


@dataclass(frozen=True)
class Viewer:
    """Who is looking: anonymous, a partner of some organisation, or a beheerder."""

    authenticated: bool = False
    organisation_id: int | None = None
    admin: bool = False

    @classmethod
    def of(cls, user: User | Any | None) -> Viewer:
        """The viewer for a (possibly anonymous) Flask-Login user."""
        from coordinator.permissions import is_admin

        if user is None or not getattr(user, "is_authenticated", False):
            return ANONYMOUS
        return cls(True, user.organisation_id, is_admin(user))


ANONYMOUS = Viewer()


def may_see(visibility: Visibility, owner_organisation_id: int | None, viewer: Viewer) -> bool:
    """The tier rule itself."""
    if viewer.admin or visibility == Visibility.PUBLIC:
        return True
    if not viewer.authenticated:
        return False
    if visibility == Visibility.NETWORK:
        return True
    return viewer.organisation_id == owner_organisation_id


def is_own(organisation_id: int, viewer: Viewer) -> bool:
    return viewer.admin or (viewer.authenticated and viewer.organisation_id == organisation_id)


def organisation_visible(organisation: Organisation, viewer: Viewer) -> bool:
    return may_see(organisation.visibility, organisation.id, viewer)


def organisation_contact_visible(organisation: Organisation, viewer: Viewer) -> bool:
    """Functional e-mail and phone are for partners (logged in), not for the public page."""
    return viewer.authenticated and organisation_visible(organisation, viewer)


def role_visible(role: Role, viewer: Viewer) -> bool:
    return organisation_visible(role.organisation, viewer) and may_see(
        role.visibility, role.organisation_id, viewer
    )


def role_contact_visible(role: Role, viewer: Viewer) -> bool:
    """A role's functional e-mail and phone are partner information, like the organisation's."""
    return viewer.authenticated and role_visible(role, viewer)


def responsibility_visible(responsibility: Responsibility, viewer: Viewer) -> bool:
    """Tasks have no tier of their own: they follow their organisation and (optional) role."""
    if not organisation_visible(responsibility.organisation, viewer):
        return False
    return responsibility.role is None or role_visible(responsibility.role, viewer)


def person_listed(person: Person, viewer: Viewer) -> bool:
    """Whether the person's name may be shown at all."""
    if person.erased_at is not None:
        return False
    if is_own(person.organisation_id, viewer):
        return True
    if person.kind in CONSENT_KINDS and person.consent_given_on is None:
        return False
    if not organisation_visible(person.organisation, viewer):
        return False
    # The public page names a person only when their contact details are public too.
    return viewer.authenticated or person.contact_visibility == Visibility.PUBLIC


def person_contact_visible(person: Person, viewer: Viewer) -> bool:
    """Whether the person's own e-mail and phone may be shown."""
    return person_listed(person, viewer) and may_see(
        person.contact_visibility, person.organisation_id, viewer
    )


def verifier_name(responsibility: Responsibility, viewer: Viewer) -> str | None:
    """Who last confirmed the entry, as the viewer may see it.

    The person's name when they are listed for the viewer, else their organisation's name (when
    that is visible); ``None`` when nobody is recorded or the person's details were erased.
    """
    person = responsibility.verified_by
    if person is None or person.erased_at is not None:
        return None
    if person_listed(person, viewer):
        return person.display_name
    if organisation_visible(person.organisation, viewer):
        return person.organisation.name
    return None


def _tier_clause(visibility: Any, organisation_id: Any, viewer: Viewer) -> sa.ColumnElement[bool]:
    if viewer.admin:
        return sa.true()
    if not viewer.authenticated:
        return visibility == Visibility.PUBLIC
    return sa.or_(
        visibility.in_([Visibility.PUBLIC, Visibility.NETWORK]),
        organisation_id == viewer.organisation_id,
    )


def organisation_clause(viewer: Viewer) -> sa.ColumnElement[bool]:
    """SQL filter on :class:`Organisation` equivalent to :func:`organisation_visible`."""
    return _tier_clause(Organisation.visibility, Organisation.id, viewer)


def role_clause(viewer: Viewer) -> sa.ColumnElement[bool]:
    """SQL filter on :class:`Role` (join Organisation too for the full rule)."""
    return _tier_clause(Role.visibility, Role.organisation_id, viewer)


def person_clause(viewer: Viewer) -> sa.ColumnElement[bool]:
    """SQL filter on :class:`Person` equivalent to :func:`person_listed` (join Organisation)."""
    if viewer.admin:
        return Person.erased_at.is_(None)
    consent = sa.or_(Person.kind.not_in(list(CONSENT_KINDS)), Person.consent_given_on.is_not(None))
    others = sa.and_(consent, organisation_clause(viewer))
    if not viewer.authenticated:
        others = sa.and_(others, Person.contact_visibility == Visibility.PUBLIC)
        return sa.and_(Person.erased_at.is_(None), others)
    return sa.and_(
        Person.erased_at.is_(None),
        sa.or_(Person.organisation_id == viewer.organisation_id, others),
    )
