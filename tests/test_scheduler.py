"""Issue 6: the job registry, the scheduler configuration, job runs and housekeeping jobs."""

from __future__ import annotations

import contextvars
import logging
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from coordinator import create_app
from coordinator.auth.models import ApiToken, LoginAttempt
from coordinator.auth.retention import erase_expired
from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.scheduling.jobs import prune_job_runs
from coordinator.scheduling.models import JobRun, JobRunStatus
from coordinator.scheduling.registry import JobRegistry, daily_at, every, load_jobs
from coordinator.scheduling.runner import build_scheduler
from coordinator.scheduling.runs import last_runs, run_job
from coordinator.scheduling.singleton import single_scheduler
from tests.factories import OutboxMessageFactory, UserFactory


def test_registry_refuses_a_second_job_with_the_same_name():
    registry = JobRegistry()

    def job(app):
        return {}

    registry.register("x", job, IntervalTrigger(seconds=5))
    registry.register("x", job, IntervalTrigger(seconds=5))  # re-import: harmless
    with pytest.raises(ValueError, match="already registered"):
        registry.register("x", lambda app: {}, IntervalTrigger(seconds=5))
    assert registry.names() == ["x"]


def test_default_jobs_are_registered(app):
    names = load_jobs().names()
    assert {"deliver-outbox", "erase-expired-auth-data", "prune-job-runs"} <= set(names)


def test_scheduler_coalesces_runs_one_instance_and_catches_up_at_start(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_DELIVERY_SECONDS", 2)
    registry = JobRegistry()
    registry.register("often", lambda app: {}, every("SCHEDULER_DELIVERY_SECONDS", 60))
    registry.register("nightly", lambda app: {}, daily_at(3, 30))
    before = now_utc()

    scheduler = build_scheduler(app, registry, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)  # adds the jobs without running anything
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"often", "nightly"}
        for job in jobs.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
            # first run right away: a "do what is due" run catches up once after downtime
            assert job.next_run_time - before < timedelta(seconds=5)
        assert jobs["often"].trigger.interval == timedelta(seconds=2)
        assert isinstance(jobs["nightly"].trigger, CronTrigger)
        assert str(jobs["nightly"].trigger.timezone) == "Europe/Amsterdam"
    finally:
        scheduler.shutdown(wait=False)


def test_the_app_factory_starts_no_scheduler(tmp_path):
    threads = set(threading.enumerate())
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"},
        instance_path=str(tmp_path),
    )
    app.test_client().get("/healthz")
    assert set(threading.enumerate()) == threads


def test_run_job_records_counts_and_logs(app, caplog):
    registry = JobRegistry()
    spec = registry.register("count", lambda app: {"done": 3}, IntervalTrigger(seconds=5))

    with caplog.at_level(logging.INFO, logger="coordinator.scheduling"):
        run_id = run_job(app, spec)

    run = db.session.get(JobRun, run_id)
    assert (run.job, run.status, run.counts, run.error) == (
        "count",
        JobRunStatus.OK,
        {"done": 3},
        None,
    )
    assert run.finished_at >= run.started_at
    assert "job count ok" in caplog.text
    assert "done=3" in caplog.text


def test_a_failing_job_is_recorded_and_does_not_raise(app, caplog):
    def broken(app):
        db.session.add(OutboxMessageFactory.build())  # half-done work is rolled back
        db.session.flush()
        raise RuntimeError("kapot")

    spec = JobRegistry().register("broken", broken, IntervalTrigger(seconds=5))
    with caplog.at_level(logging.ERROR, logger="coordinator.scheduling"):
        run_id = run_job(app, spec)

    run = db.session.get(JobRun, run_id)
    assert run.status == JobRunStatus.FAILED
    assert run.error == "RuntimeError: kapot"
    assert "job broken failed" in caplog.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 1
    from coordinator.mail.models import OutboxMessage

    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_job_is_skipped_not_raised_when_the_database_is_unreachable(tmp_path, caplog):
    """APScheduler must never see an exception: the next tick simply tries again."""
    unreachable = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.sqlite'}",
        },
        instance_path=str(tmp_path),
    )
    ran = []
    spec = JobRegistry().register("count", ran.append, IntervalTrigger(seconds=5))
    with caplog.at_level(logging.ERROR, logger="coordinator.scheduling"):
        assert run_job(unreachable, spec) is None
    assert ran == []
    assert "job count skipped: database unavailable" in caplog.text


def test_last_runs_gives_the_newest_run_per_job(app):
    old = now_utc() - timedelta(hours=1)
    db.session.add_all(
        [
            JobRun(job="a", worker="w", status=JobRunStatus.FAILED, started_at=old),
            JobRun(job="a", worker="w", status=JobRunStatus.OK, started_at=now_utc()),
        ]
    )
    db.session.commit()

    runs = last_runs(["a", "b"])

    assert runs["a"].status == JobRunStatus.OK
    assert runs["b"] is None


def test_erase_expired_auth_data_keeps_what_is_still_needed(app):
    user = UserFactory()
    now = now_utc()
    db.session.add_all(
        [
            LoginAttempt(email="a@example.org", remote_addr="10.0.0.1", succeeded=False,
                         attempted_at=now - timedelta(days=31)),
            LoginAttempt(email="b@example.org", remote_addr="10.0.0.2", succeeded=False,
                         attempted_at=now - timedelta(days=1)),
            ApiToken(user=user, name="oud", token_hash="a" * 64, prefix="mt_a",
                     revoked_at=now - timedelta(days=40)),
            ApiToken(user=user, name="net", token_hash="b" * 64, prefix="mt_b",
                     revoked_at=now - timedelta(days=2)),
            ApiToken(user=user, name="actief", token_hash="c" * 64, prefix="mt_c",
                     created_at=now - timedelta(days=400)),
        ]
    )  # fmt: skip
    db.session.commit()

    counts = erase_expired(now=now)
    again = erase_expired(now=now)

    assert counts == {"login_attempts": 1, "api_tokens": 1}
    assert again == {"login_attempts": 0, "api_tokens": 0}
    assert db.session.scalars(sa.select(LoginAttempt.email)).all() == ["b@example.org"]
    assert sorted(db.session.scalars(sa.select(ApiToken.name))) == ["actief", "net"]


def test_prune_job_runs_deletes_only_old_runs(app):
    db.session.add_all(
        [
            JobRun(job="a", worker="w", started_at=now_utc() - timedelta(days=15)),
            JobRun(job="a", worker="w", started_at=now_utc() - timedelta(days=13)),
        ]
    )
    db.session.commit()

    assert prune_job_runs(app) == {"deleted": 1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 1


def test_missed_ticks_are_caught_up_once_not_per_tick(app):
    registry = JobRegistry()
    registry.register("tick", lambda app: {"ran": 1}, IntervalTrigger(seconds=1))
    scheduler = build_scheduler(app, registry, scheduler_class=BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        scheduler.modify_job("tick", next_run_time=now_utc() - timedelta(seconds=30))  # 30 missed
        scheduler.resume()
        deadline = now_utc() + timedelta(seconds=5)
        while now_utc() < deadline and not _finished_runs("tick"):
            threading.Event().wait(0.05)
        threading.Event().wait(0.3)
    finally:
        scheduler.shutdown(wait=True)
    assert _finished_runs("tick") == 1


def _finished_runs(job: str) -> int:
    db.session.rollback()
    return db.session.scalar(
        sa.select(sa.func.count()).where(JobRun.job == job, JobRun.status == JobRunStatus.OK)
    )


def invoke_cli(app, *args):
    """Run ``flask --app … ARGS`` for ``app``: its own app context only, not the test's."""

    def run():
        with app.app_context():
            return app.test_cli_runner().invoke(args=list(args))

    return contextvars.Context().run(run)


def test_the_sqlite_scheduler_lock_sits_next_to_the_database_whatever_the_cwd(
    tmp_path, monkeypatch
):
    """A relative SQLite URI lives in the instance folder; the lock must sit there too.

    Otherwise two schedulers started from different working directories each take "their" lock
    and both run against the one database.
    """
    instance, elsewhere = tmp_path / "instance", tmp_path / "elsewhere"
    instance.mkdir()
    elsewhere.mkdir()
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": "sqlite:///relative.sqlite",
        },
        instance_path=str(instance),
    )
    monkeypatch.chdir(elsewhere)
    # the first scheduler holds the lock of the database file Flask-SQLAlchemy really opens
    with single_scheduler(f"sqlite:///{instance / 'relative.sqlite'}"):
        result = invoke_cli(other, "scheduler", "--once")

    assert result.exit_code != 0
    assert "Er draait al een planner" in result.output
    assert not list(elsewhere.iterdir())  # no lock file dropped in the working directory
