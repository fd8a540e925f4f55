"""Reminders before each occurrence: every seat holder, N days ahead, exactly once per version.

A reminder is due from the same local wall-clock time as the meeting, ``Table.
reminder_days_before`` calendar days earlier (so a 10:00 meeting is reminded at 10:00 local time,
also across a DST change), until the meeting starts. Cancelled and skipped occurrences get
none; a moved one is reminded for its new time.

Uniqueness lives in the outbox's unique ``dedup_key``: one key per (series UID, RECURRENCE-ID,
seat, person, schedule version). The version is the occurrence's iTIP SEQUENCE, so a holder
already reminded gets a new reminder only after the occurrence (or its series) changed. Two
schedulers or two ticks that race insert with ``ON CONFLICT DO NOTHING``; the loser queues
nothing and fails nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.directory.models import Person
from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.tables.grid import occurrence_key
from coordinator.tables.meetings import draft_agenda
from coordinator.tables.models import (
    ActionItem,
    Meeting,
    OccurrenceChange,
    Seat,
    Table,
    TableSeries,
    TableStatus,
)
from coordinator.tables.recurrence import Occurrence, localize
from coordinator.tables.schedule import live_series, occurrences
from coordinator.urls import external_url

log = logging.getLogger("coordinator.tables.reminders")

#: Outbox ``kind`` of reminder mail.
KIND = "reminder"
#: The outbox's ``dedup_key`` column is this long.
MAX_KEY_LENGTH = 255

# --- pure rules ----------------------------------------------------------------------------


def reminder_moment(start: datetime, days: int) -> datetime:
    """When the reminder for an occurrence starting at ``start`` becomes due.

    The same local wall-clock time as ``start`` (an aware datetime in the table's zone),
    ``days`` calendar days earlier; across a DST change that is 23 or 25 hours per day.
    """
    if start.tzinfo is None or not isinstance(start.tzinfo, ZoneInfo):
        raise ValueError("reminder_moment() needs a start in the table's ZoneInfo zone")
    return localize(start.replace(tzinfo=None) - timedelta(days=days), start.tzinfo)


def is_due(start: datetime, days: int, now: datetime) -> bool:
    """Whether the reminder is due at ``now``: its moment has passed, the meeting has not begun.

    ``days == 0`` means the table sends no reminders.
    """
    return days > 0 and reminder_moment(start, days) <= now < start


def dedup_key(uid: str, recurrence_id: datetime, seat_id: int, person_id: int, version: int) -> str:
    """The outbox key of one reminder: (series UID, RECURRENCE-ID, seat, person, version).

    Readable when it fits the column; a very long UID is replaced by its SHA-256.
    """
    rid = recurrence_id.strftime("%Y%m%dT%H%M%S")
    tail = f"{rid}:seat{seat_id}:person{person_id}:v{version}"
    key = f"{KIND}:{uid}:{tail}"
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return f"{KIND}:{hashlib.sha256(uid.encode()).hexdigest()}:{tail}"


def occurrence_version(series: TableSeries, change: OccurrenceChange | None) -> int:
    """The schedule version of one occurrence: the highest SEQUENCE that applies to it."""
    return max(series.sequence, change.sequence if change is not None else 0)


def can_receive(person: Person) -> bool:
    """Whether ``person`` can get a reminder: an address, and still working there."""
    return bool(person.email) and not person.has_left


# --- what is due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One due reminder: an occurrence of a table, for one holder of one seat."""

    table: Table
    series: TableSeries
    occurrence: Occurrence
    seat: Seat
    person: Person
    version: int

    @property
    def key(self) -> str:
        return dedup_key(
            self.series.uid,
            self.occurrence.recurrence_id,
            self.seat.id,
            self.person.id,
            self.version,
        )


def _reminding_tables() -> list[Table]:
    return list(
        db.session.scalars(
            sa.select(Table)
            .where(Table.status == TableStatus.ACTIVE, Table.reminder_days_before > 0)
            .order_by(Table.id)
        )
    )


def due_reminders(now: datetime | None = None) -> list[Reminder]:
    """Every reminder due at ``now`` (whether or not it was already queued)."""
    moment = now or now_utc()
    due: list[Reminder] = []
    for table in _reminding_tables():
        days = table.reminder_days_before
        # A local "day" can be 25 hours; one spare day covers every DST change.
        window = occurrences(
            table, moment, moment + timedelta(days=days + 1), include_cancelled=False
        )
        runs = {series.uid: series for series in live_series(table)}
        for occurrence in window:
            if not is_due(occurrence.start, days, moment):
                continue
            series = runs[occurrence.uid]
            change = next(
                (c for c in series.changes if c.recurrence_id == occurrence.recurrence_id), None
            )
            version = occurrence_version(series, change)
            for seat in table.active_seats:
                for person in seat.holders:
                    if can_receive(person):
                        due.append(Reminder(table, series, occurrence, seat, person, version))
    return due


# --- the mail ------------------------------------------------------------------------------


def recipient_locale(person: Person) -> str:
    """The language of the person's account, else the default (Dutch)."""
    config = current_app.config
    user = db.session.scalar(sa.select(User).where(User.person_id == person.id))
    if user is not None and user.locale in config["LANGUAGES"]:
        return user.locale
    return str(config["BABEL_DEFAULT_LOCALE"])


def _meeting(reminder: Reminder) -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting).where(
            Meeting.series_id == reminder.series.id,
            Meeting.recurrence_id == reminder.occurrence.recurrence_id,
        )
    )


def _open_actions(seat: Seat) -> list[ActionItem]:
    return sorted(seat.open_action_items, key=lambda a: (a.due_on is None, a.due_on, a.id))


def render(reminder: Reminder, locale: str) -> EmailMessage:
    """The reminder mail for one holder, in ``locale``, times in the table's zone."""
    occurrence = reminder.occurrence
    meeting = _meeting(reminder)
    with force_locale(locale):
        day = format_date(occurrence.start, "EEEE d MMMM y", locale=locale)
        start = format_time(occurrence.start, "HH:mm", locale=locale)
        end = format_time(occurrence.end, "HH:mm", locale=locale)
        agenda = (
            meeting.agenda
            if meeting is not None and meeting.agenda
            else draft_agenda(reminder.table, meeting)
        )
        subject = _("Herinnering: %(table)s op %(day)s om %(time)s") % {
            "table": reminder.table.name,
            "day": day,
            "time": start,
        }
    return outbox.render_templated(
        "reminder",
        to=str(reminder.person.email),
        subject=subject,
        locale=locale,
        person=reminder.person,
        table=reminder.table,
        seat=reminder.seat,
        occurrence=occurrence,
        day=day,
        start=start,
        end=end,
        agenda=agenda,
        actions=_open_actions(reminder.seat),
        link=external_url(
            "tables.occurrence",
            table_id=reminder.table.id,
            key=occurrence_key(occurrence.recurrence_id),
        ),
    )


# --- the job -------------------------------------------------------------------------------


def _by_occurrence(due: list[Reminder]) -> Iterator[list[Reminder]]:
    group: list[Reminder] = []
    for reminder in due:
        if group and (group[0].series.id, group[0].occurrence.recurrence_id) != (
            reminder.series.id,
            reminder.occurrence.recurrence_id,
        ):
            yield group
            group = []
        group.append(reminder)
    if group:
        yield group


def send_due_reminders(now: datetime | None = None) -> dict[str, int]:
    """Queue every due reminder that is not queued yet; one transaction per occurrence.

    Safe to run at any time, as often as wanted and in several processes at once.
    Returns counts: ``due`` (reminders due now), ``queued`` (new mail), ``already`` (queued by
    an earlier run), ``raced`` (queued by a concurrent run in the meantime).
    """
    due = due_reminders(now)
    existing = outbox.queued_keys([r.key for r in due])
    counts = {"due": len(due), "queued": 0, "already": 0, "raced": 0}
    for group in _by_occurrence(due):
        for reminder in group:
            if reminder.key in existing:
                counts["already"] += 1
                continue
            message = render(reminder, recipient_locale(reminder.person))
            if outbox.queue_once(message, kind=KIND, dedup_key=reminder.key):
                counts["queued"] += 1
            else:
                counts["raced"] += 1
        db.session.commit()
    if counts["queued"] or counts["raced"]:
        log.info("reminders: %s", counts)
    return counts
