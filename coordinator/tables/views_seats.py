"""Seat pages: add and remove seats, and the one-action handover ("overdragen")."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coordinator.directory.models import Organisation, Person, Role
from coordinator.errors import DomainError
from coordinator.extensions import db
from coordinator.tables import bp, services
from coordinator.tables import seats as seating
from coordinator.tables.access import can_hand_over
from coordinator.tables.dashboard import area_ids
from coordinator.tables.forms import HandoverForm, SeatForm, apply_error, choices
from coordinator.tables.models import Seat, Table
from coordinator.tables.view_helpers import redirect_back, run_action


def seat_form(table: Table) -> SeatForm:
    form = SeatForm()
    ids = area_ids(table.area)
    for area in table.area.lineage()[1:]:
        ids.add(area.id)
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    roles = [
        (r.id, f"{o.name} – {r.name}")
        for o in organisations
        if not o.areas or any(a.id in ids for a in o.areas)
        for r in o.roles
    ]
    form.role_id.choices = choices(roles)
    people = db.session.scalars(
        sa.select(Person).where(Person.left_on.is_(None)).order_by(Person.name)
    ).all()
    form.deputy_person_id.choices = choices(
        [(0, _("(geen)"))] + [(p.id, f"{p.display_name} ({p.organisation.name})") for p in people]
    )
    return form


@bp.post("/<int:table_id>/zetels")
@login_required
def add_seat(table_id: int) -> Response:
    table = services.get_table(table_id)
    form = seat_form(table)

    def add() -> Seat:
        role = db.session.get(Role, form.role_id.data)
        return seating.add_seat(
            table,
            organisation_id=role.organisation_id if role else 0,
            role_id=form.role_id.data,
            deputy_person_id=form.deputy_person_id.data or None,
            is_coordinator=form.is_coordinator.data,
            actor=current_user,
        )

    return run_action(
        add, form=form, success=_("De zetel is toegevoegd."), back=redirect_back(table)
    )


@bp.post("/zetels/<int:seat_id>/verwijderen")
@login_required
def remove_seat(seat_id: int) -> Response:
    seat = seating.get_seat(seat_id)
    return run_action(
        lambda: seating.remove_seat(seat, current_user),
        success=_("De zetel is verwijderd."),
        back=redirect_back(seat.table),
    )


@bp.route("/zetels/<int:seat_id>/overdragen", methods=["GET", "POST"])
@login_required
def hand_over(seat_id: int) -> Response | str:
    seat: Seat = seating.get_seat(seat_id)
    if not can_hand_over(current_user, seat):
        abort(403)
    form = HandoverForm()
    people = [p for p in seat.organisation.people if not p.has_left and p not in seat.holders]
    form.successor_person_id.choices = choices(
        [(0, _("(kies)"))] + [(p.id, p.display_name) for p in people]
    )
    form.from_person_id.choices = choices(
        [(0, _("(automatisch: wie vertrokken is)"))]
        + [(p.id, p.display_name) for p in seat.holders]
    )
    status = 200
    if form.validate_on_submit():
        try:
            seating.hand_over(
                seat,
                current_user,
                successor_person_id=(
                    form.successor_person_id.data or None
                    if form.choice.data == "successor"
                    else None
                ),
                promote_deputy=form.choice.data == "deputy",
                note=form.note.data or "",
                from_person_id=form.from_person_id.data or None,
            )
        except DomainError as error:
            apply_error(form, error)
            status = error.status_code
        else:
            flash(_("De zetel is overgedragen."), "success")
            return redirect(url_for("tables.show", table_id=seat.table_id))
    elif request.method == "POST":
        status = 400
    return render_template("tables/handover.html", seat=seat, form=form), status
