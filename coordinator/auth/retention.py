"""Erase authentication data past its retention: old login attempts and revoked API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from coordinator.auth.models import ApiToken, LoginAttempt
from coordinator.db import now_utc
from coordinator.extensions import db

#: Login attempts (e-mail address, client address) are kept this long for rate limiting.
LOGIN_ATTEMPT_RETENTION = timedelta(days=30)
#: Revoked API tokens stay listed this long after revocation, then disappear.
REVOKED_TOKEN_RETENTION = timedelta(days=30)


def erase_expired(
    *,
    now: datetime | None = None,
    attempts_after: timedelta = LOGIN_ATTEMPT_RETENTION,
    tokens_after: timedelta = REVOKED_TOKEN_RETENTION,
) -> dict[str, int]:
    """Delete login attempts and revoked tokens older than their retention; commits."""
    now = now or now_utc()
    attempts = db.session.execute(
        sa.delete(LoginAttempt).where(LoginAttempt.attempted_at < now - attempts_after)
    )
    tokens = db.session.execute(
        sa.delete(ApiToken).where(
            ApiToken.revoked_at.is_not(None), ApiToken.revoked_at < now - tokens_after
        )
    )
    db.session.commit()
    return {
        "login_attempts": attempts.rowcount or 0,
        "api_tokens": tokens.rowcount or 0,
    }
