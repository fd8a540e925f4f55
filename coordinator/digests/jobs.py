"""Scheduler jobs: the weekly continuity digest and the monthly verification request."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.digests.continuity import send_continuity_digests
from coordinator.digests.verification import send_verification_requests
from coordinator.scheduling.registry import register_job, weekly_on


def monthly_on(day: int, hour: int, minute: int = 0) -> Callable[[Flask], BaseTrigger]:
    """Every month on ``day`` at ``hour:minute`` in the app's timezone."""

    def build(app: Flask) -> BaseTrigger:
        return CronTrigger(
            day=day, hour=hour, minute=minute, timezone=ZoneInfo(app.config["TIMEZONE"])
        )

    return build


def continuity_digest(app: Flask) -> Mapping[str, int]:
    """This week's digest to each coordinator (once per ISO week; catch-up runs are harmless)."""
    return send_continuity_digests()


def verification_requests(app: Flask) -> Mapping[str, int]:
    """This month's "controleer uw gegevens" mail (once per month per redacteur)."""
    return send_verification_requests()


register_job(
    "continuity-digest",
    continuity_digest,
    weekly_on("mon", 7, 0),
    description=_l("Wekelijks continuïteitsoverzicht aan coördinatoren"),
)
register_job(
    "verification-requests",
    verification_requests,
    monthly_on(1, 7, 0),
    description=_l("Maandelijks verzoek aan redacteuren om verouderde gegevens te controleren"),
)
