"""Run one job: record a JobRun row before and after, log the outcome, never raise."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Mapping

import sqlalchemy as sa
from flask import Flask

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.scheduling.models import JobRun, JobRunStatus
from coordinator.scheduling.registry import JobSpec

log = logging.getLogger("coordinator.scheduling")


def process_name() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def _clean_counts(counts: Mapping[str, int] | None) -> dict[str, int]:
    return {str(key): int(value) for key, value in (counts or {}).items()}


def run_job(app: Flask, spec: JobSpec) -> int | None:
    """Run ``spec`` in a fresh app context and record it; returns the JobRun id.

    The "running" row is committed first, so a run killed mid-way stays visible as running.
    A failing job is logged and recorded as failed; the scheduler keeps going. When the
    database cannot be reached the run is skipped (``None``) and the next tick tries again.
    """
    with app.app_context():
        try:
            run_id = _start(spec)
        except sa.exc.DBAPIError as exc:
            db.session.rollback()
            db.session.remove()
            log.error("job %s skipped: database unavailable (%s)", spec.name, exc.orig)
            return None
        started = time.monotonic()
        try:
            counts = _clean_counts(spec.func(app))
        except Exception as exc:
            db.session.rollback()
            elapsed = time.monotonic() - started
            log.exception("job %s failed after %.1fs", spec.name, elapsed)
            _finish(run_id, JobRunStatus.FAILED, {}, f"{type(exc).__name__}: {exc}"[:4000])
        else:
            elapsed = time.monotonic() - started
            summary = ", ".join(f"{key}={value}" for key, value in counts.items()) or "-"
            log.info("job %s ok in %.2fs: %s", spec.name, elapsed, summary)
            _finish(run_id, JobRunStatus.OK, counts, None)
        finally:
            db.session.remove()
    return run_id


def _start(spec: JobSpec) -> int:
    run = JobRun(job=spec.name, worker=process_name(), status=JobRunStatus.RUNNING)
    db.session.add(run)
    db.session.commit()
    return run.id


def _finish(run_id: int, status: JobRunStatus, counts: dict[str, int], error: str | None) -> None:
    """Record the outcome; if the database is gone, the row stays "running" and we say so."""
    try:
        db.session.execute(
            sa.update(JobRun)
            .where(JobRun.id == run_id)
            .values(status=status, finished_at=now_utc(), counts=counts, error=error)
        )
        db.session.commit()
    except sa.exc.DBAPIError as exc:
        db.session.rollback()
        log.error(
            "job run %s: outcome %s not recorded, database unavailable (%s)",
            run_id,
            status,
            exc.orig,
        )


def last_runs(names: list[str]) -> dict[str, JobRun | None]:
    """The most recent run of each named job (``None`` when it never ran)."""
    latest = (
        sa.select(JobRun.job, sa.func.max(JobRun.id).label("id"))
        .where(JobRun.job.in_(names))
        .group_by(JobRun.job)
        .subquery()
    )
    rows = db.session.scalars(sa.select(JobRun).join(latest, JobRun.id == latest.c.id))
    found = {run.job: run for run in rows}
    return {name: found.get(name) for name in names}


def last_success(name: str) -> JobRun | None:
    """The most recent successful run of ``name``."""
    return db.session.scalars(
        sa.select(JobRun)
        .where(JobRun.job == name, JobRun.status == JobRunStatus.OK)
        .order_by(JobRun.id.desc())
        .limit(1)
    ).first()
