"""The pure recurrence module, checked against dateutil and recurring-ical-events."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from dateutil import rrule as du
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from coordinator.tables.recurrence import (
    LAST,
    Change,
    EndKind,
    Pattern,
    RuleError,
    RuleSpec,
    SeriesSpec,
    Status,
    expand,
    first_start,
    from_rrule,
    holiday_name,
    is_occurrence,
    last_start,
    localize,
    to_rrule,
    validate,
    validate_duration,
)
from coordinator.tables.recurrence_text import describe

TZID = "Europe/Amsterdam"
AMS = ZoneInfo(TZID)
NINETY = timedelta(minutes=90)


def at(*args: int) -> datetime:
    """An aware Amsterdam instant."""
    return datetime(*args, tzinfo=AMS)


def local(*args: int) -> datetime:
    return datetime(*args)  # noqa: DTZ001 - local wall-clock time on purpose


# --- RRULE text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (RuleSpec(Pattern.WEEKLY, weekdays=(1,)), "FREQ=WEEKLY;BYDAY=TU"),
        (
            RuleSpec(Pattern.WEEKLY, interval=2, weekdays=(3, 1)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO",
        ),
        (RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=2, weekday=1), "FREQ=MONTHLY;BYDAY=2TU"),
        (RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=LAST, weekday=4), "FREQ=MONTHLY;BYDAY=-1FR"),
        (
            RuleSpec(Pattern.MONTHLY_DAY, interval=3, month_day=15, end=EndKind.COUNT, count=4),
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15;COUNT=4",
        ),
        (
            # End of 31 Dec local (CET, +01:00) is 22:59:59 UTC.
            RuleSpec(Pattern.WEEKLY, weekdays=(0,), end=EndKind.UNTIL, until=date(2026, 12, 31)),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T225959Z",
        ),
        (
            # In summer time (+02:00) the same local day ends at 21:59:59 UTC.
            RuleSpec(Pattern.WEEKLY, weekdays=(0,), end=EndKind.UNTIL, until=date(2026, 7, 1)),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260701T215959Z",
        ),
    ],
)
def test_to_rrule(spec: RuleSpec, expected: str) -> None:
    assert to_rrule(spec, TZID) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
            RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=2, weekday=1),
        ),
        ("FREQ=MONTHLY;BYDAY=+3WE", RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=3, weekday=2)),
        ("FREQ=WEEKLY", RuleSpec(Pattern.WEEKLY, weekdays=(1,))),  # day taken from DTSTART
        ("FREQ=MONTHLY", RuleSpec(Pattern.MONTHLY_DAY, month_day=13)),
        (
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260701",
            RuleSpec(Pattern.WEEKLY, weekdays=(0,), end=EndKind.UNTIL, until=date(2026, 7, 1)),
        ),
    ],
)
def test_from_rrule_accepts_common_client_forms(text: str, expected: RuleSpec) -> None:
    assert from_rrule(text, TZID, dtstart=local(2026, 1, 13, 10, 0)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY",
        "FREQ=YEARLY;BYMONTH=3",
        "FREQ=MONTHLY;BYDAY=1TU,3TU",  # Outlook cannot show two nth weekdays
        "FREQ=MONTHLY;BYDAY=TU",  # every Tuesday of the month
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYHOUR=10",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
        "FREQ=WEEKLY;INTERVAL=twee",
        "nonsense",
        "",
    ],
)
def test_from_rrule_refuses_what_the_builder_cannot_show(text: str) -> None:
    with pytest.raises(RuleError) as error:
        from_rrule(text, TZID)
    assert error.value.field == "rrule"
    assert "niet ondersteund" in error.value.message


def test_from_rrule_refuses_until_and_count_together() -> None:
    with pytest.raises(RuleError, match="zowel een einddatum als een aantal"):
        from_rrule("FREQ=WEEKLY;BYDAY=MO;COUNT=3;UNTIL=20270101T000000Z", TZID)


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "field", "fragment"),
    [
        (RuleSpec(Pattern.WEEKLY), "weekdays", "minstens één weekdag"),
        (RuleSpec(Pattern.WEEKLY, weekdays=(7,)), "weekdays", "weekdag is ongeldig"),
        (RuleSpec(Pattern.WEEKLY, interval=0, weekdays=(1,)), "interval", "interval"),
        (RuleSpec(Pattern.WEEKLY, interval=100, weekdays=(1,)), "interval", "interval"),
        (RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=5, weekday=1), "nth", "vierde of laatste"),
        (RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=2), "weekday", "Kies een weekdag"),
        (RuleSpec(Pattern.MONTHLY_DAY, month_day=31), "month_day", "1 tot en met 28"),
        (RuleSpec(Pattern.MONTHLY_DAY, month_day=0), "month_day", "1 tot en met 28"),
        (RuleSpec(Pattern.MONTHLY_DAY, month_day=5, end=EndKind.UNTIL), "until", "einddatum"),
        (RuleSpec(Pattern.MONTHLY_DAY, month_day=5, end=EndKind.COUNT, count=0), "count", "aantal"),
        (
            RuleSpec(Pattern.MONTHLY_DAY, month_day=5, end=EndKind.UNTIL, until=date(2025, 12, 1)),
            "until",
            "vóór de startdatum",
        ),
    ],
)
def test_impossible_rules_get_a_specific_dutch_error(
    spec: RuleSpec, field: str, fragment: str
) -> None:
    with pytest.raises(RuleError) as error:
        validate(spec, date(2026, 1, 1))
    assert error.value.field == field
    assert fragment in error.value.message


def test_rule_without_any_occurrence_before_its_end_is_refused() -> None:
    # The second Tuesday of January 2026 is the 13th; ending on the 12th leaves nothing.
    spec = RuleSpec(
        Pattern.MONTHLY_WEEKDAY, nth=2, weekday=1, end=EndKind.UNTIL, until=date(2026, 1, 12)
    )
    with pytest.raises(RuleError, match="geen enkele bijeenkomst"):
        first_start(spec, date(2026, 1, 1), time(10), TZID)


def test_unknown_timezone_is_refused() -> None:
    spec = RuleSpec(Pattern.WEEKLY, weekdays=(1,))
    with pytest.raises(RuleError) as error:
        first_start(spec, date(2026, 1, 1), time(10), "Europe/Atlantis")
    assert error.value.field == "timezone"


@pytest.mark.parametrize("minutes", [0, 4, 24 * 60 + 1])
def test_duration_limits(minutes: int) -> None:
    with pytest.raises(RuleError) as error:
        validate_duration(minutes)
    assert error.value.field == "duration"


def test_first_start_moves_to_the_first_matching_day() -> None:
    spec = RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=2, weekday=1)
    assert first_start(spec, date(2026, 1, 1), time(10), TZID) == local(2026, 1, 13, 10, 0)
    assert first_start(spec, date(2026, 1, 14), time(10), TZID) == local(2026, 2, 10, 10, 0)


# --- expansion: DST and exceptions ---------------------------------------------------------


def weekly_sunday(hour: int, minute: int = 0) -> SeriesSpec:
    return SeriesSpec(
        "sunday@test", local(2026, 3, 15, hour, minute), NINETY, "FREQ=WEEKLY;BYDAY=SU", TZID
    )


def test_wall_clock_time_survives_the_march_dst_change() -> None:
    """Last Sunday of March 2026 (29th): 10:00 stays 10:00, the UTC offset moves."""
    occurrences = expand([weekly_sunday(10)], [], at(2026, 3, 20), at(2026, 4, 10))
    assert [o.start.strftime("%d %H:%M %z") for o in occurrences] == [
        "22 10:00 +0100",
        "29 10:00 +0200",
        "05 10:00 +0200",
    ]
    assert [o.start.astimezone(UTC).hour for o in occurrences] == [9, 8, 8]


def test_wall_clock_time_survives_the_october_dst_change() -> None:
    series = SeriesSpec("oct@test", local(2026, 10, 11, 10), NINETY, "FREQ=WEEKLY;BYDAY=SU")
    occurrences = expand([series], [], at(2026, 10, 17), at(2026, 11, 2))
    assert [o.start.strftime("%d %H:%M %z") for o in occurrences] == [
        "18 10:00 +0200",
        "25 10:00 +0100",
        "01 10:00 +0100",
    ]


def test_nonexistent_and_ambiguous_local_times_follow_rfc5545() -> None:
    # 02:30 does not exist on 29 March 2026: the offset before the gap gives 03:30 CEST.
    assert localize(local(2026, 3, 29, 2, 30), AMS).strftime("%H:%M %z") == "03:30 +0200"
    # 02:30 happens twice on 25 October 2026: the first (summer time) one is meant.
    assert localize(local(2026, 10, 25, 2, 30), AMS).strftime("%H:%M %z") == "02:30 +0200"


def test_moved_cancelled_and_skipped_occurrences() -> None:
    series = SeriesSpec(
        "zo@test", local(2026, 1, 13, 10), NINETY, "FREQ=MONTHLY;BYDAY=2TU", TZID, "Buurthuis"
    )
    changes = [
        # December's meeting moves a week later, to another room.
        Change("zo@test", local(2026, 12, 8, 10), start=local(2026, 12, 15, 14), location="Hushu"),
        Change("zo@test", local(2026, 4, 14, 10), Status.CANCELLED, reason="Ziek"),
        Change("zo@test", local(2026, 5, 12, 10), Status.SKIPPED, reason="Meivakantie"),
    ]
    everything = expand([series], changes, at(2026, 1, 1), at(2027, 1, 1))
    assert len(everything) == 12
    december = everything[-1]
    assert december.moved
    assert december.start == at(2026, 12, 15, 14)
    assert december.end == at(2026, 12, 15, 15, 30)
    assert december.location == "Hushu"
    assert december.recurrence_id == local(2026, 12, 8, 10)
    april = next(o for o in everything if o.recurrence_id.month == 4)
    assert (april.status, april.reason) == (Status.CANCELLED, "Ziek")
    happening = expand([series], changes, at(2026, 1, 1), at(2027, 1, 1), include_cancelled=False)
    assert len(happening) == 10
    assert all(o.status == Status.SCHEDULED for o in happening)


def test_occurrence_moved_into_the_window_from_outside_it() -> None:
    series = SeriesSpec("zo@test", local(2026, 1, 13, 10), NINETY, "FREQ=MONTHLY;BYDAY=2TU")
    moved = Change("zo@test", local(2026, 2, 10, 10), start=local(2026, 3, 2, 10))
    window = expand([series], [moved], at(2026, 3, 1), at(2026, 3, 5))
    assert [o.recurrence_id for o in window] == [local(2026, 2, 10, 10)]
    # … and it is gone from the window where it used to be.
    assert expand([series], [moved], at(2026, 2, 9), at(2026, 2, 12)) == []


def test_is_occurrence_and_last_start() -> None:
    series = SeriesSpec("x", local(2026, 1, 13, 10), NINETY, "FREQ=MONTHLY;BYDAY=2TU;COUNT=3")
    assert is_occurrence(series, local(2026, 2, 10, 10))
    assert not is_occurrence(series, local(2026, 2, 10, 11))
    assert not is_occurrence(series, local(2026, 4, 14, 10))  # after COUNT ran out
    assert last_start(series) == local(2026, 3, 10, 10)
    assert last_start(SeriesSpec("y", local(2026, 1, 13, 10), NINETY, "FREQ=WEEKLY")) is None


def test_dutch_public_holidays_are_flagged() -> None:
    assert holiday_name(date(2026, 4, 27)) == "Koningsdag"
    assert holiday_name(date(2025, 5, 5)) == "Bevrijdingsdag"  # lustrum year
    assert holiday_name(date(2026, 5, 5)) is None  # not a day off in 2026
    series = SeriesSpec("kd", local(2026, 4, 6, 10), NINETY, "FREQ=WEEKLY;BYDAY=MO")
    flagged = {
        o.start.date(): o.holiday for o in expand([series], [], at(2026, 4, 1), at(2026, 5, 1))
    }
    assert flagged[date(2026, 4, 6)] == "Tweede paasdag"
    assert flagged[date(2026, 4, 27)] == "Koningsdag"
    assert flagged[date(2026, 4, 13)] is None


def test_split_series_do_not_overlap() -> None:
    old = SeriesSpec(
        "a", local(2026, 1, 13, 10), NINETY, "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260531T215959Z"
    )
    new = SeriesSpec("b", local(2026, 6, 4, 14), NINETY, "FREQ=MONTHLY;BYDAY=1TH")
    starts = [
        (o.uid, o.start.date()) for o in expand([old, new], [], at(2026, 4, 1), at(2026, 8, 1))
    ]
    assert starts == [
        ("a", date(2026, 4, 14)),
        ("a", date(2026, 5, 12)),
        ("b", date(2026, 6, 4)),
        ("b", date(2026, 7, 2)),
    ]


def test_expand_refuses_naive_windows() -> None:
    with pytest.raises(ValueError, match="aware"):
        expand([weekly_sunday(10)], [], local(2026, 1, 1), local(2026, 2, 1))


# --- description -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "nl", "en"),
    [
        (
            RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=2, weekday=1),
            "Elke tweede dinsdag van de maand, 10:00–11:30",
            "Every second Tuesday of the month, 10:00–11:30",
        ),
        (
            RuleSpec(Pattern.WEEKLY, interval=2, weekdays=(0, 2, 4), end=EndKind.COUNT, count=6),
            "Om de 2 weken op maandag, woensdag en vrijdag, 10:00–11:30, 6 keer",
            "Every 2 weeks on Monday, Wednesday and Friday, 10:00–11:30, 6 times",
        ),
        (
            RuleSpec(
                Pattern.MONTHLY_WEEKDAY,
                nth=LAST,
                weekday=3,
                end=EndKind.UNTIL,
                until=date(2026, 12, 31),
            ),
            "Elke laatste donderdag van de maand, 10:00–11:30, tot en met 31 december 2026",
            "Every last Thursday of the month, 10:00–11:30, until 31 December 2026",
        ),
        (
            RuleSpec(Pattern.MONTHLY_DAY, interval=3, month_day=1),
            "Om de 3 maanden op de 1e, 10:00–11:30",
            "Every 3 months on day 1, 10:00–11:30",
        ),
    ],
)
def test_describe(spec: RuleSpec, nl: str, en: str) -> None:
    assert describe(spec, time(10), NINETY) == nl
    assert describe(spec, time(10), NINETY, locale="en") == en


# --- property tests against independent expansions ----------------------------------------

weekdays = st.sets(st.integers(0, 6), min_size=1, max_size=3).map(lambda s: tuple(sorted(s)))
ends = st.one_of(
    st.just((EndKind.NEVER, None, None)),
    st.builds(lambda d: (EndKind.UNTIL, d, None), st.dates(date(2026, 6, 1), date(2028, 1, 1))),
    st.builds(lambda n: (EndKind.COUNT, None, n), st.integers(1, 40)),
)


@st.composite
def specs(draw: st.DrawFn) -> RuleSpec:
    pattern = draw(st.sampled_from(list(Pattern)))
    interval = draw(st.integers(1, 4))
    end, until, count = draw(ends)
    common = {"interval": interval, "end": end, "until": until, "count": count}
    if pattern == Pattern.WEEKLY:
        return RuleSpec(pattern, weekdays=draw(weekdays), **common)
    if pattern == Pattern.MONTHLY_WEEKDAY:
        return RuleSpec(
            pattern,
            nth=draw(st.sampled_from([1, 2, 3, 4, LAST])),
            weekday=draw(st.integers(0, 6)),
            **common,
        )
    return RuleSpec(pattern, month_day=draw(st.integers(1, 28)), **common)


start_days = st.dates(date(2025, 1, 1), date(2026, 5, 31))
# Meetings happen in the day; 02:00–03:00 is the DST gap, covered by the explicit test above.
start_times = st.builds(time, st.integers(6, 22), st.sampled_from([0, 15, 30, 45]))
WINDOW = (at(2025, 1, 1), at(2028, 6, 1))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=specs())
def test_rrule_text_round_trips(spec: RuleSpec) -> None:
    assert from_rrule(to_rrule(spec, TZID), TZID) == spec


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=specs(), day=start_days, clock=start_times)
def test_expansion_matches_dateutil_with_aware_times(
    spec: RuleSpec, day: date, clock: time
) -> None:
    if spec.until is not None and spec.until < day:
        return
    text = to_rrule(spec, TZID)
    try:
        dtstart = first_start(spec, day, clock, TZID)
    except RuleError:
        # Refused only when dateutil, too, finds nothing between the start and the end date.
        assert list(du.rrulestr(text, dtstart=datetime.combine(day, clock, tzinfo=AMS))) == []
        return
    ours = [o.start for o in expand([SeriesSpec("u", dtstart, NINETY, text)], [], *WINDOW)]
    rule = du.rrulestr(text, dtstart=dtstart.replace(tzinfo=AMS))
    theirs = [d for d in rule.between(*WINDOW, inc=True) if d < WINDOW[1]]  # type: ignore[union-attr]
    assert ours == theirs
    assert [o.utcoffset() for o in ours] == [d.utcoffset() for d in theirs]
    assert all(o.time() == clock for o in ours)


def _ics_time(value: datetime) -> str:
    return f"TZID={TZID}:{value:%Y%m%dT%H%M%S}"


def ics_for(series: SeriesSpec, changes: list[Change]) -> Calendar:
    """The series as a calendar client would receive it: our exact RRULE text, overrides."""
    minutes = int(series.duration.total_seconds() // 60)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT"]
    lines += [
        f"UID:{series.uid}",
        f"DTSTART;{_ics_time(series.dtstart)}",
        f"DURATION:PT{minutes}M",
        f"RRULE:{series.rrule}",
        "END:VEVENT",
    ]
    for change in changes:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{series.uid}",
            f"RECURRENCE-ID;{_ics_time(change.recurrence_id)}",
            f"DTSTART;{_ics_time(change.start or change.recurrence_id)}",
            f"DURATION:PT{minutes}M",
        ]
        if change.status != Status.SCHEDULED:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return Calendar.from_ical("\r\n".join(lines) + "\r\n")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spec=specs(),
    day=start_days,
    clock=start_times,
    picks=st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(list(Status)), st.integers(-3, 3)), max_size=4
    ),
)
def test_expansion_matches_recurring_ical_events(
    spec: RuleSpec, day: date, clock: time, picks: list[tuple[int, Status, int]]
) -> None:
    if spec.until is not None and spec.until < day:
        return
    try:
        dtstart = first_start(spec, day, clock, TZID)
    except RuleError:
        return  # no occurrence at all; covered by the dateutil property above
    series = SeriesSpec("prop@test", dtstart, NINETY, to_rrule(spec, TZID), TZID)
    base = expand([series], [], *WINDOW)
    changes: dict[datetime, Change] = {}
    for index, status, shift_days in picks:
        if index < len(base):
            rid = base[index].recurrence_id
            new_start = rid + timedelta(days=shift_days) if shift_days else None
            changes[rid] = Change(series.uid, rid, status, start=new_start)
    ours = expand([series], list(changes.values()), *WINDOW)
    events = recurring_ical_events.of(ics_for(series, list(changes.values()))).between(*WINDOW)
    theirs = sorted(
        (e["DTSTART"].dt, "CANCELLED" if e.get("STATUS") == "CANCELLED" else "") for e in events
    )
    mine = sorted((o.start, "" if o.status == Status.SCHEDULED else "CANCELLED") for o in ours)
    assert mine == theirs
