"""The continuity dashboard per area: what is about to fall apart, before it does.

Vacant seats, seats absent three times in a row, organisations that should be at a table but
are not, paused tables, funding ending within 60 days, directory entries not verified for six
months, and attendance per organisation per month as a small server-side chart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from coordinator.db import now_utc
from coordinator.directory.models import Area, Infrastructure, Organisation
from coordinator.extensions import db
from coordinator.tables.charts import Row, attendance_heatmap, attendance_table
from coordinator.tables.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Seat,
    Table,
    TableStatus,
)

ABSENCE_STREAK = 3
FUNDING_WARNING_DAYS = 60
STALE_AFTER_DAYS = 183
CHART_MONTHS = 6
PRESENT = {AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY}


@dataclass(frozen=True)
class FundingWarning:
    label: str
    ends_on: date
    table: Table | None


@dataclass(frozen=True)
class Continuity:
    area: Area
    tables: list[Table]
    vacant_seats: list[Seat]
    absent_seats: list[tuple[Seat, int]]
    missing_organisations: list[Organisation]
    paused_tables: list[Table]
    funding: list[FundingWarning]
    stale_organisations: list[Organisation]
    chart: Markup
    attendance_recorded: bool

    @property
    def all_clear(self) -> bool:
        return not (
            self.vacant_seats
            or self.absent_seats
            or self.missing_organisations
            or self.paused_tables
            or self.funding
            or self.stale_organisations
        )


def area_ids(area: Area) -> set[int]:
    ids, stack = set(), [area]
    while stack:
        node = stack.pop()
        if node.id not in ids:
            ids.add(node.id)
            stack.extend(node.children)
    return ids


def absence_streak(statuses_newest_first: list[AttendanceStatus]) -> int:
    """How many of the most recent meetings in a row a seat was not there (pure)."""
    streak = 0
    for status in statuses_newest_first:
        if status in PRESENT:
            break
        streak += 1
    return streak


def _attendance(tables: list[Table]) -> list[tuple[Attendance, Meeting]]:
    if not tables:
        return []
    query = (
        sa.select(Attendance, Meeting)
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .where(Meeting.table_id.in_([t.id for t in tables]))
        .order_by(Meeting.recurrence_id.desc())
    )
    return [(a, m) for a, m in db.session.execute(query)]


def _months(today: date, count: int) -> list[tuple[int, int]]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def attendance_chart(
    rows: list[tuple[Attendance, Meeting]], today: date, locale: str = "nl"
) -> Markup:
    months = _months(today, CHART_MONTHS)
    tally: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    for attendance, meeting in rows:
        key = (meeting.recurrence_id.year, meeting.recurrence_id.month)
        if key in months:
            present = 1 if attendance.status in PRESENT else 0
            tally[attendance.seat.organisation.name][key].append(present)
    chart_rows = [
        Row(name, [(sum(v) / len(v)) if (v := per.get(m)) else None for m in months])
        for name, per in sorted(tally.items())
    ]
    labels = [format_date(date(y, m, 1), "MMM", locale=locale) for y, m in months]
    title = _("Aanwezigheid per organisatie per maand")
    table = attendance_table(chart_rows, labels, caption=title)
    return attendance_heatmap(chart_rows, labels, title=title) + Markup(
        "<details><summary>{}</summary>{}</details>"
    ).format(_("Als tabel tonen"), table)


def continuity(area: Area, *, now: datetime | None = None, locale: str = "nl") -> Continuity:
    moment = now or now_utc()
    today = moment.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    ids = area_ids(area)
    tables = list(
        db.session.scalars(
            sa.select(Table)
            .where(Table.area_id.in_(ids), Table.status != TableStatus.ENDED)
            .order_by(Table.name)
        )
    )
    seats = [s for t in tables for s in t.active_seats]
    vacant = [s for s in seats if s.is_vacant or s.needs_successor_since is not None]

    rows = _attendance(tables)
    by_seat: dict[int, list[AttendanceStatus]] = defaultdict(list)
    for attendance, _meeting in rows:
        by_seat[attendance.seat_id].append(attendance.status)
    absent = [
        (s, streak)
        for s in seats
        if (streak := absence_streak(by_seat.get(s.id, []))) >= ABSENCE_STREAK
    ]

    seated_org_ids = {s.organisation_id for s in seats}
    working_here = list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.areas.any(Area.id.in_(ids)))
            .order_by(Organisation.name)
        )
    )
    missing = [
        o
        for o in working_here
        if o.id not in seated_org_ids
        and o.infrastructure in (Infrastructure.ARRIVAL, Infrastructure.BOTH)
        and tables
    ]

    horizon = today + timedelta(days=FUNDING_WARNING_DAYS)
    funding = [
        FundingWarning(t.name, t.funding_ends_on, t)
        for t in tables
        if t.funding_ends_on is not None and today <= t.funding_ends_on <= horizon
    ]
    involved = {o.id: o for o in working_here} | {s.organisation.id: s.organisation for s in seats}
    funding += [
        FundingWarning(o.name, o.funding_ends_on, None)
        for o in involved.values()
        if o.funding_ends_on is not None and today <= o.funding_ends_on <= horizon
    ]
    funding.sort(key=lambda w: w.ends_on)

    stale_before = moment - timedelta(days=STALE_AFTER_DAYS)
    stale = sorted(
        (o for o in involved.values() if o.verified_at is None or o.verified_at < stale_before),
        key=lambda o: o.name,
    )
    return Continuity(
        area=area,
        tables=tables,
        vacant_seats=vacant,
        absent_seats=absent,
        missing_organisations=missing,
        paused_tables=[t for t in tables if t.status == TableStatus.PAUSED],
        funding=funding,
        stale_organisations=stale,
        chart=attendance_chart(rows, today, locale),
        attendance_recorded=bool(rows),
    )
