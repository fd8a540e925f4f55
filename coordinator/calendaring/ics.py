"""Pure iCalendar builders: iTIP messages (REQUEST/CANCEL) and subscription feeds.

Every builder returns an :class:`icalendar.Calendar`; :func:`serialize` turns it into the bytes
that go on the wire (CRLF, folded at 75 octets without splitting UTF-8, escaped by icalendar).

Rules kept here (see shared/INTEROP.md):

- METHOD in every message; feeds have none.
- One VTIMEZONE per TZID used, placed before the events.
- DTSTART, EXDATE and RECURRENCE-ID all carry the series' TZID in local wall-clock time; an
  RRULE UNTIL is UTC.
- A whole-series REQUEST holds the master (cancelled occurrences as EXDATE) and one VEVENT per
  moved occurrence; a single-occurrence REQUEST or CANCEL holds only that occurrence, because
  Outlook applies it only without the master.
- Feeds carry no ATTENDEE or ORGANIZER, keep cancelled occurrences as STATUS:CANCELLED, and use
  the series' ``modified`` as DTSTAMP so unchanged data gives unchanged bytes (ETag-friendly).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from icalendar import (
    Calendar,
    Event,
    vCalAddress,
    vDDDLists,
    vDDDTypes,
    vDuration,
    vInt,
    vRecur,
    vText,
    vUri,
)
from icalendar.timezone import tzp

from coordinator.calendaring.occurrences import (
    clear_caches as clear_expansion_caches,
)
from coordinator.calendaring.occurrences import (
    ending_at,
    ends_by,
    first_day,
    is_occurrence,
    last_start,
    normalise_rrule,
    span,
)
from coordinator.calendaring.types import (
    AttendeeData,
    Mailbox,
    OverrideData,
    SeriesData,
    Status,
)
from coordinator.calendaring.vtimezone import clear_cache as clear_timezone_cache
from coordinator.calendaring.vtimezone import vtimezone

PRODID = "-//Matchtafel//Coordinator//NL"
#: VTIMEZONE definitions of an open-ended series cover this many years past its start.
OPEN_ENDED_YEARS = 10
#: Default feed window: this far back and ahead of "now".
FEED_MONTHS_BACK = 3
FEED_MONTHS_AHEAD = 18

_V = TypeVar("_V")
_P = TypeVar("_P")


class Method(enum.StrEnum):
    """iTIP methods Matchtafel sends (RFC 5546)."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


# --------------------------------------------------------------------------- messages


def request_for_series(series: SeriesData, *, stamp: datetime | None = None) -> Calendar:
    """METHOD:REQUEST for the whole series: master plus every moved occurrence.

    Cancelled occurrences become EXDATEs on the master, which every client honours.
    """
    _require_attendees(series)
    stamp = _stamp(stamp)
    events = [_master(series, stamp, status=series.status, cancelled_as_exdate=True)]
    events += [
        _override_event(series, o, stamp, with_people=True)
        for o in series.overrides
        if not o.is_cancelled
    ]
    return _message(Method.REQUEST, series, events, stamp)


def request_for_occurrence(
    series: SeriesData, recurrence_id: datetime, *, stamp: datetime | None = None
) -> Calendar:
    """METHOD:REQUEST for one occurrence (moved, or sent to a deputy): no master VEVENT.

    :raises ValueError: when ``recurrence_id`` is not an occurrence of the series or is
        cancelled (send :func:`cancel_occurrence` instead).
    """
    _require_attendees(series)
    override = _checked_override(series, recurrence_id)
    if override.is_cancelled:
        raise ValueError("this occurrence is cancelled: send cancel_occurrence")
    stamp = _stamp(stamp)
    event = _override_event(series, override, stamp, with_people=True)
    return _message(Method.REQUEST, series, [event], stamp)


def cancel_series(series: SeriesData, *, stamp: datetime | None = None) -> Calendar:
    """METHOD:CANCEL of the whole series (same UID, STATUS:CANCELLED, no RECURRENCE-ID).

    The caller raises ``series.sequence`` first and addresses only the attendees who lose it
    (everyone when the table ends, the leaver on a handover).
    """
    _require_attendees(series)
    stamp = _stamp(stamp)
    event = _master(series, stamp, status=Status.CANCELLED, cancelled_as_exdate=True)
    return _message(Method.CANCEL, series, [event], stamp)


def cancel_occurrence(
    series: SeriesData, recurrence_id: datetime, *, stamp: datetime | None = None
) -> Calendar:
    """METHOD:CANCEL of one occurrence (RECURRENCE-ID), leaving the series intact.

    :raises ValueError: when ``recurrence_id`` is not an occurrence of the series.
    """
    _require_attendees(series)
    override = _checked_override(series, recurrence_id)
    cancelled = OverrideData(
        recurrence_id=override.recurrence_id,
        dtstart=override.dtstart,
        duration=override.duration,
        location=override.location,
        status=Status.CANCELLED,
        sequence=override.sequence,
    )
    stamp = _stamp(stamp)
    event = _override_event(series, cancelled, stamp, with_people=True)
    return _message(Method.CANCEL, series, [event], stamp)


# --------------------------------------------------------------------------- feeds


def feed_window(
    now: datetime, months_back: int = FEED_MONTHS_BACK, months_ahead: int = FEED_MONTHS_AHEAD
) -> tuple[datetime, datetime]:
    """The default feed window around ``now`` (aware)."""
    return now - relativedelta(months=months_back), now + relativedelta(months=months_ahead)


def feed_calendar(
    series: Iterable[SeriesData],
    *,
    name: str,
    tz: str = "Europe/Amsterdam",
    refresh: timedelta = timedelta(hours=1),
    window: tuple[datetime, datetime] | None = None,
    stamp: datetime | None = None,
) -> Calendar:
    """A subscription calendar (no METHOD, no ATTENDEE, no contact details).

    Series are clipped to ``window`` (aware ``(start, end)``, default :func:`feed_window`
    around ``stamp``): a series that started earlier is rebased on its first occurrence in the
    window, one that runs longer gets an UNTIL at its last occurrence in it, and series with
    nothing in the window are left out. Cancelled occurrences stay, as STATUS:CANCELLED.

    :param stamp: DTSTAMP for series without ``modified`` (default: now).
    """
    stamp = _stamp(stamp)
    start, end = window or feed_window(stamp)
    parts = _feed_parts(series, start, end, stamp)
    zones = frozenset({tz, *(p[0].tzid for p in parts)})
    cal = _feed_shell(name, tz, refresh, zones, *_zone_years(parts, start, end))
    for clipped, item_stamp, modified in parts:
        for event in _feed_events(clipped, item_stamp, modified):
            cal.add_component(event)
    return cal


def feed_bytes(
    series: Iterable[SeriesData],
    *,
    name: str,
    tz: str = "Europe/Amsterdam",
    refresh: timedelta = timedelta(hours=1),
    window: tuple[datetime, datetime] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """``serialize(feed_calendar(...))``, byte for byte, with each series' VEVENTs cached.

    Series are frozen values, so the serialised events of an unchanged (clipped) series are
    reused between requests; only changed series are built again. Use this to serve feeds.
    """
    stamp = _stamp(stamp)
    start, end = window or feed_window(stamp)
    parts = _feed_parts(series, start, end, stamp)
    zones = frozenset({tz, *(p[0].tzid for p in parts)})
    head = _feed_head(name, tz, refresh, zones, *_zone_years(parts, start, end))
    body = b"".join(_feed_block(*part) for part in parts)
    return head + body + b"END:VCALENDAR\r\n"


def _feed_parts(
    series: Iterable[SeriesData], start: datetime, end: datetime, stamp: datetime
) -> list[tuple[SeriesData, datetime, bool]]:
    """(clipped series, its DTSTAMP, whether that is its real modification time) per series."""
    parts = []
    for item in series:
        clipped = _clip(item, start, end)
        if clipped is None:
            continue
        item_stamp = (
            item.modified.astimezone(UTC).replace(microsecond=0) if item.modified else stamp
        )
        parts.append((clipped, item_stamp, item.modified is not None))
    return parts


def _zone_years(
    parts: list[tuple[SeriesData, datetime, bool]], start: datetime, end: datetime
) -> tuple[int, int]:
    """First and last (exclusive) year the feed's VTIMEZONEs must cover."""
    first = min([start.year, *(first_day(p[0]).year for p in parts)])
    return first, end.year + 1


def _feed_shell(
    name: str, tz: str, refresh: timedelta, zones: frozenset[str], first_year: int, last_year: int
) -> Calendar:
    cal = Calendar.new(prodid=PRODID, refresh_interval=refresh)
    # As TEXT, so ", ; \" and line breaks in a table's name are escaped (Calendar.new would not).
    cal["NAME"] = vText(name)
    cal["X-WR-CALNAME"] = vText(name)
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    cal.pop("UID", None)  # Calendar.new() invents a random one; feeds must be byte-stable
    cal.add("X-WR-TIMEZONE", tz)
    cal.add("X-PUBLISHED-TTL", vDuration(refresh))
    for tzid in sorted(zones):
        cal.add_component(vtimezone(tzid, first_year, last_year))
    return cal


@lru_cache(maxsize=256)
def _feed_head(
    name: str, tz: str, refresh: timedelta, zones: frozenset[str], first_year: int, last_year: int
) -> bytes:
    data = serialize(_feed_shell(name, tz, refresh, zones, first_year, last_year))
    assert data.endswith(b"END:VCALENDAR\r\n")
    return data[: -len(b"END:VCALENDAR\r\n")]


def _feed_events(
    clipped: SeriesData, stamp: datetime, modified: bool, *, share: bool = False
) -> list[Event]:
    """The master and override VEVENTs of a clipped series.

    :param share: let the events hold the very same objects for equal values (UID, DTSTAMP,
        SUMMARY, ...); only for events that are serialised and dropped, never handed out.
    """
    values = _Values(share=share)
    master = _master(
        clipped,
        stamp,
        status=clipped.status,
        cancelled_as_exdate=False,
        with_people=False,
        values=values,
    )
    if modified:
        master["LAST-MODIFIED"] = values.make(_utc, stamp)
    events = [master]
    events += [
        _override_event(clipped, o, stamp, with_people=False, values=values)
        for o in clipped.overrides
    ]
    return events


@lru_cache(maxsize=4096)
def _feed_block(clipped: SeriesData, stamp: datetime, modified: bool) -> bytes:
    events = _feed_events(clipped, stamp, modified, share=True)
    return b"".join(event.to_ical() for event in events)


# --------------------------------------------------------------------------- serialisation


def serialize(cal: Calendar) -> bytes:
    """The calendar as wire bytes: UTF-8, CRLF, folded, ending in CRLF."""
    data = bytes(cal.to_ical())
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def clear_caches() -> None:
    """Forget cached expansions, VTIMEZONEs and serialised feed events (benchmarks, tests)."""
    for cached in (_feed_block, _feed_head, _clip, _parsed_rule):
        cached.cache_clear()
    clear_expansion_caches()
    clear_timezone_cache()


# --------------------------------------------------------------------------- internals


def _stamp(stamp: datetime | None) -> datetime:
    if stamp is None:
        return datetime.now(UTC).replace(microsecond=0)
    if stamp.tzinfo is None:
        raise ValueError("stamp must be an aware instant")
    return stamp.astimezone(UTC).replace(microsecond=0)


def _require_attendees(series: SeriesData) -> None:
    if not series.attendees:
        raise ValueError("an iTIP message needs at least one attendee")


def _checked_override(series: SeriesData, recurrence_id: datetime) -> OverrideData:
    if recurrence_id.tzinfo is not None:
        raise ValueError("recurrence_id must be a naive local wall-clock time")
    if not is_occurrence(series, recurrence_id):
        raise ValueError(f"{recurrence_id:%Y-%m-%d %H:%M} is not an occurrence of {series.uid}")
    return series.override_for(recurrence_id) or OverrideData(recurrence_id=recurrence_id)


def _message(method: Method, series: SeriesData, events: list[Event], stamp: datetime) -> Calendar:
    cal = Calendar.new(prodid=PRODID, method=method.value)
    cal.pop("UID", None)  # Calendar.new() invents a random one; messages must be reproducible
    first = first_day(series)
    last = last_start(series)
    if last is not None:
        last_year = max(last.year, _max_override_year(series)) + 1
    else:
        last_year = max(first.year, stamp.year, _max_override_year(series)) + OPEN_ENDED_YEARS
    cal.add_component(vtimezone(series.tzid, first.year, max(last_year, first.year + 1)))
    for event in events:
        cal.add_component(event)
    return cal


def _max_override_year(series: SeriesData) -> int:
    return (
        max((o.dtstart or o.recurrence_id).year for o in series.overrides)
        if series.overrides
        else series.dtstart.year
    )


def _local(series: SeriesData, value: datetime) -> datetime:
    return value.replace(tzinfo=series.zone)


def _utc(stamp: datetime) -> vDDDTypes:
    """DTSTAMP / LAST-MODIFIED: the instant in UTC, as ``Event.add`` stores it."""
    return vDDDTypes(tzp.localize_utc(stamp))


class _Values:
    """Typed property values; with ``share``, equal values are made once and reused.

    icalendar values are mutable (``params``), so only events that are serialised and dropped
    (``feed_bytes``) share them; events that are handed out get their own.
    """

    __slots__ = ("_memo",)

    def __init__(self, *, share: bool) -> None:
        self._memo: dict[tuple[object, object], Any] | None = {} if share else None

    def make(self, kind: Callable[[_V], _P], value: _V) -> _P:
        """``kind(value)``; ``value`` is a text, a number or a UTC instant."""
        if self._memo is None:
            return kind(value)
        found: _P | None = self._memo.get((kind, value))
        if found is None:
            found = self._memo[kind, value] = kind(value)
        return found

    def local(self, zone: ZoneInfo, value: datetime) -> vDDDTypes:
        """The naive wall-clock ``value`` in ``zone``: a DATE-TIME with its TZID."""
        if self._memo is None:
            return vDDDTypes(value.replace(tzinfo=zone))
        found: vDDDTypes | None = self._memo.get((zone, value))
        if found is None:
            found = self._memo[zone, value] = vDDDTypes(value.replace(tzinfo=zone))
        return found


def _common(
    event: Event, series: SeriesData, stamp: datetime, sequence: int, values: _Values
) -> None:
    event["UID"] = values.make(vText, series.uid)
    event["DTSTAMP"] = values.make(_utc, stamp)
    event["SEQUENCE"] = values.make(vInt, sequence)
    event["SUMMARY"] = values.make(vText, series.summary)
    if series.url:
        event["URL"] = values.make(vUri, series.url)
    if series.description:
        event["DESCRIPTION"] = values.make(vText, series.description)


def _people(event: Event, series: SeriesData) -> None:
    event.add("ORGANIZER", _address(series.organizer))
    for attendee in series.attendees:
        event.add("ATTENDEE", _attendee(attendee))


def _span(
    event: Event, series: SeriesData, start: datetime, duration: timedelta, values: _Values
) -> None:
    """DTSTART and DTEND from a naive local ``start``, both with the series' TZID."""
    zone = series.zone
    event["DTSTART"] = values.local(zone, start)
    event["DTEND"] = values.local(zone, start + duration)


@lru_cache(maxsize=1024)
def _parsed_rule(rule: str, tzid: str) -> vRecur:
    return vRecur.from_ical(normalise_rrule(rule, tzid))


def _recur(rule: str, tzid: str) -> vRecur:
    """The RRULE value (UNTIL in UTC); parsed once per rule, each caller gets its own lists."""
    return vRecur({key: list(values) for key, values in _parsed_rule(rule, tzid).items()})


def _master(
    series: SeriesData,
    stamp: datetime,
    *,
    status: Status,
    cancelled_as_exdate: bool,
    with_people: bool = True,
    values: _Values | None = None,
) -> Event:
    values = values or _Values(share=False)
    event = Event()
    _common(event, series, stamp, series.sequence, values)
    _span(event, series, series.dtstart, series.duration, values)
    if series.rrule:
        event["RRULE"] = _recur(series.rrule, series.tzid)
    exdates = list(series.exdates)
    if cancelled_as_exdate:
        exdates += [o.recurrence_id for o in series.overrides if o.is_cancelled]
    if exdates and series.rrule:
        event["EXDATE"] = vDDDLists([_local(series, d) for d in sorted(exdates)])
    if series.location:
        event["LOCATION"] = values.make(vText, series.location)
    event["STATUS"] = values.make(vText, status.value)
    if with_people:
        _people(event, series)
    return event


def _override_event(
    series: SeriesData,
    override: OverrideData,
    stamp: datetime,
    *,
    with_people: bool,
    values: _Values | None = None,
) -> Event:
    values = values or _Values(share=False)
    event = Event()
    sequence = max(series.sequence, override.sequence or 0)
    _common(event, series, stamp, sequence, values)
    event["RECURRENCE-ID"] = values.local(series.zone, override.recurrence_id)
    start = override.dtstart or override.recurrence_id
    _span(event, series, start, override.duration or series.duration, values)
    location = override.location if override.location is not None else series.location
    if location:
        event["LOCATION"] = values.make(vText, location)
    status = Status.CANCELLED if override.is_cancelled else series.status
    event["STATUS"] = values.make(vText, status.value)
    if with_people:
        _people(event, series)
    return event


def _address(mailbox: Mailbox) -> vCalAddress:
    address = vCalAddress(f"mailto:{mailbox.email}")
    if mailbox.name:
        address.params["CN"] = mailbox.name
    return address


def _attendee(attendee: AttendeeData) -> vCalAddress:
    address = _address(attendee.mailbox)
    address.params["CUTYPE"] = "INDIVIDUAL"
    address.params["ROLE"] = attendee.role.value
    address.params["PARTSTAT"] = attendee.partstat.value
    address.params["RSVP"] = "TRUE" if attendee.rsvp else "FALSE"
    return address


@lru_cache(maxsize=4096)
def _clip(series: SeriesData, start: datetime, end: datetime) -> SeriesData | None:
    """The part of ``series`` whose original starts fall in the window, or ``None``."""
    zone = series.zone
    lo = start.astimezone(zone).replace(tzinfo=None)
    hi = end.astimezone(zone).replace(tzinfo=None)
    if series.rrule is None:
        local = series.dtstart
        return series if lo <= local < hi else None
    ends = span(series, lo, hi)
    moved_in = [
        o
        for o in series.overrides
        if o.dtstart is not None and lo <= o.dtstart < hi and not (lo <= o.recurrence_id < hi)
    ]
    if ends is None and not moved_in:
        return None
    if moved_in or ends is None:  # rare: keep the series whole rather than lose a moved one
        return series
    first, last = ends
    if first == series.dtstart and ends_by(series, last):  # already inside the window
        return series
    keep = [o for o in series.overrides if first <= o.recurrence_id <= last]
    exdates = tuple(d for d in series.exdates if first <= d <= last)
    return replace(
        series,
        dtstart=first,
        rrule=ending_at(series.rrule, _local(series, last)),
        overrides=tuple(keep),
        exdates=exdates,
    )
