"""Every generated calendar, expanded by recurring-ical-events, equals Matchtafel's dateutil view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinator.calendaring import ics
from coordinator.calendaring.occurrences import (
    is_finite,
    last_start,
    normalise_rrule,
    occurrences,
    original_starts,
)
from coordinator.calendaring.types import OverrideData, SeriesData, Status
from tests.calendaring.conftest import ORGANIZER, STAMP, ZOE, autumn_series, wall, weekly_series
from tests.calendaring.wire import assert_wire_format, expand

LO = datetime(2025, 12, 1, tzinfo=UTC)
HI = datetime(2027, 12, 1, tzinfo=UTC)
AMS = weekly_series().zone


def monthly_series() -> SeriesData:
    return SeriesData(
        uid="series-9@matchtafel.example.org",
        sequence=1,
        summary="Spreekuur Zuidoost",
        tzid="Europe/Amsterdam",
        dtstart=wall(2026, 1, 6, 13, 0),
        duration=timedelta(hours=3),
        organizer=ORGANIZER,
        rrule="FREQ=MONTHLY;BYDAY=1TU;UNTIL=20270101T000000Z",
        attendees=(ZOE,),
        overrides=(OverrideData(wall(2026, 10, 6, 13), dtstart=wall(2026, 10, 27, 13)),),
    )


def single_meeting() -> SeriesData:
    return SeriesData(
        uid="single-1@matchtafel.example.org",
        sequence=0,
        summary="Dialoogbijeenkomst",
        tzid="Europe/Amsterdam",
        dtstart=wall(2026, 3, 29, 14, 0),  # the day clocks go forward
        duration=timedelta(hours=2),
        organizer=ORGANIZER,
        attendees=(ZOE,),
    )


SERIES = {
    "weekly-spring-dst": weekly_series,
    "fortnightly-autumn-dst-open-ended": autumn_series,
    "monthly-first-tuesday": monthly_series,
    "single": single_meeting,
}


def own(series: SeriesData, *, with_cancelled: bool) -> list[tuple[datetime, datetime, str]]:
    return [
        (o.start, o.end, o.status.value)
        for o in occurrences(series, LO, HI)
        if with_cancelled or o.status is not Status.CANCELLED
    ]


@pytest.mark.parametrize("name", SERIES)
def test_request_expands_to_our_occurrences_without_cancelled(name):
    series = SERIES[name]()
    data = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    assert_wire_format(data)
    assert expand(data, LO, HI) == own(series, with_cancelled=False)


@pytest.mark.parametrize("name", SERIES)
def test_feed_expands_to_our_occurrences_with_cancelled_kept(name):
    series = SERIES[name]()
    data = ics.serialize(ics.feed_calendar([series], name="Feed", window=(LO, HI), stamp=STAMP))
    assert_wire_format(data)
    assert expand(data, LO, HI) == own(series, with_cancelled=True)


def test_spring_dst_keeps_wall_clock_not_utc():
    starts = [o.start for o in occurrences(weekly_series(), LO, HI)]
    assert starts[0].astimezone(UTC).hour == 9  # 10:00 CET
    assert starts[-1].astimezone(UTC).hour == 8  # 10:00 CEST
    assert {s.hour for s in starts if s.weekday() == 0} == {10}
    data = ics.serialize(ics.request_for_series(weekly_series(), stamp=STAMP))
    utc_hours = {s.astimezone(UTC).hour for s, _, _ in expand(data, LO, HI) if s.weekday() == 0}
    assert utc_hours == {8, 9}


def test_autumn_dst_keeps_wall_clock_not_utc():
    data = ics.serialize(ics.request_for_series(autumn_series(), stamp=STAMP))
    got = expand(data, datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 15, tzinfo=UTC))
    assert [s.astimezone(UTC).strftime("%m-%d %H:%M") for s, _, _ in got] == [
        "10-08 17:30",  # 19:30 CEST
        "10-22 17:30",
        "11-05 18:30",  # 19:30 CET
    ]


def test_single_meeting_on_dst_day_has_the_right_instant():
    data = ics.serialize(ics.request_for_series(single_meeting(), stamp=STAMP))
    ((start, end, _),) = expand(data, LO, HI)
    assert start.astimezone(UTC) == datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert end - start == timedelta(hours=2)


def test_finite_and_open_ended_series():
    assert is_finite(weekly_series())
    assert last_start(weekly_series()) == wall(2026, 5, 18, 10, 0)
    assert not is_finite(autumn_series())
    assert last_start(autumn_series()) is None
    assert last_start(single_meeting()) == single_meeting().dtstart


def test_original_starts_skip_exdates_but_not_overrides():
    starts = original_starts(weekly_series())
    assert wall(2026, 4, 6, 10) not in starts
    assert wall(2026, 3, 23, 10) in starts
    assert len(starts) == 11


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=WEEKLY;UNTIL=20260601T100000", "FREQ=WEEKLY;UNTIL=20260601T080000Z"),
        ("FREQ=WEEKLY;UNTIL=20260101", "FREQ=WEEKLY;UNTIL=20260101T225959Z"),
        ("FREQ=WEEKLY;UNTIL=20260601T080000Z", "FREQ=WEEKLY;UNTIL=20260601T080000Z"),
        ("FREQ=DAILY;COUNT=3", "FREQ=DAILY;COUNT=3"),
    ],
)
def test_normalise_rrule(rule, expected):
    assert normalise_rrule(rule, "Europe/Amsterdam") == expected


@st.composite
def random_series(draw):
    start = draw(st.datetimes(min_value=wall(2026, 1, 1), max_value=wall(2026, 12, 31))).replace(
        second=0, microsecond=0
    )
    rule = draw(
        st.sampled_from(
            [
                "FREQ=WEEKLY;COUNT=30",
                "FREQ=WEEKLY;INTERVAL=2;COUNT=20",
                "FREQ=DAILY;INTERVAL=3;COUNT=40",
                "FREQ=MONTHLY;COUNT=14",
                "FREQ=WEEKLY;UNTIL=20270601T000000Z",
            ]
        )
    )
    draft = SeriesData(
        uid="prop@matchtafel.example.org",
        sequence=0,
        summary="P",
        tzid="Europe/Amsterdam",
        dtstart=start,
        duration=timedelta(minutes=draw(st.integers(15, 240))),
        organizer=ORGANIZER,
        rrule=rule,
        attendees=(ZOE,),
    )
    starts = original_starts(draft)
    picked = draw(st.lists(st.sampled_from(starts), max_size=6, unique=True))
    overrides, exdates = [], []
    for i, rid in enumerate(picked):
        if i % 3 == 0:
            exdates.append(rid)
        elif i % 3 == 1:
            overrides.append(OverrideData(rid, status=Status.CANCELLED))
        else:
            shift = timedelta(hours=draw(st.integers(-30, 30)))
            overrides.append(OverrideData(rid, dtstart=rid + shift))
    return SeriesData(
        **{
            **{f: getattr(draft, f) for f in draft.__dataclass_fields__},
            "exdates": tuple(exdates),
            "overrides": tuple(overrides),
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series=random_series())
def test_property_generated_calendars_expand_like_dateutil(series):
    request = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    assert expand(request, LO, HI) == own(series, with_cancelled=False)
    feed = ics.serialize(ics.feed_calendar([series], name="F", window=(LO, HI), stamp=STAMP))
    assert expand(feed, LO, HI) == own(series, with_cancelled=True)
