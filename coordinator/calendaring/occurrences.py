"""Pure expansion of a :class:`SeriesData` with dateutil, in the series' local wall-clock time.

This is Matchtafel's own view of a series; tests compare it with what an independent library
(recurring-ical-events) reads back from the generated iCalendar.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar import vRecur

from coordinator.calendaring.types import SeriesData, Status

#: An open-ended series is never expanded further than this many occurrences.
MAX_OCCURRENCES = 5000
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of a series as it will (or did) take place."""

    uid: str
    recurrence_id: datetime  #: original local start (naive)
    start: datetime  #: actual start, aware in the series' zone
    end: datetime  #: actual end, aware in the series' zone
    status: Status
    location: str


@lru_cache(maxsize=1024)
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


def rrule_text(parts: vRecur) -> str:
    """An RRULE value (without ``RRULE:``) from parsed parts."""
    return str(vRecur(parts).to_ical().decode())  # type: ignore[no-untyped-call]


@lru_cache(maxsize=1024)
def _rule(rule: str, tzid: str, dtstart: datetime) -> rrule:
    parsed = rrulestr(normalise_rrule(rule, tzid), dtstart=dtstart.replace(tzinfo=ZoneInfo(tzid)))
    assert isinstance(parsed, rrule)
    return parsed


@lru_cache(maxsize=1024)
def _rule_is_finite(rule: str) -> bool:
    parts = vRecur.from_ical(rule)
    return "COUNT" in parts or "UNTIL" in parts


@lru_cache(maxsize=2048)
def _all_starts(rule: str, tzid: str, dtstart: datetime) -> tuple[datetime, ...]:
    """Every naive local start of a finite rule, expanded once (series rarely change)."""
    expanded = islice(_rule(rule, tzid, dtstart), MAX_OCCURRENCES)
    return tuple(value.replace(tzinfo=None) for value in expanded)


def clear_caches() -> None:
    """Forget cached rule parses and expansions."""
    for cached in (normalise_rrule, _rule, _rule_is_finite, _all_starts):
        cached.cache_clear()


def is_finite(series: SeriesData) -> bool:
    """Whether the series has a last occurrence (no RRULE, or an RRULE with COUNT/UNTIL)."""
    return series.rrule is None or _rule_is_finite(series.rrule)


def _rule_starts(
    series: SeriesData, start: datetime | None, end: datetime | None
) -> list[datetime]:
    assert series.rrule is not None
    if _rule_is_finite(series.rrule):
        starts = _all_starts(series.rrule, series.tzid, series.dtstart)
        lo = bisect_left(starts, start) if start is not None else 0
        hi = bisect_left(starts, end) if end is not None else len(starts)
        return list(starts[lo:hi])
    rule = _rule(series.rrule, series.tzid, series.dtstart)
    zone = series.zone
    if start is not None and end is not None:
        aware = rule.between(start.replace(tzinfo=zone), end.replace(tzinfo=zone) - _TICK, inc=True)
    else:
        aware = []
        for value in rule:
            if end is not None and value >= end.replace(tzinfo=zone):
                break
            if start is None or value >= start.replace(tzinfo=zone):
                aware.append(value)
            if len(aware) >= MAX_OCCURRENCES:
                break
    return [value.replace(tzinfo=None) for value in aware]


def original_starts(
    series: SeriesData, start: datetime | None = None, end: datetime | None = None
) -> list[datetime]:
    """Local (naive) starts the RRULE yields, EXDATEs removed, overrides not applied.

    :param start: only starts at or after this naive local time.
    :param end: only starts before this naive local time.
    """
    starts = [series.dtstart] if series.rrule is None else _rule_starts(series, start, end)
    excluded = series.exdates
    return [
        s
        for s in starts
        if (not excluded or s not in excluded)
        and (start is None or s >= start)
        and (end is None or s < end)
    ]


def is_occurrence(series: SeriesData, recurrence_id: datetime) -> bool:
    """Whether ``recurrence_id`` is an original start of the series (and not an EXDATE)."""
    return recurrence_id in original_starts(
        series, recurrence_id, recurrence_id + timedelta(seconds=1)
    )


def last_start(series: SeriesData) -> datetime | None:
    """The last original local start (EXDATEs not applied), or ``None`` if it never ends."""
    if series.rrule is None:
        return series.dtstart
    if not _rule_is_finite(series.rrule):
        return None
    starts = _all_starts(series.rrule, series.tzid, series.dtstart)
    return starts[-1] if starts else None


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
