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
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date, format_time
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from coordinator import signals
from coordinator.auth.models import User
from coordinator.calendaring.invites import rsvp_urls
from coordinator.db import now_utc
from coordinator.directory.models import Person
from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.tables import recurrence
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
from coordinator.tables.schedule import live_series, occurrences, series_spec
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


def _key_prefixes(uid: str) -> tuple[str, str]:
    """The two ways a key of series ``uid`` can begin: readable, or with the UID's SHA-256."""
    return f"{KIND}:{uid}:", f"{KIND}:{hashlib.sha256(uid.encode()).hexdigest()}:"


def key_recurrence_id(key: str) -> datetime | None:
    """The RECURRENCE-ID (local, naive) a reminder key is for, or None for a foreign key."""
    parts = key.rsplit(":", 4)
    if len(parts) != 5:
        return None
    try:
        return datetime.strptime(parts[1], "%Y%m%dT%H%M%S")  # noqa: DTZ007 - local wall time
    except ValueError:
        return None


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


# --- withdrawing stale reminders --------------------------------------------------------


def _unclaimed(now: datetime) -> sa.ColumnElement[bool]:
    """Queued and not held by a delivering process (a row being sent is left alone)."""
    return sa.and_(
        OutboxMessage.status == OutboxStatus.QUEUED,
        sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def withdraw_queued(
    series: TableSeries,
    *,
    recurrence_id: datetime | None = None,
    from_day: date | None = None,
) -> int:
    """Delete the series' reminders that are queued but not sent (in the caller's transaction).

    Only occurrence ``recurrence_id``, or those from local ``from_day`` on, or (neither given)
    every occurrence of the series. Sent and failed mail stays, and so does a row a delivery
    process holds a live claim on: that one is on its way. The delete re-checks both, so a
    claim committed in between wins (on PostgreSQL the row lock makes the claim skip the rows
    this transaction deletes). Deleting frees the dedup key; the next reminder run queues a
    fresh reminder (new version) for an occurrence that still happens. Returns the count.
    """
    moment = now_utc()  # the real clock: leases are real time
    readable, hashed = _key_prefixes(series.uid)
    rows = db.session.execute(
        sa.select(OutboxMessage.id, OutboxMessage.dedup_key).where(
            OutboxMessage.kind == KIND,
            _unclaimed(moment),
            sa.or_(
                OutboxMessage.dedup_key.startswith(readable, autoescape=True),
                OutboxMessage.dedup_key.startswith(hashed, autoescape=True),
            ),
        )
    ).all()
    cutoff = datetime.combine(from_day, time.min) if from_day is not None else None
    ids = []
    for row_id, key in rows:
        rid = key_recurrence_id(key or "")
        if rid is None:
            continue
        if recurrence_id is not None and rid != recurrence_id:
            continue
        if cutoff is not None and rid < cutoff:
            continue
        ids.append(row_id)
    if not ids:
        return 0
    result = db.session.execute(
        sa.delete(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), _unclaimed(moment))
        .execution_options(synchronize_session=False)
    )
    withdrawn = result.rowcount or 0
    if withdrawn:
        log.info("reminders: withdrew %s unsent reminder(s) of %s", withdrawn, series.uid)
    return withdrawn


def withdraw_for_table(table: Table, *, from_day: date) -> int:
    """Withdraw unsent reminders of every occurrence of ``table`` from local ``from_day`` on."""
    return sum(withdraw_queued(s, from_day=from_day) for s in table.series)


def _on_occurrence_changed(series: TableSeries, *, change: OccurrenceChange, **_: object) -> None:
    withdraw_queued(series, recurrence_id=change.recurrence_id)


def _on_series_split(
    table: Table, *, old_series: TableSeries, new_series: TableSeries, **_: object
) -> None:
    """The old series ended before the new one: its reminders after its last start are void."""
    last = None if old_series.cancelled_at else recurrence.last_start(series_spec(old_series))
    withdraw_queued(old_series, from_day=last.date() + timedelta(days=1) if last else None)


_SUBSCRIPTIONS = (
    (signals.occurrence_moved, _on_occurrence_changed),
    (signals.occurrence_cancelled, _on_occurrence_changed),
    (signals.series_split, _on_series_split),
)


def connect_signals() -> None:
    """Withdraw stale reminders when an occurrence moves, is cancelled or the schedule splits.

    Idempotent (blinker keeps one entry per receiver); called by the app factory.
    """
    for signal, receiver in _SUBSCRIPTIONS:
        signal.connect(receiver)


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
        rsvp_links=rsvp_urls(
            reminder.seat,
            reminder.person.id,
            reminder.series.uid,
            occurrence.recurrence_id,
            occurrence.end,
        ),
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
