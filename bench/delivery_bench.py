"""Delivery throughput: N queued invites, P scheduler processes, PostgreSQL, a local SMTP sink.

Run from the repository root (the database is wiped and rebuilt by migrations):

    .venv/bin/python bench/delivery_bench.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/mt_bench_delivery

The SMTP sink (aiosmtpd) runs in its own process and appends every accepted Message-ID to a
file; the bench compares that file with what was queued: mails/s, duplicates, losses.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.headerregistry import Address
from email.parser import BytesHeaderParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1/mt_bench_delivery"

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Matchtafel//bench//NL\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:series-{n}@matchtafel.example.org\r\nSEQUENCE:0\r\n"
    "DTSTAMP:20261123T100000Z\r\nDTSTART;TZID=Europe/Amsterdam:20261208T100000\r\n"
    "DTEND;TZID=Europe/Amsterdam:20261208T113000\r\nSUMMARY:Matchtafel Geuzenveld\r\n"
    "ORGANIZER:mailto:matchtafel@example.org\r\n"
    "ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT:mailto:{to}\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the sink (child process) ---------------------------------------------------------------


def run_sink(port: int, out: Path) -> None:
    from aiosmtpd.controller import Controller

    parser = BytesHeaderParser()
    sink = out.open("a", buffering=1)

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN202, N802
            sink.write(str(parser.parsebytes(envelope.content)["Message-ID"]) + "\n")
            return "250 2.0.0 Message accepted"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sink.close(), sys.exit(0)))
    print("ready", flush=True)
    signal.pause()


# --- the bench (parent) ---------------------------------------------------------------------


def reset_database(url: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def make_app(url: str, instance: Path):  # noqa: ANN201
    from coordinator import create_app

    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32)},
        instance_path=str(instance),
    )


def queue_invites(count: int) -> set[str]:
    import sqlalchemy as sa

    from coordinator.extensions import db
    from coordinator.mail.compose import build_message
    from coordinator.mail.models import OutboxMessage

    sender = Address("Matchtafel", addr_spec="matchtafel@example.org")
    rows, ids = [], set()
    for n in range(count):
        to = f"deelnemer{n}@partner.example.org"
        message = build_message(
            sender=sender,
            to=to,
            subject="Uitnodiging: Matchtafel Geuzenveld, dinsdag 8 december 10:00",
            text="U bent uitgenodigd voor de matchtafel in Geuzenveld.\n" * 8,
        )
        message.add_alternative(
            ICS.format(n=n, to=to), subtype="calendar", params={"method": "REQUEST"}
        )
        ids.add(str(message["Message-ID"]))
        rows.append(
            {
                "message_id": str(message["Message-ID"]),
                "kind": "invite",
                "recipient": to,
                "subject": str(message["Subject"]),
                "raw": message.as_bytes(),
                "status": "queued",
                "attempts": 0,
            }
        )
    for start in range(0, count, 1000):
        db.session.execute(sa.insert(OutboxMessage), rows[start : start + 1000])
    db.session.commit()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sink-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(args.sink, Path(args.sink_file))
        return

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from coordinator.extensions import db
    from coordinator.mail.models import OutboxMessage

    work = Path(tempfile.mkdtemp(prefix="delivery-bench-"))
    print(f"scheduler logs in {work}", flush=True)
    reset_database(args.database_url)
    app = make_app(args.database_url, work)
    with app.app_context():
        upgrade()

    port, sink_file = free_port(), work / "received.txt"
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port), "--sink-file", str(sink_file)],
        stdout=subprocess.PIPE,
    )
    assert sink.stdout is not None
    assert sink.stdout.readline().strip() == b"ready"

    env = {
        **os.environ,
        "COORDINATOR_SQLALCHEMY_DATABASE_URI": args.database_url,
        "COORDINATOR_SECRET_KEY": secrets.token_hex(32),
        "COORDINATOR_SMTP_HOST": "127.0.0.1",
        "COORDINATOR_SMTP_PORT": str(port),
        "COORDINATOR_SMTP_TLS": "none",
        "COORDINATOR_MAIL_DIR": str(work / "mail"),
        "COORDINATOR_SCHEDULER_DELIVERY_SECONDS": "0.5",
        "COORDINATOR_MAIL_BATCH_SIZE": str(args.batch_size),
    }
    env.pop("FLASK_DEBUG", None)
    schedulers = []
    for i in range(args.processes):
        with (work / f"scheduler-{i}.log").open("wb") as log:
            schedulers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "flask",
                        "--app",
                        "coordinator",
                        "scheduler",
                        "--job",
                        "deliver-outbox",
                        "--log-level",
                        args.log_level,
                    ],
                    cwd=REPO,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
    time.sleep(3)  # both processes up and polling an empty queue

    try:
        with app.app_context():
            print(f"queueing {args.count} invites ...", flush=True)
            expected = queue_invites(args.count)
            started = time.monotonic()
            while time.monotonic() - started < args.timeout:
                done = db.session.scalar(
                    sa.select(sa.func.count()).where(OutboxMessage.status != "queued")
                )
                db.session.rollback()
                if done >= args.count:
                    break
                time.sleep(0.05)
            elapsed = time.monotonic() - started
            time.sleep(2)  # late duplicates would arrive now
            statuses = dict(
                db.session.execute(
                    sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
                ).all()
            )
            shares = Counter(
                worker.split(":")[1]
                for worker in db.session.scalars(sa.select(OutboxMessage.claimed_by))
                if worker
            )
    finally:
        for process in schedulers:
            process.send_signal(signal.SIGTERM)
        for process in schedulers:
            process.wait(30)
        sink.send_signal(signal.SIGTERM)
        sink.wait(10)

    received = Counter(sink_file.read_text().split())
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    lost = len(expected - set(received))
    unexpected = len(set(received) - expected)
    print(
        f"mails: {args.count}, processes: {args.processes}, batch size: {args.batch_size}\n"
        f"elapsed: {elapsed:.2f} s, throughput: {args.count / elapsed:.0f} mails/s\n"
        f"received: {sum(received.values())}, duplicates: {duplicates}, lost: {lost}, "
        f"unexpected: {unexpected}\n"
        f"outbox: {dict(statuses)}\n"
        f"share per process (pid: mails): {dict(shares)}"
    )
    if duplicates or lost or unexpected:
        sys.exit(1)


if __name__ == "__main__":
    main()
