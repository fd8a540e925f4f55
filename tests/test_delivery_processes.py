"""Issue 6: real scheduler processes deliver to a real SMTP server: exactly once, crash-safe.

Each test starts ``flask --app coordinator scheduler`` as a subprocess against the test
database and an aiosmtpd server in this process.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.scheduling.models import JobRun, JobRunStatus
from tests.conftest import is_postgres
from tests.factories import OutboxMessageFactory
from tests.mailserver import MailServer

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


class Schedulers:
    """Starts scheduler processes and makes sure none outlives the test."""

    def __init__(self, app, server: MailServer, tmp_path: Path) -> None:  # noqa: ANN001
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "COORDINATOR_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "COORDINATOR_SECRET_KEY": secrets.token_hex(32),
            "COORDINATOR_SMTP_HOST": server.host,
            "COORDINATOR_SMTP_PORT": str(server.port),
            "COORDINATOR_SMTP_TLS": "none",
            "COORDINATOR_MAIL_DIR": str(tmp_path / "mail"),
            "COORDINATOR_SCHEDULER_DELIVERY_SECONDS": "0.2",
            "COORDINATOR_MAIL_BATCH_SIZE": "50",
        }
        self.env.pop("FLASK_DEBUG", None)
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, **config: str) -> subprocess.Popen[bytes]:
        env = {**self.env, **{f"COORDINATOR_{key}": value for key, value in config.items()}}
        with (self.tmp_path / f"scheduler-{len(self.processes)}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "coordinator", "scheduler",
                 "--job", "deliver-outbox"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes.append(process)
        return process

    def wait_until_running(self, timeout: float = 30) -> None:
        """Until every started process has finished its first (empty) delivery run."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.logs().count("job deliver-outbox ok") >= len(self.processes):
                return
            time.sleep(0.05)
        raise AssertionError(self.logs())

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp_path.glob("scheduler-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)


@pytest.fixture
def schedulers(app, smtp_server, tmp_path) -> Iterator[Schedulers]:  # noqa: ANN001
    handle = Schedulers(app, smtp_server, tmp_path)
    yield handle
    handle.stop_all()


def queue_many(count: int) -> set[str]:
    rows = OutboxMessageFactory.build_batch(count)
    db.session.add_all(rows)
    db.session.commit()
    return {row.message_id for row in rows}


def statuses() -> dict[OutboxStatus, int]:
    db.session.rollback()
    return dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
        ).all()
    )


def wait_until_all_arrived(server: MailServer, expected: set[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not expected <= set(server.message_ids()):
        time.sleep(0.1)


def test_scheduler_process_delivers_logs_and_stops_on_sigterm(app, smtp_server, schedulers):
    expected = queue_many(30)
    process = schedulers.start()

    wait_until_all_arrived(smtp_server, expected, timeout=60)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    returncode = process.wait(30)

    assert smtp_server.message_ids() == dict.fromkeys(expected, 1), schedulers.logs()
    assert statuses() == {OutboxStatus.SENT: 30}
    assert returncode == 0, schedulers.logs()
    assert "job deliver-outbox ok" in schedulers.logs()
    runs = db.session.scalars(sa.select(JobRun).where(JobRun.job == "deliver-outbox")).all()
    assert sum(run.counts.get("sent", 0) for run in runs) == 30
    assert all(run.status == JobRunStatus.OK for run in runs)


@pytest.mark.postgres
def test_two_scheduler_processes_deliver_1000_mails_exactly_once(app, smtp_server, schedulers):
    smtp_server.handler.delay = 0.002  # a little latency, as a real server has
    schedulers.start()
    schedulers.start()
    schedulers.wait_until_running()  # both poll the queue before any mail is due
    expected = queue_many(1000)

    wait_until_all_arrived(smtp_server, expected, timeout=120)
    time.sleep(1.0)  # a late duplicate would show up now
    schedulers.stop_all()

    received = smtp_server.message_ids()
    assert set(received) == expected, schedulers.logs()
    assert [mid for mid, n in received.items() if n > 1] == []
    assert len(smtp_server.received) == 1000
    assert statuses() == {OutboxStatus.SENT: 1000}
    pids = {
        worker.split(":")[1]
        for worker in db.session.scalars(sa.select(OutboxMessage.claimed_by).distinct())
    }
    assert len(pids) == 2, schedulers.logs()  # both processes delivered a share


def test_sigkill_mid_batch_then_restart_loses_nothing(app, smtp_server, schedulers):
    expected = queue_many(300)
    smtp_server.handler.delay = 0.01
    first = schedulers.start(MAIL_LEASE_SECONDS="2")
    assert smtp_server.wait_for(60, timeout=60), schedulers.logs()

    first.send_signal(signal.SIGKILL)
    first.wait(10)
    arrived_before_restart = len(smtp_server.received)
    left = statuses().get(OutboxStatus.QUEUED, 0)
    assert left > 0  # killed mid-delivery, with claims still held

    schedulers.start(MAIL_LEASE_SECONDS="2")
    wait_until_all_arrived(smtp_server, expected, timeout=90)
    time.sleep(0.5)
    schedulers.stop_all()

    received = smtp_server.message_ids()
    assert set(received) == expected, schedulers.logs()  # nothing lost, nothing invented
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert sum(n - 1 for n in duplicates.values()) <= 1  # only the mail in flight at the kill
    assert statuses() == {OutboxStatus.SENT: 300}
    assert arrived_before_restart < 300


def test_send_due_loop_delivers_and_stops_on_sigterm(app, smtp_server, schedulers, tmp_path):
    expected = queue_many(10)
    with (tmp_path / "send-due.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "coordinator", "send-due", "--loop",
             "--interval", "0.2"],
            cwd=REPO, env=schedulers.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    schedulers.processes.append(process)

    wait_until_all_arrived(smtp_server, expected, timeout=60)
    process.send_signal(signal.SIGTERM)

    assert process.wait(30) == 0, (tmp_path / "send-due.log").read_text()
    assert smtp_server.message_ids() == dict.fromkeys(expected, 1)
    assert statuses() == {OutboxStatus.SENT: 10}


@pytest.mark.skipif(is_postgres(), reason="the lock exists for SQLite only")
def test_a_second_scheduler_on_sqlite_refuses_to_start(app, smtp_server, schedulers, tmp_path):
    first = schedulers.start()
    schedulers.wait_until_running()

    second = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "coordinator", "scheduler", "--once"],
        cwd=REPO, env=schedulers.env, capture_output=True, timeout=60, check=False,
    )  # fmt: skip

    assert second.returncode != 0
    assert "Er draait al een planner" in second.stderr.decode()
    assert first.poll() is None
    first.send_signal(signal.SIGKILL)  # the kernel releases the lock of a killed process
    first.wait(10)
    third = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "coordinator", "scheduler", "--once"],
        cwd=REPO, env=schedulers.env, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert third.returncode == 0, third.stderr.decode()
