"""Secret feed tokens: one per subscription URL, stored only as a SHA-256 hash."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.auth.models import User
from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.extensions import db


class FeedScope(enum.StrEnum):
    """What a feed shows: a person's seats, an organisation's seats, one table, or an area."""

    PERSON = "person"
    ORGANISATION = "organisation"
    TABLE = "table"
    AREA = "area"


class FeedToken(db.Model):
    """A calendar subscription URL; the token itself is shown once and never stored."""

    __tablename__ = "feed_tokens"
    __table_args__ = (sa.Index("ix_feed_tokens_scope_target", "scope", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope))
    #: Id of the person, organisation, table or area (by ``scope``).
    target_id: Mapped[int]
    #: SHA-256 (hex) of the token; rows are looked up by it.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: First characters of the token, to tell subscriptions apart in the UI.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<FeedToken {self.id} {self.scope.value}:{self.target_id} {self.prefix}…>"


class FeedCache(db.Model):
    """The serialised body of one feed at one data version, shared by all app processes.

    One row per (scope, target): storing a newer version replaces the older one, so old
    versions never pile up. Rows whose target is gone are pruned by the ``prune-feed-cache`` job.
    """

    __tablename__ = "feed_cache"

    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope), primary_key=True)
    target_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: The data version (also the ETag) the body was built for.
    version: Mapped[str] = mapped_column(sa.String(64))
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<FeedCache {self.scope.value}:{self.target_id} {self.version}>"
