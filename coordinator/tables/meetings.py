"""Per-occurrence use cases: agenda (template + carried-over actions), minutes, action items
owned by seats, attendance per seat, one-off guests, and "since last time".

Free text passes the privacy guard: minutes are about organisations and arrangements, never
about residents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.errors import Conflict, DomainError, NotFound
from coordinator.extensions import db
from coordinator.privacy import ensure_no_personal_data
from coordinator.tables.access import require_take_part
from coordinator.tables.models import (
    ActionItem,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Guest,
    Meeting,
    OccurrenceChange,
    Seat,
    SeatHandover,
    Table,
)
from coordinator.tables.recurrence import Occurrence
from coordinator.tables.schedule import find_occurrence, occurrence_of, occurrences

# --- agenda (pure) ---------------------------------------------------------------------


@dataclass(frozen=True)
class CarriedAction:
    seat_label: str
    description: str
    due_on: date | None


def build_agenda(template: str, carried: list[CarriedAction]) -> str:
    """The draft agenda: the table's template, then open afspraken from earlier meetings."""
    parts = [template.strip()] if template.strip() else []
    if carried:
        lines = [_("Openstaande afspraken van eerdere bijeenkomsten:")]
        for item in carried:
            due = f" ({_('vóór')} {item.due_on.strftime('%d-%m-%Y')})" if item.due_on else ""
            lines.append(f"- {item.seat_label}: {item.description}{due}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def open_actions(table: Table) -> list[ActionItem]:
    query = (
        sa.select(ActionItem)
        .where(ActionItem.table_id == table.id, ActionItem.status == ActionStatus.OPEN)
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    return list(db.session.scalars(query))


def draft_agenda(table: Table, meeting: Meeting | None = None) -> str:
    carried = [
        CarriedAction(a.seat.label, a.description, a.due_on)
        for a in open_actions(table)
        if meeting is None or a.meeting_id != meeting.id
    ]
    return build_agenda(table.agenda_template or "", carried)


# --- meetings --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingView:
    """One occurrence and whatever was recorded for it (the meeting may not exist yet)."""

    table: Table
    occurrence: Occurrence
    meeting: Meeting | None

    @property
    def agenda(self) -> str:
        if self.meeting is not None and self.meeting.agenda:
            return self.meeting.agenda
        return draft_agenda(self.table, self.meeting)


def find_meeting(table: Table, key: date | datetime) -> MeetingView:
    found = find_occurrence(table, key)
    meeting = db.session.scalar(
        sa.select(Meeting).where(
            Meeting.series_id == found.series.id, Meeting.recurrence_id == found.recurrence_id
        )
    )
    return MeetingView(table, occurrence_of(table, found), meeting)


def _meeting_for(table: Table, key: date | datetime) -> Meeting:
    view = find_meeting(table, key)
    if view.meeting is not None:
        return view.meeting
    found = find_occurrence(table, key)
    meeting = Meeting(table=table, series=found.series, recurrence_id=found.recurrence_id)
    db.session.add(meeting)
    return meeting


def save_agenda(table: Table, key: date | datetime, text: str, actor: User | None) -> Meeting:
    require_take_part(actor, table)
    text = (text or "").strip()
    ensure_no_personal_data(text, field="agenda")
    meeting = _meeting_for(table, key)
    meeting.agenda = text
    db.session.commit()
    return meeting


def save_minutes(table: Table, key: date | datetime, text: str, actor: User | None) -> Meeting:
    require_take_part(actor, table)
    text = (text or "").strip()
    ensure_no_personal_data(text, field="minutes")
    meeting = _meeting_for(table, key)
    meeting.minutes = text
    meeting.minutes_updated_at = now_utc()
    db.session.commit()
    return meeting


def _table_seat(table: Table, seat_id: int | None, field: str = "seat_id") -> Seat:
    seat = db.session.get(Seat, seat_id) if seat_id else None
    if seat is None or seat.table_id != table.id:
        raise DomainError(_("Deze zetel hoort niet bij deze tafel."), field=field)
    if seat.removed_at is not None:
        raise DomainError(_("Deze zetel is verwijderd."), field=field)
    return seat


def add_action(
    table: Table,
    *,
    seat_id: int,
    description: str,
    due_on: date | None,
    actor: User | None,
    key: date | datetime | None = None,
) -> ActionItem:
    """An afspraak for a seat (not a person): it stays with the seat through handovers."""
    require_take_part(actor, table)
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Beschrijf de afspraak."), field="description")
    ensure_no_personal_data(description, field="description")
    seat = _table_seat(table, seat_id)
    meeting = _meeting_for(table, key) if key is not None else None
    item = ActionItem(
        table=table, seat=seat, meeting=meeting, description=description, due_on=due_on
    )
    db.session.add(item)
    db.session.commit()
    return item


def get_action(table: Table, action_id: int) -> ActionItem:
    item = db.session.get(ActionItem, action_id)
    if item is None or item.table_id != table.id:
        raise NotFound(_("Deze afspraak bestaat niet."))
    return item


def set_action_status(item: ActionItem, status: str, actor: User | None) -> ActionItem:
    require_take_part(actor, item.table)
    try:
        new = ActionStatus(status)
    except ValueError:
        raise DomainError(_("Onbekende status."), field="status") from None
    item.status = new
    item.closed_at = None if new == ActionStatus.OPEN else now_utc()
    db.session.commit()
    return item


def record_attendance(
    table: Table, key: date | datetime, statuses: dict[int, str], actor: User | None
) -> Meeting:
    """Attendance per seat for one occurrence that takes place (not a cancelled one)."""
    require_take_part(actor, table)
    view = find_meeting(table, key)
    if not view.occurrence.is_happening:
        raise Conflict(_("Deze bijeenkomst gaat niet door; er is geen aanwezigheid."), field="date")
    cleaned: dict[Seat, AttendanceStatus] = {}
    for seat_id, value in statuses.items():
        seat = _table_seat(table, seat_id)
        try:
            cleaned[seat] = AttendanceStatus(value)
        except ValueError:
            raise DomainError(
                _("Onbekende aanwezigheid '%(v)s'.") % {"v": value}, field="status"
            ) from None
    meeting = _meeting_for(table, key)
    existing = {a.seat_id: a for a in meeting.attendances}
    for seat, status in cleaned.items():
        if seat.id in existing:
            existing[seat.id].status = status
        else:
            meeting.attendances.append(Attendance(seat=seat, status=status))
    db.session.commit()
    return meeting


def add_guest(
    table: Table,
    key: date | datetime,
    *,
    name: str,
    organisation_name: str = "",
    email: str | None = None,
    actor: User | None,
) -> Guest:
    """A one-off professional guest for this single occurrence."""
    require_take_part(actor, table)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Vul de naam van de gast in."), field="name")
    if len(name) > 200 or len(organisation_name or "") > 200:
        raise DomainError(_("Naam of organisatie is te lang."), field="name")
    email = (email or "").strip().lower() or None
    if email is not None and ("@" not in email or len(email) > 254):
        raise DomainError(_("Dit e-mailadres is ongeldig."), field="email")
    view = find_meeting(table, key)
    if not view.occurrence.is_happening:
        raise Conflict(_("Deze bijeenkomst gaat niet door."), field="date")
    meeting = _meeting_for(table, key)
    guest = Guest(name=name, organisation_name=(organisation_name or "").strip(), email=email)
    meeting.guests.append(guest)
    db.session.commit()
    return guest


# --- since last time -------------------------------------------------------------------


@dataclass(frozen=True)
class SinceLastTime:
    since: datetime | None
    new_actions: list[ActionItem]
    closed_actions: list[ActionItem]
    handovers: list[SeatHandover]
    new_seats: list[Seat]
    schedule_changes: list[OccurrenceChange]


def since_last_time(table: Table, *, now: datetime | None = None) -> SinceLastTime:
    """What changed since the last occurrence that took place."""
    moment = now or now_utc()
    past = [
        o
        for o in occurrences(table, moment - timedelta(days=400), moment)
        if o.is_happening and o.start <= moment
    ]
    since = past[-1].start if past else None
    actions = list(db.session.scalars(sa.select(ActionItem).where(ActionItem.table_id == table.id)))
    handovers = list(
        db.session.scalars(
            sa.select(SeatHandover)
            .join(Seat)
            .where(Seat.table_id == table.id)
            .order_by(SeatHandover.id)
        )
    )

    def after(value: datetime | None) -> bool:
        return value is not None and (since is None or value >= since)

    return SinceLastTime(
        since=since,
        new_actions=[a for a in actions if after(a.created_at)],
        closed_actions=[a for a in actions if after(a.closed_at)],
        handovers=[h for h in handovers if after(h.created_at)],
        new_seats=[s for s in table.seats if after(s.created_at)],
        schedule_changes=[
            c for series in table.series for c in series.changes if after(c.updated_at)
        ],
    )
