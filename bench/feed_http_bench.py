"""Benchmark: ``GET /feeds/<token>.ics`` end to end for a person with 50 tables (issue 5, part 8).

Run: ``.venv/bin/python bench/feed_http_bench.py`` (not part of the test suite). It builds a
throw-away SQLite database with 50 tables (weekly, fortnightly, monthly; some occurrences moved
or cancelled) whose seats one person holds, then reports medians of:

- 200 cold: a full answer with every cache emptied (builder caches, the shared body table and
  the per-process copy): queries, mapping, building, serialising, storing the body;
- 200 warm: the same with unchanged data (per-series serialised events cached);
- 304: ``If-None-Match`` with the current ETag: token lookup plus three aggregate queries,
  no calendar built (target: ≤ 5 ms);
- floor: icalendar alone serialising the same components (``Calendar.to_ical()``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from icalendar import Calendar  # noqa: E402

from coordinator import create_app  # noqa: E402
from coordinator.auth.models import AccountRole, User  # noqa: E402
from coordinator.calendaring import ics  # noqa: E402
from coordinator.directory.models import (  # noqa: E402
    Area,
    AreaKind,
    Assignment,
    Infrastructure,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from coordinator.extensions import db  # noqa: E402
from coordinator.feeds import cache, services  # noqa: E402
from coordinator.feeds.models import FeedCache  # noqa: E402
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries  # noqa: E402
from coordinator.tables.recurrence import Status  # noqa: E402

RULES = (
    ["FREQ=WEEKLY;BYDAY=MO"] * 10
    + ["FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"] * 25
    + ["FREQ=MONTHLY;BYDAY=1TU"] * 15
)


def _median(fn: Callable[[], object], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _populate() -> User:
    area = Area(slug="bench", name="Bench", kind=AreaKind.DISTRICT)
    org = Organisation(
        slug="bench-org",
        name="Bench",
        kind=OrganisationKind.FORMAL,
        infrastructure=Infrastructure.SOCIAL,
    )
    role = Role(organisation=org, name="opbouwwerker")
    person = Person(organisation=org, name="Bench Persoon", email="bench@example.org")
    db.session.add_all([area, org, role, person])
    db.session.add(Assignment(person=person, role=role, starts_on=date(2020, 1, 1)))
    today = date.today()  # noqa: DTZ011 - a calendar day
    start = datetime(today.year, today.month, 1, 10, 0) - timedelta(days=60)  # noqa: DTZ001
    for number, rule in enumerate(RULES):
        table = Table(name=f"Matchtafel {number} – ëü", area=area, location="Huis van de Wijk")
        series = TableSeries(
            uid=f"bench-{number}@example.org",
            dtstart=start + timedelta(days=number % 5, hours=number % 7),
            duration_minutes=90,
            rrule=rule,
            sequence=number % 3,
        )
        table.series.append(series)
        table.seats.append(Seat(organisation=org, role=role))
        db.session.add(table)
        db.session.flush()
        if number % 3 == 0:
            rid = series.dtstart + timedelta(days=91 if "MONTHLY" not in rule else 0)
            if "MONTHLY" in rule:
                continue
            db.session.add(
                OccurrenceChange(
                    series=series,
                    recurrence_id=rid,
                    status=Status.CANCELLED if number % 2 else Status.SCHEDULED,
                    new_start=None if number % 2 else rid + timedelta(hours=2),
                    sequence=series.sequence + 1,
                )
            )
    user = User(email="bench@example.org", role=AccountRole.PARTNER, person=person)
    db.session.add(user)
    db.session.commit()
    return user


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="feed-http-bench-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "BASE_URL": "https://matchtafel.example.org",
        },
        instance_path=str(folder),
    )
    with app.app_context():
        upgrade()
        user = _populate()
        new = services.create(user, "person", user.person_id)
    path = "/feeds/" + new.url.rsplit("/", 1)[1]
    client = app.test_client()

    def cold() -> None:
        # Forget every stored body too (shared table and per-process copy), not only the
        # builder's caches: otherwise a "cold" request just sends the stored bytes.
        ics.clear_caches()
        cache.clear_memory()
        with app.app_context():
            db.session.execute(sa.delete(FeedCache))
            db.session.commit()
        assert client.get(path).status_code == 200

    def warm() -> None:
        assert client.get(path).status_code == 200

    body = client.get(path)
    etag = body.headers["ETag"]

    def not_modified() -> None:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    parsed = Calendar.from_ical(body.get_data())
    events = len(list(parsed.walk("VEVENT")))
    results = {
        "floor (icalendar to_ical of the same calendar)": _median(parsed.to_ical),
        "200 cold (caches cleared)": _median(cold),
        "200 warm": _median(warm),
        "304 (If-None-Match)": _median(not_modified, runs=50),
    }
    print(f"person feed: 50 tables, {events} VEVENTs, {len(body.get_data()):,} bytes")
    for name, ms in results.items():
        print(f"{name:50s} {ms:8.2f} ms")
    floor = results["floor (icalendar to_ical of the same calendar)"]
    print(f"{'cold / floor':50s} {results['200 cold (caches cleared)'] / floor:8.2f} x")
    print(f"{'warm / floor':50s} {results['200 warm'] / floor:8.2f} x")


if __name__ == "__main__":
    main()
