"""iCalendar builders: iTIP structure and the INTEROP.md rules, read back by icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from coordinator.calendaring import ics
from coordinator.calendaring.types import AttendeeData, OverrideData, Status, clean_line, clean_text
from tests.calendaring.conftest import (
    KHALID,
    LONG_NAME,
    STAMP,
    ZOE,
    autumn_series,
    wall,
    weekly_series,
)
from tests.calendaring.wire import assert_wire_format, tzids_used


def parsed(cal: Calendar) -> Calendar:
    data = ics.serialize(cal)
    assert_wire_format(data)
    return Calendar.from_ical(data)


def events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def builders():
    rid = wall(2026, 3, 23, 10, 0)
    return {
        "request_series": lambda s: ics.request_for_series(s, stamp=STAMP),
        "request_occurrence": lambda s: ics.request_for_occurrence(s, rid, stamp=STAMP),
        "cancel_series": lambda s: ics.cancel_series(s, stamp=STAMP),
        "cancel_occurrence": lambda s: ics.cancel_occurrence(s, rid, stamp=STAMP),
    }


METHODS = {
    "request_series": "REQUEST",
    "request_occurrence": "REQUEST",
    "cancel_series": "CANCEL",
    "cancel_occurrence": "CANCEL",
}


@pytest.mark.parametrize("kind", METHODS)
def test_every_message_has_method_prodid_version_and_no_random_uid(kind):
    cal = parsed(builders()[kind](weekly_series()))
    assert cal["METHOD"] == METHODS[kind]
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == ics.PRODID
    assert "UID" not in cal  # icalendar's Calendar.new() would add a random one


@pytest.mark.parametrize("kind", METHODS)
def test_every_tzid_used_has_a_vtimezone_before_the_events(kind):
    cal = parsed(builders()[kind](weekly_series()))
    zones = [c["TZID"] for c in cal.subcomponents if c.name == "VTIMEZONE"]
    assert tzids_used(cal) == set(zones) == {"Europe/Amsterdam"}
    names = [c.name for c in cal.subcomponents]
    assert names.index("VTIMEZONE") < names.index("VEVENT")


@pytest.mark.parametrize("kind", METHODS)
def test_uid_sequence_stamp_organizer_and_summary_in_every_event(kind):
    series = weekly_series()
    for event in events(parsed(builders()[kind](series))):
        assert event["UID"] == series.uid
        assert event.decoded("DTSTAMP") == STAMP
        assert event["SEQUENCE"] >= series.sequence
        assert str(event["ORGANIZER"]) == "mailto:matchtafel@example.org"
        assert event["ORGANIZER"].params["CN"] == "Matchtafel Nieuw-West"
        assert str(event["SUMMARY"]) == LONG_NAME
        assert str(event["URL"]) == series.url
        assert "agenda" in str(event["DESCRIPTION"])


def test_request_for_series_has_master_rrule_exdates_and_moved_occurrence():
    series = weekly_series()
    master, moved = events(parsed(ics.request_for_series(series, stamp=STAMP)))
    assert "RECURRENCE-ID" not in master
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=12;BYDAY=MO"
    assert master["SEQUENCE"] == 3
    assert master["STATUS"] == "CONFIRMED"
    # the EXDATE and the cancelled occurrence, both in DTSTART's TZID form (INTEROP 13)
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [
        datetime(2026, 4, 6, 10, 0, tzinfo=series.zone),
        datetime(2026, 4, 13, 10, 0, tzinfo=series.zone),
    ]
    assert master["EXDATE"].params["TZID"] == master["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert moved["RECURRENCE-ID"].params["TZID"] == "Europe/Amsterdam"
    assert moved.decoded("RECURRENCE-ID") == datetime(2026, 3, 23, 10, 0, tzinfo=series.zone)
    assert moved.decoded("DTSTART") == datetime(2026, 3, 31, 14, 0, tzinfo=series.zone)
    assert moved.decoded("DTEND") - moved.decoded("DTSTART") == timedelta(hours=1, minutes=30)
    assert str(moved["LOCATION"]) == "Buurtkamer De Plint"
    assert moved["SEQUENCE"] == 4  # the occurrence's own, higher SEQUENCE


def test_attendees_carry_role_partstat_rsvp_and_cn():
    master = events(parsed(ics.request_for_series(weekly_series(), stamp=STAMP)))[0]
    zoe, khalid = master["ATTENDEE"]
    assert str(zoe) == "mailto:zoe@example.org"
    assert zoe.params["CN"] == ZOE.name
    assert zoe.params["ROLE"] == "REQ-PARTICIPANT"
    assert zoe.params["PARTSTAT"] == "NEEDS-ACTION"
    assert zoe.params["RSVP"] == "TRUE"
    assert khalid.params["CN"] == KHALID.name  # Arabic script survives
    assert khalid.params["ROLE"] == "CHAIR"


def test_request_for_occurrence_has_only_that_occurrence_without_master():
    series = weekly_series()
    (event,) = events(
        parsed(ics.request_for_occurrence(series, wall(2026, 3, 23, 10), stamp=STAMP))
    )
    assert "RRULE" not in event
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 3, 23, 10, tzinfo=series.zone)
    assert event.decoded("DTSTART") == datetime(2026, 3, 31, 14, tzinfo=series.zone)
    assert event["SEQUENCE"] == 4
    assert event["STATUS"] == "CONFIRMED"


def test_request_for_unchanged_occurrence_is_for_a_deputy_at_the_original_time():
    series = weekly_series()
    (event,) = events(parsed(ics.request_for_occurrence(series, wall(2026, 3, 9, 10), stamp=STAMP)))
    assert event.decoded("DTSTART") == event.decoded("RECURRENCE-ID")
    assert event["SEQUENCE"] == series.sequence
    assert str(event["LOCATION"]) == series.location


@pytest.mark.parametrize(
    "rid",
    [
        wall(2026, 3, 3, 10, 0),  # a Tuesday: not in the rule
        wall(2026, 3, 2, 11, 0),  # right day, wrong time
        wall(2026, 4, 6, 10, 0),  # an EXDATE
        wall(2026, 6, 1, 10, 0),  # after COUNT=12
    ],
)
def test_occurrence_messages_refuse_a_recurrence_id_that_is_no_occurrence(rid):
    with pytest.raises(ValueError, match="not an occurrence"):
        ics.request_for_occurrence(weekly_series(), rid, stamp=STAMP)
    with pytest.raises(ValueError, match="not an occurrence"):
        ics.cancel_occurrence(weekly_series(), rid, stamp=STAMP)


def test_request_for_a_cancelled_occurrence_is_refused():
    with pytest.raises(ValueError, match="cancel_occurrence"):
        ics.request_for_occurrence(weekly_series(), wall(2026, 4, 13, 10), stamp=STAMP)


def test_messages_need_an_attendee():
    with pytest.raises(ValueError, match="attendee"):
        ics.request_for_series(weekly_series(attendees=()), stamp=STAMP)


def test_cancel_series_is_method_cancel_with_status_cancelled_and_same_uid():
    series = weekly_series(sequence=9, attendees=(ZOE,))
    cal = parsed(ics.cancel_series(series, stamp=STAMP))
    (event,) = events(cal)
    assert cal["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == series.uid
    assert event["SEQUENCE"] == 9
    assert "RECURRENCE-ID" not in event
    assert [str(a) for a in _list(event["ATTENDEE"])] == ["mailto:zoe@example.org"]


def test_cancel_occurrence_leaves_the_series_alone():
    series = weekly_series()
    cal = parsed(ics.cancel_occurrence(series, wall(2026, 3, 16, 10), stamp=STAMP))
    (event,) = events(cal)
    assert cal["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert "RRULE" not in event
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 3, 16, 10, tzinfo=series.zone)
    assert event["RECURRENCE-ID"].params["TZID"] == "Europe/Amsterdam"


def test_local_until_is_converted_to_utc():
    series = weekly_series(rrule="FREQ=WEEKLY;BYDAY=MO;UNTIL=20261102T100000")
    master = events(parsed(ics.request_for_series(series, stamp=STAMP)))[0]
    assert master["RRULE"]["UNTIL"] == [datetime(2026, 11, 2, 9, 0, tzinfo=UTC)]  # CET


def test_escaping_of_comma_semicolon_backslash_and_newline():
    data = ics.serialize(ics.request_for_series(weekly_series(), stamp=STAMP))
    unfolded = data.replace(b"\r\n ", b"")
    assert "statushouders\\, nieuwkomers\\; ëüï \\\\ اجتماع".encode() in unfolded
    assert b"DESCRIPTION:Agenda: https://matchtafel.example.org/tafels/42/agenda\\nNeem" in unfolded


def test_non_ascii_summary_is_folded_at_75_octets_and_round_trips():
    data = ics.serialize(ics.request_for_series(weekly_series(), stamp=STAMP))
    assert_wire_format(data)
    summary_lines = [line for line in data.split(b"\r\n") if line.startswith(b"SUMMARY")]
    assert summary_lines
    assert all(len(line) <= 75 for line in summary_lines)
    assert b"\r\n " in data  # something was folded
    assert str(Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"]) == LONG_NAME


def test_same_input_gives_same_bytes():
    one = ics.serialize(ics.request_for_series(weekly_series(), stamp=STAMP))
    two = ics.serialize(ics.request_for_series(weekly_series(), stamp=STAMP))
    assert one == two


def test_vtimezone_covers_an_open_ended_series_for_years():
    cal = parsed(ics.request_for_series(autumn_series(), stamp=STAMP))
    (zone,) = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    assert "2026-01-01 to 2036-01-01" in str(zone["COMMENT"])


def test_vtimezone_offsets_match_zoneinfo_around_both_dst_changes():
    cal = parsed(ics.request_for_series(weekly_series(), stamp=STAMP))
    (zone,) = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    tz = zone.to_tz()
    for moment, hours in [
        (wall(2026, 3, 28, 12), 1),
        (wall(2026, 3, 30, 12), 2),
        (wall(2026, 10, 24, 12), 2),
        (wall(2026, 10, 26, 12), 1),
    ]:
        assert moment.replace(tzinfo=tz).utcoffset() == timedelta(hours=hours)


def test_override_sequence_never_below_the_series():
    series = weekly_series(
        sequence=7,
        overrides=(OverrideData(wall(2026, 3, 9, 10), location="Elders", sequence=2),),
    )
    _, moved = events(parsed(ics.request_for_series(series, stamp=STAMP)))
    assert moved["SEQUENCE"] == 7


def test_status_enum_round_trip():
    series = weekly_series(status="TENTATIVE")
    assert series.status is Status.TENTATIVE
    master = events(parsed(ics.request_for_series(series, stamp=STAMP)))[0]
    assert master["STATUS"] == "TENTATIVE"


def _list(value):
    return value if isinstance(value, list) else [value]


def test_control_characters_and_bare_cr_never_reach_the_wire():
    series = weekly_series(
        summary="Tafel\r\nmet\x00 regels",
        location="Zaal\r2\x07",
        description="Regel 1\r\nRegel 2\rRegel 3\tklaar\x1b",
    )
    data = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    assert_wire_format(data)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Tafel met regels"
    assert str(event["LOCATION"]) == "Zaal\n2"
    assert str(event["DESCRIPTION"]) == "Regel 1\nRegel 2\nRegel 3\tklaar"


def test_names_are_single_lines_and_addresses_are_checked():
    attendee = AttendeeData("Zoë\r\nde  Vries", "zoe@example.org")
    assert attendee.name == "Zoë de Vries"
    with pytest.raises(ValueError, match="mail address"):
        AttendeeData("X", "x@example.org\r\nBcc: y@example.org")
    with pytest.raises(ValueError, match="url"):
        weekly_series(url="https://example.org/a b")
    with pytest.raises(ValueError, match="summary"):
        weekly_series(summary=" \r\n\x00")


def test_organizer_has_no_sent_by():
    master = events(parsed(ics.request_for_series(weekly_series(), stamp=STAMP)))[0]
    assert "SENT-BY" not in master["ORGANIZER"].params


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=300))
def test_property_any_text_folds_within_75_octets_and_round_trips(text):
    assume(clean_line(text))  # an empty title is refused (tested elsewhere)
    series = weekly_series(summary=text, location=text, description=text)
    data = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    assert_wire_format(data)
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event.get("LOCATION", "")) == clean_text(text)
    assert str(event.get("DESCRIPTION", "")) == clean_text(text)
    assert str(event["SUMMARY"]) == series.summary == clean_line(text)
