"""Who may *change* directory entries, on top of :mod:`coordinator.permissions`.

Partner-redacteuren edit their own organisation; coördinatoren edit organisations working in
their stadsdelen, except informal organisations, which control their own listing (only their
own editors and beheerders change it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from coordinator.directory.models import Organisation, OrganisationKind
from coordinator.errors import PermissionDenied
from coordinator.permissions import can_edit_organisation, is_admin

if TYPE_CHECKING:
    from coordinator.auth.models import User


def can_edit_listing(user: User | None, organisation: Organisation) -> bool:
    """Whether ``user`` may change the organisation, its roles, people and responsibilities."""
    if not can_edit_organisation(user, organisation):
        return False
    if organisation.kind == OrganisationKind.INFORMAL and not is_admin(user):
        return user is not None and user.organisation_id == organisation.id
    return True


def can_create_organisation(user: User | None) -> bool:
    from coordinator.auth.models import AccountRole

    return bool(
        user is not None
        and user.is_authenticated
        and (is_admin(user) or user.role == AccountRole.COORDINATOR)
    )


def require_edit(user: User | None, organisation: Organisation) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may edit ``organisation``."""
    if not can_edit_listing(user, organisation):
        raise PermissionDenied(
            _("U mag de gegevens van %(name)s niet wijzigen.", name=organisation.name)
        )
