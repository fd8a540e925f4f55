"""SEQUENCE per recipient outlives the outbox: the ``sent_sequences`` ledger.

``purge-sent-mail`` deletes outbox rows (and their dedup keys) after 31 days; what a person's
calendar holds must still be known after that, or a re-seated holder's REQUEST lands below the
CANCEL they hold and Outlook / Google discard it as out of date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from coordinator.calendaring.invites import invite_all_holders, send
from coordinator.calendaring.mapping import Holder
from coordinator.calendaring.models import SentSequence
from coordinator.calendaring.render import InviteKind
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage
from coordinator.tables import schedule, services
from coordinator.tables import seats as seating
from coordinator.tables.models import TableSeries
from tests.invites.conftest import invites
from tests.tables.conftest import next_year


def second_tuesday(year: int, month: int) -> datetime:
    first = date(year, month, 1)
    day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
    return datetime(day.year, day.month, day.day, 10, 0)  # noqa: DTZ001 - local wall clock


def purge_outbox() -> None:
    """What ``purge-sent-mail`` does 31 days on: every outbox row and its dedup key are gone."""
    db.session.execute(sa.delete(OutboxMessage))
    db.session.commit()


def ledger() -> dict[tuple[int, int], tuple[int, str]]:
    rows = db.session.scalars(sa.select(SentSequence))
    return {(r.series_id, r.person_id): (r.sequence, r.method) for r in rows}


def test_a_holder_reseated_after_the_purge_gets_a_request_not_below_their_cancel(
    network, seated
) -> None:
    table, seats = seated
    person = network.holders["zon"]
    organisation, role = seats["zon"].organisation_id, seats["zon"].role_id
    # a moved occurrence raises what the series CANCEL has to outrank
    march = second_tuesday(next_year(), 3)
    schedule.move_occurrence(
        table, march.date(), new_start=march + timedelta(days=1), actor=network.coordinator
    )
    before = len(invites())
    seating.remove_seat(seats["zon"], network.coordinator)
    (cancel,) = invites()[before:]
    assert (cancel.method, cancel.to, cancel.recurrence_ids) == ("CANCEL", person.email, [None])
    assert cancel.sequence > table.series[0].sequence

    purge_outbox()
    seating.add_seat(table, organisation_id=organisation, role_id=role, actor=network.coordinator)
    (request,) = [i for i in invites() if i.to == person.email]
    assert request.method == "REQUEST"
    assert request.recurrence_ids[0] is None
    assert request.uid == cancel.uid
    assert request.sequence >= cancel.sequence
    assert request.mail["Subject"].startswith("Uitnodiging:")

    # an update after another purge still reaches them, not below what they hold
    purge_outbox()
    data = services.TableData(name=table.name, area_id=table.area_id, location="De Brug")
    services.update_table(table, data, network.coordinator)
    (update,) = [i for i in invites() if i.to == person.email]
    assert update.method == "REQUEST"
    assert update.sequence >= request.sequence

    # and removing them again, after yet another purge, outranks everything they got
    purge_outbox()
    seat = next(s for s in table.active_seats if s.role_id == role)
    seating.remove_seat(seat, network.coordinator)
    (again,) = invites()
    assert (again.method, again.to, again.recurrence_ids) == ("CANCEL", person.email, [None])
    assert again.sequence > max(cancel.sequence, request.sequence, update.sequence)


def test_the_ledger_keeps_only_ids_the_highest_sequence_and_the_last_method(
    network, seated
) -> None:
    table, seats = seated
    series = table.series[0]
    person = network.holders["zon"]
    organisation, role = seats["zon"].organisation_id, seats["zon"].role_id
    assert set(sa.inspect(SentSequence).columns.keys()) == {
        "series_id",
        "person_id",
        "sequence",
        "method",
    }
    holders = {p.id for p in network.holders.values()}
    assert {person_id for _, person_id in ledger()} >= holders
    assert ledger()[(series.id, person.id)] == (0, "REQUEST")

    # occurrence-level mails leave it alone
    april = second_tuesday(next_year(), 4)
    schedule.cancel_occurrence(table, april.date(), actor=network.coordinator)
    assert ledger()[(series.id, person.id)] == (0, "REQUEST")

    seating.remove_seat(seats["zon"], network.coordinator)
    (cancel,) = [i for i in invites() if i.to == person.email and i.method == "CANCEL"][-1:]
    assert ledger()[(series.id, person.id)] == (cancel.sequence, "CANCEL")

    seating.add_seat(table, organisation_id=organisation, role_id=role, actor=network.coordinator)
    request = [i for i in invites() if i.to == person.email][-1]
    assert request.method == "REQUEST"
    assert ledger()[(series.id, person.id)] == (request.sequence, "REQUEST")
    assert request.sequence == cancel.sequence

    # the ledger goes with its series
    db.session.execute(sa.delete(TableSeries).where(TableSeries.id == series.id))
    db.session.commit()
    assert not [key for key in ledger() if key[0] == series.id]


def test_nothing_queued_means_nothing_recorded(network, seated) -> None:
    table, _ = seated
    snapshot = ledger()
    # the same logical mail again: the dedup key refuses it, and the ledger stays as it was
    assert invite_all_holders(table) == []
    assert ledger() == snapshot


def test_the_upgrade_seeds_the_ledger_from_the_outbox_keys_still_there(network, seated) -> None:
    table, seats = seated
    organisation, role = seats["zon"].organisation_id, seats["zon"].role_id
    seating.remove_seat(seats["ggd"], network.coordinator)
    seating.remove_seat(seats["zon"], network.coordinator)
    seating.add_seat(table, organisation_id=organisation, role_id=role, actor=network.coordinator)
    built = ledger()
    assert {method for _, method in built.values()} == {"REQUEST", "CANCEL"}
    db.session.commit()
    db.session.remove()
    try:
        downgrade(revision="0009")
        assert "sent_sequences" not in sa.inspect(db.engine).get_table_names()
    finally:
        upgrade()
    assert ledger() == built


def test_two_series_mails_to_one_person_in_one_transaction(network, seated) -> None:
    table, seats = seated
    series = table.series[0]
    holder = Holder(network.holders["zon"], seats["zon"])
    assert send(InviteKind.CANCEL, series, holder, extra="t1:") is not None
    assert send(InviteKind.REQUEST, series, holder, extra="t1:") is not None
    assert send(InviteKind.CANCEL, series, holder, extra="t2:") is not None
    db.session.commit()
    assert ledger()[(series.id, holder.person.id)] == (2, "CANCEL")


def test_recording_never_lowers_the_stored_sequence(network, seated) -> None:
    """The upsert keeps the higher SEQUENCE in SQL, whatever order the writes come in (so a
    racing transaction that read an older value cannot lower it)."""
    from coordinator.calendaring.invites import _record_sent

    table, _ = seated
    series = table.series[0]
    person = network.holders["zon"]
    _record_sent(series, person.id, "CANCEL", 7)
    _record_sent(series, person.id, "REQUEST", 3)  # written later, with a lower SEQUENCE
    db.session.commit()
    assert ledger()[(series.id, person.id)] == (7, "REQUEST")
