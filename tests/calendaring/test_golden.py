"""Golden files: every message type and a feed, byte for byte (DTSTAMP normalised).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/calendaring`` and review
the diff like code: these bytes are what Outlook, Gmail and Apple Calendar receive.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from icalendar import Calendar

from coordinator.calendaring import ics, imip
from coordinator.calendaring.render import InviteKind
from tests.calendaring.conftest import KHALID, STAMP, ZOE, autumn_series, wall, weekly_series
from tests.calendaring.wire import assert_wire_format

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
RID = wall(2026, 3, 23, 10)
_DTSTAMP = re.compile(rb"^DTSTAMP:\d{8}T\d{6}Z\r$", re.MULTILINE)


def normalise(data: bytes) -> bytes:
    """Replace every DTSTAMP (the only value that depends on when it was built)."""
    return _DTSTAMP.sub(b"DTSTAMP:20000101T000000Z\r", data)


def check(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {name}; run with UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} differs from the golden file"


CALENDARS = {
    "request_series.ics": lambda: ics.request_for_series(weekly_series(attendees=(ZOE,))),
    "request_occurrence.ics": lambda: ics.request_for_occurrence(
        weekly_series(attendees=(ZOE,)), RID
    ),
    "cancel_series.ics": lambda: ics.cancel_series(weekly_series(attendees=(KHALID,))),
    "cancel_occurrence.ics": lambda: ics.cancel_occurrence(
        weekly_series(attendees=(ZOE,)), wall(2026, 3, 16, 10)
    ),
    "feed.ics": lambda: ics.feed_calendar(
        [weekly_series(), autumn_series()],
        name="Tafels van Zoë Müller",
        window=(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC)),
    ),
}


@pytest.mark.parametrize("name", CALENDARS)
def test_golden_ics(name):
    data = ics.serialize(CALENDARS[name]())  # built "now": DTSTAMP must be normalised
    assert_wire_format(data)
    check(name, normalise(data))
    assert Calendar.from_ical(data)  # and it still parses


MESSAGES = {
    "request_series.eml": (InviteKind.REQUEST, ZOE, None),
    "request_occurrence.eml": (InviteKind.OCCURRENCE, ZOE, RID),
    "cancel_series.eml": (InviteKind.CANCEL, KHALID, None),
    "cancel_occurrence.eml": (InviteKind.CANCEL_OCCURRENCE, ZOE, wall(2026, 3, 16, 10)),
}


@pytest.mark.parametrize("name", MESSAGES)
def test_golden_eml(name):
    kind, recipient, rid = MESSAGES[name]
    msg = imip.invite_message(
        kind,
        weekly_series(),
        recipient,
        message_id=f"<{name.removesuffix('.eml')}-42@matchtafel.example.org>",
        recurrence_id=rid,
        stamp=STAMP,
        rrule_text="elke maandag",
        rsvp_links={
            "accept": "https://matchtafel.example.org/rsvp/ja",
            "decline": "https://matchtafel.example.org/rsvp/nee",
            "deputy": "https://matchtafel.example.org/rsvp/vervanger",
        },
    )
    msg.set_boundary("==matchtafel-golden-boundary==")
    data = msg.as_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF throughout
    check(name, data)
    parsed = message_from_bytes(data, policy=policy.default)
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert normalise(part.get_payload(decode=True)).count(b"DTSTAMP:") >= 1
