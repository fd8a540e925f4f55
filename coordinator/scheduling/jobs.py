"""The scheduler's own housekeeping: forget job runs older than the retention."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.scheduling.models import JobRun
from coordinator.scheduling.registry import daily_at, register_job

#: Job runs are kept this many days (``JOB_RUN_RETENTION_DAYS``).
JOB_RUN_RETENTION_DAYS = 14


def prune_job_runs(app: Flask) -> Mapping[str, int]:
    """Delete job runs that started before the retention window."""
    days = int(app.config.get("JOB_RUN_RETENTION_DAYS", JOB_RUN_RETENTION_DAYS))
    cutoff = now_utc() - timedelta(days=days)
    result = db.session.execute(sa.delete(JobRun).where(JobRun.started_at < cutoff))
    db.session.commit()
    return {"deleted": result.rowcount or 0}


register_job(
    "prune-job-runs",
    prune_job_runs,
    daily_at(3, 45),
    description=_l("Verwijdert verslagen van taken ouder dan de bewaartermijn"),
)
