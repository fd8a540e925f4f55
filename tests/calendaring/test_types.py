"""The input values refuse what would produce a wrong calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coordinator.calendaring.types import AttendeeData, Mailbox, OverrideData, PartStat, Role
from tests.calendaring.conftest import wall, weekly_series


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dtstart": datetime(2026, 3, 2, 10, tzinfo=UTC)}, "naive"),
        ({"exdates": (datetime(2026, 3, 9, 10, tzinfo=UTC),)}, "naive"),
        ({"tzid": "Europe/Amsterdm"}, "time zone"),
        ({"tzid": "+01:00"}, "time zone"),
        ({"duration": timedelta(0)}, "duration"),
        ({"sequence": -1}, "sequence"),
        ({"uid": "two\r\nlines"}, "uid"),
        ({"modified": wall(2026, 1, 1)}, "aware"),
        (
            {"overrides": (OverrideData(wall(2026, 3, 9, 10)), OverrideData(wall(2026, 3, 9, 10)))},
            "same recurrence_id",
        ),
    ],
)
def test_series_refuses(changes, message):
    with pytest.raises((ValueError, TypeError), match=message):
        weekly_series(**changes)


def test_override_refuses_aware_times_and_bad_values():
    with pytest.raises(ValueError, match="naive"):
        OverrideData(datetime(2026, 3, 9, 10, tzinfo=UTC))
    with pytest.raises(ValueError, match="duration"):
        OverrideData(wall(2026, 3, 9, 10), duration=timedelta(minutes=-5))
    with pytest.raises(ValueError, match="MAYBE"):
        OverrideData(wall(2026, 3, 9, 10), status="MAYBE")


def test_values_are_normalised():
    series = weekly_series(
        rrule="RRULE:FREQ=WEEKLY;COUNT=3",
        exdates=(wall(2026, 3, 16, 10), wall(2026, 3, 9, 10), wall(2026, 3, 9, 10)),
    )
    assert series.rrule == "FREQ=WEEKLY;COUNT=3"
    assert series.exdates == (wall(2026, 3, 9, 10), wall(2026, 3, 16, 10))
    attendee = AttendeeData("A", "a@example.org", role="CHAIR", partstat="ACCEPTED")
    assert attendee.role is Role.CHAIR
    assert attendee.partstat is PartStat.ACCEPTED
    assert Mailbox(" Matchtafel\n", "m@example.org").name == "Matchtafel"
    assert hash(series) == hash(weekly_series(rrule="FREQ=WEEKLY;COUNT=3", exdates=series.exdates))


@pytest.mark.parametrize("address", ["no-at-sign", "a b@example.org", "<a@example.org>", ""])
def test_mailbox_refuses_bad_addresses(address):
    with pytest.raises(ValueError, match="mail address"):
        Mailbox("X", address)
