"""Schedule checks (Outlook-compatible RRULEs) and ending a series from a date on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coordinator.calendaring import ics
from coordinator.calendaring.rules import end_before, outlook_problems
from tests.calendaring.conftest import STAMP, autumn_series, wall, weekly_series
from tests.calendaring.wire import expand


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=MO",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270101T000000Z",
        "FREQ=MONTHLY;BYDAY=1TU",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=10",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270101T000000Z",
        "FREQ=DAILY;COUNT=5",
    ],
)
def test_patterns_outlook_supports(rule):
    assert outlook_problems(rule) == []


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("FREQ=MONTHLY;BYDAY=1MO,3MO", "nth-weekdays"),
        ("FREQ=MONTHLY;BYDAY=1MO,TU", "mixed"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "days of the month"),
        ("FREQ=YEARLY;BYMONTH=3,9", "months"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,3", "BYSETPOS"),
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO"),
        ("FREQ=HOURLY", "not a meeting"),
        ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10", "UNTIL"),
    ],
)
def test_patterns_outlook_mangles(rule, fragment):
    problems = outlook_problems(rule)
    assert problems
    assert any(fragment in p for p in problems)


def test_end_before_a_date_keeps_everything_before_and_nothing_after():
    series = weekly_series()  # Mondays from 2 March, 12 times, moved/cancelled in between
    ended = end_before(series, wall(2026, 4, 1))
    assert ended is not None
    assert ended.sequence == series.sequence + 1
    assert "COUNT" not in ended.rrule
    assert "UNTIL=20260330T080000Z" in ended.rrule  # 30 March 10:00 CEST
    assert [o.recurrence_id for o in ended.overrides] == [wall(2026, 3, 23, 10)]
    assert ended.exdates == ()
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    before = [
        o
        for o in expand(ics.serialize(ics.request_for_series(series, stamp=STAMP)), *window)
        if o[0] < datetime(2026, 4, 1, tzinfo=UTC)
    ]
    after_split = expand(ics.serialize(ics.request_for_series(ended, stamp=STAMP)), *window)
    assert after_split == before


def test_end_before_the_first_occurrence_leaves_nothing():
    assert end_before(autumn_series(), wall(2026, 9, 10, 19, 30)) is None
    assert end_before(autumn_series(rrule=None), wall(2026, 9, 1)) is None


def test_end_before_an_open_ended_series():
    ended = end_before(autumn_series(), wall(2026, 12, 1))
    assert ended is not None
    assert "UNTIL=20261119T183000Z" in ended.rrule  # Thursday 19 November 19:30 CET


def test_end_before_needs_local_time():
    with pytest.raises(ValueError, match="naive"):
        end_before(weekly_series(), datetime(2026, 4, 1, tzinfo=UTC))
