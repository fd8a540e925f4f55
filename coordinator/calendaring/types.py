"""Plain, frozen values the calendar builders take: a series, its overrides and its attendees.

Wall-clock times (``dtstart``, ``exdates``, ``recurrence_id``) are *naive* local times in the
series' ``tzid``; instants (``modified``) are aware. The tables capability maps its models onto
these values, so nothing in :mod:`coordinator.calendaring` needs an app or a database.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Text as iCalendar TEXT allows it: newlines normalised to LF, other controls removed.

    RFC 5545 excludes control characters (except HTAB) from TEXT; a stray one breaks parsers.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", value)


def clean_line(value: str) -> str:
    """A single line (names, summaries in headers): all whitespace runs become one space."""
    return " ".join(clean_text(value).split())


class Role(enum.StrEnum):
    """iCalendar ROLE of an attendee (RFC 5545 §3.2.16)."""

    CHAIR = "CHAIR"
    REQUIRED = "REQ-PARTICIPANT"
    OPTIONAL = "OPT-PARTICIPANT"
    NON_PARTICIPANT = "NON-PARTICIPANT"


class PartStat(enum.StrEnum):
    """iCalendar PARTSTAT of an attendee for a VEVENT (RFC 5545 §3.2.12)."""

    NEEDS_ACTION = "NEEDS-ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    TENTATIVE = "TENTATIVE"
    DELEGATED = "DELEGATED"


class Status(enum.StrEnum):
    """iCalendar STATUS of a VEVENT."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Mailbox:
    """A display name and an address, e.g. the organiser's mailbox."""

    name: str
    email: str

    def __post_init__(self) -> None:
        if (
            "@" not in self.email
            or any(c in self.email for c in ' \r\n<>"')
            or _CONTROLS.search(self.email)
        ):
            raise ValueError(f"not a mail address: {self.email!r}")
        object.__setattr__(self, "name", clean_line(self.name))


@dataclass(frozen=True, slots=True)
class AttendeeData:
    """One seat holder as an ATTENDEE."""

    name: str
    email: str
    role: Role = Role.REQUIRED
    partstat: PartStat = PartStat.NEEDS_ACTION
    rsvp: bool = True

    def __post_init__(self) -> None:
        Mailbox(self.name, self.email)  # same address rules
        object.__setattr__(self, "name", clean_line(self.name))
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "partstat", PartStat(self.partstat))

    @property
    def mailbox(self) -> Mailbox:
        return Mailbox(self.name, self.email)


@dataclass(frozen=True, slots=True)
class OverrideData:
    """A changed (moved, relocated or cancelled) occurrence of a series.

    :param recurrence_id: the *original* local start of the occurrence, as the RRULE yields it.
    :param dtstart: the new local start; ``None`` keeps the original.
    :param duration: the new duration; ``None`` keeps the series' duration.
    :param location: the new location; ``None`` keeps the series' location.
    :param sequence: this occurrence's own SEQUENCE; ``None`` uses the series' SEQUENCE.
    """

    recurrence_id: datetime
    dtstart: datetime | None = None
    duration: timedelta | None = None
    location: str | None = None
    status: Status = Status.CONFIRMED
    sequence: int | None = None

    def __post_init__(self) -> None:
        _require_naive(self.recurrence_id, "recurrence_id")
        if self.dtstart is not None:
            _require_naive(self.dtstart, "dtstart")
        if self.duration is not None and self.duration <= timedelta(0):
            raise ValueError("duration must be positive")
        if self.sequence is not None and self.sequence < 0:
            raise ValueError("sequence must not be negative")
        if self.location is not None:
            object.__setattr__(self, "location", clean_text(self.location))
        object.__setattr__(self, "status", Status(self.status))

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED


@dataclass(frozen=True, slots=True)
class SeriesData:
    """One schedule series of a table, with a stable UID.

    :param dtstart: local wall-clock start of the first occurrence (naive), in ``tzid``.
    :param rrule: RRULE value without the ``RRULE:`` prefix, or ``None`` for a single meeting.
        An UNTIL in it is UTC (``…Z``); a local UNTIL is converted when the calendar is built.
    :param exdates: local starts of occurrences that do not exist at all. Cancelled occurrences
        are overrides with ``Status.CANCELLED`` instead, so feeds can keep showing them.
    :param modified: when the organiser last changed the series (aware); feeds use it as
        DTSTAMP/LAST-MODIFIED so the same data always serialises to the same bytes.
    """

    uid: str
    sequence: int
    summary: str
    tzid: str
    dtstart: datetime
    duration: timedelta
    organizer: Mailbox
    rrule: str | None = None
    location: str = ""
    url: str | None = None
    description: str = ""
    exdates: tuple[datetime, ...] = ()
    status: Status = Status.CONFIRMED
    attendees: tuple[AttendeeData, ...] = ()
    overrides: tuple[OverrideData, ...] = ()
    modified: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.uid or any(c in self.uid for c in "\r\n"):
            raise ValueError("uid must be a non-empty single line")
        if self.sequence < 0:
            raise ValueError("sequence must not be negative")
        if self.duration <= timedelta(0):
            raise ValueError("duration must be positive")
        _require_naive(self.dtstart, "dtstart")
        try:
            ZoneInfo(self.tzid)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone: {self.tzid!r}") from exc
        if self.rrule is not None and self.rrule.upper().startswith("RRULE:"):
            object.__setattr__(self, "rrule", self.rrule[len("RRULE:") :])
        object.__setattr__(self, "summary", clean_line(self.summary))
        if not self.summary:
            raise ValueError("summary must not be empty")
        object.__setattr__(self, "location", clean_text(self.location))
        object.__setattr__(self, "description", clean_text(self.description))
        if self.url is not None and (not self.url.isprintable() or " " in self.url):
            raise ValueError("url must be a single printable line without spaces")
        if self.modified is not None and self.modified.tzinfo is None:
            raise ValueError("modified must be an aware instant")
        for value in self.exdates:
            _require_naive(value, "exdates")
        object.__setattr__(self, "exdates", tuple(sorted(set(self.exdates))))
        object.__setattr__(self, "attendees", tuple(self.attendees))
        overrides = tuple(sorted(self.overrides, key=lambda o: o.recurrence_id))
        ids = [o.recurrence_id for o in overrides]
        if len(ids) != len(set(ids)):
            raise ValueError("two overrides for the same recurrence_id")
        object.__setattr__(self, "overrides", overrides)
        object.__setattr__(self, "status", Status(self.status))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tzid)

    def override_for(self, recurrence_id: datetime) -> OverrideData | None:
        """The override of the occurrence that originally starts at ``recurrence_id``."""
        for override in self.overrides:
            if override.recurrence_id == recurrence_id:
                return override
        return None

    def with_attendees(self, attendees: Iterable[AttendeeData]) -> SeriesData:
        """The same series addressed to other attendees (e.g. one recipient only)."""
        return replace(self, attendees=tuple(attendees))


def _require_naive(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime")
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a naive local wall-clock time")
