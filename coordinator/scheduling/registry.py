"""The job registry: capabilities call :func:`register_job`; the scheduler process runs them.

A job is an idempotent "do what is due" function ``func(app) -> counts``: all state lives in
the database, so a duplicate, late or concurrent run does no harm. APScheduler only triggers.

To add a job, write ``coordinator/<cap>/jobs.py`` that calls ``register_job(...)`` at import,
and add that module to :data:`JOB_MODULES` below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

#: A job: runs inside an app context and returns what it did, e.g. ``{"sent": 3}``.
JobFunc = Callable[[Flask], Mapping[str, int] | None]
#: A trigger, or a function building one from the app's configuration.
TriggerSpec = BaseTrigger | Callable[[Flask], BaseTrigger]

#: Modules whose import registers jobs. One line per capability.
JOB_MODULES: tuple[str, ...] = (
    "coordinator.mail.jobs",  # deliver the outbox
    "coordinator.auth.jobs",  # erase expired API tokens and login attempts
    "coordinator.scheduling.jobs",  # prune old job runs
    "coordinator.tables.jobs",  # issue 6 part 4: reminders N days before an occurrence
    "coordinator.digests.jobs",  # issue 6 part 5: weekly continuity digest, monthly check
    "coordinator.directory.jobs",  # erase contact details of people who left, past retention
    "coordinator.questions.jobs",  # delete old question-board threads
    "coordinator.feeds.jobs",  # prune cached feed bodies nobody fetches
)


@dataclass(frozen=True)
class JobSpec:
    """A registered job: a unique name, the function and when to run it."""

    name: str
    func: JobFunc
    trigger: TriggerSpec
    #: Shown on the admin page; pass a ``lazy_gettext`` string.
    description: object = ""

    def build_trigger(self, app: Flask) -> BaseTrigger:
        if isinstance(self.trigger, BaseTrigger):
            return self.trigger
        return self.trigger(app)


class JobRegistry:
    """Named jobs; registering the same name twice with another function is an error."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobSpec] = {}

    def register(
        self, name: str, func: JobFunc, trigger: TriggerSpec, *, description: object = ""
    ) -> JobSpec:
        existing = self._jobs.get(name)
        if existing is not None and existing.func is not func:
            raise ValueError(f"job {name!r} is already registered")
        spec = JobSpec(name=name, func=func, trigger=trigger, description=description)
        self._jobs[name] = spec
        return spec

    def get(self, name: str) -> JobSpec:
        return self._jobs[name]

    def jobs(self) -> list[JobSpec]:
        return sorted(self._jobs.values(), key=lambda spec: spec.name)

    def names(self) -> list[str]:
        return [spec.name for spec in self.jobs()]


#: The process-wide registry used by the scheduler command and the admin page.
registry = JobRegistry()


def register_job(
    name: str, func: JobFunc, trigger: TriggerSpec, *, description: object = ""
) -> JobSpec:
    """Register ``func`` to run on ``trigger`` in the scheduler process (see module docs)."""
    return registry.register(name, func, trigger, description=description)


def load_jobs() -> JobRegistry:
    """Import every module in :data:`JOB_MODULES` so their jobs are registered."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    return registry


def every(config_key: str, default_seconds: float) -> Callable[[Flask], BaseTrigger]:
    """An interval trigger whose period comes from ``app.config[config_key]`` (seconds)."""

    def build(app: Flask) -> BaseTrigger:
        seconds = float(app.config.get(config_key, default_seconds))
        return IntervalTrigger(seconds=seconds, timezone=ZoneInfo(app.config["TIMEZONE"]))

    return build


def local_today(app: Flask) -> date:
    """Today's date in the app's timezone (the scheduler may run in any zone)."""
    return datetime.now(ZoneInfo(app.config["TIMEZONE"])).date()


def daily_at(hour: int, minute: int = 0) -> Callable[[Flask], BaseTrigger]:
    """Every day at ``hour:minute`` wall-clock time in the app's timezone (DST-safe)."""

    def build(app: Flask) -> BaseTrigger:
        return CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(app.config["TIMEZONE"]))

    return build


def weekly_on(day_of_week: str, hour: int, minute: int = 0) -> Callable[[Flask], BaseTrigger]:
    """Every week on ``day_of_week`` ("mon", …) at ``hour:minute`` in the app's timezone."""

    def build(app: Flask) -> BaseTrigger:
        return CronTrigger(
            day_of_week=day_of_week,
            hour=hour,
            minute=minute,
            timezone=ZoneInfo(app.config["TIMEZONE"]),
        )

    return build
