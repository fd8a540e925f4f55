"""Table pages: lists per area and "mijn tafels", month grid + agenda, the table page, the
rule builder, planning with holidays, seats and handover. Views stay thin over the services.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from coordinator.db import now_utc
from coordinator.directory.models import Area
from coordinator.errors import DomainError
from coordinator.extensions import db
from coordinator.permissions import can_manage_area, managed_area_ids
from coordinator.tables import bp, meetings, schedule, services
from coordinator.tables import dashboard as continuity
from coordinator.tables.access import can_hand_over, can_manage_table, can_take_part, sits_at
from coordinator.tables.dashboard import area_ids
from coordinator.tables.forms import (
    KIND_LABELS,
    CancelForm,
    PauseForm,
    RuleForm,
    TableForm,
    apply_error,
    choices,
)
from coordinator.tables.grid import month_grid, occurrence_key, parse_month, shift_month
from coordinator.tables.models import Table, TableStatus
from coordinator.tables.recurrence import from_rrule, zone
from coordinator.tables.recurrence_text import describe
from coordinator.tables.view_helpers import redirect_back, run_action
from coordinator.tables.views_seats import seat_form


@bp.app_template_filter("occ_key")
def _occ_key(value: datetime) -> str:
    return occurrence_key(value)


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"table_kind_labels": KIND_LABELS}


def _all_tables() -> list[Table]:
    return list(db.session.scalars(sa.select(Table).order_by(Table.name)))


def my_tables() -> list[Table]:
    """Tables the current user sits at, or coordinates."""
    managed = managed_area_ids(current_user)
    return [t for t in _all_tables() if t.area_id in managed or sits_at(current_user, t)]


def _area_from_args() -> Area | None:
    slug = request.args.get("gebied")
    if not slug:
        return None
    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is None:
        abort(404)
    return area


def _schedule_text(table: Table) -> str:
    runs = schedule.live_series(table)
    if not runs:
        return _("Nog geen schema")
    current = max(runs, key=lambda s: s.dtstart)
    try:
        spec = from_rrule(current.rrule, table.timezone, current.dtstart)
    except DomainError:
        return current.rrule
    locale = str(getattr(current_user, "locale", "nl") or "nl")
    return describe(
        spec, current.dtstart.time(), timedelta(minutes=current.duration_minutes), locale
    )


@bp.app_template_global("schedule_text")
def _schedule_text_global(table: Table) -> str:
    return _schedule_text(table)


# --- lists and calendars ------------------------------------------------------------------


@bp.route("/")
@login_required
def index() -> str:
    area = _area_from_args()
    tables = _all_tables()
    if area is not None:
        ids = area_ids(area)
        tables = [t for t in tables if t.area_id in ids]
    areas = db.session.scalars(sa.select(Area).order_by(Area.name)).all()
    grouped: dict[Area, list[Table]] = {}
    for table in tables:
        grouped.setdefault(table.area, []).append(table)
    return render_template(
        "tables/index.html", grouped=grouped, areas=areas, area=area, tables=tables
    )


@bp.route("/mijn")
@login_required
def mine() -> str:
    return render_template("tables/mine.html", tables=my_tables())


@bp.route("/kalender")
@login_required
def month() -> str:
    area = _area_from_args()
    mine_only = request.args.get("mijn") == "1"
    tz = zone("Europe/Amsterdam")
    today = now_utc().astimezone(tz).date()
    year, month_number = parse_month(request.args.get("maand"), today)
    tables = my_tables() if mine_only else _all_tables()
    if area is not None:
        ids = area_ids(area)
        tables = [t for t in tables if t.area_id in ids]
    start = datetime(year, month_number, 1, tzinfo=tz)
    next_year, next_month = shift_month(year, month_number, 1)
    end = datetime(next_year, next_month, 1, tzinfo=tz)
    pairs = schedule.occurrences_for_tables(tables, start, end)
    weeks = month_grid(year, month_number, [(o.start.date(), (t, o)) for t, o in pairs])
    prev_year, prev_month = shift_month(year, month_number, -1)
    return render_template(
        "tables/month.html",
        weeks=weeks,
        pairs=pairs,
        first=date(year, month_number, 1),
        area=area,
        mine_only=mine_only,
        today=today,
        prev=f"{prev_year}-{prev_month:02d}",
        next=f"{next_year}-{next_month:02d}",
    )


# --- creating and editing -----------------------------------------------------------------


def _area_choices() -> list[tuple[int, str]]:
    areas = db.session.scalars(sa.select(Area).order_by(Area.name)).all()
    return [(a.id, a.name) for a in areas]


def _table_data(form: TableForm) -> services.TableData:
    return services.TableData(
        name=form.name.data or "",
        area_id=form.area_id.data,
        kind=form.kind.data,
        purpose=form.purpose.data or "",
        location=form.location.data or "",
        online_url=form.online_url.data or None,
        funding_ends_on=form.funding_ends_on.data,
        agenda_template=form.agenda_template.data or "",
        reminder_days_before=form.reminder_days_before.data
        if form.reminder_days_before.data is not None
        else 2,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def create() -> Response | str:
    form = TableForm(prefix="table")
    rule = RuleForm(prefix="rule")
    form.area_id.choices = choices(_area_choices())
    status = 200
    if request.method == "POST":
        if form.validate() and rule.validate():
            try:
                table = services.create_table(_table_data(form), current_user, rule.to_schedule())
            except DomainError as error:
                target = rule if error.field in _RULE_FIELDS else form
                apply_error(target, error)
                status = error.status_code
            else:
                flash(_("De tafel is aangemaakt."), "success")
                return redirect(url_for("tables.show", table_id=table.id))
        else:
            status = 400
    return render_template("tables/create.html", form=form, rule=rule), status


_RULE_FIELDS = {
    "interval", "weekdays", "nth", "weekday", "month_day", "until", "count",
    "duration", "start_day", "dtstart", "timezone", "rrule",
}  # fmt: skip


@bp.route("/<int:table_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(table_id: int) -> Response | str:
    table = services.get_table(table_id)
    if not can_manage_table(current_user, table):
        abort(403)
    form = TableForm(obj=table)
    form.area_id.choices = choices(_area_choices())
    status = 200
    if form.validate_on_submit():
        try:
            data = _table_data(form)
            data.timezone = table.timezone
            services.update_table(table, data, current_user)
        except DomainError as error:
            apply_error(form, error)
            status = error.status_code
        else:
            flash(_("De tafel is bijgewerkt."), "success")
            return redirect(url_for("tables.show", table_id=table.id))
    elif request.method == "POST":
        status = 400
    return render_template("tables/edit.html", form=form, table=table), status


def _current_rule_data(table: Table) -> dict[str, object]:
    """The rule builder prefilled with the current schedule, starting tomorrow."""
    tomorrow = now_utc().astimezone(zone(table.timezone)).date() + timedelta(days=1)
    current = schedule.current_series(table)
    if current is None:
        return {"start_day": tomorrow}
    try:
        spec = from_rrule(current.rrule, table.timezone, current.dtstart)
    except DomainError:
        return {"start_day": tomorrow}
    end = current.dtstart + timedelta(minutes=current.duration_minutes)
    return {
        "pattern": spec.pattern.value,
        "interval": spec.interval,
        "weekdays": [str(d) for d in spec.weekdays] or ["1"],
        "nth": str(spec.nth or 2),
        "weekday": str(spec.weekday if spec.weekday is not None else 1),
        "month_day": spec.month_day or 1,
        "start_day": max(tomorrow, current.dtstart.date()),
        "start_time": current.dtstart.time(),
        "end_time": end.time(),
        "end": spec.end.value,
        "until": spec.until,
        "count": spec.count,
    }


@bp.route("/<int:table_id>/schema", methods=["GET", "POST"])
@login_required
def edit_schedule(table_id: int) -> Response | str:
    table = services.get_table(table_id)
    if not can_manage_table(current_user, table):
        abort(403)
    form = RuleForm(data=_current_rule_data(table) if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            if table.status == TableStatus.PAUSED:
                services.resume_table(table, current_user, form.to_schedule())
            else:
                schedule.set_schedule(table, form.to_schedule(), current_user)
        except DomainError as error:
            apply_error(form, error)
            status = error.status_code
        else:
            flash(_("Het schema is opgeslagen."), "success")
            return redirect(url_for("tables.show", table_id=table.id))
    elif request.method == "POST":
        status = 400
    checklist = services.restart_checklist(table) if table.status == TableStatus.PAUSED else None
    return render_template(
        "tables/schedule.html", form=form, table=table, checklist=checklist
    ), status


# --- the table page -----------------------------------------------------------------------


@bp.route("/<int:table_id>")
@login_required
def show(table_id: int) -> str:
    table = services.get_table(table_id)
    moment = now_utc()
    # The last few meetings, newest first, so their agenda, minutes and attendance stay one
    # click away from the table page.
    recent = [
        o
        for o in schedule.occurrences(table, moment - timedelta(days=400), moment)
        if o.start <= moment
    ][-3:][::-1]
    return render_template(
        "tables/show.html",
        table=table,
        upcoming=schedule.upcoming(table, days=180)[:8],
        recent=recent,
        today=schedule.local_now(table, moment).date(),
        open_actions=meetings.open_actions(table),
        since=meetings.since_last_time(table),
        may_manage=can_manage_table(current_user, table),
        may_take_part=can_take_part(current_user, table),
        pause_form=PauseForm(),
        seat_form=seat_form(table),
        can_hand_over=lambda seat: can_hand_over(current_user, seat),
    )


@bp.route("/<int:table_id>/planning")
@login_required
def planning(table_id: int) -> str:
    table = services.get_table(table_id)
    return render_template(
        "tables/planning.html",
        table=table,
        occurrences=schedule.upcoming(table, days=366),
        may_manage=can_manage_table(current_user, table),
    )


@bp.post("/<int:table_id>/bijeenkomsten/<key>/overslaan")
@login_required
def skip(table_id: int, key: str) -> Response:
    """One-click skip (e.g. of a public holiday) from the planning view."""
    table = services.get_table(table_id)
    form = CancelForm()
    return run_action(
        lambda: schedule.cancel_occurrence(
            table,
            schedule.parse_occurrence_key(key),
            reason=form.reason.data or "",
            skipped=True,
            actor=current_user,
        ),
        form=form,
        success=_("De bijeenkomst wordt overgeslagen."),
        back=redirect_back(table),
    )


@bp.post("/<int:table_id>/pauzeren")
@login_required
def pause(table_id: int) -> Response:
    table = services.get_table(table_id)
    form = PauseForm()
    return run_action(
        lambda: services.pause_table(table, form.reason.data or "", current_user),
        form=form,
        success=_("De tafel is gepauzeerd."),
        back=redirect_back(table),
    )


@bp.post("/<int:table_id>/beeindigen")
@login_required
def end(table_id: int) -> Response:
    table = services.get_table(table_id)
    return run_action(
        lambda: services.end_table(table, current_user),
        success=_("De tafel is beëindigd."),
        back=redirect_back(table),
    )


# --- continuity dashboard -----------------------------------------------------------------


@bp.route("/continuiteit/<slug>")
@login_required
def dashboard(slug: str) -> str:
    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is None:
        abort(404)
    if not can_manage_area(current_user, area):
        abort(403)
    locale = str(getattr(current_user, "locale", "nl") or "nl")
    return render_template(
        "tables/dashboard.html", report=continuity.continuity(area, locale=locale)
    )
