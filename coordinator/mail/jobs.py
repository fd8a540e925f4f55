"""Scheduler jobs: deliver the outbox, and delete sent mail past its retention."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.mail.delivery import deliver_due
from coordinator.mail.retention import OUTBOX_RETENTION_DAYS, purge_sent_mail
from coordinator.scheduling.registry import daily_at, every, register_job
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


def purge_outbox(app: Flask) -> Mapping[str, int]:
    """Delete sent mail older than ``OUTBOX_RETENTION_DAYS``; unsent mail is never touched."""
    days = int(app.config.get("OUTBOX_RETENTION_DAYS", OUTBOX_RETENTION_DAYS))
    return {"deleted": purge_sent_mail(days)}


register_job(
    "purge-sent-mail",
    purge_outbox,
    daily_at(4, 10),
    description=_l("Verwijdert verstuurde e-mail uit de outbox na de bewaartermijn"),
)
