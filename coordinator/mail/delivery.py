"""Deliver what is due from the outbox: claim with a lease, send, mark; safe across processes.

Claiming is a compare-and-set UPDATE (plus ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two
delivering processes never take the same row. A process killed mid-batch leaves leases that
expire and return the rows to the queue; at worst a message is sent again with the same
Message-ID.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.mail.transports import (
    PermanentDeliveryError,
    TransientDeliveryError,
    Transport,
    transport_for,
)

log = logging.getLogger(__name__)

#: How long a claim holds before another process may take the row over.
LEASE = timedelta(minutes=5)
#: Transient failures are retried this many times before the row is marked failed.
MAX_ATTEMPTS = 12
#: Backoff base and ceiling for transient failures.
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failure: 30 s, 60 s, 120 s, … ≤ 6 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def claim_batch(limit: int, *, worker: str, now: datetime | None = None) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows for ``worker`` and commit the claim."""
    now = now or now_utc()
    claimable = sa.and_(
        OutboxMessage.status == OutboxStatus.QUEUED,
        OutboxMessage.due_at <= now,
        sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )
    candidates = (
        sa.select(OutboxMessage.id)
        .where(claimable)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(candidates))
    if not ids:
        db.session.rollback()
        return []
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), claimable)
        .values(claimed_until=now + LEASE, claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == worker)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
    )


def _send_one(
    row: OutboxMessage, transport: Transport, sender: str, report: DeliveryReport
) -> None:
    try:
        transport.send(
            sender=sender, recipient=row.recipient, raw=row.raw, message_id=row.message_id
        )
    except PermanentDeliveryError as exc:
        row.status = OutboxStatus.FAILED
        row.attempts += 1
        row.last_error = str(exc)
        row.claimed_until = None
        report.failed += 1
        log.warning("mail %s to %s failed permanently: %s", row.id, row.recipient, exc)
    except TransientDeliveryError as exc:
        row.attempts += 1
        row.last_error = str(exc)
        row.claimed_until = None
        if row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
            report.failed += 1
        else:
            row.due_at = now_utc() + backoff(row.attempts)
            report.retried += 1
        log.info("mail %s to %s deferred: %s", row.id, row.recipient, exc)
    else:
        row.status = OutboxStatus.SENT
        row.sent_at = now_utc()
        row.attempts += 1
        row.last_error = None
        row.claimed_until = None
        report.sent += 1
    db.session.commit()


def deliver_due(
    app: Flask, *, batch_size: int = 200, max_batches: int | None = None
) -> DeliveryReport:
    """Send every due message once; returns counts. Call inside an app context."""
    report = DeliveryReport()
    worker = worker_name()
    sender = app.config["MAIL_FROM"]
    transport = transport_for(app)
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            rows = claim_batch(batch_size, worker=worker)
            if not rows:
                break
            batches += 1
            report.claimed += len(rows)
            for row in rows:
                _send_one(row, transport, sender, report)
    finally:
        transport.close()
    return report


def retry_failed(message_id: int) -> bool:
    """Put a failed message back in the queue now (the admin's "opnieuw proberen")."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.status != OutboxStatus.FAILED:
        return False
    row.status = OutboxStatus.QUEUED
    row.due_at = now_utc()
    row.attempts = 0
    db.session.commit()
    return True
