"""The continuity dashboard: vacancies, absence streaks, missing organisations, funding, staleness."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from coordinator.db import now_utc
from coordinator.directory.models import Infrastructure
from coordinator.extensions import db
from coordinator.tables import dashboard, services
from coordinator.tables import seats as seating
from coordinator.tables.charts import Row, attendance_heatmap, attendance_table
from coordinator.tables.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Table,
)
from coordinator.tables.schedule import Schedule
from tests.factories import OrganisationFactory
from tests.tables.conftest import SECOND_TUESDAY, Network

AMS = ZoneInfo("Europe/Amsterdam")


def running_table(network: Network) -> tuple[Table, dict]:
    """A table that began a year ago, with all five seats."""
    start = date.today() - timedelta(days=365)  # noqa: DTZ011
    table = services.create_table(
        services.TableData(
            name="Matchtafel Zuidoost",
            area_id=network.area.id,
            funding_ends_on=date.today() + timedelta(days=30),  # noqa: DTZ011
        ),
        network.coordinator,
        Schedule(SECOND_TUESDAY, start, datetime.min.time().replace(hour=10), 90),
    )
    seats = {
        key: seating.add_seat(
            table, organisation_id=role.organisation_id, role_id=role.id, actor=network.coordinator
        )
        for key, role in network.roles.items()
    }
    return table, seats


def record(table: Table, seats: dict, rows: list[dict[str, AttendanceStatus]]) -> None:
    """Attendance for the last len(rows) months, oldest first."""
    series = table.series[0]
    today = date.today()  # noqa: DTZ011
    for index, statuses in enumerate(rows):
        month_back = len(rows) - index
        day = (today.replace(day=1) - timedelta(days=28 * month_back)).replace(day=10)
        wall = datetime(day.year, day.month, 10, 10)  # noqa: DTZ001 - local wall-clock time
        meeting = Meeting(table=table, series=series, recurrence_id=wall)
        db.session.add(meeting)
        for key, status in statuses.items():
            meeting.attendances.append(Attendance(seat=seats[key], status=status))
    db.session.commit()


def test_absence_streak_is_pure() -> None:
    a, p, e = AttendanceStatus.ABSENT, AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED
    assert dashboard.absence_streak([a, e, a, p, a]) == 3
    assert dashboard.absence_streak([p, a, a, a]) == 0
    assert dashboard.absence_streak([AttendanceStatus.DEPUTY, a]) == 0
    assert dashboard.absence_streak([]) == 0


def test_dashboard_signals(network: Network) -> None:
    table, seats = running_table(network)
    absent, present = AttendanceStatus.ABSENT, AttendanceStatus.PRESENT
    record(
        table,
        seats,
        [
            {"ggd": present, "coa": present},
            {"ggd": absent, "coa": AttendanceStatus.DEPUTY},
            {"ggd": AttendanceStatus.EXCUSED, "coa": absent},
            {"ggd": absent, "coa": present},
        ],
    )
    vwn = OrganisationFactory(
        name="Vluchtelingenwerk", infrastructure=Infrastructure.ARRIVAL, areas=[network.area]
    )
    network.roles["zon"].organisation.verified_at = now_utc() - timedelta(days=10)
    db.session.commit()
    leaver = network.holders["buurtteam"]
    seating.vacate_seats_of(leaver, date.today())  # noqa: DTZ011
    db.session.commit()

    report = dashboard.continuity(network.area)
    assert [s.label for s in report.vacant_seats] == ["Buurtteam Zuidoost – brugfunctionaris"]
    assert [(s.label, n) for s, n in report.absent_seats] == [("GGD – publieke gezondheid", 3)]
    assert report.missing_organisations == [vwn]
    assert [w.label for w in report.funding] == ["Matchtafel Zuidoost"]
    stale = {o.name for o in report.stale_organisations}
    assert "ZON" not in stale
    assert {"COA", "GGD", "Vluchtelingenwerk"} <= stale
    assert "<svg" in report.chart
    assert "GGD" in report.chart
    assert not report.all_clear

    services.pause_table(table, "Geen zaal", network.coordinator)
    assert [t.name for t in dashboard.continuity(network.area).paused_tables] == [table.name]


def test_handover_clears_the_vacancy_warning(network: Network) -> None:
    table, seats = running_table(network)
    seating.vacate_seats_of(network.holders["coa"], date.today())  # noqa: DTZ011
    for assignment in network.holders["coa"].assignments:
        assignment.ends_on = date.today() - timedelta(days=1)  # noqa: DTZ011
    db.session.commit()
    assert [s.id for s in dashboard.continuity(network.area).vacant_seats] == [seats["coa"].id]
    seating.hand_over(seats["coa"], network.coordinator, successor_person_id=network.coa_deputy.id)
    assert dashboard.continuity(network.area).vacant_seats == []


def test_heatmap_escapes_names_and_colours_by_share() -> None:
    svg = str(
        attendance_heatmap(
            [Row("<script>", [1.0, 0.0, None]), Row("GGD", [0.5, 0.8, 0.2])],
            ["jan", "feb", "mrt"],
            title="Aanwezigheid",
        )
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.count("<rect") == 6
    assert "#2e7d32" in svg  # all there
    assert "#c62828" in svg  # never there
    assert "#eeeeee" in svg  # nothing recorded


def test_heatmap_shows_numbers_and_a_table_so_colour_is_not_the_only_cue() -> None:
    """WCAG 1.4.1: each cell carries its percentage; the table gives the exact figures."""
    rows = [Row("<b>COA</b>", [1.0, 0.0, None]), Row("GGD", [0.5, 2 / 3, 0.2])]
    svg = str(attendance_heatmap(rows, ["jan", "feb", "mrt"], title="Aanwezigheid"))
    numbers = re.findall(r'aria-hidden="true">(\d*)</text>', svg)
    assert numbers == ["100", "0", "", "50", "67", "20"]

    table = str(attendance_table(rows, ["jan", "feb", "mrt"], caption="Aanwezigheid"))
    assert "<caption>Aanwezigheid</caption>" in table
    assert '<th scope="row">&lt;b&gt;COA&lt;/b&gt;</th><td>100%</td><td>0%</td><td>–</td>' in table
    assert '<th scope="row">GGD</th><td>50%</td><td>67%</td><td>20%</td>' in table
