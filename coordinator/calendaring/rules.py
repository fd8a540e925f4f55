"""Pure checks and edits of schedules: what Outlook can show, and ending a series at a date.

The tables capability calls these before it stores a schedule or changes one "from a date on"
(INTEROP 7 and 10): clients cannot all move a series' DTSTART on the same UID, so the old
series ends (UNTIL) and a new one with a new UID takes over.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from icalendar import vRecur

from coordinator.calendaring.occurrences import normalise_rrule, original_starts, rrule_text
from coordinator.calendaring.types import SeriesData

_SUB_DAILY = {"SECONDLY", "MINUTELY", "HOURLY"}


def outlook_problems(rule: str) -> list[str]:
    """Reasons Outlook would mangle or refuse this RRULE (empty when it is fine).

    Covers MS KB 2643084: several nth-weekdays per month ("1st and 3rd Monday"), several
    month days or months, BYSETPOS lists, BYWEEKNO/BYYEARDAY and sub-daily frequencies, plus
    COUNT with several weekdays, whose meaning clients disagree on.
    """
    parts = vRecur.from_ical(rule)
    freq = str(parts.get("FREQ", [""])[0]).upper()
    problems = []
    if freq in _SUB_DAILY:
        problems.append(f"FREQ={freq} is not a meeting schedule")
    days = [str(d) for d in parts.get("BYDAY", [])]
    ordinal = [d for d in days if d[:1] in "+-0123456789"]
    if freq in ("MONTHLY", "YEARLY") and len(ordinal) > 1:
        problems.append("several nth-weekdays in one month (e.g. 1st and 3rd Monday)")
    if freq in ("MONTHLY", "YEARLY") and ordinal and len(ordinal) != len(days):
        problems.append("nth-weekdays mixed with plain weekdays")
    if len(parts.get("BYMONTHDAY", [])) > 1:
        problems.append("several days of the month")
    if len(parts.get("BYMONTH", [])) > 1:
        problems.append("several months")
    if len(parts.get("BYSETPOS", [])) > 1:
        problems.append("several BYSETPOS values")
    for key in ("BYWEEKNO", "BYYEARDAY", "BYHOUR", "BYMINUTE", "BYSECOND"):
        if key in parts:
            problems.append(f"{key} is not supported")
    if "COUNT" in parts and len(days) > 1:
        problems.append("COUNT with several weekdays: use UNTIL")
    return problems


def end_before(series: SeriesData, cutoff: datetime) -> SeriesData | None:
    """The series ended just before local time ``cutoff``, or ``None`` if nothing is left.

    UNTIL becomes the last original start before ``cutoff`` (in UTC, as RFC 5545 wants with a
    TZID), overrides and EXDATEs from ``cutoff`` on are dropped and SEQUENCE goes up by one.
    Send the result as a REQUEST to the holders and the new series (new UID) as another.
    """
    if cutoff.tzinfo is not None:
        raise ValueError("cutoff is a naive local wall-clock time")
    if series.rrule is None:
        return series if series.dtstart < cutoff else None
    starts = [s for s in original_starts(series, None, cutoff)]
    kept_exdates = tuple(d for d in series.exdates if d < cutoff)
    candidates = sorted({*starts, *kept_exdates})
    if not candidates:
        return None
    last = candidates[-1]
    parts = vRecur.from_ical(normalise_rrule(series.rrule, series.tzid))
    parts.pop("COUNT", None)
    parts["UNTIL"] = [last.replace(tzinfo=series.zone).astimezone(UTC)]
    return replace(
        series,
        rrule=rrule_text(parts),
        sequence=series.sequence + 1,
        exdates=kept_exdates,
        overrides=tuple(o for o in series.overrides if o.recurrence_id < cutoff),
    )
