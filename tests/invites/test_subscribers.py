"""Which invite mail each tables signal queues (issue 5, "when what is sent" and "Done when")."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage
from coordinator.tables import schedule, services
from coordinator.tables import seats as seating
from coordinator.tables.recurrence import Pattern, RuleSpec
from coordinator.tables.schedule import Schedule
from tests.factories import PersonFactory, UserFactory
from tests.invites.conftest import Invite, invites, make_table, seat_everyone
from tests.tables.conftest import next_year


def wall(*parts: int) -> datetime:
    return datetime(*parts)  # noqa: DTZ001 - naive on purpose: local wall-clock time


def second_tuesday(year: int, month: int) -> datetime:
    first = date(year, month, 1)
    day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
    return wall(day.year, day.month, day.day, 10, 0)


def _count() -> int:
    return len(invites())


def _holder_emails(network) -> set[str]:
    return {p.email for p in network.holders.values()}


def test_seat_filled_sends_the_series_request_to_the_holder(network, seated) -> None:
    table, seats = seated
    sent = invites()
    assert {i.to for i in sent} == _holder_emails(network)
    assert all(i.method == "REQUEST" for i in sent)
    invite = sent[0]
    uid = table.series[0].uid
    assert invite.uid == uid
    assert invite.recurrence_ids == [None]
    master = invite.events[0]
    assert "FREQ=MONTHLY" in master["RRULE"].to_ical().decode()
    assert str(master["ORGANIZER"]) == "mailto:matchtafel@example.org"
    attendees = master["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == [f"mailto:{invite.to}"]
    assert master["URL"] == f"https://matchtafel.example.org/tafels/{table.id}"
    assert f"https://matchtafel.example.org/tafels/{table.id}" in str(master["DESCRIPTION"])
    assert invite.raw_ics.count(b"\r\n") == invite.raw_ics.count(b"\n")
    assert "BEGIN:VTIMEZONE" in invite.raw_ics.decode()


def test_coordinator_seat_is_chair_and_deputy_link_only_with_a_deputy(network, seated) -> None:
    by_to = {i.to: i for i in invites()}
    welzijn = by_to[network.holders["welzijn"].email]
    assert welzijn.events[0]["ATTENDEE"].params["ROLE"] == "CHAIR"
    coa = by_to[network.holders["coa"].email]
    assert coa.events[0]["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    assert "/rsvp/" in coa.text()
    assert "Mijn vervanger gaat" in coa.text()
    assert "Mijn vervanger gaat" not in welzijn.text()


def test_done_when_handover_cancel_to_leaver_and_request_to_successor(network, seated) -> None:
    table, seats = seated
    before = _count()
    leaver = network.holders["buurtteam"]
    successor = PersonFactory(organisation=seats["buurtteam"].organisation)
    seating.hand_over(seats["buurtteam"], network.coordinator, successor_person_id=successor.id)
    new = invites()[before:]
    assert [(i.method, i.to) for i in new] == [
        ("CANCEL", leaver.email),
        ("REQUEST", successor.email),
    ]
    cancel, request = new
    uid = table.series[0].uid
    assert cancel.uid == request.uid == uid
    assert cancel.recurrence_ids == [None]
    assert str(cancel.events[0]["STATUS"]) == "CANCELLED"
    assert cancel.sequence > request.sequence == table.series[0].sequence


def test_series_cancel_outranks_every_occurrence_request_sent_before(network, seated) -> None:
    """A moved occurrence carries its own, higher SEQUENCE; the series CANCEL sent to a leaver
    afterwards must be above it, or clients keep that occurrence as the newer version."""
    table, seats = seated
    march = second_tuesday(next_year(), 3)
    for days in (1, 2):  # moved twice: the occurrence's SEQUENCE is now series + 2
        schedule.move_occurrence(
            table, march.date(), new_start=march + timedelta(days=days), actor=network.coordinator
        )
    leaver = network.holders["buurtteam"]
    sent_to_leaver = [i.sequence for i in invites() if i.to == leaver.email]
    successor = PersonFactory(organisation=seats["buurtteam"].organisation)
    before = _count()
    seating.hand_over(seats["buurtteam"], network.coordinator, successor_person_id=successor.id)
    (cancel,) = [i for i in invites()[before:] if i.method == "CANCEL"]
    assert cancel.to == leaver.email
    assert cancel.sequence > max(sent_to_leaver)


def test_handover_of_a_role_reaches_its_seats_at_other_tables(network, seated) -> None:
    """A seat is a role: handing it over at one table gives the successor the role, so its
    seats at other tables are filled too (no stale vacancy, invites follow there as well)."""
    from coordinator.directory import people
    from coordinator.tables import dashboard

    table, seats = seated
    other_table = make_table(network, name="Netwerkbijeenkomst Zuidoost")
    other = seat_everyone(network, other_table)
    leaver = network.holders["buurtteam"]
    people.leave(leaver, date.today(), network.coordinator)  # noqa: DTZ011
    vacant = {s.id for s in dashboard.continuity(network.area).vacant_seats}
    assert vacant == {seats["buurtteam"].id, other["buurtteam"].id}

    successor = PersonFactory(organisation=seats["buurtteam"].organisation)
    before = _count()
    seating.hand_over(seats["buurtteam"], network.coordinator, successor_person_id=successor.id)

    assert dashboard.continuity(network.area).vacant_seats == []
    db.session.expire_all()
    assert other["buurtteam"].holders == [successor]
    assert other["buurtteam"].needs_successor_since is None
    assert [h.to_person for h in other["buurtteam"].handovers][-1] == successor
    sent = sorted((i.method, i.to, i.uid) for i in invites()[before:])
    uids = sorted([table.series[0].uid, other_table.series[0].uid])
    assert sent == sorted(
        [("CANCEL", leaver.email, uid) for uid in uids]
        + [("REQUEST", successor.email, uid) for uid in uids]
    )


def test_done_when_moving_one_occurrence_sends_that_recurrence_id_to_holders(
    network, seated
) -> None:
    table, _ = seated
    before = _count()
    year = next_year()
    original = second_tuesday(year, 3)
    moved_to = original + timedelta(days=2, hours=4)
    schedule.move_occurrence(table, original.date(), new_start=moved_to, actor=network.coordinator)
    new = invites()[before:]
    assert {i.to for i in new} == _holder_emails(network)
    assert len(new) == len(network.holders)
    for invite in new:
        assert invite.method == "REQUEST"
        assert len(invite.events) == 1  # no master: Outlook applies it only alone
        rid = invite.recurrence_ids[0]
        assert rid.replace(tzinfo=None) == original
        assert str(rid.tzinfo) == "Europe/Amsterdam"
        assert invite.events[0]["DTSTART"].dt.replace(tzinfo=None) == moved_to
        assert invite.sequence > table.series[0].sequence


def test_cancelling_one_occurrence_sends_cancel_for_it(network, seated) -> None:
    table, _ = seated
    before = _count()
    year = next_year()
    schedule.cancel_occurrence(table, second_tuesday(year, 4).date(), actor=network.coordinator)
    new = invites()[before:]
    assert len(new) == len(network.holders)
    for invite in new:
        assert invite.method == "CANCEL"
        assert invite.recurrence_ids[0].replace(tzinfo=None) == second_tuesday(year, 4)
        assert str(invite.events[0]["STATUS"]) == "CANCELLED"


def test_skipping_an_occurrence_also_cancels_it(network, seated) -> None:
    table, _ = seated
    before = _count()
    schedule.cancel_occurrence(
        table, second_tuesday(next_year(), 5).date(), skipped=True, actor=network.coordinator
    )
    assert {i.method for i in invites()[before:]} == {"CANCEL"}


def test_series_details_changed_sends_update_with_higher_sequence(network, seated) -> None:
    table, _ = seated
    old_sequence = table.series[0].sequence
    before = _count()
    data = services.TableData(name=table.name, area_id=table.area_id, location="Buurthuis De Brug")
    services.update_table(table, data, network.coordinator)
    new = invites()[before:]
    assert len(new) == len(network.holders)
    for invite in new:
        assert invite.method == "REQUEST"
        assert invite.recurrence_ids == [None]
        assert invite.sequence == old_sequence + 1
        assert str(invite.events[0]["LOCATION"]) == "Buurthuis De Brug"
        assert invite.mail["Subject"].startswith("Gewijzigde uitnodiging")


def test_renaming_a_table_sends_update_with_higher_sequence_and_new_summary(
    network, seated
) -> None:
    table, _ = seated
    old_sequence = table.series[0].sequence
    before = _count()
    data = services.TableData(
        name="Matchtafel Zuidoost-Noord",
        area_id=table.area_id,
        purpose=table.purpose,
        location=table.location,
        online_url=table.online_url,
    )
    services.update_table(table, data, network.coordinator)
    new = invites()[before:]
    assert {i.to for i in new} == _holder_emails(network)
    assert len(new) == len(network.holders)
    for invite in new:
        assert invite.method == "REQUEST"
        assert invite.uid == table.series[0].uid
        assert invite.sequence == old_sequence + 1
        assert str(invite.events[0]["SUMMARY"]) == "Matchtafel Zuidoost-Noord"


def test_changing_the_purpose_updates_the_invite_description(network, seated) -> None:
    table, _ = seated
    old_sequence = table.series[0].sequence
    before = _count()
    data = services.TableData(
        name=table.name,
        area_id=table.area_id,
        purpose="Werk en taal voor nieuwkomers",
        location=table.location,
        online_url=table.online_url,
    )
    services.update_table(table, data, network.coordinator)
    new = invites()[before:]
    assert len(new) == len(network.holders)
    for invite in new:
        assert invite.sequence == old_sequence + 1
        assert "Werk en taal voor nieuwkomers" in str(invite.events[0]["DESCRIPTION"])


def test_changing_only_the_agenda_template_or_reminders_sends_no_invite(network, seated) -> None:
    table, _ = seated
    before = _count()
    data = services.TableData(
        name=table.name,
        area_id=table.area_id,
        kind=table.kind.value,
        purpose=table.purpose,
        location=table.location,
        online_url=table.online_url,
        agenda_template="1. Opening",
        reminder_days_before=5,
    )
    services.update_table(table, data, network.coordinator)
    assert _count() == before


def test_schedule_change_from_a_date_ends_old_series_and_sends_new_uid(network) -> None:
    year = next_year()
    table = services.create_table(
        services.TableData(name="Lopende tafel", area_id=network.area.id),
        network.coordinator,
        Schedule(
            RuleSpec(Pattern.WEEKLY, weekdays=(0,)),
            date.today() - timedelta(days=30),  # noqa: DTZ011,
            time(10, 0),
            60,
        ),
    )
    from tests.invites.conftest import seat_everyone

    seat_everyone(network, table)
    old = table.series[0]
    before = _count()
    schedule.set_schedule(
        table,
        Schedule(RuleSpec(Pattern.WEEKLY, weekdays=(2,)), date(year, 2, 1), time(14, 0), 60),
        network.coordinator,
    )
    new = invites()[before:]
    uids = {i.uid for i in new}
    assert len(uids) == 2
    assert old.uid in uids
    ended = [i for i in new if i.uid == old.uid]
    started = [i for i in new if i.uid != old.uid]
    assert len(ended) == len(started) == len(network.holders)
    assert all(i.method == "REQUEST" for i in new)
    assert all("UNTIL=" in i.events[0]["RRULE"].to_ical().decode() for i in ended)
    assert all(i.sequence == old.sequence for i in ended)
    assert old.sequence >= 1
    assert all(i.sequence == 0 for i in started)


def test_table_ended_cancels_the_series_for_every_holder(network, seated) -> None:
    table, _ = seated
    before = _count()
    services.end_table(table, network.coordinator)
    new = invites()[before:]
    assert len(new) == len(network.holders)
    assert {i.method for i in new} == {"CANCEL"}
    assert all(i.recurrence_ids == [None] for i in new)


def test_english_account_gets_english_invite(network) -> None:
    UserFactory(person=network.holders["ggd"], locale="en")
    table = make_table(network)
    from tests.invites.conftest import seat_everyone

    seat_everyone(network, table)
    by_to = {i.to: i for i in invites()}
    english = by_to[network.holders["ggd"].email]
    dutch = by_to[network.holders["coa"].email]
    assert english.mail["Content-Language"] == "en"
    assert dutch.mail["Content-Language"] == "nl"
    assert english.text().startswith("Dear ")
    assert dutch.text().startswith("Beste ")


def test_mail_lands_in_the_changes_transaction_and_is_never_queued_twice(network, seated) -> None:
    table, _ = seated
    from coordinator.calendaring import invites as sending

    before = _count()
    assert sending.invite_all_holders(table) == []  # every holder already has this REQUEST
    assert _count() == before
    ids = db.session.scalars(sa.select(OutboxMessage.message_id)).all()
    assert len(ids) == len(set(ids))


def test_a_refused_change_queues_nothing(network, seated) -> None:
    import pytest

    from coordinator.errors import DomainError

    table, seats = seated
    before = _count()
    with pytest.raises(DomainError):
        seating.hand_over(seats["ggd"], network.coordinator, promote_deputy=True)
    db.session.rollback()
    assert _count() == before


def test_invite_is_one_request_per_recipient(network, seated) -> None:
    for invite in invites():
        assert len(invite.mail.get_all("To")) == 1
        assert invite.mail["From"].addresses[0].addr_spec == "matchtafel@example.org"
        assert isinstance(invite, Invite)


def test_a_broken_address_never_blocks_a_handover(network, seated) -> None:
    table, seats = seated
    leaver = network.holders["zon"]
    leaver.email = "geen adres"
    db.session.commit()
    successor = PersonFactory(organisation=seats["zon"].organisation)
    before = _count()
    seating.hand_over(seats["zon"], network.coordinator, successor_person_id=successor.id)
    assert [(i.method, i.to) for i in invites()[before:]] == [("REQUEST", successor.email)]


def test_a_seat_whose_role_has_two_holders_invites_both(network) -> None:
    from tests.factories import AssignmentFactory

    colleague = PersonFactory(organisation=network.roles["ggd"].organisation)
    AssignmentFactory(person=colleague, role=network.roles["ggd"])
    table = make_table(network)
    role = network.roles["ggd"]
    seating.add_seat(
        table, organisation_id=role.organisation_id, role_id=role.id, actor=network.coordinator
    )
    assert sorted(i.to for i in invites()) == sorted(
        [network.holders["ggd"].email, colleague.email]
    )


def test_removing_a_seat_cancels_for_its_holder_only(network, seated) -> None:
    _, seats = seated
    before = _count()
    seating.remove_seat(seats["zon"], network.coordinator)
    new = invites()[before:]
    assert [(i.method, i.to, i.recurrence_ids) for i in new] == [
        ("CANCEL", network.holders["zon"].email, [None])
    ]
