"""Table use cases: create and edit tables, pause/resume/end, seats and their handover.

Services validate everything first, then change, emit signals, and commit once: bad input
changes nothing. The schedule lives in :mod:`coordinator.tables.schedule`, meetings in
:mod:`coordinator.tables.meetings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator import signals
from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.directory.models import Area, Assignment, Organisation, Person, Role
from coordinator.errors import Conflict, DomainError, NotFound
from coordinator.extensions import db
from coordinator.permissions import can_manage_area, require
from coordinator.privacy import ensure_no_personal_data
from coordinator.tables import recurrence
from coordinator.tables.access import require_hand_over, require_manage
from coordinator.tables.models import (
    HandoverKind,
    Seat,
    SeatHandover,
    Table,
    TableKind,
    TableStatus,
)
from coordinator.tables.schedule import Schedule, apply_schedule, end_series_before, local_now

# --- tables ------------------------------------------------------------------------------


@dataclass
class TableData:
    """The editable fields of a table (the form and the API both fill this)."""

    name: str
    area_id: int
    kind: str = TableKind.MATCHTAFEL.value
    purpose: str = ""
    location: str = ""
    online_url: str | None = None
    timezone: str = "Europe/Amsterdam"
    funding_ends_on: date | None = None
    agenda_template: str = ""
    reminder_days_before: int = 2


def get_table(table_id: int) -> Table:
    table = db.session.get(Table, table_id)
    if table is None:
        raise NotFound(_("Deze tafel bestaat niet."))
    return table


def _clean(data: TableData) -> tuple[TableData, Area, TableKind]:
    """Validate every field; return the cleaned data, the area and the kind."""
    name = (data.name or "").strip()
    if not name:
        raise DomainError(_("Geef de tafel een naam."), field="name")
    if len(name) > 200:
        raise DomainError(_("De naam is te lang (maximaal 200 tekens)."), field="name")
    try:
        kind = TableKind(data.kind)
    except ValueError:
        raise DomainError(_("Onbekend soort bijeenkomst."), field="kind") from None
    area = db.session.get(Area, data.area_id) if data.area_id else None
    if area is None:
        raise DomainError(_("Kies een stadsdeel of wijk."), field="area_id")
    recurrence.zone(data.timezone or "")
    url = (data.online_url or "").strip() or None
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DomainError(
                _("De online link moet met https:// (of http://) beginnen."), field="online_url"
            )
    location = (data.location or "").strip()
    if len(location) > 300:
        raise DomainError(_("De locatie is te lang (maximaal 300 tekens)."), field="location")
    if not isinstance(data.reminder_days_before, int) or not 0 <= data.reminder_days_before <= 30:
        raise DomainError(
            _("Herinneren kan 0 tot 30 dagen van tevoren."), field="reminder_days_before"
        )
    ensure_no_personal_data(data.purpose or "", field="purpose")
    ensure_no_personal_data(data.agenda_template or "", field="agenda_template")
    cleaned = TableData(
        name=name,
        area_id=area.id,
        kind=kind.value,
        purpose=(data.purpose or "").strip(),
        location=location,
        online_url=url,
        timezone=data.timezone,
        funding_ends_on=data.funding_ends_on,
        agenda_template=(data.agenda_template or "").strip(),
        reminder_days_before=data.reminder_days_before,
    )
    return cleaned, area, kind


def create_table(data: TableData, actor: User | None, schedule: Schedule | None = None) -> Table:
    """A new table in an area the actor coordinates (optionally with its schedule)."""
    cleaned, area, kind = _clean(data)
    require(
        lambda: can_manage_area(actor, area),
        _("U kunt alleen tafels maken in een stadsdeel dat u coördineert."),
    )
    table = Table(
        name=cleaned.name,
        kind=kind,
        area=area,
        purpose=cleaned.purpose,
        location=cleaned.location,
        online_url=cleaned.online_url,
        timezone=cleaned.timezone,
        funding_ends_on=cleaned.funding_ends_on,
        agenda_template=cleaned.agenda_template,
        reminder_days_before=cleaned.reminder_days_before,
        status=TableStatus.ACTIVE,
    )
    if schedule is not None:  # validate before anything is added to the session
        recurrence.validate_duration(schedule.duration_minutes)
        recurrence.first_start(
            schedule.spec, schedule.start_day, schedule.start_time, cleaned.timezone
        )
    db.session.add(table)
    if schedule is not None:
        apply_schedule(table, schedule, actor)
    db.session.commit()
    return table


def update_table(
    table: Table, data: TableData, actor: User | None, *, commit: bool = True
) -> Table:
    """Edit a table's details; moving it to another area needs rights there too.

    With ``commit=False`` the caller finishes the transaction (and rolls back on refusal).
    """
    require_manage(actor, table)
    cleaned, area, kind = _clean(data)
    require(
        lambda: can_manage_area(actor, area),
        _("U kunt een tafel alleen verplaatsen naar een stadsdeel dat u coördineert."),
    )
    if cleaned.timezone != table.timezone and table.series:
        raise Conflict(
            _("De tijdzone kan niet meer veranderen zodra de tafel een schema heeft."),
            field="timezone",
        )
    location_changed = (cleaned.location, cleaned.online_url) != (table.location, table.online_url)
    table.name = cleaned.name
    table.kind = kind
    table.area = area
    table.purpose = cleaned.purpose
    table.location = cleaned.location
    table.online_url = cleaned.online_url
    table.timezone = cleaned.timezone
    table.funding_ends_on = cleaned.funding_ends_on
    table.agenda_template = cleaned.agenda_template
    table.reminder_days_before = cleaned.reminder_days_before
    if location_changed:
        for series in table.series:
            if series.cancelled_at is None:
                series.sequence += 1
                signals.series_changed.send(series, actor=actor)
    if commit:
        db.session.commit()
    return table


def pause_table(
    table: Table, reason: str, actor: User | None, *, now: datetime | None = None
) -> Table:
    """Pause: the schedule stops from tomorrow, history stays, resume with a new schedule."""
    require_manage(actor, table)
    if table.status != TableStatus.ACTIVE:
        raise Conflict(_("Alleen een actieve tafel kan pauzeren."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef een reden voor de pauze."), field="reason")
    ensure_no_personal_data(reason, field="reason")
    today = local_now(table, now).date()
    for series in list(table.series):
        if series.cancelled_at is None and end_series_before(series, today + timedelta(days=1)):
            signals.series_changed.send(series, actor=actor)
    table.status = TableStatus.PAUSED
    table.pause_reason = reason
    table.paused_on = today
    db.session.commit()
    return table


def resume_table(
    table: Table, actor: User | None, schedule: Schedule | None, *, now: datetime | None = None
) -> Table:
    """Resume a paused table, with the new schedule from the re-start checklist."""
    require_manage(actor, table)
    if table.status != TableStatus.PAUSED:
        raise Conflict(_("Alleen een gepauzeerde tafel kan hervatten."))
    if schedule is not None:
        apply_schedule(table, schedule, actor, now=now)
    table.status = TableStatus.ACTIVE
    table.pause_reason = ""
    table.paused_on = None
    db.session.commit()
    return table


def end_table(table: Table, actor: User | None, *, now: datetime | None = None) -> Table:
    """End the table: future occurrences are off; seats, minutes and actions stay readable."""
    require_manage(actor, table)
    if table.status == TableStatus.ENDED:
        raise Conflict(_("Deze tafel is al beëindigd."))
    today = local_now(table, now).date()
    for series in list(table.series):
        if series.cancelled_at is None:
            end_series_before(series, today + timedelta(days=1))
    table.status = TableStatus.ENDED
    table.ended_on = today
    signals.table_ended.send(table, on_date=today, actor=actor)
    db.session.commit()
    return table


def restart_checklist(table: Table) -> dict[str, list[Seat]]:
    """Who is still there and which seats are vacant, for resuming a paused table."""
    seats = table.active_seats
    return {
        "filled": [s for s in seats if not s.is_vacant and s.needs_successor_since is None],
        "vacant": [s for s in seats if s.is_vacant or s.needs_successor_since is not None],
    }


# --- seats -------------------------------------------------------------------------------


def _person_of(organisation: Organisation, person_id: int | None, what: str) -> Person | None:
    if person_id is None:
        return None
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(_("Deze persoon bestaat niet."), field=what)
    if person.organisation_id != organisation.id:
        raise DomainError(
            _("%(name)s werkt niet bij %(org)s.")
            % {"name": person.display_name, "org": organisation.name},
            field=what,
        )
    if person.has_left:
        raise DomainError(_("%(name)s is uit dienst.") % {"name": person.display_name}, field=what)
    return person


def add_seat(
    table: Table,
    *,
    organisation_id: int,
    role_id: int,
    deputy_person_id: int | None = None,
    is_coordinator: bool = False,
    actor: User | None,
) -> Seat:
    """A seat for an organisation role; the role must belong to that organisation."""
    require_manage(actor, table)
    if table.status == TableStatus.ENDED:
        raise Conflict(_("Deze tafel is beëindigd."))
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("Deze organisatie bestaat niet."), field="organisation_id")
    role = db.session.get(Role, role_id)
    if role is None:
        raise NotFound(_("Deze functie bestaat niet."), field="role_id")
    if role.organisation_id != organisation.id:
        raise DomainError(
            _("De functie '%(role)s' hoort bij %(other)s, niet bij %(org)s.")
            % {"role": role.name, "other": role.organisation.name, "org": organisation.name},
            field="role_id",
        )
    if any(s.role_id == role.id for s in table.active_seats):
        raise Conflict(_("Deze functie heeft al een zetel aan deze tafel."), field="role_id")
    deputy = _person_of(organisation, deputy_person_id, "deputy_person_id")
    seat = Seat(
        table=table,
        organisation=organisation,
        role=role,
        deputy=deputy,
        is_coordinator=bool(is_coordinator),
    )
    db.session.add(seat)
    db.session.flush()
    holders = role.holders
    signals.seat_filled.send(seat, person=holders[0] if holders else None, actor=actor)
    db.session.commit()
    return seat


def get_seat(seat_id: int) -> Seat:
    seat = db.session.get(Seat, seat_id)
    if seat is None:
        raise NotFound(_("Deze zetel bestaat niet."))
    return seat


def remove_seat(seat: Seat, actor: User | None) -> Seat:
    """Take a seat off the table; its history and action items stay."""
    require_manage(actor, seat.table)
    if seat.removed_at is not None:
        raise Conflict(_("Deze zetel is al verwijderd."))
    seat.removed_at = now_utc()
    db.session.commit()
    return seat


def set_deputy(seat: Seat, deputy_person_id: int | None, actor: User | None) -> Seat:
    require_hand_over(actor, seat)
    seat.deputy = _person_of(seat.organisation, deputy_person_id, "deputy_person_id")
    db.session.commit()
    return seat


def _leaver(seat: Seat) -> Person | None:
    """Who the seat passes from: its single current holder, else whoever vacated it last."""
    holders = seat.holders
    if len(holders) == 1:
        return holders[0]
    if not holders:
        for entry in reversed(seat.handovers):
            if entry.kind == HandoverKind.VACATED:
                return entry.from_person
    return None


def hand_over(
    seat: Seat,
    actor: User | None,
    *,
    successor_person_id: int | None = None,
    promote_deputy: bool = False,
    note: str = "",
    from_person_id: int | None = None,
    now: datetime | None = None,
) -> SeatHandover:
    """Pass a seat to a successor, or promote its deputy, in one action.

    The leaver's assignment to the role ends yesterday, the successor's starts today; open
    action items are owned by the seat, so they now belong to the successor; a
    ``seat_handed_over`` signal lets invitations follow (CANCEL old, REQUEST new).
    """
    require_hand_over(actor, seat)
    if seat.removed_at is not None:
        raise Conflict(_("Deze zetel is verwijderd."))
    if promote_deputy == (successor_person_id is not None):
        raise DomainError(
            _("Kies een opvolger óf schuif de vervanger door."), field="successor_person_id"
        )
    note = (note or "").strip()
    ensure_no_personal_data(note, field="note")
    if promote_deputy:
        if seat.deputy is None:
            raise DomainError(
                _("Deze zetel heeft geen vervanger om door te schuiven."), field="promote_deputy"
            )
        successor = _person_of(seat.organisation, seat.deputy_person_id, "promote_deputy")
    else:
        successor = _person_of(seat.organisation, successor_person_id, "successor_person_id")
    assert successor is not None
    old = (
        _person_of_any(from_person_id, "from_person_id")
        if from_person_id is not None
        else _leaver(seat)
    )
    if successor in seat.holders and (old is None or old.id == successor.id):
        raise Conflict(
            _("%(name)s zit al op deze zetel.") % {"name": successor.display_name},
            field="successor_person_id",
        )
    today = local_now(seat.table, now).date()

    if old is not None and old.id != successor.id:
        for assignment in seat.role.assignments:
            if assignment.person_id == old.id and assignment.is_current(today):
                assignment.ends_on = max(assignment.starts_on, today - timedelta(days=1))
    if not any(a.person_id == successor.id and a.is_current(today) for a in seat.role.assignments):
        db.session.add(Assignment(person=successor, role=seat.role, starts_on=today))
    if promote_deputy:
        seat.deputy = None
    seat.needs_successor_since = None
    entry = SeatHandover(
        seat=seat,
        kind=HandoverKind.DEPUTY_PROMOTED if promote_deputy else HandoverKind.SUCCESSOR,
        from_person=old,
        to_person=successor,
        note=note,
        on_date=today,
        actor_id=actor.id if actor is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    signals.seat_handed_over.send(
        seat, old_person=old, new_person=successor, on_date=today, note=note, actor=actor
    )
    db.session.commit()
    return entry


def _person_of_any(person_id: int, what: str) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(_("Deze persoon bestaat niet."), field=what)
    return person


# --- reacting to the directory -----------------------------------------------------------


def seats_held_by(person: Person) -> list[Seat]:
    """Active seats whose role the person holds (or held until recently)."""
    query = (
        sa.select(Seat)
        .join(Assignment, Assignment.role_id == Seat.role_id)
        .where(Assignment.person_id == person.id, Seat.removed_at.is_(None))
        .distinct()
    )
    return list(db.session.scalars(query))


def vacate_seats_of(person: Person, on_date: date, actor: User | None = None) -> list[Seat]:
    """A person left: seats with no other holder become vacant with a dashboard warning.

    Also drops the person as deputy. Adds to the caller's transaction; does not commit.
    """
    vacated: list[Seat] = []
    for seat in seats_held_by(person):
        others = [
            a for a in seat.role.assignments if a.person_id != person.id and a.is_current(on_date)
        ]
        if others:
            continue
        seat.needs_successor_since = on_date
        db.session.add(
            SeatHandover(
                seat=seat,
                kind=HandoverKind.VACATED,
                from_person=person,
                on_date=on_date,
                actor_id=actor.id if actor is not None else None,
            )
        )
        vacated.append(seat)
    deputised = db.session.scalars(
        sa.select(Seat).where(Seat.deputy_person_id == person.id, Seat.removed_at.is_(None))
    )
    for seat in deputised:
        seat.deputy = None
    return vacated


def _on_person_left(
    person: Person, *, on_date: date, actor: User | None = None, **_: object
) -> None:
    vacate_seats_of(person, on_date, actor)


signals.person_left.connect(_on_person_left)
