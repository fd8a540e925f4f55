"""Subscription feeds: PUBLISH-style content rules, refresh hints and window limiting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from coordinator.calendaring import ics
from coordinator.calendaring.types import OverrideData
from tests.calendaring.conftest import STAMP, autumn_series, wall, weekly_series
from tests.calendaring.wire import assert_wire_format, expand, tzids_used

WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC))


def feed(*series, window=WINDOW, stamp=STAMP, name="Tafels van Zoë") -> bytes:
    data = ics.serialize(ics.feed_calendar(list(series), name=name, window=window, stamp=stamp))
    assert_wire_format(data)
    return data


def test_feed_has_no_method_attendee_organizer_or_addresses():
    data = feed(weekly_series(), autumn_series())
    cal = Calendar.from_ical(data)
    assert "METHOD" not in cal
    for event in cal.walk("VEVENT"):
        assert "ATTENDEE" not in event
        assert "ORGANIZER" not in event
    assert b"mailto:" not in data
    assert b"zoe@example.org" not in data
    assert b"khalid@example.org" not in data


def test_feed_names_itself_and_asks_for_hourly_refresh():
    data = feed(weekly_series())
    lines = data.split(b"\r\n")
    assert "X-WR-CALNAME:Tafels van Zoë".encode() in lines
    assert "NAME:Tafels van Zoë".encode() in lines
    assert b"X-WR-TIMEZONE:Europe/Amsterdam" in lines
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert b"X-PUBLISHED-TTL:PT1H" in lines
    assert b"UID:" not in data.split(b"BEGIN:VTIMEZONE")[0]


def test_cancelled_occurrence_is_kept_as_status_cancelled():
    cal = Calendar.from_ical(feed(weekly_series()))
    cancelled = [e for e in cal.walk("VEVENT") if e.get("STATUS") == "CANCELLED"]
    assert len(cancelled) == 1
    assert cancelled[0].decoded("RECURRENCE-ID").replace(tzinfo=None) == wall(2026, 4, 13, 10)
    master = next(e for e in cal.walk("VEVENT") if "RRULE" in e)
    exdates = [d.dt.replace(tzinfo=None) for d in master["EXDATE"].dts]
    assert exdates == [wall(2026, 4, 6, 10)]  # only the real EXDATE, not the cancellation


def test_dtstamp_is_the_series_modification_so_bytes_do_not_change_per_request():
    modified = datetime(2026, 1, 20, 8, 15, tzinfo=UTC)
    series = weekly_series(modified=modified)
    one = feed(series, stamp=datetime(2026, 2, 1, tzinfo=UTC))
    two = feed(series, stamp=datetime(2026, 2, 2, 13, 0, tzinfo=UTC))
    assert one == two
    master = Calendar.from_ical(one).walk("VEVENT")[0]
    assert master.decoded("DTSTAMP") == modified
    assert master.decoded("LAST-MODIFIED") == modified


def test_every_tzid_has_a_vtimezone_including_other_zones():
    london = autumn_series(uid="london@matchtafel.example.org", tzid="Europe/London")
    cal = Calendar.from_ical(feed(weekly_series(), london))
    zones = {str(c["TZID"]) for c in cal.walk("VTIMEZONE")}
    assert zones == {"Europe/Amsterdam", "Europe/London"}
    assert tzids_used(cal) <= zones


def test_series_outside_the_window_are_left_out():
    before = weekly_series(uid="old@x", dtstart=wall(2024, 1, 1, 10), exdates=(), overrides=())
    after = autumn_series(uid="later@x", dtstart=wall(2028, 1, 6, 19, 30))
    cal = Calendar.from_ical(feed(before, after, weekly_series()))
    assert {str(e["UID"]) for e in cal.walk("VEVENT")} == {weekly_series().uid}


def test_long_running_series_is_clipped_to_the_window_with_same_occurrences():
    series = autumn_series(
        dtstart=wall(2023, 1, 5, 19, 30),
        exdates=(wall(2023, 3, 2, 19, 30), wall(2026, 3, 12, 19, 30)),
        overrides=(
            OverrideData(wall(2023, 2, 2, 19, 30), location="Oud"),
            OverrideData(wall(2026, 4, 9, 19, 30), dtstart=wall(2026, 4, 10, 19, 30)),
        ),
    )
    data = feed(series)
    master = next(e for e in Calendar.from_ical(data).walk("VEVENT") if "RRULE" in e)
    start = master.decoded("DTSTART")
    assert WINDOW[0] <= start < WINDOW[0] + timedelta(days=14)
    until = master["RRULE"]["UNTIL"][0]
    assert WINDOW[1] - timedelta(days=14) <= until < WINDOW[1]
    assert [d.dt.replace(tzinfo=None) for d in master["EXDATE"].dts] == [wall(2026, 3, 12, 19, 30)]
    assert b"LOCATION:Oud" not in data  # the 2023 override is outside the window
    # inside the window a client sees exactly what the unclipped series says
    unclipped = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    assert expand(data, *WINDOW) == expand(unclipped, *WINDOW)
    assert len(expand(data, *WINDOW)) > 30


def test_split_series_do_not_duplicate_occurrences():
    # the schedule moved from Monday to Wednesday on 1 June: old series ends, new UID starts
    old = weekly_series(
        rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20260531T215959Z", exdates=(), overrides=()
    )
    new = replace(
        old,
        uid="series-42-b@matchtafel.example.org",
        dtstart=wall(2026, 6, 3, 10),
        rrule="FREQ=WEEKLY;BYDAY=WE",
        sequence=0,
    )
    occurrences = expand(feed(old, new), *WINDOW)
    starts = [s for s, _, _ in occurrences]
    assert len(starts) == len(set(starts))
    assert max(s for s in starts if s.weekday() == 0) < datetime(2026, 6, 1, tzinfo=UTC)
    assert min(s for s in starts if s.weekday() == 2) >= datetime(2026, 6, 3, tzinfo=UTC)


def test_default_window_is_three_months_back_and_eighteen_ahead():
    start, end = ics.feed_window(datetime(2026, 5, 31, 12, tzinfo=UTC))
    assert start == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert end == datetime(2027, 11, 30, 12, tzinfo=UTC)


def test_feed_bytes_equal_the_serialised_feed_calendar():
    modified = datetime(2026, 1, 20, 8, 15, tzinfo=UTC)
    inputs = [
        [weekly_series(), autumn_series()],
        [weekly_series(modified=modified), autumn_series(tzid="Europe/London")],
        [],
    ]
    for series in inputs:
        expected = ics.serialize(ics.feed_calendar(series, name="Zoë", window=WINDOW, stamp=STAMP))
        for _ in range(2):  # cold, then from the per-series cache
            assert ics.feed_bytes(series, name="Zoë", window=WINDOW, stamp=STAMP) == expected


def test_feed_cache_keeps_series_that_differ_only_in_modification_apart():
    one = weekly_series(modified=datetime(2026, 1, 20, tzinfo=UTC))
    two = weekly_series(modified=datetime(2026, 1, 21, tzinfo=UTC))
    assert one == two  # ``modified`` takes no part in equality
    first = ics.feed_bytes([one], name="x", window=WINDOW, stamp=STAMP)
    second = ics.feed_bytes([two], name="x", window=WINDOW, stamp=STAMP)
    assert b"DTSTAMP:20260120T000000Z" in first
    assert b"DTSTAMP:20260121T000000Z" in second
    assert b"DTSTAMP:20260120T000000Z" not in second


def test_vtimezone_covers_a_series_kept_whole_for_an_occurrence_moved_into_the_window():
    # the 2025 occurrence moved into January 2026: the series is kept whole, from 2025
    series = autumn_series(
        dtstart=wall(2025, 9, 4, 19, 30),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20251201T000000Z",
        overrides=(OverrideData(wall(2025, 11, 27, 19, 30), dtstart=wall(2026, 1, 8, 19, 30)),),
    )
    cal = Calendar.from_ical(feed(series))
    (zone,) = cal.walk("VTIMEZONE")
    assert "from 2025-01-01" in str(zone["COMMENT"])
    assert expand(feed(series), *WINDOW)[0][0] == datetime(
        2026, 1, 8, 19, 30, tzinfo=weekly_series().zone
    )


def test_feed_events_carry_the_property_types_event_add_would_give():
    series = weekly_series(modified=datetime(2026, 1, 20, tzinfo=UTC))
    cal = ics.feed_calendar([series], name="x", window=WINDOW, stamp=STAMP)
    events = cal.walk("VEVENT")
    assert {"RRULE", "EXDATE", "RECURRENCE-ID", "LAST-MODIFIED", "URL"} <= {
        name for event in events for name in event
    }
    for event in events:
        for name, value in event.items():
            assert type(value) is Event.types_factory.for_property(name), name


def test_feed_calendar_events_do_not_share_property_objects():
    # feed_bytes lets a series' events share equal values; handed-out events must not
    cal = ics.feed_calendar([weekly_series()], name="x", window=WINDOW, stamp=STAMP)
    first, *others = cal.walk("VEVENT")
    assert others
    for other in others:
        for name in ("UID", "DTSTAMP", "SUMMARY", "STATUS", "SEQUENCE", "DESCRIPTION"):
            assert first[name] is not other[name], name
    first["SUMMARY"].params["LANGUAGE"] = "nl"
    assert b"LANGUAGE" not in others[0].to_ical()
