"""RSVP use cases: check a signed link, and record the answer in the attendance register.

A link binds seat, person, series and occurrence (see :mod:`coordinator.calendaring.rsvp`). It
works only while that person still holds that seat and the occurrence still takes place, and
expires when the occurrence is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from coordinator.calendaring import invites
from coordinator.calendaring import rsvp as tokens
from coordinator.calendaring.rsvp import RsvpAction, RsvpClaim
from coordinator.directory.models import Person
from coordinator.errors import Conflict, DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.tables.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Seat,
    Table,
    TableSeries,
)
from coordinator.tables.recurrence import Status as OccurrenceStatus
from coordinator.tables.schedule import find_occurrence, occurrence_of

#: What each answer records for the seat.
ATTENDANCE = {
    RsvpAction.ACCEPT: AttendanceStatus.PRESENT,
    RsvpAction.DECLINE: AttendanceStatus.EXCUSED,
    RsvpAction.DEPUTY: AttendanceStatus.DEPUTY,
}


class LinkExpired(DomainError):
    status_code = 410


@dataclass(frozen=True)
class RsvpRequest:
    """A verified link and what it is about."""

    claim: RsvpClaim
    seat: Seat
    series: TableSeries
    person: Person
    start: datetime  #: the occurrence's actual start (aware)

    @property
    def table(self) -> Table:
        return self.series.table

    @property
    def action(self) -> RsvpAction:
        return self.claim.action


def check(token: str, *, now: datetime | None = None) -> RsvpRequest:
    """The verified request behind ``token``, or a Dutch refusal (nothing is changed)."""
    try:
        claim = tokens.verify(token, current_app.config["SECRET_KEY"], now=now)
    except tokens.RsvpExpired:
        raise LinkExpired(_("Deze link is verlopen: de bijeenkomst is al voorbij.")) from None
    except tokens.RsvpError:
        raise PermissionDenied(
            _("Deze link is ongeldig. Gebruik de link uit de laatste uitnodiging.")
        ) from None
    seat = db.session.get(Seat, claim.seat_id)
    series = db.session.scalar(sa.select(TableSeries).where(TableSeries.uid == claim.series_uid))
    if (
        seat is None
        or series is None
        or seat.table_id != series.table_id
        or seat.removed_at is not None
        or claim.recurrence_id is None
    ):
        raise PermissionDenied(_("Deze link hoort niet (meer) bij een zetel aan deze tafel."))
    person = next((p for p in seat.holders if p.id == claim.person_id), None)
    if person is None:
        raise PermissionDenied(
            _("U zit niet (meer) op deze zetel; deze link werkt daarom niet meer.")
        )
    found = find_occurrence(series.table, claim.recurrence_id)
    if found.series.id != series.id:
        raise PermissionDenied(_("Deze link hoort niet bij deze bijeenkomst."))
    if found.change is not None and found.change.status != OccurrenceStatus.SCHEDULED:
        raise Conflict(_("Deze bijeenkomst gaat niet door; u hoeft niets door te geven."))
    start = occurrence_of(series.table, found).start
    return RsvpRequest(claim=claim, seat=seat, series=series, person=person, start=start)


def _meeting(series: TableSeries, recurrence_id: datetime) -> Meeting:
    meeting = db.session.scalar(
        sa.select(Meeting).where(
            Meeting.series_id == series.id, Meeting.recurrence_id == recurrence_id
        )
    )
    if meeting is None:
        meeting = Meeting(table=series.table, series=series, recurrence_id=recurrence_id)
        db.session.add(meeting)
    return meeting


def respond(token: str, *, now: datetime | None = None) -> RsvpRequest:
    """Record the answer for the seat; "mijn vervanger gaat" also invites the deputy."""
    answer = check(token, now=now)
    seat, series, rid = answer.seat, answer.series, answer.claim.recurrence_id
    assert rid is not None
    deputy = seat.deputy
    if answer.action is RsvpAction.DEPUTY and (
        deputy is None or not deputy.email or deputy.has_left
    ):
        raise DomainError(
            _("Deze zetel heeft geen vervanger (meer). Meld u af of kies een vervanger.")
        )
    meeting = _meeting(series, rid)
    status = ATTENDANCE[answer.action]
    existing = next((a for a in meeting.attendances if a.seat_id == seat.id), None)
    if existing is None:
        meeting.attendances.append(Attendance(seat=seat, status=status))
    else:
        existing.status = status
    if answer.action is RsvpAction.DEPUTY:
        invites.send_to_deputy(seat, series, rid)
    db.session.commit()
    return answer
