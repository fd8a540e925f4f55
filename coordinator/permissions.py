"""Who may do what: one place for the rules the UI and the API share.

Roles: beheerder (everything), coördinator (tables and directory within their stadsdelen),
partner-redacteur (their own organisation's listing), partner (reads the network).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask_babel import gettext as _
from flask_login import current_user

from coordinator.errors import PermissionDenied

if TYPE_CHECKING:
    from coordinator.auth.models import User
    from coordinator.directory.models import Area, Organisation

F = TypeVar("F", bound=Callable[..., Any])


def is_admin(user: User | None) -> bool:
    from coordinator.auth.models import AccountRole

    return bool(user is not None and user.is_authenticated and user.role == AccountRole.ADMIN)


def managed_area_ids(user: User) -> set[int]:
    """Ids of the areas a coordinator runs, including every wijk below them."""
    ids: set[int] = set()
    stack = list(user.areas)
    while stack:
        area = stack.pop()
        if area.id not in ids:
            ids.add(area.id)
            stack.extend(area.children)
    return ids


def can_manage_area(user: User | None, area: Area) -> bool:
    """Admins everywhere; coordinators in their stadsdelen (and the wijken below)."""
    from coordinator.auth.models import AccountRole

    if user is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    return user.role == AccountRole.COORDINATOR and area.id in managed_area_ids(user)


def can_edit_organisation(user: User | None, organisation: Organisation) -> bool:
    """Admins; editors and coordinators of that organisation; coordinators where it works."""
    from coordinator.auth.models import AccountRole

    if user is None or not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    is_editor = user.role in (AccountRole.EDITOR, AccountRole.COORDINATOR)
    if is_editor and user.organisation_id == organisation.id:
        return True
    if user.role == AccountRole.COORDINATOR:
        managed = managed_area_ids(user)
        return any(area.id in managed for area in organisation.areas)
    return False


def require(check: Callable[[], bool], message: str | None = None) -> None:
    """Raise :class:`PermissionDenied` (403, Dutch message) unless ``check()`` holds."""
    if not check():
        raise PermissionDenied(message or _("U heeft geen rechten voor deze handeling."))


def admin_required(view: F) -> F:
    """Decorator for views only a beheerder may use."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require(lambda: is_admin(current_user))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
