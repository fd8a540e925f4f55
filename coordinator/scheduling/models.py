"""The record of every scheduler job run: when, with what counts, and how it ended."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.extensions import db


class JobRunStatus(enum.StrEnum):
    #: Started and not finished: still busy, or the process died (SIGKILL) mid-run.
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"


class JobRun(db.Model):
    """One run of one scheduled job in one scheduler process."""

    __tablename__ = "job_runs"
    __table_args__ = (sa.Index("ix_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The registered job name, e.g. ``"deliver-outbox"``.
    job: Mapped[str] = mapped_column(sa.String(80))
    #: ``host:pid`` of the scheduler process that ran it.
    worker: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[JobRunStatus] = mapped_column(
        enum_column(JobRunStatus), default=JobRunStatus.RUNNING
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the job did, e.g. ``{"sent": 12, "retried": 1}``.
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    #: The exception text when the run failed.
    error: Mapped[str | None] = mapped_column(sa.Text)

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
