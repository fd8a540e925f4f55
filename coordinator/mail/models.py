"""The transactional outbox: every mail is a row written in the same transaction as its cause."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.extensions import db


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """A fully rendered RFC 5322 message waiting for (or done with) delivery."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Message-ID header, stable across retries so clients can deduplicate.
    message_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    #: What caused it ("invitation", "password-reset", "invite-request", ...).
    kind: Mapped[str] = mapped_column(sa.String(40))
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    #: Optional idempotency key: the same logical mail is never queued twice.
    dedup_key: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    #: The serialised message as sent on the wire (CRLF line endings).
    raw: Mapped[bytes] = mapped_column(sa.LargeBinary)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.QUEUED
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    #: A delivering process owns the row until this instant (a lease); expiry returns it.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
