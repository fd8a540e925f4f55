"""VTIMEZONE components for the zones Matchtafel uses, with RFC 5545 onsets.

``icalendar``'s :meth:`Timezone.from_tzid` writes the onset of a spring-forward observance as
the wall time *after* the change (``DTSTART:20260329T030000`` with ``TZOFFSETFROM:+0100``,
i.e. 02:00 UTC). RFC 5545 §3.6.5 reads DTSTART and RDATE in the offset *before* the change, so
the right value is ``T020000`` (01:00 UTC), which is also what Outlook writes. This module
moves every onset to the local time that, read in TZOFFSETFROM, is the real transition.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Component, Timezone, vDDDLists, vDDDTypes


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``tzid`` from 1 January ``first_year`` to 1 January ``last_year``.

    Generation is slow, so definitions are cached; callers get a private copy.
    """
    return copy.deepcopy(_cached(tzid, first_year, last_year))


def clear_cache() -> None:
    _cached.cache_clear()


@lru_cache(maxsize=64)
def _cached(tzid: str, first_year: int, last_year: int) -> Timezone:
    tz = Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    zone = ZoneInfo(tzid)
    for observance in tz.subcomponents:
        _fix_onsets(observance, zone)
    return tz


def _fix_onsets(observance: Component, zone: ZoneInfo) -> None:
    before = observance["TZOFFSETFROM"].td
    after = observance["TZOFFSETTO"].td
    observance["DTSTART"] = vDDDTypes(_onset(observance["DTSTART"].dt, before, after, zone))
    if "RDATE" in observance:
        lists = observance["RDATE"]
        values = [
            d.dt for item in (lists if isinstance(lists, list) else [lists]) for d in item.dts
        ]
        observance["RDATE"] = vDDDLists([_onset(v, before, after, zone) for v in values])


def _onset(local: datetime, before: timedelta, after: timedelta, zone: ZoneInfo) -> datetime:
    """The local time, read in the ``before`` offset, at which ``zone`` really changes.

    A value that is not a transition (the first observance of a range) is kept as it is.
    """
    for candidate in (local, local - (after - before)):
        instant = (candidate - before).replace(tzinfo=UTC)
        was = (instant - timedelta(seconds=1)).astimezone(zone).utcoffset()
        if was == before and instant.astimezone(zone).utcoffset() == after:
            return candidate
    return local
