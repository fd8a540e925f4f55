"""Table services: issue 4's "Done when" scenarios, signals, and bad input changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from blinker import Signal

from coordinator import signals
from coordinator.db import now_utc
from coordinator.errors import Conflict, DomainError, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.tables import meetings, schedule, services
from coordinator.tables import seats as seating
from coordinator.tables.models import (
    ActionStatus,
    AttendanceStatus,
    HandoverKind,
    OccurrenceChange,
    Seat,
    Table,
    TableSeries,
    TableStatus,
)
from coordinator.tables.recurrence import EndKind, Pattern, RuleError, RuleSpec, Status
from tests.factories import PersonFactory, RoleFactory, UserFactory
from tests.tables.conftest import Network, next_year, second_tuesday_schedule

AMS = ZoneInfo("Europe/Amsterdam")


@contextmanager
def caught(signal: Signal) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        calls.append((sender, kwargs))

    signal.connect(receiver)
    try:
        yield calls
    finally:
        signal.disconnect(receiver)


def snapshot() -> dict[str, int]:
    """Row counts of the tables capability, to prove a refusal changed nothing."""
    from coordinator.tables import models as m

    counted = [m.Table, m.TableSeries, m.Seat, m.OccurrenceChange, m.Meeting, m.ActionItem]
    counted += [m.Attendance, m.Guest, m.SeatHandover]
    return {
        c.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(c)) for c in counted
    }


def make_table(network: Network, **overrides: Any) -> Table:
    data = services.TableData(
        name=overrides.pop("name", "Matchtafel Zuidoost"),
        area_id=network.area.id,
        location="Hushu House, Zuidoost",
        agenda_template="1. Opening\n2. Rondje wie doet wat",
        **overrides,
    )
    return services.create_table(data, network.coordinator, second_tuesday_schedule())


def seat_everyone(network: Network, table: Table) -> dict[str, Seat]:
    seats = {}
    for key, role in network.roles.items():
        seats[key] = seating.add_seat(
            table,
            organisation_id=role.organisation_id,
            role_id=role.id,
            deputy_person_id=network.coa_deputy.id if key == "coa" else None,
            is_coordinator=key == "welzijn",
            actor=network.coordinator,
        )
    return seats


def year_window(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=AMS), datetime(year + 1, 1, 1, tzinfo=AMS)


# --- "Done when" 1 -------------------------------------------------------------------------


def test_issue_4_matchtafel_zuidoost_scenario(network: Network) -> None:
    year = next_year()
    table = make_table(network)
    seats = seat_everyone(network, table)
    assert len(table.active_seats) == 5
    assert all(not s.is_vacant for s in seats.values())

    december = next(
        o.recurrence_id
        for o in schedule.occurrences(table, *year_window(year))
        if o.start.month == 12
    )
    # The December meeting moves a week later, in the afternoon, to another room.
    with caught(signals.occurrence_moved) as moved:
        schedule.move_occurrence(
            table,
            december.date(),
            new_start=december + timedelta(days=7, hours=4),
            location="Buurthuis Bijlmer",
            actor=network.coordinator,
        )
    assert moved
    assert moved[0][1]["change"].sequence == 1
    # The August meeting is skipped for the summer holiday.
    august = next(o for o in schedule.occurrences(table, *year_window(year)) if o.start.month == 8)
    schedule.cancel_occurrence(
        table,
        august.recurrence_id.date(),
        reason="Zomervakantie",
        skipped=True,
        actor=network.coordinator,
    )

    everything = schedule.occurrences(table, *year_window(year))
    assert len(everything) == 12
    for occurrence in everything:
        local = occurrence.start.astimezone(AMS)
        summer = 4 <= occurrence.recurrence_id.month <= 10
        assert local.utcoffset() == timedelta(hours=2 if summer else 1), occurrence
        assert occurrence.recurrence_id.weekday() == 1
        assert 8 <= occurrence.recurrence_id.day <= 14
        if not occurrence.moved:
            assert (local.hour, local.minute) == (10, 0)
            assert occurrence.end - occurrence.start == timedelta(minutes=90)
    last = everything[-1]
    assert last.moved
    assert last.location == "Buurthuis Bijlmer"
    assert last.start == (december + timedelta(days=7, hours=4)).replace(tzinfo=AMS)
    skipped = [o for o in everything if o.status == Status.SKIPPED]
    assert [(o.start.month, o.reason) for o in skipped] == [(8, "Zomervakantie")]
    happening = schedule.occurrences(table, *year_window(year), include_cancelled=False)
    assert len(happening) == 11


def test_public_holiday_is_flagged_and_skipped_with_its_name(network: Network) -> None:
    year = next_year()
    weekly_monday = schedule.Schedule(
        RuleSpec(Pattern.WEEKLY, weekdays=(0,)), date(year, 1, 1), time(14, 0), 60
    )
    table = services.create_table(
        services.TableData(name="Spreekuur", area_id=network.area.id, kind="spreekuur"),
        network.coordinator,
        weekly_monday,
    )
    clashes = schedule.holiday_clashes(table, days=800)
    easter_monday = next(o for o in clashes if o.holiday == "Tweede paasdag")
    schedule.cancel_occurrence(
        table, easter_monday.recurrence_id.date(), skipped=True, actor=network.coordinator
    )
    change = db.session.scalar(sa.select(OccurrenceChange))
    assert (change.status, change.reason) == (Status.SKIPPED, "Tweede paasdag")
    assert easter_monday.recurrence_id not in [
        o.recurrence_id for o in schedule.holiday_clashes(table, days=800)
    ]


# --- "Done when" 2 -------------------------------------------------------------------------


def test_issue_4_coa_holder_leaves_and_deputy_takes_over(network: Network) -> None:
    table = make_table(network)
    seats = seat_everyone(network, table)
    coa = seats["coa"]
    action = meetings.add_action(
        table,
        seat_id=coa.id,
        description="Rooster Meedoenbalie delen met buurtwerk",
        due_on=None,
        actor=network.coordinator,
    )
    leaver = network.holders["coa"]
    # The directory reports the leaver ("uit dienst melden"): the seat is vacated with a warning.
    for assignment in leaver.assignments:
        assignment.ends_on = date.today() - timedelta(days=1)  # noqa: DTZ011
    signals.person_left.send(leaver, on_date=date.today(), actor=network.coordinator)  # noqa: DTZ011
    db.session.commit()
    assert coa.is_vacant
    assert coa.needs_successor_since == date.today()  # noqa: DTZ011

    with caught(signals.seat_handed_over) as handed:
        entry = seating.hand_over(
            coa, network.coordinator, promote_deputy=True, note="Lopende afspraken besproken."
        )
    assert entry.kind == HandoverKind.DEPUTY_PROMOTED
    assert entry.from_person == leaver
    assert handed[0][1]["old_person"] == leaver
    assert handed[0][1]["new_person"] == network.coa_deputy
    db.session.expire_all()
    coa = db.session.get(Seat, coa.id)
    assert coa.holders == [network.coa_deputy]
    assert coa.deputy is None
    assert coa.needs_successor_since is None
    # The open action item belongs to the seat, so now to the successor.
    assert [a.id for a in coa.open_action_items] == [action.id]
    assert [h.kind for h in coa.handovers] == [HandoverKind.VACATED, HandoverKind.DEPUTY_PROMOTED]


def test_handover_to_a_named_successor_ends_the_old_assignment(network: Network) -> None:
    table = make_table(network)
    seat = seat_everyone(network, table)["buurtteam"]
    old = network.holders["buurtteam"]
    successor = PersonFactory(organisation=seat.organisation)
    seating.hand_over(seat, network.coordinator, successor_person_id=successor.id, note="")
    db.session.expire_all()
    seat = db.session.get(Seat, seat.id)
    assert seat.holders == [successor]
    assert old not in seat.holders


def test_handover_refusals_change_nothing(network: Network) -> None:
    table = make_table(network)
    seats = seat_everyone(network, table)
    outsider = PersonFactory()  # works elsewhere
    before = snapshot()
    with pytest.raises(DomainError, match="werkt niet bij COA") as error:
        seating.hand_over(seats["coa"], network.coordinator, successor_person_id=outsider.id)
    assert error.value.field == "successor_person_id"
    with pytest.raises(DomainError, match="geen vervanger"):
        seating.hand_over(seats["ggd"], network.coordinator, promote_deputy=True)
    with pytest.raises(DomainError, match="opvolger óf"):
        seating.hand_over(seats["coa"], network.coordinator)
    with pytest.raises(DomainError, match="persoonsgegevens"):
        seating.hand_over(
            seats["coa"], network.coordinator, promote_deputy=True, note="bel 0612345678"
        )
    with pytest.raises(PermissionDenied):
        seating.hand_over(seats["coa"], UserFactory(), promote_deputy=True)
    assert snapshot() == before
    assert seats["coa"].holders == [network.holders["coa"]]


def test_organisation_redacteur_may_hand_over_its_own_seat(network: Network) -> None:
    from coordinator.auth.models import AccountRole

    table = make_table(network)
    seat = seat_everyone(network, table)["coa"]
    editor_person = PersonFactory(organisation=seat.organisation)
    editor = UserFactory(person=editor_person, role=AccountRole.EDITOR)
    seating.hand_over(seat, editor, promote_deputy=True)
    assert seat.holders == [network.coa_deputy]


# --- "Done when" 3: bad input --------------------------------------------------------------


def test_seat_for_a_role_of_another_organisation_is_refused(network: Network) -> None:
    table = make_table(network)
    before = snapshot()
    with pytest.raises(DomainError) as error:
        seating.add_seat(
            table,
            organisation_id=network.roles["coa"].organisation_id,
            role_id=network.roles["ggd"].id,
            actor=network.coordinator,
        )
    assert error.value.field == "role_id"
    assert "hoort bij GGD, niet bij COA" in error.value.message
    assert snapshot() == before


def test_duplicate_seat_and_foreign_deputy_are_refused(network: Network) -> None:
    table = make_table(network)
    seat_everyone(network, table)
    before = snapshot()
    with pytest.raises(Conflict, match="al een zetel"):
        seating.add_seat(
            table,
            organisation_id=network.roles["coa"].organisation_id,
            role_id=network.roles["coa"].id,
            actor=network.coordinator,
        )
    other_role = RoleFactory(organisation=network.roles["coa"].organisation)
    with pytest.raises(DomainError, match="werkt niet bij COA"):
        seating.add_seat(
            table,
            organisation_id=other_role.organisation_id,
            role_id=other_role.id,
            deputy_person_id=network.holders["ggd"].id,
            actor=network.coordinator,
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("spec", "start_offset_days", "fragment"),
    [
        (RuleSpec(Pattern.WEEKLY), 0, "minstens één weekdag"),
        (RuleSpec(Pattern.MONTHLY_DAY, month_day=31), 0, "1 tot en met 28"),
        (
            RuleSpec(Pattern.WEEKLY, weekdays=(1,), end=EndKind.UNTIL, until=date(2020, 1, 1)),
            0,
            "einddatum ligt vóór de startdatum",
        ),
    ],
)
def test_impossible_schedule_is_refused_and_changes_nothing(
    network: Network, spec: RuleSpec, start_offset_days: int, fragment: str
) -> None:
    table = make_table(network)
    before = snapshot()
    series_before = [(s.uid, s.rrule, s.sequence) for s in table.series]
    bad = schedule.Schedule(spec, date(next_year(), 2, 1), time(10), 90)
    with pytest.raises(RuleError, match=fragment):
        schedule.set_schedule(table, bad, network.coordinator)
    db.session.expire_all()
    assert snapshot() == before
    assert [(s.uid, s.rrule, s.sequence) for s in table.series] == series_before


def test_new_table_with_impossible_schedule_is_not_created(network: Network) -> None:
    bad = schedule.Schedule(RuleSpec(Pattern.WEEKLY), date(next_year(), 1, 1), time(10), 90)
    with pytest.raises(RuleError):
        services.create_table(
            services.TableData(name="Nieuw", area_id=network.area.id), network.coordinator, bad
        )
    db.session.rollback()
    assert snapshot()["Table"] == 0


def test_date_that_is_not_an_occurrence_is_refused(network: Network) -> None:
    table = make_table(network)
    before = snapshot()
    not_a_meeting = date(next_year(), 3, 3)  # the first Tuesday of March at the latest
    with pytest.raises(NotFound, match="geen bijeenkomst") as error:
        schedule.move_occurrence(
            table,
            not_a_meeting,
            new_start=datetime(next_year(), 3, 4, 10),  # noqa: DTZ001
            actor=network.coordinator,
        )
    assert error.value.field == "date"
    with pytest.raises(NotFound):
        schedule.cancel_occurrence(table, not_a_meeting, actor=network.coordinator)
    assert snapshot() == before


def test_table_fields_are_validated(network: Network) -> None:
    cases = [
        ({"name": " "}, "name"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"kind": "feest"}, "kind"),
        ({"purpose": "Voor mevrouw, BSN 111222333"}, "purpose"),
    ]
    for overrides, field in cases:
        data = {"name": "Tafel", "area_id": network.area.id, **overrides}
        with pytest.raises(DomainError) as error:
            services.create_table(services.TableData(**data), network.coordinator)
        assert error.value.field == field, overrides
    assert snapshot()["Table"] == 0


def test_only_the_areas_coordinator_may_create_or_change(network: Network) -> None:
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.create_table(services.TableData(name="Tafel", area_id=network.area.id), stranger)
    table = make_table(network)
    with pytest.raises(PermissionDenied):
        schedule.cancel_occurrence(
            table, schedule.upcoming(table, days=400)[0].recurrence_id.date(), actor=stranger
        )


# --- schedule changes ---------------------------------------------------------------------


def test_change_schedule_from_a_date_splits_the_series(network: Network) -> None:
    year = next_year()
    table = make_table(network)
    first = table.series[0]
    # Pretend the series has been running: "now" is in March of that year.
    now = datetime(year, 3, 20, 12, tzinfo=AMS)
    thursday = schedule.Schedule(
        RuleSpec(Pattern.MONTHLY_WEEKDAY, nth=1, weekday=3), date(year, 6, 1), time(14, 0), 120
    )
    with caught(signals.series_split) as split:
        new = schedule.set_schedule(table, thursday, network.coordinator, now=now)
    assert split[0][1]["old_series"] is first
    assert split[0][1]["new_series"] is new
    assert new.uid != first.uid
    assert first.sequence == 1
    assert "UNTIL=" in first.rrule
    starts = [(o.uid, o.start.date()) for o in schedule.occurrences(table, *year_window(year))]
    assert [d.month for uid, d in starts if uid == first.uid] == [1, 2, 3, 4, 5]
    assert [d.weekday() for uid, d in starts if uid == new.uid] == [3] * 7
    # Changing a running schedule from a past date is refused.
    with pytest.raises(RuleError, match="toekomst"):
        schedule.set_schedule(
            table,
            schedule.Schedule(thursday.spec, date(year, 3, 1), time(14), 60),
            network.coordinator,
            now=now + timedelta(days=100),
        )


def test_schedule_not_yet_begun_changes_in_place(network: Network) -> None:
    table = make_table(network)
    series = table.series[0]
    with caught(signals.series_changed) as changed:
        schedule.set_schedule(
            table,
            schedule.Schedule(
                RuleSpec(Pattern.WEEKLY, weekdays=(2,)), date(next_year(), 1, 1), time(9), 60
            ),
            network.coordinator,
        )
    assert [s.uid for s in table.series] == [series.uid]
    assert series.sequence == 1
    assert series.rrule == "FREQ=WEEKLY;BYDAY=WE"
    assert changed[0][0] is series


def test_pause_resume_and_end(network: Network) -> None:
    table = make_table(network)
    seat_everyone(network, table)
    services.pause_table(table, "Geen ruimte meer in het buurthuis", network.coordinator)
    assert table.status == TableStatus.PAUSED
    assert schedule.upcoming(table, days=800) == []
    assert table.series[0].cancelled_at is not None  # never begun: the whole series is off
    checklist = services.restart_checklist(table)
    assert len(checklist["filled"]) == 5
    with pytest.raises(Conflict, match="gepauzeerd"):
        schedule.set_schedule(table, second_tuesday_schedule(), network.coordinator)
    services.resume_table(table, network.coordinator, second_tuesday_schedule())
    assert table.status == TableStatus.ACTIVE
    assert len(schedule.upcoming(table, days=800)) > 12
    with caught(signals.table_ended) as ended:
        services.end_table(table, network.coordinator)
    assert ended
    assert schedule.upcoming(table, days=800) == []
    with pytest.raises(Conflict, match="beëindigd"):
        schedule.set_schedule(table, second_tuesday_schedule(), network.coordinator)


def test_restore_undoes_a_cancel(network: Network) -> None:
    table = make_table(network)
    day = schedule.upcoming(table, days=400)[0].recurrence_id.date()
    schedule.cancel_occurrence(table, day, reason="Ziekte", actor=network.coordinator)
    with pytest.raises(Conflict, match="al afgelast"):
        schedule.cancel_occurrence(table, day, actor=network.coordinator)
    with pytest.raises(Conflict, match="zet haar eerst terug"):
        schedule.move_occurrence(
            table, day, new_start=datetime.combine(day, time(15)), actor=network.coordinator
        )
    change = schedule.restore_occurrence(table, day, actor=network.coordinator)
    assert change.sequence == 2
    assert schedule.upcoming(table, days=400)[0].is_happening


# --- meetings ------------------------------------------------------------------------------


def test_agenda_carries_open_actions_and_minutes_refuse_resident_data(network: Network) -> None:
    table = make_table(network)
    seats = seat_everyone(network, table)
    first, second = (o.recurrence_id.date() for o in schedule.upcoming(table, days=400)[:2])
    meetings.add_action(
        table,
        seat_id=seats["ggd"].id,
        description="Vaccinatiedag plannen in het Huis van de Wijk",
        due_on=second,
        actor=network.coordinator,
        key=first,
    )
    agenda = meetings.find_meeting(table, second).agenda
    assert agenda.startswith("1. Opening")
    assert "GGD – publieke gezondheid: Vaccinatiedag plannen" in agenda
    before = snapshot()
    with pytest.raises(DomainError, match="persoonsgegevens") as error:
        meetings.save_minutes(
            table, first, "Gezin op 1102AB 12 heeft hulp nodig", network.coordinator
        )
    assert error.value.field == "minutes"
    assert snapshot() == before
    meetings.save_minutes(
        table, first, "COA en GGD stemmen de vaccinatiedag af.", network.coordinator
    )
    assert meetings.find_meeting(table, first).meeting.minutes.startswith("COA en GGD")


def test_attendance_guests_and_action_status(network: Network) -> None:
    table = make_table(network)
    seats = seat_everyone(network, table)
    day = schedule.upcoming(table, days=400)[0].recurrence_id.date()
    meetings.record_attendance(
        table,
        day,
        {seats["coa"].id: "vervanger aanwezig", seats["ggd"].id: "afwezig"},
        network.coordinator,
    )
    meetings.record_attendance(table, day, {seats["ggd"].id: "afgemeld"}, network.coordinator)
    meeting = meetings.find_meeting(table, day).meeting
    assert {a.seat_id: a.status for a in meeting.attendances} == {
        seats["coa"].id: AttendanceStatus.DEPUTY,
        seats["ggd"].id: AttendanceStatus.EXCUSED,
    }
    other_table = services.create_table(
        services.TableData(name="Andere tafel", area_id=network.area.id), network.coordinator
    )
    foreign = seating.add_seat(
        other_table,
        organisation_id=network.roles["coa"].organisation_id,
        role_id=network.roles["coa"].id,
        actor=network.coordinator,
    )
    before = snapshot()
    with pytest.raises(DomainError, match="hoort niet bij deze tafel"):
        meetings.record_attendance(table, day, {foreign.id: "aanwezig"}, network.coordinator)
    with pytest.raises(DomainError, match="Onbekende aanwezigheid"):
        meetings.record_attendance(table, day, {seats["coa"].id: "misschien"}, network.coordinator)
    assert snapshot() == before
    guest = meetings.add_guest(
        table,
        day,
        name="Jurist",
        organisation_name="Sociaal raadslieden",
        actor=network.coordinator,
    )
    assert guest.meeting == meeting
    item = meetings.add_action(
        table, seat_id=seats["zon"].id, description="Flyer", due_on=None, actor=network.coordinator
    )
    meetings.set_action_status(item, "afgerond", network.coordinator)
    assert item.status == ActionStatus.DONE
    assert item.closed_at is not None


def test_cancelled_occurrence_takes_no_attendance(network: Network) -> None:
    table = make_table(network)
    seats = seat_everyone(network, table)
    day = schedule.upcoming(table, days=400)[0].recurrence_id.date()
    schedule.cancel_occurrence(table, day, actor=network.coordinator)
    with pytest.raises(Conflict, match="gaat niet door"):
        meetings.record_attendance(table, day, {seats["coa"].id: "aanwezig"}, network.coordinator)


def test_series_rows_are_left_alone_by_refused_moves(network: Network) -> None:
    table = make_table(network)
    day = schedule.upcoming(table, days=400)[0].recurrence_id.date()
    with pytest.raises(DomainError, match="verleden"):
        schedule.move_occurrence(
            table,
            day,
            new_start=datetime(2001, 1, 1, 10),  # noqa: DTZ001
            actor=network.coordinator,
        )
    with pytest.raises(RuleError, match="duur"):
        schedule.move_occurrence(
            table,
            day,
            new_start=datetime.combine(day, time(11)),
            duration_minutes=0,
            actor=network.coordinator,
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OccurrenceChange)) == 0
    assert db.session.scalar(sa.select(TableSeries.sequence)) == 0


def test_a_meeting_is_not_moved_onto_or_past_its_neighbours(network: Network) -> None:
    """Outlook refuses an occurrence on the day of, or beyond, another one of its series."""
    table = make_table(network)
    first, second, third = (o.recurrence_id for o in schedule.upcoming(table, days=400)[:3])
    for target in (third, third + timedelta(days=3), first):
        with pytest.raises(DomainError, match="andere bijeenkomst van deze reeks") as refused:
            schedule.move_occurrence(
                table, second.date(), new_start=target, actor=network.coordinator
            )
        assert refused.value.field == "new_start"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OccurrenceChange)) == 0

    # The day before the next meeting is fine; then that day is taken by the moved one.
    schedule.move_occurrence(
        table, second.date(), new_start=third - timedelta(days=1), actor=network.coordinator
    )
    with pytest.raises(DomainError, match="Kies een dag na"):
        schedule.move_occurrence(
            table, third.date(), new_start=third - timedelta(days=1), actor=network.coordinator
        )


def test_running_table_pauses_keeping_history_and_resumes(network: Network) -> None:
    started = date.today() - timedelta(days=200)  # noqa: DTZ011
    weekly = schedule.Schedule(
        RuleSpec(Pattern.WEEKLY, weekdays=(0, 1, 2, 3, 4)), started, time(9), 60
    )
    table = services.create_table(
        services.TableData(name="Inloop", area_id=network.area.id), network.coordinator, weekly
    )
    old = table.series[0]
    services.pause_table(table, "Zaal in verbouwing", network.coordinator)
    assert old.cancelled_at is None
    assert "UNTIL=" in old.rrule
    history = schedule.occurrences(
        table, datetime.combine(started, time(0), tzinfo=AMS), now_utc() + timedelta(days=30)
    )
    assert len(history) > 100  # the past stays
    assert schedule.upcoming(table, days=30) == []
    tomorrow = date.today() + timedelta(days=1)  # noqa: DTZ011
    services.resume_table(
        table, network.coordinator, schedule.Schedule(weekly.spec, tomorrow, time(9), 60)
    )
    assert len(table.series) == 2
    assert table.series[1].uid != old.uid
    assert table.status == TableStatus.ACTIVE


def test_seat_filled_fires_with_the_holder(network: Network) -> None:
    table = make_table(network)
    with caught(signals.seat_filled) as filled:
        seat = seating.add_seat(
            table,
            organisation_id=network.roles["ggd"].organisation_id,
            role_id=network.roles["ggd"].id,
            actor=network.coordinator,
        )
    assert filled == [(seat, {"person": network.holders["ggd"], "actor": network.coordinator})]


def test_leaving_deputy_is_dropped_and_a_covered_role_stays_filled(network: Network) -> None:
    from tests.factories import AssignmentFactory

    table = make_table(network)
    seats = seat_everyone(network, table)
    # A second holder of the GGD role: that seat stays filled when the first one leaves.
    AssignmentFactory(
        person=PersonFactory(organisation=seats["ggd"].organisation), role=network.roles["ggd"]
    )
    signals.person_left.send(network.holders["ggd"], on_date=date.today(), actor=None)  # noqa: DTZ011
    signals.person_left.send(network.coa_deputy, on_date=date.today(), actor=None)  # noqa: DTZ011
    db.session.commit()
    assert seats["ggd"].needs_successor_since is None
    assert seats["coa"].deputy is None
    assert seats["coa"].needs_successor_since is None
    assert [h.kind for h in seats["ggd"].handovers] == [HandoverKind.LEFT]


def test_demo_story_coa_colleague_who_is_also_deputy_takes_over(network: Network) -> None:
    """As in the demo: the role has two holders and one of them is also the seat's deputy."""
    from tests.factories import AssignmentFactory

    table = make_table(network)
    coa = seat_everyone(network, table)["coa"]
    AssignmentFactory(person=network.coa_deputy, role=network.roles["coa"])
    leaver = network.holders["coa"]
    assert set(coa.holders) == {leaver, network.coa_deputy}
    # Handing over straight away: the other holder is the one who goes.
    entry = seating.hand_over(
        coa, network.coordinator, promote_deputy=True, note="Warme overdracht"
    )
    assert entry.from_person == leaver
    db.session.expire_all()
    coa = db.session.get(Seat, coa.id)
    assert coa.holders == [network.coa_deputy]
    assert coa.deputy is None


def test_demo_story_after_the_directory_reported_the_leaver(network: Network) -> None:
    from tests.factories import AssignmentFactory

    table = make_table(network)
    coa = seat_everyone(network, table)["coa"]
    AssignmentFactory(person=network.coa_deputy, role=network.roles["coa"])
    leaver = network.holders["coa"]
    for assignment in leaver.assignments:
        assignment.ends_on = date.today()  # noqa: DTZ011
    signals.person_left.send(leaver, on_date=date.today(), actor=network.coordinator)  # noqa: DTZ011
    db.session.commit()
    assert coa.needs_successor_since is None  # a colleague still holds the role
    with caught(signals.seat_handed_over) as handed:
        seating.hand_over(coa, network.coordinator, promote_deputy=True)
    assert handed[0][1]["old_person"] == leaver
    assert handed[0][1]["new_person"] == network.coa_deputy
    assert [h.kind for h in coa.handovers] == [HandoverKind.LEFT, HandoverKind.DEPUTY_PROMOTED]


def test_since_last_time_lists_changes_after_the_last_meeting(network: Network) -> None:
    table = make_table(network)
    seats = seat_everyone(network, table)
    day = schedule.upcoming(table, days=400)[0].recurrence_id.date()
    schedule.cancel_occurrence(table, day, reason="Zaal bezet", actor=network.coordinator)
    meetings.add_action(
        table,
        seat_id=seats["zon"].id,
        description="Flyer maken",
        due_on=None,
        actor=network.coordinator,
    )
    report = meetings.since_last_time(table)
    assert report.since is None  # nothing has taken place yet
    assert [c.reason for c in report.schedule_changes] == ["Zaal bezet"]
    assert [a.description for a in report.new_actions] == ["Flyer maken"]
    assert len(report.new_seats) == 5
