"""Mail retention: sent mail leaves the outbox after ``OUTBOX_RETENTION_DAYS``.

The outbox keeps each mail's full text (``raw``), including question-board questions and
answers; without this, those would outlive the threads the question purge deletes. Only mail
that was *sent* is deleted: queued mail (also mail waiting for a retry) and mail that failed
for good stay for the delivery job and the admin page.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage, OutboxStatus

#: Sent mail is kept this many days (``OUTBOX_RETENTION_DAYS``).
OUTBOX_RETENTION_DAYS = 30
#: Mail with a ``dedup_key`` is kept at least this long, whatever the retention: the key is what
#: stops a monthly verification request, weekly digest or reminder (≤ 30 days ahead) from being
#: queued a second time, so it must outlive the longest of those periods.
DEDUP_KEY_MIN_DAYS = 31


def purge_sent_mail(retention_days: int, now: datetime | None = None) -> int:
    """Delete mail sent more than ``retention_days`` ago; return how many. Idempotent."""
    now = now or now_utc()
    cutoff = now - timedelta(days=max(0, retention_days))
    keyed_cutoff = min(cutoff, now - timedelta(days=DEDUP_KEY_MIN_DAYS))
    result = db.session.execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at.is_not(None),
            sa.or_(
                sa.and_(OutboxMessage.dedup_key.is_(None), OutboxMessage.sent_at < cutoff),
                sa.and_(OutboxMessage.dedup_key.is_not(None), OutboxMessage.sent_at < keyed_cutoff),
            ),
        )
    )
    db.session.commit()
    return result.rowcount or 0
