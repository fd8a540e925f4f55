"""Build the APScheduler 3 ``BlockingScheduler`` for the dedicated scheduler process.

Never called by the app factory: web workers must not run jobs (APScheduler FAQ: a job store
cannot be shared between processes). Jobs live in memory; the database holds all state.
"""

from __future__ import annotations

import logging
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from coordinator.db import now_utc
from coordinator.scheduling.registry import JobRegistry
from coordinator.scheduling.runs import run_job

log = logging.getLogger("coordinator.scheduling")

#: How late a missed run may still start (seconds); ``None``: however late (still once).
DEFAULT_MISFIRE_GRACE = None


def build_scheduler(
    app: Flask, registry: JobRegistry, *, scheduler_class: type[BaseScheduler] = BlockingScheduler
) -> BaseScheduler:
    """A scheduler with every registered job.

    ``coalesce`` folds missed ticks into one run and ``max_instances=1`` never overlaps a job
    with itself. Every job also runs once right at start: because jobs do "what is due", that
    single run catches up whatever was missed while the process was down (once, not per tick).
    ``scheduler_class`` exists for tests, which inspect a paused background scheduler.
    """
    grace = app.config.get("SCHEDULER_MISFIRE_GRACE_SECONDS", DEFAULT_MISFIRE_GRACE)
    scheduler = scheduler_class(
        timezone=ZoneInfo(app.config["TIMEZONE"]),
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": None if grace is None else int(grace),
        },
    )
    start = now_utc()
    for spec in registry.jobs():
        scheduler.add_job(
            partial(run_job, app, spec),
            trigger=spec.build_trigger(app),
            id=spec.name,
            name=spec.name,
            next_run_time=start,
            replace_existing=True,
        )
        log.info("job %s registered: %s", spec.name, spec.description or spec.func.__name__)
    return scheduler
