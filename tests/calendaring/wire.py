"""Checks on serialised iCalendar that every test shares (RFC 5545 §3.1, INTEROP 20)."""

from __future__ import annotations

from datetime import datetime

import recurring_ical_events
from icalendar import Calendar


def assert_wire_format(data: bytes) -> None:
    """CRLF only, trailing CRLF, ≤ 75 octets per line, no line splitting a UTF-8 character."""
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold split a multi-byte character


def tzids_used(cal: Calendar) -> set[str]:
    found = set()
    for component in cal.walk():
        if component.name == "VTIMEZONE":
            continue
        for value in component.values():
            for item in value if isinstance(value, list) else [value]:
                tzid = getattr(item, "params", {}).get("TZID")
                if tzid:
                    found.add(str(tzid))
    return found


def expand(data: bytes, start: datetime, end: datetime) -> list[tuple[datetime, datetime, str]]:
    """Occurrences as an independent library reads them: (start, end, STATUS), sorted."""
    cal = Calendar.from_ical(data)
    events = recurring_ical_events.of(cal).between(start, end)
    return sorted(
        (e.decoded("DTSTART"), e.decoded("DTEND"), str(e.get("STATUS", "CONFIRMED")))
        for e in events
    )
