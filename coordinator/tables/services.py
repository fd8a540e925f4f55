"""Table use cases: create and edit tables, pause, resume (re-start checklist) and end.

Services validate everything first, then change, emit signals, and commit once: bad input
changes nothing. The schedule lives in :mod:`coordinator.tables.schedule`, seats and
handover in :mod:`coordinator.tables.seats`, meetings in :mod:`coordinator.tables.meetings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _

from coordinator import signals
from coordinator.auth.models import User
from coordinator.directory.models import Area
from coordinator.errors import Conflict, DomainError, NotFound
from coordinator.extensions import db
from coordinator.permissions import can_manage_area, require
from coordinator.privacy import ensure_no_personal_data
from coordinator.tables import recurrence, reminders
from coordinator.tables.access import require_manage
from coordinator.tables.models import (
    Seat,
    Table,
    TableKind,
    TableStatus,
)
from coordinator.tables.schedule import Schedule, apply_schedule, end_series_before, local_now

# --- tables ------------------------------------------------------------------------------


@dataclass
class TableData:
    """The editable fields of a table (the form and the API both fill this)."""

    name: str
    area_id: int
    kind: str = TableKind.MATCHTAFEL.value
    purpose: str = ""
    location: str = ""
    online_url: str | None = None
    timezone: str = "Europe/Amsterdam"
    funding_ends_on: date | None = None
    agenda_template: str = ""
    reminder_days_before: int = 2


def get_table(table_id: int) -> Table:
    table = db.session.get(Table, table_id)
    if table is None:
        raise NotFound(_("Deze tafel bestaat niet."))
    return table


def _clean(data: TableData) -> tuple[TableData, Area, TableKind]:
    """Validate every field; return the cleaned data, the area and the kind."""
    name = (data.name or "").strip()
    if not name:
        raise DomainError(_("Geef de tafel een naam."), field="name")
    if len(name) > 200:
        raise DomainError(_("De naam is te lang (maximaal 200 tekens)."), field="name")
    try:
        kind = TableKind(data.kind)
    except ValueError:
        raise DomainError(_("Onbekend soort bijeenkomst."), field="kind") from None
    area = db.session.get(Area, data.area_id) if data.area_id else None
    if area is None:
        raise DomainError(_("Kies een stadsdeel of wijk."), field="area_id")
    recurrence.zone(data.timezone or "")
    url = (data.online_url or "").strip() or None
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DomainError(
                _("De online link moet met https:// (of http://) beginnen."), field="online_url"
            )
    location = (data.location or "").strip()
    if len(location) > 300:
        raise DomainError(_("De locatie is te lang (maximaal 300 tekens)."), field="location")
    if not isinstance(data.reminder_days_before, int) or not 0 <= data.reminder_days_before <= 30:
        raise DomainError(
            _("Herinneren kan 0 tot 30 dagen van tevoren."), field="reminder_days_before"
        )
    ensure_no_personal_data(data.purpose or "", field="purpose")
    ensure_no_personal_data(data.agenda_template or "", field="agenda_template")
    cleaned = TableData(
        name=name,
        area_id=area.id,
        kind=kind.value,
        purpose=(data.purpose or "").strip(),
        location=location,
        online_url=url,
        timezone=data.timezone,
        funding_ends_on=data.funding_ends_on,
        agenda_template=(data.agenda_template or "").strip(),
        reminder_days_before=data.reminder_days_before,
    )
    return cleaned, area, kind


def create_table(data: TableData, actor: User | None, schedule: Schedule | None = None) -> Table:
    """A new table in an area the actor coordinates (optionally with its schedule)."""
    cleaned, area, kind = _clean(data)
    require(
        lambda: can_manage_area(actor, area),
        _("U kunt alleen tafels maken in een stadsdeel dat u coördineert."),
    )
    table = Table(
        name=cleaned.name,
        kind=kind,
        area=area,
        purpose=cleaned.purpose,
        location=cleaned.location,
        online_url=cleaned.online_url,
        timezone=cleaned.timezone,
        funding_ends_on=cleaned.funding_ends_on,
        agenda_template=cleaned.agenda_template,
        reminder_days_before=cleaned.reminder_days_before,
        status=TableStatus.ACTIVE,
    )
    if schedule is not None:  # validate before anything is added to the session
        recurrence.validate_duration(schedule.duration_minutes)
        recurrence.first_start(
            schedule.spec, schedule.start_day, schedule.start_time, cleaned.timezone
        )
        recurrence.refuse_outlook_problems(schedule.spec, cleaned.timezone)
    db.session.add(table)
    if schedule is not None:
        apply_schedule(table, schedule, actor)
    db.session.commit()
    return table


def update_table(
    table: Table, data: TableData, actor: User | None, *, commit: bool = True
) -> Table:
    """Edit a table's details; moving it to another area needs rights there too.

    With ``commit=False`` the caller finishes the transaction (and rolls back on refusal).
    """
    require_manage(actor, table)
    cleaned, area, kind = _clean(data)
    require(
        lambda: can_manage_area(actor, area),
        _("U kunt een tafel alleen verplaatsen naar een stadsdeel dat u coördineert."),
    )
    if cleaned.timezone != table.timezone and table.series:
        raise Conflict(
            _("De tijdzone kan niet meer veranderen zodra de tafel een schema heeft."),
            field="timezone",
        )
    # Everything the invites show (SUMMARY, LOCATION, DESCRIPTION) is an organiser change:
    # calendars only apply it as an updated REQUEST with a raised SEQUENCE (INTEROP 3).
    invite_changed = (cleaned.name, cleaned.purpose, cleaned.location, cleaned.online_url) != (
        table.name,
        table.purpose or "",
        table.location or "",
        table.online_url,
    )
    table.name = cleaned.name
    table.kind = kind
    table.area = area
    table.purpose = cleaned.purpose
    table.location = cleaned.location
    table.online_url = cleaned.online_url
    table.timezone = cleaned.timezone
    table.funding_ends_on = cleaned.funding_ends_on
    table.agenda_template = cleaned.agenda_template
    table.reminder_days_before = cleaned.reminder_days_before
    if invite_changed:
        for series in table.series:
            if series.cancelled_at is None:
                series.sequence += 1
                signals.series_changed.send(series, actor=actor)
                # Unsent reminders show the old name or place; the job queues fresh ones.
                reminders.withdraw_queued(series)
    if commit:
        db.session.commit()
    return table


def pause_table(
    table: Table, reason: str, actor: User | None, *, now: datetime | None = None
) -> Table:
    """Pause: the schedule stops from tomorrow, history stays, resume with a new schedule."""
    require_manage(actor, table)
    if table.status != TableStatus.ACTIVE:
        raise Conflict(_("Alleen een actieve tafel kan pauzeren."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden voor de pauze."), field="reason")
    ensure_no_personal_data(reason, field="reason")
    today = local_now(table, now).date()
    for series in list(table.series):
        if series.cancelled_at is None and end_series_before(series, today + timedelta(days=1)):
            signals.series_changed.send(series, actor=actor)
    reminders.withdraw_for_table(table, from_day=today + timedelta(days=1))
    table.status = TableStatus.PAUSED
    table.pause_reason = reason
    table.paused_on = today
    db.session.commit()
    return table


def resume_table(
    table: Table, actor: User | None, schedule: Schedule | None, *, now: datetime | None = None
) -> Table:
    """Resume a paused table, with the new schedule from the re-start checklist."""
    require_manage(actor, table)
    if table.status != TableStatus.PAUSED:
        raise Conflict(_("Alleen een gepauzeerde tafel kan hervatten."))
    if schedule is not None:
        apply_schedule(table, schedule, actor, now=now)
    table.status = TableStatus.ACTIVE
    table.pause_reason = ""
    table.paused_on = None
    db.session.commit()
    return table


def end_table(table: Table, actor: User | None, *, now: datetime | None = None) -> Table:
    """End the table: future occurrences are off; seats, minutes and actions stay readable."""
    require_manage(actor, table)
    if table.status == TableStatus.ENDED:
        raise Conflict(_("Deze tafel is al beëindigd."))
    today = local_now(table, now).date()
    for series in list(table.series):
        if series.cancelled_at is None:
            end_series_before(series, today + timedelta(days=1))
    reminders.withdraw_for_table(table, from_day=today + timedelta(days=1))
    table.status = TableStatus.ENDED
    table.ended_on = today
    signals.table_ended.send(table, on_date=today, actor=actor)
    db.session.commit()
    return table


def restart_checklist(table: Table) -> dict[str, list[Seat]]:
    """Who is still there and which seats are vacant, for resuming a paused table."""
    seats = table.active_seats
    return {
        "filled": [s for s in seats if not s.is_vacant and s.needs_successor_since is None],
        "vacant": [s for s in seats if s.is_vacant or s.needs_successor_since is not None],
    }
