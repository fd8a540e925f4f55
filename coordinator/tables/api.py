"""JSON API for tables, seats and occurrences (/api/v1), over the same services as the pages.

Times: ``dtstart`` and occurrence keys are *local* wall-clock times in the table's
``timezone``; occurrence ``start``/``end`` are ISO 8601 instants with their UTC offset.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from coordinator.api import bp
from coordinator.api.auth import api_user
from coordinator.db import now_utc
from coordinator.directory.models import Area
from coordinator.errors import DomainError
from coordinator.extensions import db
from coordinator.tables import (
    api_docs,  # noqa: F401 - registers the OpenAPI description
    recurrence,
    schedule,
    seats,
    services,
)
from coordinator.tables.models import Seat, Table
from coordinator.tables.recurrence import Occurrence
from coordinator.tables.recurrence_text import describe

MAX_WINDOW = timedelta(days=731)

# --- JSON in -------------------------------------------------------------------------------


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError(_("Stuur een JSON-object in de body (Content-Type: application/json)."))
    return data


def _int(data: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    value = data.get(name)
    if value is None:
        if required:
            raise DomainError(_("'%(name)s' ontbreekt.") % {"name": name}, field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("'%(name)s' moet een geheel getal zijn.") % {"name": name}, field=name)
    return value


def _str(data: dict[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise DomainError(_("'%(name)s' moet tekst zijn.") % {"name": name}, field=name)
    return value


def _date(data: dict[str, Any], name: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            _("'%(name)s' moet een datum zijn (JJJJ-MM-DD).") % {"name": name}, field=name
        ) from None


def _local_datetime(value: object, name: str, tzid: str) -> datetime:
    """A local wall-clock time; an ISO value with an offset is converted to the table's zone."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise DomainError(
            _("'%(name)s' moet een datum en tijd zijn, bijv. 2026-12-08T10:00.") % {"name": name},
            field=name,
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(recurrence.zone(tzid)).replace(tzinfo=None)
    return parsed


def _instant(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise DomainError(
            _(
                "'%(name)s' moet een ISO 8601-tijdstip met offset zijn, bijv. 2026-12-01T00:00+01:00."
            )
            % {"name": name},
            field=name,
        )
    return parsed


def _table_data(data: dict[str, Any], base: Table | None = None) -> services.TableData:
    area_id = _int(data, "area_id")
    if area_id is None and "area" in data:
        area = db.session.scalar(sa.select(Area).where(Area.slug == _str(data, "area")))
        if area is None:
            raise DomainError(
                _("Onbekend gebied '%(slug)s'.") % {"slug": data["area"]}, field="area"
            )
        area_id = area.id
    if area_id is None and base is not None:
        area_id = base.area_id

    def pick(name: str, current: str) -> str:
        return _str(data, name, current) if name in data else current

    reminder = _int(data, "reminder_days_before")
    return services.TableData(
        name=pick("name", base.name if base else ""),
        area_id=area_id or 0,
        kind=pick("kind", base.kind.value if base else "matchtafel"),
        purpose=pick("purpose", base.purpose if base else ""),
        location=pick("location", base.location if base else ""),
        online_url=(
            _str(data, "online_url") or None
            if "online_url" in data
            else (base.online_url if base else None)
        ),
        timezone=pick("timezone", base.timezone if base else "Europe/Amsterdam"),
        funding_ends_on=(
            _date(data, "funding_ends_on")
            if "funding_ends_on" in data
            else (base.funding_ends_on if base else None)
        ),
        agenda_template=pick("agenda_template", base.agenda_template if base else ""),
        reminder_days_before=(
            reminder if reminder is not None else (base.reminder_days_before if base else 2)
        ),
    )


def _schedule(
    data: dict[str, Any], tzid: str, base: Table | None = None
) -> schedule.Schedule | None:
    """The schedule in a body (``rrule`` + ``dtstart`` + ``duration_minutes``), if any."""
    if not any(k in data for k in ("rrule", "dtstart", "duration_minutes")):
        return None
    current = schedule.current_series(base) if base is not None else None
    rrule_text = _str(data, "rrule", current.rrule if current else "")
    if "dtstart" in data:
        dtstart = _local_datetime(data["dtstart"], "dtstart", tzid)
    elif current is not None:
        dtstart = current.dtstart
    else:
        raise DomainError(_("'dtstart' ontbreekt."), field="dtstart")
    duration = _int(data, "duration_minutes")
    if duration is None:
        if current is None:
            raise DomainError(_("'duration_minutes' ontbreekt."), field="duration_minutes")
        duration = current.duration_minutes
    spec = recurrence.from_rrule(rrule_text, tzid, dtstart)
    return schedule.Schedule(spec, dtstart.date(), dtstart.time(), duration)


# --- JSON out ------------------------------------------------------------------------------


def _person(person: Any) -> dict[str, Any] | None:
    return None if person is None else {"id": person.id, "name": person.display_name}


def seat_json(seat: Seat) -> dict[str, Any]:
    return {
        "id": seat.id,
        "label": seat.label,
        "organisation": {"id": seat.organisation.id, "name": seat.organisation.name},
        "role": {"id": seat.role.id, "name": seat.role.name},
        "holders": [_person(p) for p in seat.holders],
        "deputy": _person(seat.deputy),
        "is_coordinator": seat.is_coordinator,
        "vacant": seat.is_vacant,
        "needs_successor_since": (
            seat.needs_successor_since.isoformat() if seat.needs_successor_since else None
        ),
        "open_action_items": len(seat.open_action_items),
    }


def table_json(table: Table) -> dict[str, Any]:
    current = schedule.current_series(table)
    description = None
    if current is not None:
        try:
            spec = recurrence.from_rrule(current.rrule, table.timezone, current.dtstart)
            description = describe(
                spec, current.dtstart.time(), timedelta(minutes=current.duration_minutes)
            )
        except DomainError:
            description = None
    return {
        "id": table.id,
        "name": table.name,
        "kind": table.kind.value,
        "area": {"id": table.area.id, "slug": table.area.slug, "name": table.area.name},
        "purpose": table.purpose,
        "location": table.location,
        "online_url": table.online_url,
        "status": table.status.value,
        "pause_reason": table.pause_reason or None,
        "funding_ends_on": table.funding_ends_on.isoformat() if table.funding_ends_on else None,
        "timezone": table.timezone,
        "agenda_template": table.agenda_template,
        "reminder_days_before": table.reminder_days_before,
        "rrule": current.rrule if current else None,
        "dtstart": current.dtstart.isoformat(timespec="minutes") if current else None,
        "duration_minutes": current.duration_minutes if current else None,
        "description": description,
        "series": [
            {
                "uid": s.uid,
                "dtstart": s.dtstart.isoformat(timespec="minutes"),
                "duration_minutes": s.duration_minutes,
                "rrule": s.rrule,
                "sequence": s.sequence,
                "cancelled": s.cancelled_at is not None,
            }
            for s in table.series
        ],
        "seats": [seat_json(s) for s in table.active_seats],
    }


def occurrence_json(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "uid": occurrence.uid,
        "recurrence_id": occurrence.recurrence_id.isoformat(timespec="minutes"),
        "date": occurrence.recurrence_id.date().isoformat(),
        "start": occurrence.start.isoformat(timespec="minutes"),
        "end": occurrence.end.isoformat(timespec="minutes"),
        "status": occurrence.status.value,
        "location": occurrence.location,
        "moved": occurrence.moved,
        "reason": occurrence.reason or None,
        "holiday": occurrence.holiday,
    }


# --- endpoints -----------------------------------------------------------------------------


@bp.get("/tables")
def list_tables() -> ResponseReturnValue:
    query = sa.select(Table).order_by(Table.name)
    slug = request.args.get("area")
    if slug:
        area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
        if area is None:
            raise DomainError(_("Onbekend gebied '%(slug)s'.") % {"slug": slug}, field="area")
        query = query.where(Table.area_id == area.id)
    return jsonify({"tables": [table_json(t) for t in db.session.scalars(query)]})


@bp.post("/tables")
def create_table() -> ResponseReturnValue:
    data = _body()
    table_data = _table_data(data)
    recurrence.zone(table_data.timezone)
    plan = _schedule(data, table_data.timezone)
    table = services.create_table(table_data, api_user(), plan)
    return jsonify(table_json(table)), 201


@bp.get("/tables/<int:table_id>")
def get_table(table_id: int) -> ResponseReturnValue:
    return jsonify(table_json(services.get_table(table_id)))


@bp.patch("/tables/<int:table_id>")
def patch_table(table_id: int) -> ResponseReturnValue:
    table = services.get_table(table_id)
    data = _body()
    table_data = _table_data(data, table)
    plan = _schedule(data, recurrence.zone(table_data.timezone).key, table)
    try:
        services.update_table(table, table_data, api_user(), commit=False)
        if plan is not None:
            schedule.set_schedule(table, plan, api_user(), strict_start=True)
        else:
            db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return jsonify(table_json(table))


@bp.post("/tables/<int:table_id>/seats")
def add_seat(table_id: int) -> ResponseReturnValue:
    table = services.get_table(table_id)
    data = _body()
    seat = seats.add_seat(
        table,
        organisation_id=_int(data, "organisation_id", required=True) or 0,
        role_id=_int(data, "role_id", required=True) or 0,
        deputy_person_id=_int(data, "deputy_person_id"),
        is_coordinator=bool(data.get("is_coordinator", False)),
        actor=api_user(),
    )
    return jsonify(seat_json(seat)), 201


@bp.get("/tables/<int:table_id>/occurrences")
def list_occurrences(table_id: int) -> ResponseReturnValue:
    table = services.get_table(table_id)
    start = _instant(request.args.get("from"), "from") or now_utc()
    end = _instant(request.args.get("to"), "to") or start + timedelta(days=90)
    if end <= start:
        raise DomainError(_("'to' moet na 'from' liggen."), field="to")
    if end - start > MAX_WINDOW:
        raise DomainError(_("Vraag hooguit twee jaar tegelijk op."), field="to")
    items = schedule.occurrences(table, start, end)
    return jsonify(
        {
            "table_id": table.id,
            "timezone": table.timezone,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "occurrences": [occurrence_json(o) for o in items],
        }
    )


def _occurrence_reply(table: Table, key: date | datetime) -> ResponseReturnValue:
    found = schedule.find_occurrence(table, key)
    return jsonify(occurrence_json(schedule.occurrence_of(table, found)))


@bp.post("/tables/<int:table_id>/occurrences/<occurrence_date>/move")
def move_occurrence(table_id: int, occurrence_date: str) -> ResponseReturnValue:
    table = services.get_table(table_id)
    data = _body()
    occurrence_key = schedule.parse_occurrence_key(occurrence_date)
    if "start" not in data:
        raise DomainError(_("'start' ontbreekt."), field="start")
    new_start = _local_datetime(data["start"], "start", table.timezone)
    location = _str(data, "location") if "location" in data else None
    schedule.move_occurrence(
        table,
        occurrence_key,
        new_start=new_start,
        duration_minutes=_int(data, "duration_minutes"),
        location=location,
        actor=api_user(),
    )
    return _occurrence_reply(table, occurrence_key)


@bp.post("/tables/<int:table_id>/occurrences/<occurrence_date>/cancel")
def cancel_occurrence(table_id: int, occurrence_date: str) -> ResponseReturnValue:
    table = services.get_table(table_id)
    data = request.get_json(silent=True) or {}
    if not isinstance(data, dict):
        raise DomainError(_("Stuur een JSON-object in de body."))
    occurrence_key = schedule.parse_occurrence_key(occurrence_date)
    schedule.cancel_occurrence(
        table,
        occurrence_key,
        reason=_str(data, "reason"),
        skipped=bool(data.get("skipped", False)),
        actor=api_user(),
    )
    return _occurrence_reply(table, occurrence_key)


@bp.post("/seats/<int:seat_id>/handover")
def hand_over(seat_id: int) -> ResponseReturnValue:
    seat = seats.get_seat(seat_id)
    data = _body()
    entry = seats.hand_over(
        seat,
        api_user(),
        successor_person_id=_int(data, "successor_person_id"),
        promote_deputy=bool(data.get("promote_deputy", False)),
        note=_str(data, "note"),
        from_person_id=_int(data, "from_person_id"),
    )
    return jsonify(
        {
            "seat": seat_json(seat),
            "handover": {
                "kind": entry.kind.value,
                "from_person": _person(entry.from_person),
                "to_person": _person(entry.to_person),
                "on_date": entry.on_date.isoformat(),
                "note": entry.note,
            },
        }
    )
