"""Benchmark: a person's feed with 50 tables over two years (~2,700 occurrences).

Run: ``.venv/bin/python bench/feed_bench.py`` (not part of the test suite). Reports
- build: ``feed_calendar(...)`` + ``serialize(...)`` from plain SeriesData to bytes;
- floor: icalendar alone serialising the very same components (``Calendar.to_ical()``);
- expand: recurring-ical-events reading the bytes back (what a client-side check costs);
- etag: hashing the body (the cheap part of a 304).
"""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import recurring_ical_events  # noqa: E402
from icalendar import Calendar  # noqa: E402

from coordinator.calendaring import ics  # noqa: E402
from coordinator.calendaring.occurrences import occurrences, original_starts  # noqa: E402
from coordinator.calendaring.types import (  # noqa: E402
    AttendeeData,
    Mailbox,
    OverrideData,
    SeriesData,
    Status,
)

START = datetime(2026, 1, 5, 0, 0)  # noqa: DTZ001 - local wall time
WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
ORGANIZER = Mailbox("Matchtafel", "matchtafel@example.org")


def person_series(rng: random.Random) -> list[SeriesData]:
    """10 weekly, 25 fortnightly and 15 monthly tables, two years each, some changes."""
    rules = (
        ["FREQ=WEEKLY;COUNT=104"] * 10
        + ["FREQ=WEEKLY;INTERVAL=2;COUNT=52"] * 25
        + ["FREQ=MONTHLY;BYDAY=1TU;COUNT=24"] * 15
    )
    result = []
    for number, rule in enumerate(rules):
        start = START + timedelta(days=number % 5, hours=9 + number % 8, minutes=30 * (number % 2))
        draft = SeriesData(
            uid=f"series-{number}@matchtafel.example.org",
            sequence=rng.randint(0, 4),
            summary=f"Matchtafel {number} – Geuzenveld/Osdorp, ëü",
            tzid="Europe/Amsterdam",
            dtstart=start,
            duration=timedelta(minutes=rng.choice([60, 90, 120])),
            organizer=ORGANIZER,
            rrule=rule,
            location=f"Huis van de Wijk {number}, Amsterdam",
            url=f"https://matchtafel.example.org/tafels/{number}",
            description=f"Agenda: https://matchtafel.example.org/tafels/{number}/agenda",
            attendees=(AttendeeData("Zoë", "zoe@example.org"),),
            modified=datetime(2026, 1, 1, tzinfo=UTC),
        )
        starts = original_starts(draft)
        picked = rng.sample(starts, k=max(2, len(starts) // 20))
        overrides = []
        for i, rid in enumerate(picked[1:]):
            if i % 2:
                overrides.append(OverrideData(rid, status=Status.CANCELLED))
            else:
                overrides.append(
                    OverrideData(rid, dtstart=rid + timedelta(days=1), location="Elders")
                )
        result.append(_with(draft, exdates=(picked[0],), overrides=tuple(overrides)))
    return result


def _with(series: SeriesData, **changes: object) -> SeriesData:
    return replace(series, **changes)  # type: ignore[arg-type]


def timed(
    fn: Callable[[], object], repeat: int = 15, before: Callable[[], object] | None = None
) -> tuple[float, object]:
    """Median wall time in ms over ``repeat`` runs (after one warm-up), and the last result.

    :param before: run (untimed) before every sample, e.g. to clear caches.
    """
    result = fn()
    samples = []
    for _ in range(repeat):
        if before is not None:
            before()
        began = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), result


def paired(
    floor: Callable[[], object],
    cold: Callable[[], object],
    before: Callable[[], object],
    repeat: int = 15,
) -> tuple[float, float, object]:
    """Median ms of ``floor`` and of ``cold``, sampled alternately (after one warm-up each).

    On a shared machine the load changes from second to second; alternating the samples
    lets the floor and the build it is compared with see the same load.
    """
    floor()
    before()
    result = cold()
    floors, colds = [], []
    for _ in range(repeat):
        began = time.perf_counter()
        floor()
        floors.append((time.perf_counter() - began) * 1000)
        before()
        began = time.perf_counter()
        result = cold()
        colds.append((time.perf_counter() - began) * 1000)
    return statistics.median(floors), statistics.median(colds), result


def main() -> None:
    series = person_series(random.Random(5))
    count = sum(len(occurrences(s, *WINDOW)) for s in series)
    overrides = sum(len(s.overrides) for s in series)

    def build() -> bytes:
        return ics.feed_bytes(series, name="Zoë", window=WINDOW)

    def build_object_path() -> bytes:
        return ics.serialize(ics.feed_calendar(series, name="Zoë", window=WINDOW))

    # one table changed since the last request: only its events are built again
    changed = 0

    def build_one_changed() -> bytes:
        nonlocal changed
        changed += 1
        edited = [replace(series[0], sequence=100 + changed), *series[1:]]
        return ics.feed_bytes(edited, name="Zoë", window=WINDOW)

    calendars = [ics.feed_calendar(series, name="Zoë", window=WINDOW) for _ in range(16)]
    fresh = iter(calendars)

    floor_ms, cold_ms, body = paired(lambda: next(fresh).to_ical(), build, ics.clear_caches)
    warm_ms, warm_body = timed(build)
    one_ms, _ = timed(build_one_changed)
    object_ms, object_body = timed(build_object_path, before=ics.clear_caches)
    default_ms, default_body = timed(
        lambda: ics.feed_bytes(series, name="Zoë", stamp=WINDOW[0]), before=ics.clear_caches
    )
    expand_ms, expanded = timed(
        lambda: recurring_ical_events.of(Calendar.from_ical(body)).between(*WINDOW), repeat=3
    )
    etag_ms, _ = timed(lambda: hashlib.sha256(warm_body).hexdigest())
    assert body == warm_body == object_body
    assert len(expanded) == count, (len(expanded), count)

    load1, load5, load15 = os.getloadavg()
    print(f"series: {len(series)}, occurrences in window: {count}, overrides: {overrides}")
    print(f"machine: {os.cpu_count()} CPUs, load average {load1:.2f} {load5:.2f} {load15:.2f}")
    print(
        f"feed size: {len(body) / 1024:.1f} KiB "
        f"(default 21-month window: {len(default_body) / 1024:.1f} KiB)"
    )
    rows = [
        ("floor: icalendar Calendar.to_ical() of the same components", floor_ms),
        ("feed_bytes, cold (all caches cleared; sampled alternately with the floor)", cold_ms),
        ("feed_bytes, warm (nothing changed)", warm_ms),
        ("feed_bytes, one of 50 tables changed", one_ms),
        ("feed_calendar + serialize, cold", object_ms),
        ("feed_bytes, default window, cold", default_ms),
        ("recurring-ical-events parse + expand (client side)", expand_ms),
        ("sha256 ETag of the body", etag_ms),
    ]
    for label, ms in rows:
        ratio = f"{ms / floor_ms:5.2f}x floor" if ms > 1 else ""
        print(f"{label:<74} {ms:9.2f} ms  {ratio}")


if __name__ == "__main__":
    main()
