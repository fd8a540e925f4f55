"""Scheduler job: erase expired authentication data daily."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.auth.retention import (
    LOGIN_ATTEMPT_RETENTION,
    REVOKED_TOKEN_RETENTION,
    erase_expired,
)
from coordinator.scheduling.registry import daily_at, register_job


def erase_expired_auth_data(app: Flask) -> Mapping[str, int]:
    config = app.config
    return erase_expired(
        attempts_after=timedelta(
            days=config.get("LOGIN_ATTEMPT_RETENTION_DAYS", LOGIN_ATTEMPT_RETENTION.days)
        ),
        tokens_after=timedelta(
            days=config.get("REVOKED_TOKEN_RETENTION_DAYS", REVOKED_TOKEN_RETENTION.days)
        ),
    )


register_job(
    "erase-expired-auth-data",
    erase_expired_auth_data,
    daily_at(3, 30),
    description=_l("Wist oude inlogpogingen en ingetrokken API-tokens"),
)
