"""Pure expansion of a :class:`SeriesData` with dateutil, in the series' local wall-clock time.

This is Matchtafel's own view of a series; tests compare it with what an independent library
(recurring-ical-events) reads back from the generated iCalendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar import vRecur

from coordinator.calendaring.types import SeriesData, Status

#: An open-ended series is never expanded further than this many occurrences.
MAX_OCCURRENCES = 5000


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of a series as it will (or did) take place."""

    uid: str
    recurrence_id: datetime  #: original local start (naive)
    start: datetime  #: actual start, aware in the series' zone
    end: datetime  #: actual end, aware in the series' zone
    status: Status
    location: str


def normalise_rrule(rule: str, tzid: str) -> str:
    """The RRULE with UNTIL in UTC, as RFC 5545 requires for a DTSTART with TZID.

    A local (floating) UNTIL is read as wall-clock time in ``tzid``; a date-only UNTIL means the
    end of that local day. Other parts are kept as written.
    """
    parts = vRecur.from_ical(rule)
    until = parts.get("UNTIL")
    if not until:
        return rule
    value = until[0]
    if isinstance(value, datetime) and value.tzinfo is not None:
        return rule
    zone = ZoneInfo(tzid)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59, 59))
    utc = value.replace(tzinfo=zone).astimezone(UTC)
    out = []
    for piece in rule.split(";"):
        key = piece.split("=", 1)[0].upper()
        out.append(f"UNTIL={utc:%Y%m%dT%H%M%SZ}" if key == "UNTIL" else piece)
    return ";".join(out)


@lru_cache(maxsize=512)
def _rule(rule: str | None, tzid: str, dtstart: datetime) -> rrule | None:
    if rule is None:
        return None
    parsed = rrulestr(normalise_rrule(rule, tzid), dtstart=dtstart.replace(tzinfo=ZoneInfo(tzid)))
    assert isinstance(parsed, rrule)
    return parsed


def is_finite(series: SeriesData) -> bool:
    """Whether the series has a last occurrence (no RRULE, or an RRULE with COUNT/UNTIL)."""
    if series.rrule is None:
        return True
    parts = vRecur.from_ical(series.rrule)
    return "COUNT" in parts or "UNTIL" in parts


def original_starts(
    series: SeriesData, start: datetime | None = None, end: datetime | None = None
) -> list[datetime]:
    """Local (naive) starts the RRULE yields, EXDATEs removed, overrides not applied.

    :param start: only starts at or after this naive local time.
    :param end: only starts before this naive local time.
    """
    rule = _rule(series.rrule, series.tzid, series.dtstart)
    if rule is None:
        starts = [series.dtstart]
    else:
        zone = series.zone
        lo = start.replace(tzinfo=zone) if start else None
        hi = end.replace(tzinfo=zone) if end else None
        if lo is not None and hi is not None:
            aware = rule.between(lo, hi - timedelta(microseconds=1), inc=True)
        else:
            aware = []
            for value in rule:
                if hi is not None and value >= hi:
                    break
                if lo is None or value >= lo:
                    aware.append(value)
                if len(aware) >= MAX_OCCURRENCES:
                    break
        starts = [value.replace(tzinfo=None) for value in aware]
    excluded = set(series.exdates)
    return [
        s
        for s in starts
        if s not in excluded and (start is None or s >= start) and (end is None or s < end)
    ]


def is_occurrence(series: SeriesData, recurrence_id: datetime) -> bool:
    """Whether ``recurrence_id`` is an original start of the series (and not an EXDATE)."""
    return recurrence_id in original_starts(
        series, recurrence_id, recurrence_id + timedelta(seconds=1)
    )


def last_start(series: SeriesData) -> datetime | None:
    """The last original local start, or ``None`` when the series never ends."""
    if not is_finite(series):
        return None
    rule = _rule(series.rrule, series.tzid, series.dtstart)
    if rule is None:
        return series.dtstart
    last = None
    for last in rule:  # noqa: B007 - we want the final value
        pass
    return last.replace(tzinfo=None) if last is not None else None


def occurrences(series: SeriesData, start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence whose actual start lies in ``[start, end)`` (aware bounds).

    Moved occurrences count where they now start; cancelled ones are included with
    ``Status.CANCELLED``. Results are sorted by start.
    """
    zone = series.zone
    # A moved occurrence may come from outside the window: widen by the largest move.
    slack = max(
        (abs(o.dtstart - o.recurrence_id) for o in series.overrides if o.dtstart is not None),
        default=timedelta(0),
    ) + timedelta(days=1)
    lo = start.astimezone(zone).replace(tzinfo=None) - slack
    hi = end.astimezone(zone).replace(tzinfo=None) + slack
    result = []
    for original in original_starts(series, lo, hi):
        override = series.override_for(original)
        local = original
        duration = series.duration
        location = series.location
        status = series.status
        if override is not None:
            local = override.dtstart or original
            duration = override.duration or duration
            location = override.location if override.location is not None else location
            status = Status.CANCELLED if override.is_cancelled else status
        begin = local.replace(tzinfo=zone)
        if start <= begin < end:
            result.append(
                Occurrence(series.uid, original, begin, begin + duration, status, location)
            )
    return sorted(result, key=lambda o: (o.start, o.uid))


def occurrence_end_utc(series: SeriesData, recurrence_id: datetime) -> datetime:
    """When the occurrence originally at ``recurrence_id`` ends (after a move), in UTC."""
    override = series.override_for(recurrence_id)
    local = (override.dtstart if override else None) or recurrence_id
    duration = (override.duration if override else None) or series.duration
    return (local.replace(tzinfo=series.zone) + duration).astimezone(UTC)


def first_day(series: SeriesData) -> date:
    """The earliest local day the series touches (start, overrides, exdates)."""
    days = [series.dtstart.date()]
    days += [o.recurrence_id.date() for o in series.overrides]
    days += [o.dtstart.date() for o in series.overrides if o.dtstart is not None]
    days += [d.date() for d in series.exdates]
    return min(days)
