"""``flask scheduler``: the dedicated scheduler process (foreground, one per deployment role)."""

from __future__ import annotations

import logging
import signal
import sys

import click
from flask import Flask, current_app

from coordinator.extensions import db
from coordinator.scheduling import shutdown
from coordinator.scheduling.registry import JobRegistry, load_jobs
from coordinator.scheduling.runner import build_scheduler
from coordinator.scheduling.runs import run_job
from coordinator.scheduling.singleton import AlreadyRunning, single_scheduler

log = logging.getLogger("coordinator.scheduling")


def configure_logging(level: str) -> None:
    """Log job runs to stderr; keep APScheduler's per-tick chatter out."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_skip_overlap_notices)


def _skip_overlap_notices(record: logging.LogRecord) -> bool:
    """A tick that finds its job still running is expected (max_instances=1), not a warning."""
    return "maximum number of running instances reached" not in record.getMessage()


def _stop_on_sigterm() -> None:
    """SIGTERM behaves like Ctrl-C: finish the current mail, then stop."""

    def handler(signum: int, _frame: object) -> None:
        shutdown.request_stop()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Voer elke taak één keer uit en stop (voor cron).")
@click.option("--job", "only", multiple=True, help="Alleen deze taak (herhaalbaar).")
@click.option("--log-level", default="INFO", show_default=True)
def scheduler_command(once: bool, only: tuple[str, ...], log_level: str) -> None:
    """Run the scheduler in the foreground: delivers mail and runs every registered job."""
    configure_logging(log_level)
    app = current_app._get_current_object()  # noqa: SLF001 - jobs push their own contexts
    registry = load_jobs()
    unknown = sorted(set(only) - set(registry.names()))
    if unknown:
        raise click.BadParameter(
            f"onbekende taak: {', '.join(unknown)} (bekend: {', '.join(registry.names())})"
        )
    if only:
        subset = JobRegistry()
        for spec in registry.jobs():
            if spec.name in only:
                subset.register(spec.name, spec.func, spec.trigger, description=spec.description)
        registry = subset
    try:
        # The engine's URL, not the setting: a relative SQLite path opens in the instance folder.
        with single_scheduler(db.engine.url):
            _run(app, registry, once=once)
    except AlreadyRunning as exc:
        raise click.ClickException(
            "Er draait al een planner voor deze SQLite-database; met SQLite mag er maar één "
            f"tegelijk draaien (slot: {exc})."
        ) from exc


def _run(app: Flask, registry: JobRegistry, *, once: bool) -> None:
    if once:
        for spec in registry.jobs():
            run_job(app, spec)
        return
    shutdown.reset()
    scheduler = build_scheduler(app, registry)
    _stop_on_sigterm()
    log.info("scheduler started with jobs: %s", ", ".join(registry.names()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        shutdown.request_stop()
        log.info("scheduler stopping; waiting for running jobs to finish the current step")
        scheduler.shutdown(wait=True)
