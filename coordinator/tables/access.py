"""Who may do what with a table: the rules the table pages and the API share."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from coordinator.permissions import can_edit_organisation, can_manage_area, is_admin, require

if TYPE_CHECKING:
    from coordinator.auth.models import User
    from coordinator.tables.models import Seat, Table


def can_manage_table(user: User | None, table: Table) -> bool:
    """Beheerders, and coordinators of the table's stadsdeel (or a wijk below it)."""
    return can_manage_area(user, table.area)


def sits_at(user: User | None, table: Table, on: date | None = None) -> bool:
    """Whether the user's person holds or deputises a seat at the table."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    person_id = user.person_id
    for seat in table.active_seats:
        if seat.deputy_person_id == person_id:
            return True
        if any(a.person_id == person_id for a in seat.role.current_assignments(on)):
            return True
    return False


def can_take_part(user: User | None, table: Table) -> bool:
    """May write agenda, minutes, attendance and action items: managers and seat holders."""
    return can_manage_table(user, table) or sits_at(user, table)


def can_hand_over(user: User | None, seat: Seat) -> bool:
    """The table's coordinator, or whoever edits the seat's organisation (its redacteur)."""
    return can_manage_table(user, seat.table) or can_edit_organisation(user, seat.organisation)


def require_manage(user: User | None, table: Table) -> None:
    require(
        lambda: can_manage_table(user, table),
        _("Alleen de coördinator van dit stadsdeel kan deze tafel wijzigen."),
    )


def require_take_part(user: User | None, table: Table) -> None:
    require(
        lambda: can_take_part(user, table),
        _("Alleen de coördinator en wie aan deze tafel zit, kunnen dit bijwerken."),
    )


def require_hand_over(user: User | None, seat: Seat) -> None:
    require(
        lambda: can_hand_over(user, seat),
        _("Alleen de coördinator of de redacteur van de organisatie kan deze zetel overdragen."),
    )


__all__ = [
    "can_hand_over",
    "can_manage_table",
    "can_take_part",
    "is_admin",
    "require_hand_over",
    "require_manage",
    "require_take_part",
    "sits_at",
]
