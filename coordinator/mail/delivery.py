"""Deliver what is due from the outbox: claim with a lease, send, mark; safe across processes.

Claiming is one atomic ``WITH c AS (SELECT … FOR UPDATE SKIP LOCKED) UPDATE … RETURNING``:
on PostgreSQL the row locks let two delivering processes skip each other's rows (the locked
rows are re-checked against the newest committed version); on SQLite the statement takes the
database write lock before it reads, so reading and claiming are one step (a compare-and-set
lease; a concurrent writer makes it wait, never claim twice). Each outcome is committed right after its SMTP
answer, so a process killed (SIGKILL) at any moment leaves at most the one mail it was sending
unrecorded. Its leases expire and return the rows to the queue; at worst that one mail is sent
again with the same Message-ID (it is part of the stored bytes), so clients can deduplicate.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext as _

from coordinator.db import now_utc
from coordinator.errors import Conflict, NotFound
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.mail.transports import (
    ConnectionDeliveryError,
    PermanentDeliveryError,
    TransientDeliveryError,
    Transport,
    transport_for,
)

log = logging.getLogger(__name__)

#: How long a claim holds before another process may take the row over (``MAIL_LEASE_SECONDS``).
LEASE = timedelta(minutes=5)
#: Transient failures are retried this many times before the row is marked failed.
MAX_ATTEMPTS = 12
#: Backoff base and ceiling for transient failures.
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)

_O = OutboxMessage


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    #: Claimed but handed back unsent (SMTP server unreachable, shutdown, lease lost).
    released: int = 0

    def as_counts(self) -> dict[str, int]:
        return {
            "claimed": self.claimed,
            "sent": self.sent,
            "retried": self.retried,
            "failed": self.failed,
            "released": self.released,
        }


@dataclass(frozen=True)
class ClaimedMail:
    """The columns delivery needs from a claimed outbox row."""

    id: int
    recipient: str
    raw: bytes
    message_id: str
    attempts: int
    due_at: datetime


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failure: 30 s, 60 s, 120 s, … ≤ 6 h."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def worker_name() -> str:
    """``host:pid:random``: who holds a claim (shown on the admin page)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(4)}"


def lease_for(app: Flask) -> timedelta:
    return timedelta(seconds=float(app.config.get("MAIL_LEASE_SECONDS", LEASE.total_seconds())))


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        _O.status == OutboxStatus.QUEUED,
        _O.due_at <= now,
        sa.or_(_O.claimed_until.is_(None), _O.claimed_until < now),
    )


def claim_batch(
    limit: int, *, worker: str, now: datetime | None = None, lease: timedelta = LEASE
) -> list[ClaimedMail]:
    """Claim up to ``limit`` due rows for ``worker`` until ``now + lease`` and commit the claim.

    A row is due when it is queued, its ``due_at`` has passed and nobody holds a live lease.
    """
    now = now or now_utc()
    candidates = (
        sa.select(_O.id)
        .where(_claimable(now))
        .order_by(_O.due_at, _O.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("claimable")
    )
    statement = (
        sa.update(_O)
        .where(_O.id == candidates.c.id)
        .values(claimed_until=now + lease, claimed_by=worker)
        .returning(_O.id, _O.recipient, _O.raw, _O.message_id, _O.attempts, _O.due_at)
        .execution_options(synchronize_session=False)
    )
    try:
        rows = db.session.execute(statement).all()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    claimed = [ClaimedMail(*row) for row in rows]
    claimed.sort(key=lambda mail: (mail.due_at, mail.id))
    return claimed


def renew_lease(
    ids: Sequence[int], *, worker: str, now: datetime | None = None, lease: timedelta = LEASE
) -> set[int]:
    """Extend ``worker``'s live leases on ``ids``; returns the ids it still holds."""
    if not ids:
        return set()
    now = now or now_utc()
    statement = (
        sa.update(_O)
        .where(
            _O.id.in_(ids),
            _O.claimed_by == worker,
            _O.claimed_until > now,
            _O.status == OutboxStatus.QUEUED,
        )
        .values(claimed_until=now + lease)
        .returning(_O.id)
        .execution_options(synchronize_session=False)
    )
    held = set(db.session.scalars(statement))
    db.session.commit()
    return held


def release(ids: Sequence[int], *, worker: str, due_at: datetime | None = None) -> int:
    """Hand ``worker``'s claims on ``ids`` back to the queue unsent (optionally due later)."""
    if not ids:
        return 0
    values: dict[str, object] = {"claimed_until": None}
    if due_at is not None:
        values["due_at"] = due_at
    result = db.session.execute(
        sa.update(_O)
        .where(_O.id.in_(ids), _O.claimed_by == worker, _O.status == OutboxStatus.QUEUED)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount or 0


def _record(mail: ClaimedMail, worker: str, values: dict[str, object], *, owned: bool) -> None:
    """Write one outcome and commit it at once.

    On PostgreSQL the commit is asynchronous (``synchronous_commit = off`` for this transaction
    only): a killed *delivery process* still loses nothing, since the server has the commit; only
    a crash of the *database server* could forget the last fraction of a second of outcomes, and a
    forgotten "sent" only means that mail goes once more, with the same Message-ID. Queueing mail
    stays fully durable. On the bench this took two processes from ~230 to ~370 mails/s.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
    statement = sa.update(_O).where(_O.id == mail.id)
    if owned:
        statement = statement.where(_O.claimed_by == worker)
    db.session.execute(statement.values(**values).execution_options(synchronize_session=False))
    db.session.commit()


def mark_sent(mail: ClaimedMail, worker: str) -> None:
    """The server accepted the mail. Recorded even if the lease was lost meanwhile: it is true."""
    _record(
        mail,
        worker,
        {
            "status": OutboxStatus.SENT,
            "sent_at": now_utc(),
            "attempts": mail.attempts + 1,
            "last_error": None,
            "claimed_until": None,
        },
        owned=False,
    )


def mark_failed(mail: ClaimedMail, worker: str, error: str) -> None:
    """A permanent refusal (5xx): stop and show it on the admin page."""
    _record(
        mail,
        worker,
        {
            "status": OutboxStatus.FAILED,
            "attempts": mail.attempts + 1,
            "last_error": error[:2000],
            "claimed_until": None,
        },
        owned=True,
    )


def mark_deferred(mail: ClaimedMail, worker: str, error: str, now: datetime) -> bool:
    """A transient failure: retry after the backoff; returns False when attempts ran out."""
    attempts = mail.attempts + 1
    gives_up = attempts >= MAX_ATTEMPTS
    values: dict[str, object] = {
        "attempts": attempts,
        "last_error": error[:2000],
        "claimed_until": None,
        "due_at": now + backoff(attempts),
    }
    if gives_up:
        values["status"] = OutboxStatus.FAILED
    _record(mail, worker, values, owned=True)
    return not gives_up


def deliver_batch(
    mails: Sequence[ClaimedMail],
    transport: Transport,
    *,
    sender: str,
    worker: str,
    lease: timedelta,
    report: DeliveryReport,
    should_stop: Callable[[], bool] | None = None,
) -> bool:
    """Send the claimed ``mails`` one by one, recording each outcome as soon as it is known.

    Returns False when delivery should stop for now (server unreachable or shutdown requested);
    the unsent rest of the batch is then released.
    """
    held = {mail.id for mail in mails}
    renew_at = now_utc() + lease / 2
    for index, mail in enumerate(mails):
        rest = [m.id for m in mails[index:]]
        if should_stop is not None and should_stop():
            report.released += release(rest, worker=worker)
            return False
        if now_utc() >= renew_at:
            held = renew_lease(rest, worker=worker, lease=lease)
            renew_at = now_utc() + lease / 2
        if mail.id not in held:
            log.warning("lease on mail %s lost; another process will send it", mail.id)
            continue
        try:
            transport.send(
                sender=sender, recipient=mail.recipient, raw=mail.raw, message_id=mail.message_id
            )
        except PermanentDeliveryError as exc:
            mark_failed(mail, worker, str(exc))
            report.failed += 1
            log.warning("mail %s to %s failed permanently: %s", mail.id, mail.recipient, exc)
        except ConnectionDeliveryError as exc:
            now = now_utc()
            if mark_deferred(mail, worker, str(exc), now):
                report.retried += 1
            else:
                report.failed += 1
            later = now + backoff(mail.attempts + 1)
            report.released += release(rest[1:], worker=worker, due_at=later)
            log.warning("mail server unreachable, delivery paused until %s: %s", later, exc)
            return False
        except Exception as exc:  # noqa: BLE001 - transient and unexpected errors both retry
            if not isinstance(exc, TransientDeliveryError):
                log.exception("unexpected error sending mail %s", mail.id)
            text = str(exc) or type(exc).__name__
            if mark_deferred(mail, worker, text, now_utc()):
                report.retried += 1
                log.info("mail %s to %s deferred: %s", mail.id, mail.recipient, text)
            else:
                report.failed += 1
                log.warning(
                    "mail %s to %s gave up after %s attempts", mail.id, mail.recipient, MAX_ATTEMPTS
                )
        else:
            mark_sent(mail, worker)
            report.sent += 1
    return True


def deliver_due(
    app: Flask,
    *,
    batch_size: int = 200,
    max_batches: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send every due message once; returns counts. Call inside an app context."""
    report = DeliveryReport()
    worker = worker_name()
    sender = app.config["MAIL_FROM"]
    lease = lease_for(app)
    transport = transport_for(app)
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            mails = claim_batch(batch_size, worker=worker, lease=lease)
            if not mails:
                break
            batches += 1
            report.claimed += len(mails)
            if not deliver_batch(
                mails,
                transport,
                sender=sender,
                worker=worker,
                lease=lease,
                report=report,
                should_stop=should_stop,
            ):
                break
    finally:
        transport.close()
    return report


def retry_failed(message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue now (the admin's "opnieuw proberen").

    The Message-ID stays the same; the last error stays visible until the next attempt.
    """
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound(_("Dit bericht bestaat niet (meer)."))
    if row.status != OutboxStatus.FAILED:
        raise Conflict(_("Alleen mislukte berichten kunnen opnieuw worden verstuurd."))
    row.status = OutboxStatus.QUEUED
    row.due_at = now_utc()
    row.attempts = 0
    row.claimed_until = None
    db.session.commit()
    log.info("mail %s requeued by an administrator", message_id)
    return row
