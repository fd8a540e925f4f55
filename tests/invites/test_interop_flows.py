"""INTEROP items 1–7 and 20 through the real flows: the bytes the outbox would send.

See ``tests/calendaring/test_interop_catalogue.py`` for the item → test table.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import sqlalchemy as sa
import vobject

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.feeds import content
from coordinator.feeds import services as feed_services
from coordinator.feeds.models import FeedScope
from coordinator.mail.models import OutboxMessage
from coordinator.tables import schedule, services
from coordinator.tables import seats as seating
from coordinator.tables.recurrence import Pattern, RuleSpec
from coordinator.tables.schedule import Schedule
from tests.calendaring.wire import assert_wire_format, expand
from tests.factories import PersonFactory, UserFactory
from tests.invites.conftest import invites, make_table, seat_everyone
from tests.tables.conftest import next_year


def second_tuesday(year: int, month: int) -> datetime:
    first = date(year, month, 1)
    day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
    return datetime(day.year, day.month, day.day, 10, 0)  # noqa: DTZ001 - local wall clock


def raw_invites() -> list[bytes]:
    rows = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.kind.in_(("invite-request", "invite-cancel")))
        .order_by(OutboxMessage.id)
    )
    return [bytes(row.raw) for row in rows]


def check_wire(raw: bytes) -> str:
    """MIME shape and METHOD agreement of one raw invite; returns its METHOD."""
    assert b"\n" not in raw.replace(b"\r\n", b"")
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail.get_content_type() == "multipart/alternative"
    parts = list(mail.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    part = parts[-1]
    assert part.get_content_disposition() != "attachment"
    body = part.get_payload(decode=True)
    assert_wire_format(body)
    method = re.search(rb"^METHOD:(\w+)\r$", body, re.MULTILINE).group(1).decode()
    assert part.get_param("method") == method
    assert vobject.readOne(body.decode("utf-8")).method.value == method
    organizer = re.search(rb"ORGANIZER[^:]*:mailto:([^\r]+)", body.replace(b"\r\n ", b""))
    assert mail["From"].addresses[0].addr_spec == organizer.group(1).decode()
    assert b"SENT-BY" not in body
    return method


def test_every_queued_invite_has_matching_methods_and_shape(network, seated) -> None:
    table, seats = seated
    year = next_year()
    march = second_tuesday(year, 3)
    schedule.move_occurrence(
        table, march.date(), new_start=march + timedelta(days=1), actor=network.coordinator
    )
    schedule.cancel_occurrence(table, second_tuesday(year, 4).date(), actor=network.coordinator)
    seating.remove_seat(seats["zon"], network.coordinator)
    services.end_table(table, network.coordinator)
    methods = [check_wire(raw) for raw in raw_invites()]
    assert {"REQUEST", "CANCEL"} == set(methods)
    kinds = [(i.method, i.recurrence_ids == [None]) for i in invites()]
    assert {("REQUEST", True), ("REQUEST", False), ("CANCEL", True), ("CANCEL", False)} <= set(
        kinds
    )


def test_removed_holder_cancel_is_addressed_only_to_them(network, seated) -> None:
    _, seats = seated
    before = len(invites())
    seating.remove_seat(seats["zon"], network.coordinator)
    (cancel,) = invites()[before:]
    leaver = network.holders["zon"].email
    assert cancel.method == "CANCEL"
    assert [a.addr_spec for a in cancel.mail["To"].addresses] == [leaver]
    assert cancel.mail["Cc"] is None
    for event in cancel.events:
        attendees = event["ATTENDEE"]
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a) for a in attendees] == [f"mailto:{leaver}"]
        assert str(event["STATUS"]) == "CANCELLED"
    others = {p.email for k, p in network.holders.items() if k != "zon"}
    assert not any(o.encode() in cancel.raw_ics for o in others)


def test_successor_gets_a_full_request_not_an_update(network, seated) -> None:
    table, seats = seated
    march = second_tuesday(next_year(), 3)
    schedule.move_occurrence(
        table, march.date(), new_start=march + timedelta(days=1), actor=network.coordinator
    )
    successor = PersonFactory(organisation=seats["buurtteam"].organisation)
    before = len(invites())
    seating.hand_over(seats["buurtteam"], network.coordinator, successor_person_id=successor.id)
    (request,) = [i for i in invites()[before:] if i.to == successor.email]
    assert request.method == "REQUEST"
    assert request.mail["Subject"].startswith("Uitnodiging:")  # new to them: not "Gewijzigde"
    master, moved = request.events  # the whole series, with the moved occurrence
    assert "RRULE" in master
    assert "RECURRENCE-ID" not in master
    assert moved["RECURRENCE-ID"].dt.replace(tzinfo=None) == march


def test_a_removed_holder_who_comes_back_gets_a_full_request(network, seated) -> None:
    """Re-seating someone who got a CANCEL used to queue nothing: the REQUEST had the same
    dedup key as their first invite. It must go out, at no less than the CANCEL's SEQUENCE."""
    table, seats = seated
    person = network.holders["zon"]
    organisation, role = seats["zon"].organisation_id, seats["zon"].role_id
    before = len(invites())
    seating.remove_seat(seats["zon"], network.coordinator)
    seating.add_seat(table, organisation_id=organisation, role_id=role, actor=network.coordinator)
    new = [i for i in invites()[before:] if i.to == person.email]
    assert [i.method for i in new] == ["CANCEL", "REQUEST"]
    cancel, request = new
    assert request.uid == cancel.uid == table.series[0].uid
    assert request.sequence >= cancel.sequence
    assert request.mail["Subject"].startswith("Uitnodiging:")
    assert request.recurrence_ids == [None]
    # an update afterwards still reaches them, not below what they hold
    data = services.TableData(name=table.name, area_id=table.area_id, location="De Brug")
    before = len(invites())
    services.update_table(table, data, network.coordinator)
    (update,) = [i for i in invites()[before:] if i.to == person.email]
    assert update.sequence >= request.sequence
    # and removing them again outranks the REQUEST they got
    seat = next(s for s in table.active_seats if s.role_id == role)
    before = len(invites())
    seating.remove_seat(seat, network.coordinator)
    (again,) = invites()[before:]
    assert again.method == "CANCEL"
    assert again.sequence > update.sequence


def test_table_ended_cancel_outranks_everything_sent_before(network, seated) -> None:
    table, _ = seated
    march = second_tuesday(next_year(), 3)
    schedule.move_occurrence(
        table, march.date(), new_start=march + timedelta(days=1), actor=network.coordinator
    )
    person = network.holders["ggd"].email
    sent = [i.sequence for i in invites() if i.to == person]
    before = len(invites())
    services.end_table(table, network.coordinator)
    (cancel,) = [i for i in invites()[before:] if i.to == person]
    assert cancel.method == "CANCEL"
    assert cancel.recurrence_ids == [None]
    assert cancel.uid == table.series[0].uid
    assert str(cancel.events[0]["STATUS"]) == "CANCELLED"
    assert cancel.sequence > max(sent)


def test_cancelled_occurrence_outranks_the_request_for_it(network, seated) -> None:
    table, _ = seated
    person = network.holders["ggd"].email
    (series_request,) = [i for i in invites() if i.to == person]
    april = second_tuesday(next_year(), 4)
    schedule.move_occurrence(
        table, april.date(), new_start=april + timedelta(hours=3), actor=network.coordinator
    )
    (moved,) = [i for i in invites() if i.to == person and i.recurrence_ids != [None]]
    schedule.restore_occurrence(table, april.date(), actor=network.coordinator)
    before = len(invites())
    schedule.cancel_occurrence(table, april.date(), actor=network.coordinator)
    (cancel,) = [i for i in invites()[before:] if i.to == person]
    assert cancel.method == "CANCEL"
    assert len(cancel.events) == 1
    assert "RRULE" not in cancel.events[0]
    assert cancel.recurrence_ids[0].replace(tzinfo=None) == april
    assert cancel.sequence > moved.sequence > series_request.sequence
    assert "/rsvp/" not in cancel.text()
    assert cancel.mail["Subject"].startswith("Geannuleerd:")


def test_schedule_change_from_a_date_ends_in_utc_and_feed_has_no_dupes(client, network) -> None:
    today = now_utc().date()
    table = services.create_table(
        services.TableData(name="Lopende tafel", area_id=network.area.id),
        network.coordinator,
        Schedule(RuleSpec(Pattern.WEEKLY, weekdays=(0,)), today - timedelta(days=60), time(10), 60),
    )
    seat_everyone(network, table)
    old_uid = table.series[0].uid
    feed = feed_services.create(UserFactory(), FeedScope.TABLE, table.id)
    start, end = content.window(now_utc())
    before_split = expand(client.get(urlsplit(feed.url).path).get_data(), start, end)
    change_day = today + timedelta(days=10)
    count = len(invites())
    schedule.set_schedule(
        table,
        Schedule(RuleSpec(Pattern.WEEKLY, weekdays=(2,)), change_day, time(14), 60),
        network.coordinator,
    )
    new = invites()[count:]
    ended = [i for i in new if i.uid == old_uid]
    started = [i for i in new if i.uid != old_uid]
    assert ended
    assert started
    assert {i.uid for i in started} != {old_uid}
    for invite in ended:
        rule = invite.events[0]["RRULE"].to_ical().decode()
        until = re.search(r"UNTIL=(\d{8}T\d{6})Z", rule)
        assert until, rule  # UTC, as RFC 5545 wants with a TZID DTSTART
        assert "COUNT" not in rule
        assert datetime.strptime(until.group(1), "%Y%m%dT%H%M%S").date() < change_day  # noqa: DTZ007
    new_start = started[0].events[0]["DTSTART"].dt
    assert new_start.date() >= change_day
    raw = client.get(urlsplit(feed.url).path).get_data()
    assert_wire_format(raw)
    after = expand(raw, start, end)
    starts = [s for s, _, _ in after]
    assert len(starts) == len(set(starts))
    assert len({s.date() for s in starts}) == len(starts)  # not two meetings a day either
    past = [o for o in before_split if o[0].date() < change_day]
    assert [o for o in after if o[0].date() < change_day] == past  # history kept, once
    assert all(s.weekday() == 2 for s in starts if s.date() >= change_day)


def test_table_name_with_emoji_and_arabic_on_the_wire(client, network) -> None:
    name = "Matchtafel Zoë & Müller – اجتماع الطاولة الشهري 🌍🎉 Geuzenveld-Slotermeer"
    table = make_table(network, name=name)
    seat_everyone(network, table)
    raws = raw_invites()
    assert raws
    for raw in raws:
        check_wire(raw)
        mail = message_from_bytes(raw, policy=policy.default)
        body = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
        cal = vobject.readOne(body.get_payload(decode=True).decode("utf-8"))
        assert cal.vevent.summary.value == name
        assert name in mail["Subject"]
    feed = feed_services.create(UserFactory(), FeedScope.TABLE, table.id)
    raw = client.get(urlsplit(feed.url).path).get_data()
    assert_wire_format(raw)
    cal = vobject.readOne(raw.decode("utf-8"))
    assert cal.contents["x-wr-calname"][0].value == f"Matchtafel – {name}"
    assert {e.summary.value for e in cal.vevent_list} == {name}
