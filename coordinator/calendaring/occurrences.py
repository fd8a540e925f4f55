"""Pure expansion of a :class:`SeriesData` with dateutil, in the series' local wall-clock time.

This is Matchtafel's own view of a series; tests compare it with what an independent library
(recurring-ical-events) reads back from the generated iCalendar.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from calendar import monthrange
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import MAXYEAR, UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
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


def ending_at(rule: str, until: datetime) -> str:
    """The rule with its COUNT or UNTIL replaced by ``UNTIL`` at the aware ``until`` (in UTC).

    Other parts are kept as written; icalendar puts them in canonical order when it writes them.
    """
    kept = [p for p in rule.split(";") if p.partition("=")[0].upper() not in ("COUNT", "UNTIL")]
    utc = until.astimezone(UTC)
    stamp = f"{utc.year:04}{utc.month:02}{utc.day:02}T{utc.hour:02}{utc.minute:02}{utc.second:02}Z"
    return ";".join([*kept, f"UNTIL={stamp}"])


def rrule_text(parts: vRecur) -> str:
    """An RRULE value (without ``RRULE:``) from parsed parts."""
    return str(vRecur(parts).to_ical().decode())  # type: ignore[no-untyped-call]


_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_DAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")
_UTC_UNTIL = re.compile(r"\d{8}T\d{6}Z")
_MONTHDAY = re.compile(r"[+-]?(3[01]|[12][0-9]|[1-9])")
_TICK = timedelta(microseconds=1)
_UNTIL_SLACK = timedelta(days=2)  # more than any UTC offset change (at most 26 hours)


@dataclass(frozen=True, slots=True)
class _Plan:
    """A rule simple enough to expand with date arithmetic (what Matchtafel writes).

    DAILY or WEEKLY (plain weekdays) or MONTHLY (one day of the month or one nth weekday),
    with INTERVAL, WKST and COUNT, a UTC UNTIL or neither. Anything else goes to dateutil.
    """

    freq: str
    interval: int = 1
    count: int | None = None
    until: datetime | None = None
    weekdays: tuple[int, ...] = ()
    nth: tuple[int, int] | None = None
    monthday: int | None = None
    wkst: int = 0


def _fields(rule: str) -> dict[str, str] | None:
    """``KEY=value`` parts of a rule (upper case), or ``None`` when malformed or repeated."""
    fields: dict[str, str] = {}
    for piece in rule.upper().split(";"):
        key, sep, value = piece.partition("=")
        if not sep or key in fields:
            return None
        fields[key] = value
    return fields


@lru_cache(maxsize=1024)
def _plan(rule: str) -> _Plan | None:  # noqa: PLR0911 - one early exit per unsupported part
    """The arithmetic plan of a normalised rule, or ``None`` when dateutil must expand it."""
    fields = _fields(rule)
    if fields is None:
        return None
    freq = fields.pop("FREQ", "")
    interval = fields.pop("INTERVAL", "1")
    count = fields.pop("COUNT", None)
    until = fields.pop("UNTIL", None)
    wkst = _WEEKDAYS.get(fields.pop("WKST", "MO"))
    days = [_DAY.fullmatch(d) for d in fields.pop("BYDAY", "").split(",") if d]
    monthday = fields.pop("BYMONTHDAY", None)
    if (
        fields
        or freq not in ("DAILY", "WEEKLY", "MONTHLY")
        or not interval.isdigit()
        or int(interval) < 1
        or wkst is None
        or (count is not None and (until is not None or not count.isdigit()))
        or (until is not None and not _UTC_UNTIL.fullmatch(until))
        or (monthday is not None and not _MONTHDAY.fullmatch(monthday))
        or not all(days)
    ):
        return None
    plan = _Plan(
        freq,
        int(interval),
        int(count) if count is not None else None,
        datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) if until else None,
        wkst=wkst,
    )
    matches = [m for m in days if m is not None]
    ordinals = [int(m[1]) for m in matches if m[1]]
    if freq == "DAILY":
        return plan if not days and monthday is None else None
    if freq == "WEEKLY":
        if ordinals or monthday is not None:
            return None
        return replace(plan, weekdays=tuple(sorted({_WEEKDAYS[m[2]] for m in matches})))
    if days:  # MONTHLY: exactly one nth weekday ("1TU", "-1FR")
        if len(matches) != 1 or len(ordinals) != 1 or monthday is not None:
            return None
        return replace(plan, nth=(ordinals[0], _WEEKDAYS[matches[0][2]]))
    return replace(plan, monthday=int(monthday)) if monthday is not None else plan


def _month_day(plan: _Plan, year: int, month: int, default: int) -> date | None:
    """The plan's day in a month, or ``None`` when the month has no such day."""
    weekday_first, length = monthrange(year, month)
    if plan.nth is not None:
        n, weekday = plan.nth
        if n > 0:
            day = (weekday - weekday_first) % 7 + 1 + 7 * (n - 1)
        else:
            last_weekday = (weekday_first + length - 1) % 7
            day = length - (last_weekday - weekday) % 7 + 7 * (n + 1)
    else:
        wanted = plan.monthday if plan.monthday is not None else default
        day = wanted if wanted > 0 else length + wanted + 1
    return date(year, month, day) if 1 <= day <= length else None


def _weeks(plan: _Plan, first: datetime) -> tuple[datetime, list[timedelta], timedelta]:
    """A WEEKLY plan's first week start, the offsets of its days in a week, and its step."""
    days = sorted((d - plan.wkst) % 7 for d in plan.weekdays or (first.weekday(),))
    week = first - timedelta(days=(first.weekday() - plan.wkst) % 7)
    return week, [timedelta(days=d) for d in days], timedelta(weeks=plan.interval)


@lru_cache(maxsize=2048)
def _count_last(plan: _Plan, first: datetime) -> datetime | None:
    """The last start of a DAILY or WEEKLY COUNT plan (capped at MAX_OCCURRENCES), by arithmetic.

    ``None`` when it has no start. A WEEKLY plan yields its days from ``first`` on in the first
    week and every day of it in each later week.
    """
    assert plan.count is not None
    assert plan.freq in ("DAILY", "WEEKLY")
    n = min(plan.count, MAX_OCCURRENCES) - 1
    if n < 0:
        return None
    if plan.freq == "DAILY":
        return first + n * timedelta(days=plan.interval)
    week, offsets, step = _weeks(plan, first)
    head = [week + offset for offset in offsets if week + offset >= first]
    if n < len(head):
        return head[n]
    weeks, day = divmod(n - len(head), len(offsets))
    return week + (weeks + 1) * step + offsets[day]


def _plan_run(plan: _Plan, first: datetime, since: datetime | None = None) -> Iterator[datetime]:
    """Naive local starts the plan yields from ``first`` on, in order (unbounded).

    :param since: jump straight to the period that holds this time (values before it may
        still come). COUNT is not applied here: :func:`_plan_starts` bounds such a run by the
        rule's last start.
    """
    ahead = since is not None and since > first
    try:
        if plan.freq == "DAILY":
            step, value = timedelta(days=plan.interval), first
            if ahead:
                value += (since - first) // step * step
            while True:
                yield value
                value += step
        if plan.freq == "WEEKLY":
            week, offsets, step = _weeks(plan, first)
            skip = (since - week) // step if ahead else 0
            if skip < 1:
                yield from (week + offset for offset in offsets if week + offset >= first)
                skip = 1
            week += skip * step
            while True:
                for offset in offsets:
                    yield week + offset
                week += step
        index, clock = first.year * 12 + first.month - 1, first.time()
        if ahead:
            index += (since.year * 12 + since.month - 1 - index) // plan.interval * plan.interval
        while index < (MAXYEAR + 1) * 12:
            day = _month_day(plan, index // 12, index % 12 + 1, first.day)
            if day is not None and day >= first.date():
                yield datetime.combine(day, clock)
            index += plan.interval
    except OverflowError:  # past year 9999, where dateutil stops too
        return


def _plan_starts(
    plan: _Plan, tzid: str, dtstart: datetime, since: datetime | None = None
) -> Iterator[datetime]:
    """Naive local starts of a plan, exactly as dateutil yields them (COUNT and UNTIL applied).

    :param since: skip ahead to about this time (COUNT only for DAILY and WEEKLY, and then
        capped at MAX_OCCURRENCES starts, like :func:`original_starts`).
    """
    if plan.count is not None:
        first = dtstart.replace(microsecond=0)
        if since is None:
            yield from islice(_plan_run(plan, first), plan.count)
            return
        last = _count_last(plan, first)  # capped, as the expansions are
        for value in _plan_run(plan, first, since) if last is not None else ():
            if value > last:
                return
            yield value
        return
    starts = _plan_run(plan, dtstart.replace(microsecond=0), since)
    until = plan.until
    if until is None:
        yield from starts
        return
    zone = ZoneInfo(tzid)
    safe = until.astimezone(zone).replace(tzinfo=None) - _UNTIL_SLACK
    for value in starts:
        if value > safe and value.replace(tzinfo=zone) > until:
            return
        yield value


def _iter_starts(rule: str, tzid: str, dtstart: datetime) -> Iterator[datetime]:
    """Every naive local start of the rule in order: by arithmetic when simple, else dateutil."""
    plan = _plan(normalise_rrule(rule, tzid))
    if plan is not None:
        return _plan_starts(plan, tzid, dtstart)
    return (value.replace(tzinfo=None) for value in _rule(rule, tzid, dtstart))


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
    return tuple(islice(_iter_starts(rule, tzid, dtstart), MAX_OCCURRENCES))


def clear_caches() -> None:
    """Forget cached rule parses and expansions."""
    for cached in (normalise_rrule, _plan, _rule, _rule_is_finite, _all_starts, _count_last):
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
    found = []
    capped = start is None or end is None  # an open range of an endless rule: cap it
    for value in _iter_starts(series.rrule, series.tzid, series.dtstart):
        if end is not None and value >= end:
            break
        if start is None or value >= start:
            found.append(value)
            if capped and len(found) >= MAX_OCCURRENCES:
                break
    return found


#: The last start before a time (or before UNTIL) lies in this much time (times INTERVAL)
#: before it, unless EXDATEs or months without the day come in between: then search it all.
_TAIL = {"DAILY": timedelta(days=5), "WEEKLY": timedelta(weeks=2), "MONTHLY": timedelta(days=62)}
#: The shortest period of each frequency, to bound the number of starts before a time.
_SHORTEST = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28}


def _jumps(plan: _Plan, dtstart: datetime, end: datetime) -> bool:
    """Whether starts before ``end`` can be found by jumping ahead instead of expanding.

    A COUNT rule only when its last start has a formula (DAILY, WEEKLY); other rules only while
    fewer than MAX_OCCURRENCES starts can precede ``end``, so the answer equals the capped
    expansion of :func:`original_starts`.
    """
    if plan.count is not None:
        if plan.freq == "MONTHLY":
            return False
        try:
            _count_last(plan, dtstart.replace(microsecond=0))
        except OverflowError:  # past year 9999: leave it to the expansion, which stops there
            return False
        return True
    periods = (end - dtstart).days // (_SHORTEST[plan.freq] * plan.interval) + 2
    return periods * max(1, len(plan.weekdays)) < MAX_OCCURRENCES


def _kept(series: SeriesData, plan: _Plan, start: datetime, end: datetime) -> Iterator[datetime]:
    excluded = series.exdates
    for value in _plan_starts(plan, series.tzid, series.dtstart, since=start):
        if value >= end:
            return
        if value >= start and value not in excluded:
            yield value


def span(series: SeriesData, start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """The first and last of :func:`original_starts` in ``[start, end)``, or ``None``.

    A simple rule (with COUNT: DAILY or WEEKLY only) jumps to both ends of the range instead of
    expanding all of it.
    """
    plan = _plan(normalise_rrule(series.rrule, series.tzid)) if series.rrule else None
    if plan is None or not _jumps(plan, series.dtstart, end):
        starts = original_starts(series, start, end)
        return (starts[0], starts[-1]) if starts else None
    first = next(_kept(series, plan, start, end), None)
    if first is None:
        return None
    stop = end
    if plan.until is not None:
        stop = min(end, plan.until.astimezone(series.zone).replace(tzinfo=None) + _UNTIL_SLACK)
    elif plan.count is not None:
        last_of_all = _count_last(plan, series.dtstart.replace(microsecond=0))
        stop = min(end, last_of_all + _TICK) if last_of_all is not None else end
    tail = max(start, stop - _TAIL[plan.freq] * plan.interval)
    last = deque(_kept(series, plan, tail, end), maxlen=1) or deque(
        _kept(series, plan, start, end), maxlen=1
    )
    return first, last[0]


def ends_by(series: SeriesData, moment: datetime) -> bool:
    """Whether :func:`last_start` is known and at or before ``moment`` (naive local time).

    Instead of expanding the whole rule, a simple rule with UNTIL looks just past ``moment``
    and a DAILY or WEEKLY COUNT rule computes its last start.
    """
    plan = _plan(normalise_rrule(series.rrule, series.tzid)) if series.rrule else None
    if plan is not None and plan.count is not None and _jumps(plan, series.dtstart, moment):
        last = _count_last(plan, series.dtstart.replace(microsecond=0))
        return last is not None and last <= moment
    if plan is not None and plan.count is None:
        if plan.until is None:
            return False
        end = plan.until.astimezone(series.zone).replace(tzinfo=None) + _UNTIL_SLACK
        if _jumps(plan, series.dtstart, end):
            later = _plan_starts(plan, series.tzid, series.dtstart, since=moment)
            if next((v for v in later if v > moment), None) is not None:
                return False
            return next(_plan_starts(plan, series.tzid, series.dtstart), None) is not None
    last = last_start(series)
    return last is not None and last <= moment


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
