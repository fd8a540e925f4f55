"""Accounts, personal API tokens and the login-attempt log used for rate limiting."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.directory.models import Area, Person
from coordinator.extensions import db


class AccountRole(enum.StrEnum):
    """What an account may do; ordered from most to least powerful."""

    ADMIN = "beheerder"
    COORDINATOR = "coordinator"
    EDITOR = "partner-redacteur"
    PARTNER = "partner"


coordinator_areas = sa.Table(
    "coordinator_areas",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


def new_security_stamp() -> str:
    """A random value that changes whenever credentials change (invalidates links and sessions)."""
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    """A login account; it always belongs to a person in the directory."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased so lookups behave the same on SQLite and PostgreSQL.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: argon2id hash; ``None`` until the invitation has been accepted.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[AccountRole] = mapped_column(enum_column(AccountRole))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), unique=True)
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl")
    #: Rotated on every password change; signed links and sessions embed it.
    security_stamp: Mapped[str] = mapped_column(sa.String(32), default=new_security_stamp)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()
    #: For coordinators: the stadsdelen whose tables they run.
    areas: Mapped[list[Area]] = relationship(secondary=coordinator_areas, order_by=Area.name)

    def get_id(self) -> str:
        """Session identity; includes the stamp so a password change ends other sessions."""
        return f"{self.id}:{self.security_stamp}"

    @property
    def is_active(self) -> bool:
        """An account works only while it is enabled and its person has not left."""
        return self.disabled_at is None and not self.person.has_left

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def organisation_id(self) -> int:
        return self.person.organisation_id


class ApiToken(db.Model):
    """A personal access token for ``Authorization: Bearer``; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: First characters of the token, shown in the UI to tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    """One login attempt; recent failures per address and per client throttle further tries.

    Kept in the database so the limit holds across several app processes.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index("ix_login_attempts_email_at", "email", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    remote_addr: Mapped[str] = mapped_column(sa.String(64), index=True)
    succeeded: Mapped[bool]
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
