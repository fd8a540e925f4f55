"""The occurrence page and its forms: agenda, minutes, afspraken, attendance, guests, and
moving, cancelling or restoring that one occurrence."""

from __future__ import annotations

from datetime import datetime

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coordinator.tables import bp, meetings, schedule, services
from coordinator.tables.access import can_manage_table, can_take_part
from coordinator.tables.forms import (
    ATTENDANCE_LABELS,
    ActionForm,
    ActionStatusForm,
    CancelForm,
    GuestForm,
    MoveForm,
    TextForm,
    choices,
)
from coordinator.tables.grid import occurrence_key
from coordinator.tables.models import Table
from coordinator.tables.view_helpers import redirect_back, run_action


def _action_form(table: Table) -> ActionForm:
    form = ActionForm(prefix="action")
    form.seat_id.choices = choices([(s.id, s.label) for s in table.active_seats])
    return form


def _back(table: Table, key: str) -> Response:
    return redirect(url_for("tables.occurrence", table_id=table.id, key=key))


@bp.route("/<int:table_id>/bijeenkomsten/<key>")
@login_required
def occurrence(table_id: int, key: str) -> str:
    table = services.get_table(table_id)
    view = meetings.find_meeting(table, schedule.parse_occurrence_key(key))
    meeting = view.meeting
    recorded = meeting.attendances if meeting else []
    attendance = {a.seat_id: a.status.value for a in recorded}
    attendance_text = {a.seat_id: ATTENDANCE_LABELS[a.status] for a in recorded}
    agenda_form = TextForm(prefix="agenda", data={"text": view.agenda})
    minutes_form = TextForm(prefix="minutes", data={"text": meeting.minutes if meeting else ""})
    # Two fields both called "Tekst" are indistinguishable to a screen reader.
    agenda_form.text.label.text = _("Tekst van de agenda")
    minutes_form.text.label.text = _("Tekst van het verslag")
    start = view.occurrence.start
    move_form = MoveForm(
        prefix="move",
        data={
            "new_day": start.date(),
            "new_time": start.time().replace(tzinfo=None),
            "duration": int((view.occurrence.end - start).total_seconds() // 60),
            "location": view.occurrence.location,
        },
    )
    return render_template(
        "tables/occurrence.html",
        table=table,
        view=view,
        key=occurrence_key(view.occurrence.recurrence_id),
        attendance=attendance,
        attendance_labels=ATTENDANCE_LABELS,
        attendance_text=attendance_text,
        open_actions=meetings.open_actions(table),
        today=schedule.local_now(table).date(),
        agenda_form=agenda_form,
        minutes_form=minutes_form,
        action_form=_action_form(table),
        status_form=ActionStatusForm(prefix="status"),
        guest_form=GuestForm(prefix="guest"),
        move_form=move_form,
        cancel_form=CancelForm(prefix="cancel"),
        may_manage=can_manage_table(current_user, table),
        may_take_part=can_take_part(current_user, table),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/<any(agenda, minutes):what>")
@login_required
def save_text(table_id: int, key: str, what: str) -> Response:
    table = services.get_table(table_id)
    form = TextForm(prefix=what)
    save = meetings.save_agenda if what == "agenda" else meetings.save_minutes
    return run_action(
        lambda: save(table, schedule.parse_occurrence_key(key), form.text.data or "", current_user),
        form=form,
        success=_("Opgeslagen."),
        back=_back(table, key),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/afspraken")
@login_required
def add_action(table_id: int, key: str) -> Response:
    table = services.get_table(table_id)
    form = _action_form(table)
    return run_action(
        lambda: meetings.add_action(
            table,
            seat_id=form.seat_id.data,
            description=form.description.data or "",
            due_on=form.due_on.data,
            actor=current_user,
            key=schedule.parse_occurrence_key(key),
        ),
        form=form,
        success=_("De afspraak is vastgelegd."),
        back=_back(table, key),
    )


@bp.post("/<int:table_id>/afspraken/<int:action_id>/status")
@login_required
def action_status(table_id: int, action_id: int) -> Response:
    table = services.get_table(table_id)
    form = ActionStatusForm(prefix="status")
    item = meetings.get_action(table, action_id)
    return run_action(
        lambda: meetings.set_action_status(item, form.status.data, current_user),
        form=form,
        back=redirect_back(table),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/aanwezigheid")
@login_required
def attendance(table_id: int, key: str) -> Response:
    table = services.get_table(table_id)
    statuses = {}
    for name, value in request.form.items():
        if name.startswith("seat-") and value:
            try:
                statuses[int(name.removeprefix("seat-"))] = value
            except ValueError:
                continue
    return run_action(
        lambda: meetings.record_attendance(
            table, schedule.parse_occurrence_key(key), statuses, current_user
        ),
        success=_("De aanwezigheid is opgeslagen."),
        back=_back(table, key),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/gasten")
@login_required
def add_guest(table_id: int, key: str) -> Response:
    table = services.get_table(table_id)
    form = GuestForm(prefix="guest")
    return run_action(
        lambda: meetings.add_guest(
            table,
            schedule.parse_occurrence_key(key),
            name=form.name.data or "",
            organisation_name=form.organisation_name.data or "",
            actor=current_user,
        ),
        form=form,
        success=_("De gast is toegevoegd."),
        back=_back(table, key),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/verplaatsen")
@login_required
def move(table_id: int, key: str) -> Response:
    table = services.get_table(table_id)
    form = MoveForm(prefix="move")
    return run_action(
        lambda: schedule.move_occurrence(
            table,
            schedule.parse_occurrence_key(key),
            new_start=datetime.combine(form.new_day.data, form.new_time.data),
            duration_minutes=form.duration.data,
            location=form.location.data,
            actor=current_user,
        ),
        form=form,
        success=_("De bijeenkomst is verplaatst."),
        back=_back(table, key),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/afgelasten")
@login_required
def cancel(table_id: int, key: str) -> Response:
    table = services.get_table(table_id)
    form = CancelForm(prefix="cancel")
    return run_action(
        lambda: schedule.cancel_occurrence(
            table,
            schedule.parse_occurrence_key(key),
            reason=form.reason.data or "",
            skipped=form.skipped.data,
            actor=current_user,
        ),
        form=form,
        success=_("De bijeenkomst gaat niet door."),
        back=_back(table, key),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/terugzetten")
@login_required
def restore(table_id: int, key: str) -> Response:
    table = services.get_table(table_id)
    return run_action(
        lambda: schedule.restore_occurrence(
            table, schedule.parse_occurrence_key(key), actor=current_user
        ),
        success=_("De bijeenkomst gaat weer door zoals gepland."),
        back=_back(table, key),
    )
