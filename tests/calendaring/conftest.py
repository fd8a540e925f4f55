"""Calendaring tests are pure: no app, no database. Shared sample series live here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coordinator.calendaring.types import (
    AttendeeData,
    Mailbox,
    OverrideData,
    Role,
    SeriesData,
    Status,
)


def wall(*parts: int) -> datetime:
    """A naive local wall-clock time, as series, EXDATEs and RECURRENCE-IDs use them."""
    return datetime(*parts)  # noqa: DTZ001 - naive on purpose: local time in the series' TZID


#: The DTSTAMP of every generated message in these tests.
STAMP = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
ORGANIZER = Mailbox("Matchtafel Nieuw-West", "matchtafel@example.org")
ZOE = AttendeeData("Zoë Müller-de Vries", "zoe@example.org")
KHALID = AttendeeData("خالد العمري", "khalid@example.org", role=Role.CHAIR)
#: A name so long (and multi-byte) that every property that holds it must be folded.
LONG_NAME = "Matchtafel Geuzenveld – statushouders, nieuwkomers; ëüï \\ اجتماع الطاولة الشهري"


@pytest.fixture(autouse=True)
def _app_context() -> None:
    """Override the suite's autouse app fixture: these builders must work without an app."""
    return


def weekly_series(**changes: object) -> SeriesData:
    """A weekly Monday 10:00 table in Amsterdam crossing the March DST change."""
    values: dict[str, object] = {
        "uid": "series-42@matchtafel.example.org",
        "sequence": 3,
        "summary": LONG_NAME,
        "tzid": "Europe/Amsterdam",
        "dtstart": wall(2026, 3, 2, 10, 0),
        "duration": timedelta(hours=1, minutes=30),
        "organizer": ORGANIZER,
        "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=12",
        "location": "Huis van de Wijk De Honingraat, Geuzenveld",
        "url": "https://matchtafel.example.org/tafels/42",
        "description": "Agenda: https://matchtafel.example.org/tafels/42/agenda\nNeem je vragen mee.",
        "exdates": (wall(2026, 4, 6, 10, 0),),
        "attendees": (ZOE, KHALID),
        "overrides": (
            # moved across the DST change: Monday 23 March -> Tuesday 31 March 14:00
            OverrideData(
                wall(2026, 3, 23, 10, 0),
                dtstart=wall(2026, 3, 31, 14, 0),
                location="Buurtkamer De Plint",
                sequence=4,
            ),
            OverrideData(wall(2026, 4, 13, 10, 0), status=Status.CANCELLED, sequence=5),
        ),
    }
    values.update(changes)
    return SeriesData(**values)  # type: ignore[arg-type]


def autumn_series(**changes: object) -> SeriesData:
    """A fortnightly Thursday evening table crossing the October DST change, open-ended."""
    values: dict[str, object] = {
        "uid": "series-7@matchtafel.example.org",
        "sequence": 0,
        "summary": "Netwerkbijeenkomst Osdorp",
        "tzid": "Europe/Amsterdam",
        "dtstart": wall(2026, 9, 10, 19, 30),
        "duration": timedelta(hours=2),
        "organizer": ORGANIZER,
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "location": "Huis van de Wijk Osdorp",
        "attendees": (ZOE,),
    }
    values.update(changes)
    return SeriesData(**values)  # type: ignore[arg-type]
