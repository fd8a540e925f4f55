"""Map tables, series, exceptions and seat holders onto the pure calendar values.

This is the one module of :mod:`coordinator.calendaring` that reads models and app config:
everything it returns is a frozen value the pure builders (``ics``, ``imip``) take.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from coordinator.calendaring.types import (
    AttendeeData,
    Mailbox,
    OverrideData,
    Role,
    SeriesData,
    Status,
)
from coordinator.db import now_utc
from coordinator.directory.models import Person
from coordinator.tables import recurrence
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries
from coordinator.tables.recurrence import Status as OccurrenceStatus
from coordinator.tables.recurrence_text import describe
from coordinator.tables.schedule import series_spec
from coordinator.urls import external_url


@dataclass(frozen=True)
class Holder:
    """A person who gets a table's invites, and the seat they get them for."""

    person: Person
    seat: Seat

    @property
    def attendee(self) -> AttendeeData:
        assert self.person.email
        role = Role.CHAIR if self.seat.is_coordinator else Role.REQUIRED
        return AttendeeData(self.person.display_name, self.person.email, role=role)


def organizer() -> Mailbox:
    """The configured sender mailbox: ORGANIZER of every invite and From of its mail."""
    config = current_app.config
    return Mailbox(config["MAIL_FROM_NAME"], config["MAIL_FROM"])


def table_url(table: Table) -> str:
    return external_url("tables.show", table_id=table.id)


def description(table: Table, url: str | None = None) -> str:
    """The table's purpose and where its agenda and minutes are (``url``: its table_url)."""
    lines = [table.purpose.strip()] if table.purpose.strip() else []
    lines.append(_("Agenda en verslagen: %(url)s") % {"url": url or table_url(table)})
    if table.online_url:
        lines.append(_("Online: %(url)s") % {"url": table.online_url})
    return "\n\n".join(lines)


def override(change: OccurrenceChange) -> OverrideData:
    off = change.status in (OccurrenceStatus.CANCELLED, OccurrenceStatus.SKIPPED)
    return OverrideData(
        recurrence_id=change.recurrence_id,
        dtstart=change.new_start,
        duration=(
            timedelta(minutes=change.new_duration_minutes)
            if change.new_duration_minutes is not None
            else None
        ),
        location=change.location,
        status=Status.CANCELLED if off else Status.CONFIRMED,
        sequence=change.sequence,
    )


def modified(series: TableSeries) -> datetime:
    """When the organiser last changed anything that shows in the series' calendar data."""
    table = series.table
    stamps = [series.created_at, table.updated_at or table.created_at]
    stamps += [c.updated_at for c in series.changes if c.updated_at is not None]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else now_utc()


def series_data(series: TableSeries, attendees: Iterable[AttendeeData] = ()) -> SeriesData:
    """The calendar view of one series (attendees only for iTIP messages, never for feeds)."""
    table = series.table
    url = table_url(table)
    return SeriesData(
        uid=series.uid,
        sequence=series.sequence,
        summary=table.name,
        tzid=table.timezone,
        dtstart=series.dtstart,
        duration=timedelta(minutes=series.duration_minutes),
        organizer=organizer(),
        rrule=series.rrule or None,
        location=table.location or table.online_url or "",
        url=url,
        description=description(table, url),
        status=Status.CANCELLED if series.cancelled_at is not None else Status.CONFIRMED,
        attendees=tuple(attendees),
        overrides=tuple(override(c) for c in series.changes),
        modified=modified(series),
    )


def has_address(person: Person | None) -> bool:
    """Whether ``person`` has a usable mail address (a broken one must not block a change)."""
    if person is None or not person.email:
        return False
    try:
        Mailbox(person.display_name, person.email)
    except ValueError:
        return False
    return True


def can_receive(person: Person | None) -> bool:
    """Whether invites can go to ``person``: a usable address, and still working there."""
    return person is not None and has_address(person) and not person.has_left


def holders(table: Table) -> list[Holder]:
    """Everyone holding an active seat at the table, once each (their first seat)."""
    seen: dict[int, Holder] = {}
    for seat in table.active_seats:
        for person in seat.holders:
            if can_receive(person) and person.id not in seen:
                seen[person.id] = Holder(person, seat)
    return list(seen.values())


def has_future(series: TableSeries, now: datetime | None = None) -> bool:
    """Whether the series is live and still has an occurrence after ``now``."""
    if series.cancelled_at is not None:
        return False
    last = recurrence.last_start(series_spec(series))
    if last is None:
        return True
    moment = (now or now_utc()).astimezone(recurrence.zone(series.table.timezone))
    latest = max([last, *(c.new_start for c in series.changes if c.new_start is not None)])
    return latest >= moment.replace(tzinfo=None)


def rule_text(series: TableSeries, locale: str) -> str:
    """The series' rule in words ("elke tweede dinsdag van de maand, 10:00–11:30")."""
    if not series.rrule:
        return ""
    try:
        spec = recurrence.from_rrule(series.rrule, series.table.timezone, series.dtstart)
    except recurrence.RuleError:
        return ""
    return describe(
        spec, series.dtstart.time(), timedelta(minutes=series.duration_minutes), locale=locale
    )
