"""Tables (matchtafels and other recurring meetings): schedule series and their exceptions,
seats and their handover history, and per occurrence a meeting with agenda, minutes,
attendance, guests and action items (afspraken) owned by seats.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.directory.models import Area, Organisation, Person, Role
from coordinator.extensions import db
from coordinator.tables.recurrence import Status as OccurrenceStatus


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
    paused_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    funding_ends_on: Mapped[date | None]
    #: IANA zone in which the schedule is kept; occurrences expand in its wall-clock time.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Amsterdam")
    #: Days before each occurrence that seat holders get a reminder.
    reminder_days_before: Mapped[int] = mapped_column(default=2)
    agenda_template: Mapped[str] = mapped_column(sa.Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    #: Raised on every flush that changes what a calendar feed shows of this table (the table,
    #: its series or their exceptions); see :mod:`coordinator.feeds.revision`.
    feed_revision: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When ``feed_revision`` was last raised (feeds' Last-Modified).
    feed_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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
    #: Set when the series was called off before its first occurrence (the whole UID is off).
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    table: Mapped[Table] = relationship(back_populates="series")
    changes: Mapped[list[OccurrenceChange]] = relationship(
        back_populates="series",
        order_by="OccurrenceChange.recurrence_id",
        cascade="all, delete-orphan",
    )


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
    #: Set when the holder left without a successor: the dashboard warns until a handover.
    needs_successor_since: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    table: Mapped[Table] = relationship(back_populates="seats")
    organisation: Mapped[Organisation] = relationship()
    role: Mapped[Role] = relationship()
    deputy: Mapped[Person | None] = relationship()
    handovers: Mapped[list[SeatHandover]] = relationship(
        back_populates="seat", order_by="SeatHandover.id", cascade="all, delete-orphan"
    )
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="seat", order_by="ActionItem.id", cascade="all, delete-orphan"
    )

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

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def open_action_items(self) -> list[ActionItem]:
        return [a for a in self.action_items if a.status == ActionStatus.OPEN]


class OccurrenceChange(db.Model):
    """An exception to one occurrence: moved, cancelled or skipped (keyed by RECURRENCE-ID)."""

    __tablename__ = "occurrence_changes"
    __table_args__ = (sa.UniqueConstraint("series_id", "recurrence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("table_series.id", ondelete="CASCADE"), index=True
    )
    #: Original local start of the occurrence (naive wall-clock time, like DTSTART).
    recurrence_id: Mapped[datetime]
    status: Mapped[OccurrenceStatus] = mapped_column(
        enum_column(OccurrenceStatus, name="occurrencestatus"), default=OccurrenceStatus.SCHEDULED
    )
    #: New local start when moved.
    new_start: Mapped[datetime | None]
    new_duration_minutes: Mapped[int | None]
    location: Mapped[str | None] = mapped_column(sa.String(300))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: iTIP SEQUENCE of this occurrence's override, raised on every change to it.
    sequence: Mapped[int] = mapped_column(default=0)
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    series: Mapped[TableSeries] = relationship(back_populates="changes")


class Meeting(db.Model):
    """What happened at one occurrence: agenda, minutes, attendance and guests."""

    __tablename__ = "meetings"
    __table_args__ = (sa.UniqueConstraint("series_id", "recurrence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tables.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("table_series.id", ondelete="CASCADE"), index=True
    )
    recurrence_id: Mapped[datetime]
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    minutes: Mapped[str] = mapped_column(sa.Text, default="")
    minutes_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    table: Mapped[Table] = relationship()
    series: Mapped[TableSeries] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    guests: Mapped[list[Guest]] = relationship(
        back_populates="meeting", order_by="Guest.id", cascade="all, delete-orphan"
    )


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "afgerond"
    DROPPED = "vervallen"


class ActionItem(db.Model):
    """An afspraak owned by a seat (never a person), carried forward until done."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tables.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id", ondelete="CASCADE"), index=True)
    #: The meeting where it was agreed.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus), default=ActionStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    table: Mapped[Table] = relationship()
    seat: Mapped[Seat] = relationship(back_populates="action_items")
    meeting: Mapped[Meeting | None] = relationship()


class AttendanceStatus(enum.StrEnum):
    PRESENT = "aanwezig"
    DEPUTY = "vervanger aanwezig"
    EXCUSED = "afgemeld"
    ABSENT = "afwezig"


class Attendance(db.Model):
    """Whether a seat was there at a meeting."""

    __tablename__ = "attendances"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "seat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    seat: Mapped[Seat] = relationship()


class Guest(db.Model):
    """A one-off professional guest at a single meeting (no seat, no invitations later)."""

    __tablename__ = "meeting_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))

    meeting: Mapped[Meeting] = relationship(back_populates="guests")


class HandoverKind(enum.StrEnum):
    SUCCESSOR = "opvolger"
    DEPUTY_PROMOTED = "vervanger"
    #: The (only) holder left: the seat is vacant and the dashboard warns.
    VACATED = "vacant"
    #: A holder left while a colleague still holds the role: history only, no warning.
    LEFT = "vertrokken"

    @property
    def label(self) -> str:
        """What happened, for the seat's history."""
        return str(_HANDOVER_LABELS[self])


_HANDOVER_LABELS = {
    HandoverKind.SUCCESSOR: _l("overgedragen aan opvolger"),
    HandoverKind.DEPUTY_PROMOTED: _l("vervanger neemt de zetel over"),
    HandoverKind.VACATED: _l("uit dienst; zetel vacant"),
    HandoverKind.LEFT: _l("uit dienst; een collega blijft houder"),
}


class SeatHandover(db.Model):
    """One entry in a seat's history: who handed it to whom, when, and the handover note."""

    __tablename__ = "seat_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(sa.ForeignKey("seats.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HandoverKind] = mapped_column(enum_column(HandoverKind))
    from_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    to_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("people.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    on_date: Mapped[date]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    seat: Mapped[Seat] = relationship(back_populates="handovers")
    from_person: Mapped[Person | None] = relationship(foreign_keys=[from_person_id])
    to_person: Mapped[Person | None] = relationship(foreign_keys=[to_person_id])
