"""Schedule use cases: set or change a table's rule, move/cancel/skip one occurrence, and read
the occurrences of a table in a window.

Every change raises the iTIP SEQUENCE of what it touches and emits a signal from
:mod:`coordinator.signals` before the commit, so invitation mail lands in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from coordinator import signals
from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.errors import Conflict, DomainError, NotFound
from coordinator.extensions import db
from coordinator.i18n import format_day
from coordinator.privacy import ensure_no_personal_data
from coordinator.tables import recurrence
from coordinator.tables.access import require_manage
from coordinator.tables.models import OccurrenceChange, Table, TableSeries, TableStatus
from coordinator.tables.recurrence import (
    Change,
    EndKind,
    Occurrence,
    RuleError,
    RuleSpec,
    SeriesSpec,
    Status,
)

# --- reading ---------------------------------------------------------------------------


def local_now(table: Table, now: datetime | None = None) -> datetime:
    """The current wall-clock time in the table's zone, naive (comparable to DTSTART)."""
    return (now or now_utc()).astimezone(recurrence.zone(table.timezone)).replace(tzinfo=None)


def series_spec(series: TableSeries) -> SeriesSpec:
    table = series.table
    return SeriesSpec(
        uid=series.uid,
        dtstart=series.dtstart,
        duration=timedelta(minutes=series.duration_minutes),
        rrule=series.rrule,
        tzid=table.timezone,
        location=table.location or table.online_url or "",
    )


def change_spec(change: OccurrenceChange) -> Change:
    return Change(
        uid=change.series.uid,
        recurrence_id=change.recurrence_id,
        status=change.status,
        start=change.new_start,
        duration=(
            timedelta(minutes=change.new_duration_minutes)
            if change.new_duration_minutes is not None
            else None
        ),
        location=change.location,
        reason=change.reason,
    )


def live_series(table: Table) -> list[TableSeries]:
    return [s for s in table.series if s.cancelled_at is None]


def occurrences(
    table: Table, start: datetime, end: datetime, *, include_cancelled: bool = True
) -> list[Occurrence]:
    """The table's occurrences starting in ``[start, end)`` (aware), exceptions applied."""
    runs = live_series(table)
    changes = [change_spec(c) for s in runs for c in s.changes]
    return recurrence.expand(
        [series_spec(s) for s in runs], changes, start, end, include_cancelled=include_cancelled
    )


def upcoming(table: Table, *, days: int = 120, now: datetime | None = None) -> list[Occurrence]:
    moment = now or now_utc()
    return occurrences(table, moment, moment + timedelta(days=days))


@dataclass(frozen=True)
class Found:
    """An occurrence located by its original date (or local start) and the series it is in."""

    series: TableSeries
    recurrence_id: datetime
    change: OccurrenceChange | None


def parse_occurrence_key(value: str) -> date | datetime:
    """``2026-12-08`` (the original local date) or ``2026-12-08T10:00`` (original local start)."""
    try:
        if "T" in value:
            return datetime.fromisoformat(value).replace(tzinfo=None)
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            _("'%(value)s' is geen datum; gebruik JJJJ-MM-DD.") % {"value": value}, field="date"
        ) from None


def find_occurrence(table: Table, key: date | datetime) -> Found:
    """The occurrence originally on ``key`` (a local date or local start), or a Dutch 404."""
    if isinstance(key, datetime):
        lo = hi = key.replace(tzinfo=None, second=0, microsecond=0)
        day = lo.date()
    else:
        day = key
        lo = datetime.combine(day, time.min)
        hi = datetime.combine(day, time.max)
    hits = [
        (run, rid)
        for run in live_series(table)
        for rid in recurrence.rule_starts(series_spec(run), lo, hi)
    ]
    if not hits:
        raise NotFound(
            _("Op %(day)s heeft deze tafel geen bijeenkomst.") % {"day": day.isoformat()},
            field="date",
        )
    if len(hits) > 1:
        raise Conflict(
            _("Op %(day)s zijn meerdere bijeenkomsten; geef ook de begintijd op.")
            % {"day": day.isoformat()},
            field="date",
        )
    run, rid = hits[0]
    change = next((c for c in run.changes if c.recurrence_id == rid), None)
    return Found(run, rid, change)


def occurrence_of(table: Table, found: Found) -> Occurrence:
    """The expanded :class:`Occurrence` for a located one (with its exception applied)."""
    spec = series_spec(found.series)
    tz = recurrence.zone(table.timezone)
    change = change_spec(found.change) if found.change else None
    start = recurrence.localize(found.recurrence_id, tz)
    window_start = start - timedelta(days=400)
    window_end = start + timedelta(days=400)
    for occurrence in recurrence.expand(
        [spec], [change] if change else [], window_start, window_end
    ):
        if occurrence.recurrence_id == found.recurrence_id:
            return occurrence
    raise NotFound(_("Deze bijeenkomst bestaat niet (meer)."), field="date")  # pragma: no cover


# --- setting and changing the schedule ---------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """What the rule builder (or the API) submits."""

    spec: RuleSpec
    start_day: date
    start_time: time
    duration_minutes: int


def new_uid() -> str:
    host = urlsplit(current_app.config.get("BASE_URL", "")).hostname or "matchtafel"
    return f"{uuid.uuid4()}@{host}"


def _refuse_when_ended(table: Table) -> None:
    if table.status == TableStatus.ENDED:
        raise Conflict(_("Deze tafel is beëindigd; het schema kan niet meer veranderen."))


def current_series(table: Table) -> TableSeries | None:
    runs = live_series(table)
    return max(runs, key=lambda s: s.dtstart) if runs else None


def _with_until(rrule_text: str, tzid: str, last_day: date, dtstart: datetime) -> str:
    """``rrule_text`` ending on local ``last_day`` (an earlier end already in it is kept)."""
    spec = recurrence.from_rrule(rrule_text, tzid, dtstart)
    if spec.end == EndKind.UNTIL and spec.until is not None and spec.until <= last_day:
        return rrule_text
    bounded = RuleSpec(
        spec.pattern,
        interval=spec.interval,
        weekdays=spec.weekdays,
        nth=spec.nth,
        weekday=spec.weekday,
        month_day=spec.month_day,
        end=EndKind.UNTIL,
        until=last_day,
    )
    return recurrence.to_rrule(bounded, tzid)


def _starts_before(series: TableSeries, day: date) -> bool:
    """Whether ``series`` has any occurrence before local ``day``."""
    spec = series_spec(series)
    if series.dtstart.date() >= day:
        return False
    return bool(recurrence.rule_starts(spec, series.dtstart, datetime.combine(day, time.min)))


def end_series_before(series: TableSeries, day: date) -> bool:
    """Stop ``series`` before local ``day``: UNTIL for a running series, called off otherwise.

    Drops exceptions of occurrences that no longer exist. Returns whether anything changed.
    """
    last = recurrence.last_start(series_spec(series))
    if last is not None and last.date() < day:
        return False
    if _starts_before(series, day):
        series.rrule = _with_until(
            series.rrule, series.table.timezone, day - timedelta(days=1), series.dtstart
        )
    else:
        series.cancelled_at = now_utc()
    series.sequence += 1
    cutoff = datetime.combine(day, time.min)
    for change in list(series.changes):
        if change.recurrence_id >= cutoff:
            series.changes.remove(change)
    return True


def set_schedule(
    table: Table,
    schedule: Schedule,
    actor: User | None,
    *,
    strict_start: bool = False,
    now: datetime | None = None,
) -> TableSeries:
    """Give the table a schedule, or change it from ``schedule.start_day`` onwards.

    A series that has not begun is changed in place (same UID, SEQUENCE + 1). A running one is
    split: it ends the day before (UNTIL) and a new series with a new UID starts (INTEROP 7).
    With ``strict_start`` (the API) the start must itself be an occurrence of the rule.
    """
    require_manage(actor, table)
    _refuse_when_ended(table)
    if table.status == TableStatus.PAUSED:
        raise Conflict(_("Deze tafel is gepauzeerd; hervat haar met een nieuw schema."))
    series = apply_schedule(table, schedule, actor, strict_start=strict_start, now=now)
    db.session.commit()
    return series


def apply_schedule(
    table: Table,
    schedule: Schedule,
    actor: User | None,
    *,
    strict_start: bool = False,
    now: datetime | None = None,
) -> TableSeries:
    """:func:`set_schedule` without permission checks or commit (for composed use cases)."""
    recurrence.validate_duration(schedule.duration_minutes)
    dtstart = recurrence.first_start(
        schedule.spec, schedule.start_day, schedule.start_time, table.timezone
    )
    recurrence.refuse_outlook_problems(schedule.spec, table.timezone)
    if strict_start and dtstart != datetime.combine(schedule.start_day, schedule.start_time):
        raise RuleError(
            _(
                "De start (dtstart) valt niet op het herhaalpatroon; de eerste bijeenkomst "
                "volgens deze regel is %(first)s."
            )
            % {"first": dtstart.isoformat(timespec="minutes")},
            field="dtstart",
        )
    rrule_text = recurrence.to_rrule(schedule.spec, table.timezone)
    current = current_series(table)
    today_local = local_now(table, now)

    if current is not None and current.dtstart > today_local:
        # Not begun yet: change in place, keeping the UID calendars already know.
        current.dtstart = dtstart
        current.rrule = rrule_text
        current.duration_minutes = schedule.duration_minutes
        current.sequence += 1
        spec = series_spec(current)
        for change in list(current.changes):
            if not recurrence.is_occurrence(spec, change.recurrence_id):
                current.changes.remove(change)
        signals.series_changed.send(current, actor=actor)
        return current

    still_running = current is not None and (
        (last := recurrence.last_start(series_spec(current))) is None
        or last.date() >= schedule.start_day
    )
    if still_running and schedule.start_day <= today_local.date():
        raise RuleError(
            _("Een lopend schema kan alleen vanaf een datum in de toekomst veranderen."),
            field="start_day",
        )
    old = None
    if current is not None and end_series_before(current, schedule.start_day):
        old = current
    new = TableSeries(uid=new_uid(), dtstart=dtstart, rrule=rrule_text, sequence=0)
    new.duration_minutes = schedule.duration_minutes
    db.session.add(new)
    new.table = table
    db.session.flush()
    if old is not None:
        signals.series_split.send(table, old_series=old, new_series=new, actor=actor)
    else:
        signals.series_changed.send(new, actor=actor)
    return new


# --- one occurrence ----------------------------------------------------------------------


def _refuse_past(table: Table, found: Found, now: datetime | None) -> None:
    if found.recurrence_id < local_now(table, now):
        raise Conflict(
            _("Deze bijeenkomst is al geweest en kan niet meer veranderen."), field="date"
        )


def _change_row(found: Found, actor: User | None) -> OccurrenceChange:
    change = found.change
    if change is None:
        change = OccurrenceChange(series=found.series, recurrence_id=found.recurrence_id)
        db.session.add(change)
        change.sequence = found.series.sequence + 1
    else:
        change.sequence = max(change.sequence, found.series.sequence) + 1
    change.changed_by_id = actor.id if actor is not None else None
    return change


def _refuse_overtaking(table: Table, found: Found, new_start: datetime) -> None:
    """A moved meeting stays on a day between its neighbours in the series.

    Outlook refuses an occurrence on the day of, or beyond, another occurrence of its series,
    and would apply such a REQUEST differently from Matchtafel's own calendar.
    """
    tz = recurrence.zone(table.timezone)
    around = [found.recurrence_id, new_start]
    window_start = recurrence.localize(min(around), tz) - timedelta(days=400)
    window_end = recurrence.localize(max(around), tz) + timedelta(days=400)
    spec = series_spec(found.series)
    changes = [change_spec(c) for c in found.series.changes]
    others = [
        o
        for o in recurrence.expand([spec], changes, window_start, window_end)
        if o.is_happening and o.recurrence_id != found.recurrence_id
    ]
    before = [o.start for o in others if o.recurrence_id < found.recurrence_id]
    after = [o.start for o in others if o.recurrence_id > found.recurrence_id]
    day = new_start.date()
    previous_day = max(before).astimezone(tz).date() if before else None
    next_day = min(after).astimezone(tz).date() if after else None
    if (previous_day and day <= previous_day) or (next_day and day >= next_day):
        if previous_day and next_day:
            hint = _("Kies een dag na %(previous)s en vóór %(next)s.") % {
                "previous": format_day(previous_day),
                "next": format_day(next_day),
            }
        elif next_day:
            hint = _("Kies een dag vóór %(next)s.") % {"next": format_day(next_day)}
        else:
            hint = _("Kies een dag na %(previous)s.") % {"previous": format_day(previous_day)}
        raise DomainError(
            _(
                "Een bijeenkomst kan niet naar de dag van of voorbij een andere bijeenkomst van "
                "deze reeks; agenda's als Outlook weigeren dat."
            )
            + " "
            + hint,
            field="new_start",
        )


def move_occurrence(
    table: Table,
    key: date | datetime,
    *,
    new_start: datetime,
    duration_minutes: int | None = None,
    location: str | None = None,
    actor: User | None,
    now: datetime | None = None,
) -> OccurrenceChange:
    """Move one occurrence to another local date/time and/or location."""
    require_manage(actor, table)
    _refuse_when_ended(table)
    found = find_occurrence(table, key)
    _refuse_past(table, found, now)
    if found.change is not None and found.change.status != Status.SCHEDULED:
        raise Conflict(
            _("Deze bijeenkomst is afgelast of overgeslagen; zet haar eerst terug."), field="date"
        )
    new_start = new_start.replace(tzinfo=None, second=0, microsecond=0)
    if new_start < local_now(table, now):
        raise DomainError(_("De nieuwe datum en tijd liggen in het verleden."), field="new_start")
    _refuse_overtaking(table, found, new_start)
    if duration_minutes is not None:
        recurrence.validate_duration(duration_minutes)
    if location is not None:
        location = location.strip()
        if len(location) > 300:
            raise DomainError(_("De locatie is te lang (maximaal 300 tekens)."), field="location")
    change = _change_row(found, actor)
    change.status = Status.SCHEDULED
    change.new_start = new_start
    change.new_duration_minutes = duration_minutes
    change.location = location or None
    db.session.flush()
    signals.occurrence_moved.send(found.series, change=change, actor=actor)
    db.session.commit()
    return change


def cancel_occurrence(
    table: Table,
    key: date | datetime,
    *,
    reason: str = "",
    skipped: bool = False,
    actor: User | None,
    now: datetime | None = None,
) -> OccurrenceChange:
    """Cancel (afgelast) or skip (overgeslagen, e.g. a public holiday) one occurrence."""
    require_manage(actor, table)
    _refuse_when_ended(table)
    found = find_occurrence(table, key)
    _refuse_past(table, found, now)
    reason = (reason or "").strip()
    ensure_no_personal_data(reason, field="reason")
    if skipped and not reason:
        reason = recurrence.holiday_name(found.recurrence_id.date()) or ""
    wanted = Status.SKIPPED if skipped else Status.CANCELLED
    if found.change is not None and found.change.status == wanted:
        raise Conflict(_("Deze bijeenkomst was al afgelast of overgeslagen."), field="date")
    change = _change_row(found, actor)
    change.status = wanted
    change.reason = reason
    db.session.flush()
    signals.occurrence_cancelled.send(found.series, change=change, actor=actor)
    db.session.commit()
    return change


def restore_occurrence(
    table: Table, key: date | datetime, *, actor: User | None, now: datetime | None = None
) -> OccurrenceChange:
    """Undo a cancel, skip or move: the occurrence happens as the rule says."""
    require_manage(actor, table)
    _refuse_when_ended(table)
    found = find_occurrence(table, key)
    _refuse_past(table, found, now)
    if found.change is None:
        raise Conflict(_("Deze bijeenkomst is niet gewijzigd."), field="date")
    change = _change_row(found, actor)
    change.status = Status.SCHEDULED
    change.new_start = None
    change.new_duration_minutes = None
    change.location = None
    change.reason = ""
    db.session.flush()
    signals.occurrence_moved.send(found.series, change=change, actor=actor)
    db.session.commit()
    return change


def holiday_clashes(
    table: Table, *, days: int = 366, now: datetime | None = None
) -> list[Occurrence]:
    """Upcoming occurrences on a Dutch public holiday that still happen (for one-click skip)."""
    return [o for o in upcoming(table, days=days, now=now) if o.holiday and o.is_happening]


def occurrences_for_tables(
    tables: list[Table], start: datetime, end: datetime
) -> list[tuple[Table, Occurrence]]:
    """Occurrences of several tables in a window, merged in time order (month grid, agenda)."""
    merged = [(t, o) for t in tables for o in occurrences(t, start, end)]
    return sorted(merged, key=lambda pair: (pair[1].start, pair[0].name))


def tables_query() -> sa.Select[tuple[Table]]:
    return sa.select(Table).order_by(Table.name)
