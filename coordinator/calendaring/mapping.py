"""Map tables, series, exceptions and seat holders onto the pure calendar values.

This is the one module of :mod:`coordinator.calendaring` that reads models and app config:
everything it returns is a frozen value the pure builders (``ics``, ``imip``) take.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
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


@dataclass(frozen=True, slots=True)
class Labels:
    """The translated lines of a series' description, looked up once per feed."""

    agenda: str
    online: str

    @classmethod
    def current(cls) -> Labels:
        return cls(_("Agenda en verslagen: %(url)s"), _("Online: %(url)s"))


def description(table: Table, url: str | None = None) -> str:
    """The table's purpose and where its agenda and minutes are (``url``: its table_url)."""
    return _description(table.purpose, table.online_url, url or table_url(table), Labels.current())


def _description(purpose: str, online_url: str | None, url: str, labels: Labels) -> str:
    lines = [purpose.strip()] if purpose.strip() else []
    lines.append(labels.agenda % {"url": url})
    if online_url:
        lines.append(labels.online % {"url": online_url})
    return "\n\n".join(lines)


def override(change: OccurrenceChange | sa.Row[Any]) -> OverrideData:
    """An exception as the builders take it (an ORM object or a row with the same columns)."""
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
    return _latest(
        [series.created_at, table.updated_at or table.created_at],
        [c.updated_at for c in series.changes],
    )


def _latest(stamps: list[datetime | None], changes: list[datetime | None]) -> datetime:
    known = [s for s in [*stamps, *changes] if s is not None]
    return max(known) if known else now_utc()


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


#: The columns :func:`feed_series` reads, for one Core query (series joined with their table).
FEED_COLUMNS = (
    TableSeries.id,
    TableSeries.uid,
    TableSeries.sequence,
    TableSeries.dtstart,
    TableSeries.duration_minutes,
    TableSeries.rrule,
    TableSeries.cancelled_at,
    TableSeries.created_at,
    Table.id.label("table_id"),
    Table.name,
    Table.timezone,
    Table.location,
    Table.online_url,
    Table.purpose,
    Table.created_at.label("table_created_at"),
    Table.updated_at.label("table_updated_at"),
)
#: The columns of an exception :func:`feed_series` reads (and :func:`override`).
FEED_CHANGE_COLUMNS = (
    OccurrenceChange.series_id,
    OccurrenceChange.recurrence_id,
    OccurrenceChange.status,
    OccurrenceChange.new_start,
    OccurrenceChange.new_duration_minutes,
    OccurrenceChange.location,
    OccurrenceChange.sequence,
    OccurrenceChange.updated_at,
)


def feed_series(
    row: sa.Row[Any], changes: Sequence[sa.Row[Any]], sender: Mailbox, labels: Labels
) -> SeriesData:
    """:func:`series_data` without attendees from plain rows (``FEED_COLUMNS``), for feeds.

    Feeds build dozens of series at once; rows spare the ORM objects, and the organiser and
    the translated labels are looked up once per feed instead of once per series.
    """
    url = external_url("tables.show", table_id=row.table_id)
    return SeriesData(
        uid=row.uid,
        sequence=row.sequence,
        summary=row.name,
        tzid=row.timezone,
        dtstart=row.dtstart,
        duration=timedelta(minutes=row.duration_minutes),
        organizer=sender,
        rrule=row.rrule or None,
        location=row.location or row.online_url or "",
        url=url,
        description=_description(row.purpose, row.online_url, url, labels),
        status=Status.CANCELLED if row.cancelled_at is not None else Status.CONFIRMED,
        overrides=tuple(override(c) for c in changes),
        modified=_latest(
            [row.created_at, row.table_updated_at or row.table_created_at],
            [c.updated_at for c in changes],
        ),
    )
