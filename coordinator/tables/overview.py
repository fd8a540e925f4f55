"""What the start page shows of tables: the user's next meetings and their seats' open actions."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.tables import schedule
from coordinator.tables.models import ActionItem, ActionStatus, Seat, Table, TableStatus
from coordinator.tables.recurrence import Occurrence

#: How far ahead the start page looks for meetings.
HORIZON = timedelta(days=92)


def my_seats(user: User) -> list[Seat]:
    """Active seats the user's person holds today or deputises, at tables that still run."""
    if user.person_id is None:
        return []
    seats = db.session.scalars(
        sa.select(Seat)
        .join(Table, Table.id == Seat.table_id)
        .where(Seat.removed_at.is_(None), Table.status != TableStatus.ENDED)
        .options(selectinload(Seat.table), selectinload(Seat.role))
    )
    return [
        seat
        for seat in seats
        if seat.deputy_person_id == user.person_id
        or any(person.id == user.person_id for person in seat.holders)
    ]


def next_meetings(
    user: User, *, limit: int = 5, now: datetime | None = None
) -> list[tuple[Table, Occurrence]]:
    """The next meetings of the tables the user has a seat at, soonest first."""
    moment = now or now_utc()
    tables = sorted({seat.table for seat in my_seats(user)}, key=lambda t: t.id)
    pairs = schedule.occurrences_for_tables(tables, moment, moment + HORIZON)
    return pairs[:limit]


def open_actions(user: User, *, limit: int = 10) -> list[ActionItem]:
    """Open action items of the user's seats, those with a due date first."""
    seat_ids = [seat.id for seat in my_seats(user)]
    if not seat_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(ActionItem)
            .where(ActionItem.seat_id.in_(seat_ids), ActionItem.status == ActionStatus.OPEN)
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.created_at)
            .limit(limit)
            .options(selectinload(ActionItem.table), selectinload(ActionItem.seat))
        )
    )
