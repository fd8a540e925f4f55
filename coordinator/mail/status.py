"""Read-only views of the outbox for the admin page: counts and the rows worth a look."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage, OutboxStatus

_O = OutboxMessage


@dataclass(frozen=True)
class OutboxCounts:
    queued: int
    #: Of the queued: held right now by a delivering process.
    in_flight: int
    #: Of the queued: waiting for a retry after a transient failure.
    retrying: int
    sent: int
    failed: int


def outbox_counts() -> OutboxCounts:
    now = now_utc()
    by_status = dict(
        db.session.execute(sa.select(_O.status, sa.func.count()).group_by(_O.status)).all()
    )
    queued = _O.status == OutboxStatus.QUEUED
    in_flight = db.session.scalar(sa.select(sa.func.count()).where(queued, _O.claimed_until > now))
    retrying = db.session.scalar(sa.select(sa.func.count()).where(queued, _O.attempts > 0))
    return OutboxCounts(
        queued=by_status.get(OutboxStatus.QUEUED, 0),
        in_flight=in_flight or 0,
        retrying=retrying or 0,
        sent=by_status.get(OutboxStatus.SENT, 0),
        failed=by_status.get(OutboxStatus.FAILED, 0),
    )


def failed_messages(limit: int = 200) -> Sequence[OutboxMessage]:
    """Permanently failed mails, newest first: each needs a human decision."""
    return db.session.scalars(
        sa.select(_O).where(_O.status == OutboxStatus.FAILED).order_by(_O.id.desc()).limit(limit)
    ).all()


def retrying_messages(limit: int = 100) -> Sequence[OutboxMessage]:
    """Queued mails that failed transiently and wait for their next attempt."""
    return db.session.scalars(
        sa.select(_O)
        .where(_O.status == OutboxStatus.QUEUED, _O.attempts > 0)
        .order_by(_O.due_at, _O.id)
        .limit(limit)
    ).all()


def recently_sent(limit: int = 20) -> Sequence[OutboxMessage]:
    return db.session.scalars(
        sa.select(_O)
        .where(_O.status == OutboxStatus.SENT)
        .order_by(_O.sent_at.desc(), _O.id.desc())
        .limit(limit)
    ).all()
