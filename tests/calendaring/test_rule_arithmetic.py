"""The arithmetic expansion of simple rules yields exactly what dateutil yields.

Matchtafel expands DAILY, WEEKLY and MONTHLY rules (INTERVAL, WKST, BYDAY, BYMONTHDAY, COUNT,
UNTIL) with date arithmetic instead of dateutil, because feeds clip thousands of occurrences.
Every such rule, in zones with DST and odd offset changes, must give dateutil's starts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from coordinator.calendaring import occurrences
from coordinator.calendaring.occurrences import (
    MAX_OCCURRENCES,
    last_start,
    normalise_rrule,
    original_starts,
)
from coordinator.calendaring.types import SeriesData
from tests.calendaring.conftest import ORGANIZER, wall

ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Pacific/Apia", "UTC"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
LO, HI = wall(2026, 6, 1), wall(2028, 3, 1)


def dateutil_starts(rule: str, tzid: str, dtstart: datetime, end: datetime) -> list[datetime]:
    """The reference: dateutil's naive local starts before ``end`` (at most MAX_OCCURRENCES)."""
    parsed = rrulestr(normalise_rrule(rule, tzid), dtstart=dtstart.replace(tzinfo=ZoneInfo(tzid)))
    found = []
    for value in islice(parsed, MAX_OCCURRENCES):
        local = value.replace(tzinfo=None)
        if local >= end:
            break
        found.append(local)
    return found


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 5))}")
    if freq == "WEEKLY" and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=4, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    if freq == "MONTHLY":
        kind = draw(st.sampled_from(["nth", "monthday", "none"]))
        if kind == "nth":
            n = draw(st.sampled_from([1, 2, 3, 4, 5, -1, -2, -5]))
            parts.append(f"BYDAY={n}{draw(st.sampled_from(DAYS))}")
        elif kind == "monthday":
            parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 15, 28, 29, 30, 31, -1, -3]))}")
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(DAYS))}")
    end = draw(st.sampled_from(["count", "until", "local-until", "date-until", "none"]))
    moment = draw(st.datetimes(min_value=wall(2026, 1, 1), max_value=wall(2028, 6, 1)))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(0, 60))}")
    elif end == "until":
        parts.append(f"UNTIL={moment:%Y%m%dT%H%M%S}Z")
    elif end == "local-until":
        parts.append(f"UNTIL={moment:%Y%m%dT%H%M%S}")
    elif end == "date-until":
        parts.append(f"UNTIL={moment:%Y%m%d}")
    return ";".join(draw(st.permutations(parts)))


@st.composite
def starts(draw: st.DrawFn) -> datetime:
    """Local starts, often at DST changes (02:30 on the transition days) and month ends."""
    special = draw(
        st.sampled_from(
            [
                wall(2026, 3, 29, 2, 30),  # Amsterdam: does not exist
                wall(2026, 10, 25, 2, 30),  # Amsterdam: happens twice
                wall(2026, 3, 8, 2, 30),  # New York: does not exist
                wall(2026, 4, 5, 2, 30),  # Sydney: happens twice
                wall(2026, 1, 31, 19, 0),
                None,
            ]
        )
    )
    if special is not None:
        return special
    return draw(st.datetimes(min_value=wall(2025, 1, 1), max_value=wall(2027, 12, 31)))


def series(rule: str, tzid: str, dtstart: datetime) -> SeriesData:
    return SeriesData(
        uid="arith@matchtafel.example.org",
        sequence=0,
        summary="A",
        tzid=tzid,
        dtstart=dtstart,
        duration=timedelta(hours=1),
        organizer=ORGANIZER,
        rrule=rule,
    )


@settings(max_examples=250, deadline=None)
@given(rule=rules(), tzid=st.sampled_from(ZONES), dtstart=starts())
def test_simple_rules_expand_like_dateutil(rule, tzid, dtstart):
    occurrences.clear_caches()
    assert occurrences._plan(normalise_rrule(rule, tzid)) is not None  # the arithmetic path
    item = series(rule, tzid, dtstart)
    expected = dateutil_starts(rule, tzid, dtstart, HI)
    assert original_starts(item, LO, HI) == [s for s in expected if s >= LO]
    if "COUNT" in rule or "UNTIL" in rule:
        everything = dateutil_starts(rule, tzid, dtstart, wall(9999, 1, 1))
        assert original_starts(item) == everything
        assert last_start(item) == (everything[-1] if everything else None)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=YEARLY",
        "FREQ=MONTHLY;BYDAY=TU",  # every Tuesday of the month
        "FREQ=MONTHLY;BYDAY=1TU,3TU",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",  # Outlook's "second Tuesday"
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=DAILY;BYDAY=MO",
        "FREQ=WEEKLY;BYHOUR=9,15",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270101T000000Z",
        "FREQ=WEEKLY;INTERVAL=0",
    ],
)
def test_other_rules_fall_back_to_dateutil(rule):
    assert occurrences._plan(normalise_rrule(rule, "Europe/Amsterdam")) is None


def test_until_is_compared_as_an_instant_not_as_wall_clock_time():
    # 25 Oct 2026 02:30 happens twice in Amsterdam; the first time (CEST) is 00:30Z, before an
    # UNTIL of 01:15Z, although that UNTIL reads 02:15 on the wall clock (CET)
    item = series(
        "FREQ=DAILY;UNTIL=20261025T011500Z", "Europe/Amsterdam", wall(2026, 10, 20, 2, 30)
    )
    assert occurrences._plan(item.rrule or "") is not None
    assert last_start(item) == wall(2026, 10, 25, 2, 30)
    assert original_starts(item) == dateutil_starts(
        item.rrule or "", item.tzid, item.dtstart, wall(2027, 1, 1)
    )


def test_ending_at_replaces_count_or_until_by_an_utc_until():
    amsterdam = ZoneInfo("Europe/Amsterdam")
    end = datetime(2027, 6, 17, 19, 30, tzinfo=amsterdam)
    assert occurrences.ending_at("FREQ=WEEKLY;count=12;BYDAY=MO", end) == (
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270617T173000Z"
    )
    assert occurrences.ending_at("FREQ=DAILY;UNTIL=20280101;INTERVAL=2", end) == (
        "FREQ=DAILY;INTERVAL=2;UNTIL=20270617T173000Z"
    )


@settings(max_examples=250, deadline=None)
@given(
    rule=rules(),
    tzid=st.sampled_from(ZONES),
    dtstart=starts(),
    lo=st.datetimes(min_value=wall(2024, 6, 1), max_value=wall(2028, 1, 1)),
    on_a_start=st.integers(0, 200) | st.none(),
    length=st.sampled_from([timedelta(hours=12), timedelta(days=20), timedelta(days=600)]),
    drop=st.lists(st.integers(0, 400), max_size=6),
)
def test_span_is_the_first_and_last_original_start(  # noqa: PLR0913
    rule, tzid, dtstart, lo, on_a_start, length, drop
):
    occurrences.clear_caches()
    draft = series(rule, tzid, dtstart)
    everything = original_starts(draft, None, wall(2029, 1, 1))
    if on_a_start is not None and everything:  # a range that starts or ends on a start
        lo = everything[on_a_start % len(everything)] - (length if on_a_start % 2 else timedelta())
    within = original_starts(draft, lo, lo + length)
    exdates = tuple({within[i % len(within)] for i in drop}) if within else ()
    if within and drop and len(drop) % 2:
        exdates = (*exdates, within[-1])  # the last start in the range is excluded
    item = replace(draft, exdates=exdates)
    expected = original_starts(item, lo, lo + length)
    span = occurrences.span(item, lo, lo + length)
    assert span == ((expected[0], expected[-1]) if expected else None)


def test_span_keeps_the_cap_on_long_rules():
    # the 5,000th daily start is in 2040: a range after it holds none, as in original_starts
    item = series("FREQ=DAILY;UNTIL=20500101T000000Z", "Europe/Amsterdam", wall(2026, 1, 1, 9))
    assert original_starts(item, wall(2045, 1, 1), wall(2045, 2, 1)) == []
    assert occurrences.span(item, wall(2045, 1, 1), wall(2045, 2, 1)) is None
    assert occurrences.span(item, wall(2027, 1, 1), wall(2027, 2, 1)) == (
        wall(2027, 1, 1, 9),
        wall(2027, 1, 31, 9),
    )


@settings(max_examples=250, deadline=None)
@given(
    rule=rules(),
    tzid=st.sampled_from(ZONES),
    dtstart=starts(),
    moment=st.datetimes(min_value=wall(2024, 6, 1), max_value=wall(2029, 1, 1)),
    on_a_start=st.integers(0, 200) | st.none(),
)
def test_ends_by_compares_the_last_start(rule, tzid, dtstart, moment, on_a_start):
    occurrences.clear_caches()
    item = series(rule, tzid, dtstart)
    everything = original_starts(item, None, wall(2029, 1, 1))
    if on_a_start is not None and everything:
        moment = everything[on_a_start % len(everything)]
    last = last_start(item)
    assert occurrences.ends_by(item, moment) == (last is not None and last <= moment)


@pytest.mark.parametrize(
    "rule", ["FREQ=WEEKLY;INTERVAL=1000;COUNT=5000", "FREQ=DAILY;INTERVAL=900;COUNT=9000"]
)
def test_count_rules_that_pass_year_9999_stop_there(rule):
    item = series(rule, "Europe/Amsterdam", wall(2026, 1, 5, 10))
    everything = original_starts(item)
    assert everything[-1].year >= 9990
    assert last_start(item) == everything[-1]
    assert occurrences.span(item, wall(2026, 1, 1), wall(9999, 12, 31)) == (
        everything[0],
        everything[-1],
    )
    assert occurrences.ends_by(item, everything[-1])
    assert not occurrences.ends_by(item, everything[-2])
