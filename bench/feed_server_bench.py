"""Benchmark (issue 9): the same person feed from Matchtafel (gunicorn) and from Radicale.

One command (needs the ``bench`` extra: ``.venv/bin/pip install -e '.[bench]'``)::

    .venv/bin/python bench/feed_server_bench.py [--runs 3] [--seconds 5]

It generates a person feed of 50 tables over two years (weekly, fortnightly and monthly
series, about four moved or cancelled occurrences each), serves it

- from Matchtafel: ``gunicorn -w 2`` on a throw-away SQLite database (WAL), ``GET
  /feeds/<token>.ics``, with the shared versioned body cache;
- from Radicale (``radicale`` package, 127.0.0.1, no auth): the very same calendar uploaded
  with ``PUT`` to one collection and fetched with ``GET`` of that collection;

and reports requests/s, p50 and p95 at 1 and 4 concurrent clients (one process per client, a
new connection per request, as calendar clients poll), Matchtafel's 304 path, and in-process
the cold build next to the icalendar serialisation floor (``Calendar.to_ical()`` of the same
components), sampled alternately so both see the same load. Each figure is the median over
``--runs`` runs; the machine's load is printed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from icalendar import Calendar  # noqa: E402

from coordinator import create_app  # noqa: E402
from coordinator.auth.models import AccountRole, User  # noqa: E402
from coordinator.calendaring import ics  # noqa: E402
from coordinator.calendaring.occurrences import clear_caches as clear_expansions  # noqa: E402
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
from coordinator.feeds import cache, content, services  # noqa: E402
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries  # noqa: E402
from coordinator.tables.recurrence import Status  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - throw-away
BASE_URL = "https://matchtafel.example.org"
RULES = (
    ["FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=TH"] * 10
    + ["FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"] * 20
    + ["FREQ=MONTHLY;BYDAY=1TU"] * 10
)
PURPOSE = (
    "Wie doet wat voor nieuwkomers in de wijk: organisaties stemmen af over taal, werk, "
    "gezondheid en ontmoeting. Agenda vooraf rondgestuurd; verslag binnen een week."
)


# --------------------------------------------------------------------------- data


def populate() -> User:
    """A person holding one seat at each of 50 tables; ~4 moved/cancelled occurrences each."""
    area = Area(slug="bench", name="Bench", kind=AreaKind.DISTRICT)
    org = Organisation(
        slug="bench-org", name="Bench", kind=OrganisationKind.FORMAL,
        infrastructure=Infrastructure.SOCIAL,
    )  # fmt: skip
    role = Role(organisation=org, name="opbouwwerker")
    person = Person(organisation=org, name="Bench Persoon", email="bench@example.org")
    db.session.add_all([area, org, role, person])
    db.session.add(Assignment(person=person, role=role, starts_on=date(2020, 1, 1)))
    today = date.today()  # noqa: DTZ011 - a calendar day
    start = datetime(today.year, today.month, 1, 10, 0) - timedelta(days=92)  # noqa: DTZ001
    for number, rule in enumerate(RULES):
        table = Table(
            name=f"Matchtafel {number} – ëü وصل",
            area=area,
            location=f"Huis van de Wijk {number}, Bijlmerplein {number + 1}",
            purpose=PURPOSE,
            online_url=f"https://meet.example.org/matchtafel-{number}",
        )
        series = TableSeries(
            uid=f"bench-{number}@matchtafel.example.org",
            dtstart=start + timedelta(days=number % 7, hours=number % 6),
            duration_minutes=90,
            rrule=rule + ";UNTIL=" + f"{today.year + 2}0101T000000Z",
            sequence=number % 3,
        )
        table.series.append(series)
        table.seats.append(Seat(organisation=org, role=role))
        db.session.add(table)
        db.session.flush()
        step = {"WEEKLY": 7, "MONTHLY": 0}.get(rule.split(";")[0].split("=")[1], 7)
        if "INTERVAL=2" in rule:
            step = 14
        for k in range(4 if step else 0):
            rid = series.dtstart + timedelta(days=step * (5 + 11 * k))
            moved = k % 2 == 0
            db.session.add(
                OccurrenceChange(
                    series=series,
                    recurrence_id=rid,
                    status=Status.SCHEDULED if moved else Status.CANCELLED,
                    new_start=rid + timedelta(hours=2) if moved else None,
                    location="Buurtkamer De Plint" if moved else None,
                    sequence=series.sequence + 1,
                )
            )
    user = User(email="bench@example.org", role=AccountRole.PARTNER, person=person)
    db.session.add(user)
    db.session.commit()
    return user


# --------------------------------------------------------------------------- load


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, path: str, headers: dict[str, str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path, headers=headers)
            if conn.getresponse().status in (200, 304):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer {path}")


def _client(
    port: int, path: str, headers: dict[str, str], seconds: float, expect: int
) -> list[float]:
    """One polling client: a new connection per request, for ``seconds``; latencies in s."""
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != expect:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        times.append(time.perf_counter() - start)
    return times


def load(  # noqa: PLR0913
    port: int,
    path: str,
    clients: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    expect: int = 200,
) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p95 ms) with ``clients`` concurrent client processes."""
    with ProcessPoolExecutor(clients) as pool:
        futures = [
            pool.submit(_client, port, path, headers or {}, seconds, expect) for _ in range(clients)
        ]
        results = [f.result() for f in futures]
    latencies = sorted(t for r in results for t in r)
    total = len(latencies)
    p95 = latencies[min(total - 1, int(total * 0.95))]
    return total / seconds, statistics.median(latencies) * 1000, p95 * 1000


def _median_ms(fn: Callable[[], object], runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _alternating_ms(functions: dict[str, Callable[[], object]], runs: int = 9) -> dict[str, float]:
    """Median ms of each function, sampled in turn so all see the same machine load."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, fn in functions.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


# --------------------------------------------------------------------------- servers


def start_gunicorn(folder: Path, database: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        COORDINATOR_SQLALCHEMY_DATABASE_URI=database,
        COORDINATOR_SECRET_KEY=SECRET,
        COORDINATOR_BASE_URL=BASE_URL,
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "coordinator:create_app()"],
        cwd=folder, env=env,
    )  # fmt: skip


def start_radicale(
    folder: Path, port: int, calendar: bytes, started: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    """Radicale with the calendar uploaded; ``started`` gets the process at once (cleanup)."""
    config = folder / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        "[auth]\ntype = none\n"
        "[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = warning\nmask_passwords = True\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)], cwd=folder
    )
    started.append(process)
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request(
                "PUT",
                "/bench/feed/",
                body=calendar,
                headers={"Content-Type": "text/calendar", **RADICALE_AUTH},
            )
            status = conn.getresponse().status
            if status in (200, 201, 204):
                break
            raise RuntimeError(f"Radicale refused the upload: HTTP {status}")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    started.remove(process)
    return process


#: Radicale with ``auth = none`` accepts any user; the collection belongs to "bench".
RADICALE_AUTH = {"Authorization": "Basic YmVuY2g6YmVuY2g="}  # bench:bench


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


# --------------------------------------------------------------------------- main


def in_process(app, feed_path: str) -> dict[str, float]:  # noqa: ANN001
    """Cold build and cold request next to the serialisation floor, in this process."""
    from coordinator.feeds.models import FeedCache

    with app.app_context():
        client = app.test_client()
        token = services.resolve(feed_path.rsplit("/", 1)[1].removesuffix(".ics"))
        assert token is not None
        current = content.version(token)

        def cold_build() -> bytes:
            """Changed data in a running process: the per-series caches are empty, the
            VTIMEZONE (built once per process and zone) is reused."""
            for cached in (ics._feed_block, ics._clip):  # noqa: SLF001
                cached.cache_clear()
            clear_expansions()
            db.session.expire_all()
            return content.body(token, current.ids, name=current.name)

        def fresh_process_build() -> bytes:
            ics.clear_caches()  # VTIMEZONE and feed head too
            db.session.expire_all()
            return content.body(token, current.ids, name=current.name)

        def cold_request() -> None:
            ics.clear_caches()
            cache.clear_memory()
            db.session.execute(db.delete(FeedCache))
            db.session.commit()
            assert client.get(feed_path).status_code == 200

        body = cold_build()
        etag = client.get(feed_path).headers["ETag"]
        parsed = Calendar.from_ical(body)
        events = list(parsed.walk("VEVENT"))
        compared = _alternating_ms(
            {"floor": parsed.to_ical, "cold_build": cold_build, "fresh_build": fresh_process_build}
        )
        return {
            **compared,
            "cold_request": _median_ms(cold_request),
            "version_query": _median_ms(lambda: content.version(token), 51),
            "app_304": _median_ms(lambda: _304(client, feed_path, etag), 51),
            "app_200": _median_ms(lambda: client.get(feed_path), 51),
            "bytes": len(body),
            "vevents": len(events),
        }


def _304(client, path: str, etag: str) -> None:  # noqa: ANN001
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="feed-server-bench-"))
    database = f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app(
        {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database, "BASE_URL": BASE_URL},
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        user = populate()
        feed = services.create(user, "person", user.person_id)
    path = urlsplit(feed.url).path
    with app.test_request_context():
        body = app.test_client().get(path).get_data()
    occurrences = _count_occurrences(body)

    mt_port, rad_port = _free_port(), _free_port()
    rows: dict[str, list[tuple[float, float, float]]] = {}
    local: list[dict[str, float]] = []
    servers: list[subprocess.Popen[bytes]] = []
    try:
        servers.append(start_gunicorn(folder, database, mt_port))
        servers.append(start_radicale(folder, rad_port, body, servers))
        _wait_for(mt_port, path, {})
        _wait_for(rad_port, "/bench/feed/", RADICALE_AUTH)
        etag = _etag(mt_port, path)
        for _ in range(args.runs):
            for clients in (1, 4):
                rows.setdefault(f"matchtafel 200, {clients} client(s)", []).append(
                    load(mt_port, path, clients, args.seconds)
                )
                rows.setdefault(f"radicale 200, {clients} client(s)", []).append(
                    load(rad_port, "/bench/feed/", clients, args.seconds, RADICALE_AUTH)
                )
            rows.setdefault("matchtafel 304, 1 client", []).append(
                load(mt_port, path, 1, args.seconds, {"If-None-Match": etag}, expect=304)
            )
            rows.setdefault("HTTP floor: 7 KiB static file", []).append(
                load(mt_port, "/static/css/app.css", 1, args.seconds)
            )
            local.append(in_process(app, path))
        radicale_body = _get(rad_port, "/bench/feed/", RADICALE_AUTH)
    finally:
        for server in servers:
            stop(server)
    report(args, rows, local, body, radicale_body, occurrences)
    shutil.rmtree(folder, ignore_errors=True)


def _get(port: int, path: str, headers: dict[str, str]) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    return conn.getresponse().read()


def _etag(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return str(response.getheader("ETag"))


def _count_occurrences(body: bytes) -> int:
    import recurring_ical_events

    now = datetime.now(UTC)
    return len(
        recurring_ical_events.of(Calendar.from_ical(body)).between(
            now - timedelta(days=400), now + timedelta(days=800)
        )
    )


def report(  # noqa: PLR0913
    args: argparse.Namespace,
    rows: dict[str, list[tuple[float, float, float]]],
    local: list[dict[str, float]],
    body: bytes,
    radicale_body: bytes,
    occurrences: int,
) -> None:
    load1, load5, load15 = os.getloadavg()
    print(
        f"feed: {local[0]['vevents']:.0f} VEVENTs, {occurrences} occurrences, "
        f"{len(body) / 1024:.0f} KiB (Radicale serves {len(radicale_body) / 1024:.0f} KiB)"
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {load1:.2f} {load5:.2f} {load15:.2f}")
    print(f"medians of {args.runs} runs of {args.seconds:.0f} s each\n")
    print(f"| {'':34} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} |")
    print(f"|{'-' * 36}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    medians = {}
    for name, values in rows.items():
        rps, p50, p95 = (statistics.median(v[i] for v in values) for i in range(3))
        medians[name] = rps
        print(f"| {name:34} | {rps:7.1f} | {p50:7.2f} | {p95:7.2f} |")
    for clients in (1, 4):
        mt = medians[f"matchtafel 200, {clients} client(s)"]
        rad = medians[f"radicale 200, {clients} client(s)"]
        print(f"warm speed-up at {clients} client(s): {mt / rad:.1f}x Radicale")
    floor = statistics.median(x["floor"] for x in local)
    for key, label in [
        ("cold_build", "cold build (2 queries, map, build, serialise)"),
        ("fresh_build", "cold build in a fresh process (+ VTIMEZONE)"),
        ("cold_request", "cold request (test client, stores the body)"),
    ]:
        value = statistics.median(x[key] for x in local)
        print(f"{label}: {value:.1f} ms = {value / floor:.2f}x the floor")
    print(f"floor (icalendar to_ical of the same components): {floor:.1f} ms")
    version = statistics.median(x["version_query"] for x in local)
    print(f"version query (in process): {version:.2f} ms")
    for key, label in [("app_304", "304"), ("app_200", "warm 200")]:
        value = statistics.median(x[key] for x in local)
        print(f"{label} inside the app (test client, no network): {value:.2f} ms")


if __name__ == "__main__":
    main()
