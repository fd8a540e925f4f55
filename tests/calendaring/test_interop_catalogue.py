"""INTEROP.md items 1–20, each pinned to tests that fail when Matchtafel gets it wrong.

The second library is ``vobject`` (its own parser and RRULE expansion, no ``icalendar`` code);
``recurring_ical_events`` expands on top of ``icalendar``. Golden files are in
``tests/golden`` (``test_golden.py``).

====  ======================================================================================
item  covered by
====  ======================================================================================
1     test_imip.py::test_mime_method_equals_calendar_method (4 kinds);
      test_imip.py::test_build_imip_refuses_a_calendar_without_method_and_a_bad_message_id;
      here: test_mime_method_header_equals_vcalendar_method_on_the_wire;
      invites/test_interop_flows.py::test_every_queued_invite_has_matching_methods_and_shape
2     test_imip.py::test_shape_is_alternative_with_plain_html_and_calendar_last;
      here: test_mime_tree_is_alternative_with_inline_calendar_last; golden ``*.eml``
3     test_ics.py::test_uid_sequence_stamp_organizer_and_summary_in_every_event;
      invites/test_subscribers.py::test_series_details_changed_sends_update_with_higher_sequence,
      ::test_renaming_a_table_sends_update_with_higher_sequence_and_new_summary;
      invites/test_interop_flows.py::test_a_removed_holder_who_comes_back_gets_a_full_request
4     test_ics.py::test_cancel_series_is_method_cancel_with_status_cancelled_and_same_uid;
      invites/test_subscribers.py::test_done_when_handover_cancel_to_leaver_and_request_to_successor,
      ::test_series_cancel_outranks_every_occurrence_request_sent_before;
      invites/test_interop_flows.py::test_table_ended_cancel_outranks_everything_sent_before,
      ::test_cancelled_occurrence_outranks_the_request_for_it
5     invites/test_subscribers.py::test_removing_a_seat_cancels_for_its_holder_only,
      ::test_done_when_handover_cancel_to_leaver_and_request_to_successor;
      invites/test_interop_flows.py::test_removed_holder_cancel_is_addressed_only_to_them,
      ::test_successor_gets_a_full_request_not_an_update,
      ::test_a_removed_holder_who_comes_back_gets_a_full_request
6     test_ics.py::test_request_for_occurrence_has_only_that_occurrence_without_master,
      ::test_cancel_occurrence_leaves_the_series_alone;
      invites/test_subscribers.py::test_done_when_moving_one_occurrence_sends_that_recurrence_id…;
      here: test_occurrence_messages_have_no_master_and_recurrence_id_like_dtstart
7     test_rules.py::test_end_before_a_date_keeps_everything_before_and_nothing_after;
      test_feed.py::test_split_series_do_not_duplicate_occurrences;
      invites/test_subscribers.py::test_schedule_change_from_a_date_ends_old_series_and_sends_new_uid;
      invites/test_interop_flows.py::test_schedule_change_from_a_date_ends_in_utc_and_feed_has_no_dupes
8     test_imip.py::test_one_recipient_and_the_organizer_is_the_sender,
      ::test_build_imip_refuses_an_organizer_other_than_the_sender;
      test_ics.py::test_organizer_has_no_sent_by; here: test_organizer_is_the_from_mailbox_without_sent_by;
      docs/operations.md (MAIL_FROM real mailbox, SPF/DKIM): here: test_docs_say_the_human_side
9     (human side) subscribe page + docs/operations.md:
      feeds/test_feed_interop.py::test_subscribe_page_links_and_warnings; here: test_docs_say_the_human_side
10    test_rules.py::test_patterns_outlook_supports, ::test_patterns_outlook_mangles
      (refused in tables.recurrence.refuse_outlook_problems)
11    test_ics.py::test_every_tzid_used_has_a_vtimezone_before_the_events,
      ::test_vtimezone_offsets_match_zoneinfo_around_both_dst_changes;
      test_feed.py::test_every_tzid_has_a_vtimezone_including_other_zones;
      here: test_vtimezone_offsets_around_2026_10_25_and_2027_03_28 (icalendar and vobject)
12    test_expansion.py (all; spring/autumn DST wall clock, hypothesis vs dateutil);
      here: test_second_library_expands_the_master_like_matchtafel
13    test_ics.py::test_request_for_series_has_master_rrule_exdates_and_moved_occurrence;
      here: test_every_date_time_carries_the_tzid_and_until_is_utc
14    here: test_every_date_time_carries_the_tzid_and_until_is_utc (no floating, no UTC-only)
15    test_feed.py::test_feed_names_itself_and_asks_for_hourly_refresh;
      feeds/test_feeds.py::test_subscribe_page_shows_https_and_webcal_once ("8 tot 24 uur");
      feeds/test_feed_interop.py::test_subscribe_page_links_and_warnings;
      here: test_docs_say_the_human_side
16    feeds/test_feeds.py::test_subscribe_page_shows_https_and_webcal_once (cid=webcal%3A…);
      here: test_webcal_link_is_webcal_not_webcals
17    feeds/test_feeds.py::test_person_feed_shows_their_tables_without_people (gzip),
      ::test_etag_gives_304_without_building_and_changes_with_the_data;
      feeds/test_feed_interop.py::test_google_style_request_without_accept_header,
      ::test_no_content_encoding_and_304_with_gzip_and_no_accept
18    test_feed.py::test_feed_has_no_method_attendee_organizer_or_addresses,
      ::test_cancelled_occurrence_is_kept_as_status_cancelled, ::test_feed_names_itself…,
      ::test_dtstamp_is_the_series_modification_so_bytes_do_not_change_per_request;
      here: test_feed_content_rules_in_a_second_library;
      XFAIL here: test_feed_name_is_escaped_text, test_feed_name_with_a_line_break_is_served
      (ics._feed_shell writes NAME / X-WR-CALNAME unescaped)
19    feeds/test_feeds.py::test_revoked_rotated_and_unknown_tokens_all_get_a_bare_404,
      ::test_a_person_who_leaves_loses_their_person_feed, ::test_api_creates_once_and_deletes
      (token stored hashed only)
20    wire.py::assert_wire_format (used by nearly every test); test_ics.py::test_escaping_…,
      ::test_non_ascii_summary_is_folded_at_75_octets_and_round_trips,
      ::test_property_any_text_folds_within_75_octets_and_round_trips;
      here: test_folding_never_splits_emoji_or_arabic, test_escaping_round_trips_in_vobject,
      test_mime_method_header_equals_vcalendar_method_on_the_wire (decoded part keeps CRLF);
      invites/test_interop_flows.py::test_table_name_with_emoji_and_arabic_on_the_wire
====  ======================================================================================
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from coordinator.calendaring import ics, imip
from coordinator.calendaring.occurrences import original_starts
from coordinator.calendaring.render import InviteKind
from coordinator.feeds.tokens import webcal_url
from tests.calendaring.conftest import (
    KHALID,
    ORGANIZER,
    STAMP,
    ZOE,
    autumn_series,
    wall,
    weekly_series,
)
from tests.calendaring.wire import assert_wire_format

ROOT = Path(__file__).resolve().parents[2]
RID = wall(2026, 3, 23, 10)  # moved across the DST change in weekly_series()
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC))
KINDS = {
    InviteKind.REQUEST: ("REQUEST", None),
    InviteKind.OCCURRENCE: ("REQUEST", RID),
    InviteKind.CANCEL: ("CANCEL", None),
    InviteKind.CANCEL_OCCURRENCE: ("CANCEL", RID),
}
#: ë, ü, Arabic script and emoji (4-octet UTF-8), long enough to be folded several times.
MIXED = "Tafel Zoë & Müller – اجتماع الطاولة 🌍🎉 "


def raw_mail(kind: InviteKind, series=None, recipient=ZOE) -> bytes:
    msg = imip.invite_message(
        kind,
        series or weekly_series(),
        recipient,
        message_id=f"<{kind.value}@matchtafel.example.org>",
        recurrence_id=KINDS[kind][1],
        stamp=STAMP,
    )
    return msg.as_bytes()


def calendar_bytes(raw: bytes) -> bytes:
    parsed = message_from_bytes(raw, policy=policy.default)
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return part.get_payload(decode=True)


def tzid_of(prop) -> str:
    """A vobject property's TZID (vobject moves it aside once it has read the zone)."""
    return (prop.params.get("TZID") or prop.params.get("X-VOBJ-ORIGINAL-TZID"))[0]


def unfolded_lines(data: bytes) -> list[str]:
    return data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")


def all_wire_calendars() -> dict[str, bytes]:
    series = weekly_series(attendees=(ZOE,))
    return {
        "request_series": ics.serialize(ics.request_for_series(series, stamp=STAMP)),
        "request_occurrence": ics.serialize(ics.request_for_occurrence(series, RID, stamp=STAMP)),
        "cancel_series": ics.serialize(ics.cancel_series(series, stamp=STAMP)),
        "cancel_occurrence": ics.serialize(ics.cancel_occurrence(series, RID, stamp=STAMP)),
        "request_open_ended": ics.serialize(ics.request_for_series(autumn_series(), stamp=STAMP)),
        "feed": ics.feed_bytes(
            [weekly_series(), autumn_series()], name="Zoë", window=WINDOW, stamp=STAMP
        ),
    }


# --------------------------------------------------------------------------- items 1, 2, 20


@pytest.mark.parametrize("kind", list(KINDS))
def test_mime_method_header_equals_vcalendar_method_on_the_wire(kind):
    raw = raw_mail(kind)
    method = KINDS[kind][0]
    header = re.search(rb"Content-Type: text/calendar;[^\r]*(\r\n[ \t][^\r]*)*", raw)
    assert header is not None
    assert re.search(rb'method="?' + method.encode() + rb'"?(;|\r|$)', header.group(0))
    body = calendar_bytes(raw)
    assert_wire_format(body)  # decoded part: CRLF only, trailing CRLF, folded at 75 octets
    assert f"METHOD:{method}" in unfolded_lines(body)
    assert vobject.readOne(body.decode("utf-8")).method.value == method


@pytest.mark.parametrize("kind", list(KINDS))
def test_mime_tree_is_alternative_with_inline_calendar_last(kind):
    raw = raw_mail(kind)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["MIME-Version"] == "1.0"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    calendar = parts[-1]
    assert calendar.get_content_disposition() != "attachment"
    assert calendar.get_filename() is None
    assert calendar.get_content_charset() == "utf-8"
    assert calendar["Content-Transfer-Encoding"] in ("base64", "7bit", "quoted-printable")
    assert all(b < 128 for b in raw)  # 7-bit clean on every hop


# --------------------------------------------------------------------------- items 6, 13, 14


@pytest.mark.parametrize("builder", ["request_occurrence", "cancel_occurrence"])
def test_occurrence_messages_have_no_master_and_recurrence_id_like_dtstart(builder):
    data = all_wire_calendars()[builder]
    lines = unfolded_lines(data)
    assert not any(line.startswith(("RRULE", "EXDATE", "RDATE")) for line in lines)
    (rid,) = [line for line in lines if line.startswith("RECURRENCE-ID")]
    (start,) = [line for line in lines if line.startswith("DTSTART;TZID")]
    assert rid == "RECURRENCE-ID;TZID=Europe/Amsterdam:20260323T100000"
    assert rid.split(":")[0].replace("RECURRENCE-ID", "") == start.split(":")[0].replace(
        "DTSTART", ""
    )
    cal = vobject.readOne(data.decode("utf-8"))
    (event,) = cal.vevent_list
    rid_prop = event.contents["recurrence-id"][0]
    assert rid_prop.value == datetime(2026, 3, 23, 10, tzinfo=weekly_series().zone)
    assert tzid_of(rid_prop) == tzid_of(event.dtstart) == "Europe/Amsterdam"
    assert int(event.sequence.value) > weekly_series().sequence  # the move's own SEQUENCE


@pytest.mark.parametrize("name", list(all_wire_calendars()))
def test_every_date_time_carries_the_tzid_and_until_is_utc(name):
    lines = [
        line
        for line in unfolded_lines(all_wire_calendars()[name])
        if re.match(r"(DTSTART|DTEND|RECURRENCE-ID|EXDATE)[;:]", line)
    ]
    lines = [line for line in lines if not re.match(r"DTSTART:\d{8}T\d{6}$", line)]  # VTIMEZONE
    assert lines
    for line in lines:
        params, value = line.split(":", 1)
        assert ";TZID=Europe/Amsterdam" in params, line  # never floating, never UTC-only
        assert not value.endswith("Z"), line
        assert "VALUE=DATE;" not in params + ";"
    for line in unfolded_lines(all_wire_calendars()[name]):
        if line.startswith("RRULE") and "UNTIL=" in line:
            assert re.search(r"UNTIL=\d{8}T\d{6}Z", line), line


# --------------------------------------------------------------------------- item 11


@pytest.mark.parametrize("name", ["request_open_ended", "feed"])
def test_vtimezone_offsets_around_2026_10_25_and_2027_03_28(name):
    data = all_wire_calendars()[name]
    cal = Calendar.from_ical(data)
    (zone,) = cal.walk("VTIMEZONE")
    checks = [  # (UTC instant, expected offset in hours); the spring hour itself: see below
        (datetime(2026, 10, 25, 0, 59, tzinfo=UTC), 2),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 1),
        (datetime(2027, 3, 28, 0, 59, tzinfo=UTC), 1),
        (datetime(2027, 3, 28, 2, 0, tzinfo=UTC), 2),
    ]
    assert datetime(2027, 3, 28, 1, 0, tzinfo=UTC).astimezone(zone.to_tz()).utcoffset() == (
        timedelta(hours=2)
    )
    theirs = vobject.readOne(data.decode("utf-8")).vtimezone.gettzinfo()
    for instant, hours in checks:
        for tz in (zone.to_tz(), theirs):
            assert instant.astimezone(tz).utcoffset() == timedelta(hours=hours), (tz, instant)
    # and the local wall-clock side: 10:00 on either side of each change
    for local, hours in [
        (wall(2026, 10, 24, 10), 2),
        (wall(2026, 10, 26, 10), 1),
        (wall(2027, 3, 27, 10), 1),
        (wall(2027, 3, 29, 10), 2),
    ]:
        assert local.replace(tzinfo=theirs).utcoffset() == timedelta(hours=hours)


@pytest.mark.parametrize("name", ["request_open_ended", "feed"])
def test_vtimezone_daylight_onset_is_local_time_before_the_change(name):
    data = all_wire_calendars()[name]
    lines = unfolded_lines(data)
    start = lines.index("BEGIN:DAYLIGHT")
    block = lines[start : lines.index("END:DAYLIGHT", start)]
    onsets = [line for line in block if line.startswith(("DTSTART", "RDATE"))]
    assert onsets
    assert all(value.endswith("T020000") for o in onsets for value in o.split(":")[1].split(","))
    theirs = vobject.readOne(data.decode("utf-8")).vtimezone.gettzinfo()
    instant = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert instant.astimezone(theirs).utcoffset() == timedelta(hours=2)


def test_every_tzid_has_a_vtimezone_in_the_second_library():
    for name, data in all_wire_calendars().items():
        cal = vobject.readOne(data.decode("utf-8"))
        zones = {z.tzid.value for z in cal.vtimezone_list}
        used = {tzid_of(e.dtstart) for e in cal.vevent_list}
        assert used <= zones == {"Europe/Amsterdam"}, name


# --------------------------------------------------------------------------- item 12


@pytest.mark.parametrize("make", [weekly_series, autumn_series])
def test_second_library_expands_the_master_like_matchtafel(make):
    series = make()
    data = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    cal = vobject.readOne(data.decode("utf-8"))
    master = next(e for e in cal.vevent_list if not hasattr(e, "recurrence_id"))
    end = wall(2027, 12, 31)
    theirs = [
        d.replace(tzinfo=None)
        for d in master.getrruleset(addRDate=True).between(
            datetime(2025, 1, 1, tzinfo=series.zone), end.replace(tzinfo=series.zone)
        )
    ]
    cancelled = {o.recurrence_id for o in series.overrides if o.is_cancelled}
    ours = [s for s in original_starts(series, None, end) if s not in cancelled]
    assert theirs == ours
    assert {d.hour for d in theirs} == {series.dtstart.hour}  # wall clock across DST


# --------------------------------------------------------------------------- item 8


@pytest.mark.parametrize("kind", list(KINDS))
def test_organizer_is_the_from_mailbox_without_sent_by(kind):
    raw = raw_mail(kind, recipient=KHALID)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["From"].addresses[0].addr_spec == ORGANIZER.email
    body = calendar_bytes(raw)
    assert b"SENT-BY" not in body.upper()
    cal = vobject.readOne(body.decode("utf-8"))
    for event in cal.vevent_list:
        assert event.organizer.value.lower() == f"mailto:{ORGANIZER.email}"
        assert [a.value for a in event.attendee_list] == ["mailto:khalid@example.org"]


# --------------------------------------------------------------------------- item 20


@pytest.mark.parametrize("shift", range(5))
def test_folding_never_splits_emoji_or_arabic(shift):
    name = "x" * shift + MIXED * 4
    series = weekly_series(summary=name, location=name, description=name, attendees=(ZOE,))
    for kind in KINDS:
        raw = raw_mail(kind, series=series)
        body = calendar_bytes(raw)
        assert_wire_format(body)
        events = vobject.readOne(body.decode("utf-8")).vevent_list
        assert {e.summary.value for e in events} == {series.summary}
    feed = ics.feed_bytes([series], name=name, window=WINDOW, stamp=STAMP)
    assert_wire_format(feed)
    assert vobject.readOne(feed.decode("utf-8")).vevent_list[0].summary.value == series.summary


def test_escaping_round_trips_in_vobject():
    text = "Zaal 2, 1e etage; achteringang \\ bel\nvraag naar Zoë"
    series = weekly_series(
        summary="Tafel A, B; C \\ D", location=text, description=text, attendees=(ZOE,)
    )
    data = ics.serialize(ics.request_for_series(series, stamp=STAMP))
    lines = unfolded_lines(data)
    escaped = "Zaal 2\\, 1e etage\\; achteringang \\\\ bel\\nvraag naar Zoë"
    assert f"LOCATION:{escaped}" in lines
    assert f"DESCRIPTION:{escaped}" in lines
    assert "SUMMARY:Tafel A\\, B\\; C \\\\ D" in lines
    event = vobject.readOne(data.decode("utf-8")).vevent_list[0]
    assert event.location.value == text
    assert event.description.value == text
    assert event.summary.value == "Tafel A, B; C \\ D"


@pytest.mark.parametrize("name", list(all_wire_calendars()))
def test_every_calendar_ends_in_crlf_and_has_only_crlf(name):
    data = all_wire_calendars()[name]
    assert_wire_format(data)
    assert data.endswith(b"\r\nEND:VCALENDAR\r\n")


# --------------------------------------------------------------------------- item 18


def test_feed_content_rules_in_a_second_library():
    data = all_wire_calendars()["feed"]
    cal = vobject.readOne(data.decode("utf-8"))
    assert "method" not in cal.contents
    assert cal.contents["x-wr-calname"][0].value == "Zoë"
    for event in cal.vevent_list:
        assert "attendee" not in event.contents
        assert "organizer" not in event.contents
    statuses = [
        (e.contents["recurrence-id"][0].value, e.status.value)
        for e in cal.vevent_list
        if "recurrence-id" in e.contents
    ]
    assert (datetime(2026, 4, 13, 10, tzinfo=weekly_series().zone), "CANCELLED") in statuses
    lines = unfolded_lines(data)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines


def test_feed_name_is_escaped_text():
    name = "Matchtafel – Stichting Welzijn, Zuid; team A\\B"
    data = ics.feed_bytes([weekly_series()], name=name, window=WINDOW, stamp=STAMP)
    lines = unfolded_lines(data)
    escaped = "Matchtafel – Stichting Welzijn\\, Zuid\\; team A\\\\B"
    assert f"X-WR-CALNAME:{escaped}" in lines
    assert f"NAME:{escaped}" in lines
    cal = vobject.readOne(data.decode("utf-8"))
    assert cal.contents["x-wr-calname"][0].value == name


def test_feed_name_with_a_line_break_is_served():
    data = ics.feed_bytes([weekly_series()], name="Tafel\nZuid", window=WINDOW, stamp=STAMP)
    assert_wire_format(data)
    assert "X-WR-CALNAME:Tafel\\nZuid" in unfolded_lines(data)


# --------------------------------------------------------------------------- items 9, 15, 16


def test_webcal_link_is_webcal_not_webcals():
    url = "https://matchtafel.example.org/feeds/mtf_abc.ics"
    assert webcal_url(url) == "webcal://matchtafel.example.org/feeds/mtf_abc.ics"
    assert not webcal_url(url).startswith("webcals")


def test_docs_say_the_human_side():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "known senders" in text  # item 9: Gmail adds invites only from known senders
    assert "8 to 24 hours" in text  # item 15: Google refresh latency
    assert "also goes out as an iMIP invite" in text
    assert "never a `SENT-BY`" in text  # item 8
    assert "SPF, DKIM and DMARC" in text


def test_a_cancel_for_one_occurrence_is_never_a_series_cancel():
    series = weekly_series(attendees=(ZOE,))
    data = ics.serialize(ics.cancel_occurrence(replace(series), wall(2026, 3, 16, 10), stamp=STAMP))
    (event,) = vobject.readOne(data.decode("utf-8")).vevent_list
    assert "recurrence-id" in event.contents
    assert "rrule" not in event.contents
    assert event.status.value == "CANCELLED"
