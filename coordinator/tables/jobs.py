"""Scheduler job of the tables capability: reminders before each occurrence."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.scheduling.registry import every, register_job
from coordinator.tables.reminders import send_due_reminders

#: Default period of the reminder sweep (``REMINDER_SWEEP_SECONDS``).
REMINDER_SWEEP_SECONDS = 15 * 60


def send_reminders(app: Flask) -> Mapping[str, int]:
    """Queue the reminders that are due and not queued yet (idempotent)."""
    return send_due_reminders()


register_job(
    "send-reminders",
    send_reminders,
    every("REMINDER_SWEEP_SECONDS", REMINDER_SWEEP_SECONDS),
    description=_l("Herinneringen aan zetelhouders vóór elke bijeenkomst"),
)
