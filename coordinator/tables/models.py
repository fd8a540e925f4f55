"""Tables (matchtafels and other recurring meetings), their schedule series and their seats."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.directory.models import Area, Organisation, Person, Role
from coordinator.extensions import db


class TableKind(enum.StrEnum):
    MATCHTAFEL = "matchtafel"
    NETWORK = "netwerkbijeenkomst"
    PARTICIPATION = "participatiebijeenkomst"
    TOUR = "rondleiding"
    CONSULTATION = "spreekuur"
    INTERVISION = "intervisie"


class TableStatus(enum.StrEnum):
    ACTIVE = "actief"
    PAUSED = "gepauzeerd"
    ENDED = "beeindigd"


class Table(db.Model):
    """A recurring meeting of a district, owned by the organisations around it."""

    __tablename__ = "tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[TableKind] = mapped_column(enum_column(TableKind), default=TableKind.MATCHTAFEL)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[TableStatus] = mapped_column(
        enum_column(TableStatus), default=TableStatus.ACTIVE
    )
    pause_reason: Mapped[str] = mapped_column(sa.Text, default="")
    funding_ends_on: Mapped[date | None]
    #: IANA zone in which the schedule is kept; occurrences expand in its wall-clock time.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    #: Days before each occurrence that seat holders get a reminder.
    reminder_days_before: Mapped[int] = mapped_column(default=2)
    agenda_template: Mapped[str] = mapped_column(sa.Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    area: Mapped[Area] = relationship()
    series: Mapped[list[TableSeries]] = relationship(
        back_populates="table", order_by="TableSeries.dtstart", cascade="all, delete-orphan"
    )
    seats: Mapped[list[Seat]] = relationship(
        back_populates="table", order_by="Seat.id", cascade="all, delete-orphan"
    )

    @property
    def active_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.removed_at is None]


class TableSeries(db.Model):
    """One run of a table's schedule: a local DTSTART, a duration and an RRULE, with its own UID.

    Changing the schedule from a date on ends this series (UNTIL) and starts a new one with a new
    UID, because not every calendar client applies a new DTSTART on an existing UID.
    """

    __tablename__ = "table_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tables.id", ondelete="CASCADE"), index=True
    )
    #: iCalendar UID, stable for the life of the series.
    uid: Mapped[str] = mapped_column(sa.String(255), unique=True)
    #: Wall-clock start of the first occurrence in the table's timezone (naive on purpose).
    dtstart: Mapped[datetime]
    duration_minutes: Mapped[int]
    #: RFC 5545 RRULE value without the ``RRULE:`` prefix; UNTIL, when present, is in UTC.
    rrule: Mapped[str] = mapped_column(sa.String(500))
    #: iTIP SEQUENCE, raised on every change the organiser makes to the series.
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    table: Mapped[Table] = relationship(back_populates="series")


class Seat(db.Model):
    """A place at a table for an organisation role; whoever holds the role sits in it."""

    __tablename__ = "seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tables.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("roles.id"), index=True)
    #: The vervanger who stands in when the holder cannot come.
    deputy_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    #: Coordinator seats run the table.
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    table: Mapped[Table] = relationship(back_populates="seats")
    organisation: Mapped[Organisation] = relationship()
    role: Mapped[Role] = relationship()
    deputy: Mapped[Person | None] = relationship()

    @property
    def label(self) -> str:
        """How a seat is named: "COA – participatie"."""
        return f"{self.organisation.name} – {self.role.name}"

    @property
    def holders(self) -> list[Person]:
        return self.role.holders

    @property
    def is_vacant(self) -> bool:
        return not self.holders
