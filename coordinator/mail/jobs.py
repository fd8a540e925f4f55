"""Scheduler job: deliver the outbox."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.mail.delivery import deliver_due
from coordinator.scheduling.registry import every, register_job
from coordinator.scheduling.shutdown import stop_requested


def deliver_outbox(app: Flask) -> Mapping[str, int]:
    """Send every due mail; stops between mails when the scheduler is shutting down."""
    batch_size = int(app.config.get("MAIL_BATCH_SIZE", 200))
    return deliver_due(app, batch_size=batch_size, should_stop=stop_requested).as_counts()


register_job(
    "deliver-outbox",
    deliver_outbox,
    every("SCHEDULER_DELIVERY_SECONDS", 15),
    description=_l("Verstuurt de wachtende e-mail uit de outbox"),
)
