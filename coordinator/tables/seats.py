"""Seat use cases: add and remove seats, deputies, the one-action handover, and vacating the
seats of a person who leaves (subscribed to :data:`coordinator.signals.person_left`).

A seat is an organisation role at a table; whoever holds the role sits in it. Action items
belong to the seat, so they pass to the successor with it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator import signals
from coordinator.auth.models import User
from coordinator.db import now_utc
from coordinator.directory.models import Assignment, Organisation, Person, Role
from coordinator.errors import Conflict, DomainError, NotFound
from coordinator.extensions import db
from coordinator.privacy import ensure_no_personal_data
from coordinator.tables.access import require_hand_over, require_manage
from coordinator.tables.models import HandoverKind, Seat, SeatHandover, Table, TableStatus
from coordinator.tables.schedule import local_now

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
    signals.seat_removed.send(seat, actor=actor)
    db.session.commit()
    return seat


def set_deputy(seat: Seat, deputy_person_id: int | None, actor: User | None) -> Seat:
    require_hand_over(actor, seat)
    seat.deputy = _person_of(seat.organisation, deputy_person_id, "deputy_person_id")
    db.session.commit()
    return seat


def _leaver(seat: Seat, successor: Person) -> Person | None:
    """Who the seat passes from.

    The person whose departure was recorded last (and not yet handed over), else the one
    current holder other than the successor (a role may have several holders), else nobody.
    """
    for entry in reversed(seat.handovers):
        if entry.kind in (HandoverKind.SUCCESSOR, HandoverKind.DEPUTY_PROMOTED):
            break
        if entry.kind in (HandoverKind.VACATED, HandoverKind.LEFT) and entry.from_person:
            return entry.from_person
    others = [p for p in seat.holders if p.id != successor.id]
    return others[0] if len(others) == 1 else None


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
    ``seat_handed_over`` signal lets invitations follow (CANCEL old, REQUEST new). The
    role's seats at other tables follow too (see :func:`_follow_role`).
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
        _person_of_any(from_person_id, "from_person_id", seat)
        if from_person_id is not None
        else _leaver(seat, successor)
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
    _follow_role(seat, old, successor, note=note, on_date=today, actor=actor)
    db.session.commit()
    return entry


def _follow_role(
    seat: Seat,
    old: Person | None,
    successor: Person,
    *,
    note: str,
    on_date: date,
    actor: User | None,
) -> list[Seat]:
    """The role's seats at other tables follow a handover.

    The successor now holds the role, and a seat is that role at a table: without this, those
    seats would stay on the dashboard as vacant (with the successor already shown as holder
    and not selectable) and their calendars would not follow.
    """
    others = db.session.scalars(
        sa.select(Seat).where(
            Seat.role_id == seat.role_id, Seat.id != seat.id, Seat.removed_at.is_(None)
        )
    ).all()
    followed: list[Seat] = []
    for other in others:
        if other.table.status == TableStatus.ENDED:
            continue
        if other.deputy_person_id == successor.id:
            other.deputy = None
        other.needs_successor_since = None
        db.session.add(
            SeatHandover(
                seat=other,
                kind=HandoverKind.SUCCESSOR,
                from_person=old,
                to_person=successor,
                note=note,
                on_date=on_date,
                actor_id=actor.id if actor is not None else None,
            )
        )
        db.session.flush()
        signals.seat_handed_over.send(
            other, old_person=old, new_person=successor, on_date=on_date, note=note, actor=actor
        )
        followed.append(other)
    return followed


def _person_of_any(person_id: int, what: str, seat: Seat) -> Person:
    """A person who holds (or held) the seat's role."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(_("Deze persoon bestaat niet."), field=what)
    if not any(a.person_id == person.id for a in seat.role.assignments):
        raise DomainError(
            _("%(name)s zat niet op deze zetel.") % {"name": person.display_name}, field=what
        )
    return person


# --- reacting to the directory -----------------------------------------------------------


def seats_held_by(person: Person, on_date: date) -> list[Seat]:
    """Active seats whose role the person holds on ``on_date`` (or held until the day before)."""
    query = (
        sa.select(Seat)
        .join(Assignment, Assignment.role_id == Seat.role_id)
        .where(
            Assignment.person_id == person.id,
            Assignment.starts_on <= on_date,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= on_date - timedelta(days=1)),
            Seat.removed_at.is_(None),
        )
        .distinct()
    )
    return list(db.session.scalars(query))


def vacate_seats_of(person: Person, on_date: date, actor: User | None = None) -> list[Seat]:
    """A person left: seats with no other holder become vacant with a dashboard warning;
    seats whose role a colleague still holds only get a history entry.

    Also drops the person as deputy. Adds to the caller's transaction; does not commit.
    """
    vacated: list[Seat] = []
    for seat in seats_held_by(person, on_date):
        others = [
            a for a in seat.role.assignments if a.person_id != person.id and a.is_current(on_date)
        ]
        if not others:
            seat.needs_successor_since = on_date
            vacated.append(seat)
        db.session.add(
            SeatHandover(
                seat=seat,
                kind=HandoverKind.LEFT if others else HandoverKind.VACATED,
                from_person=person,
                on_date=on_date,
                actor_id=actor.id if actor is not None else None,
            )
        )
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
