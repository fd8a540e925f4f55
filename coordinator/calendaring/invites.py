"""Invitations follow the tables: signal subscribers that queue iMIP mail in the outbox.

The tables capability emits its signals before it commits, so every mail queued here lands in
the same transaction as the change that causes it (and vanishes with it on a rollback).

When what is sent (issue 5):

- seat filled → REQUEST of every running series to the new holder;
- handover → CANCEL to the leaver only, REQUEST to the successor;
- seat removed → CANCEL to its holders (unless they hold another seat at the table);
- series changed in place → REQUEST with the raised SEQUENCE to every holder
  (CANCEL when the whole series was called off);
- one occurrence moved (or restored) → REQUEST for that RECURRENCE-ID to the holders;
- one occurrence cancelled or skipped → CANCEL for that RECURRENCE-ID;
- schedule changed from a date → REQUEST of the ended old series and of the new one;
- table ended → CANCEL of its series.

A series CANCEL carries SEQUENCE = the highest stored sequence (series or any occurrence) + 1:
strictly above every REQUEST sent for that UID (a series REQUEST carries the series' sequence,
an occurrence REQUEST its own), as RFC 5546 §3.2.5 wants, and above anything sent to that person
before. Someone who got a CANCEL and is seated again gets a REQUEST at no less than that CANCEL's
SEQUENCE (its later DTSTAMP makes it newer), or their client discards it as out of date.

What each person was sent for a series' master is kept in the ``sent_sequences`` ledger
(``calendaring.models.SentSequence``: highest SEQUENCE and last METHOD per series and person),
written in the same transaction as the outbox row whenever a series-level REQUEST or CANCEL is
queued. It does not depend on the outbox, whose rows ``purge-sent-mail`` deletes after 31 days:
a holder re-seated a year after their CANCEL still gets a REQUEST at or above it. Occurrence
mails are not recorded there; their SEQUENCE is the one stored on the ``OccurrenceChange``.

Each mail has a dedup key per (method, series UID, recurrence-id, person, sequence), so the same
logical mail is never queued twice, and its Message-ID is derived from that key, so it is stable.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import UTC, datetime
from email.headerregistry import Address

import sqlalchemy as sa
from flask import current_app

from coordinator import signals
from coordinator.auth.models import User
from coordinator.calendaring import imip, mapping, rsvp
from coordinator.calendaring.mapping import Holder
from coordinator.calendaring.models import SentSequence
from coordinator.calendaring.occurrences import occurrence_end_utc, occurrences
from coordinator.calendaring.render import InviteKind
from coordinator.calendaring.types import Status
from coordinator.db import now_utc, upsert_insert
from coordinator.directory.models import Person
from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.mail.models import OutboxMessage
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries
from coordinator.urls import external_url

log = logging.getLogger(__name__)

KIND_REQUEST = "invite-request"
KIND_CANCEL = "invite-cancel"

_METHODS = {
    InviteKind.REQUEST: "REQUEST",
    InviteKind.OCCURRENCE: "REQUEST",
    InviteKind.CANCEL: "CANCEL",
    InviteKind.CANCEL_OCCURRENCE: "CANCEL",
}


# --- building and queueing one mail ---------------------------------------------------------


def dedup_key(
    method: str, uid: str, recurrence_id: datetime | None, person_id: int, sequence: int, extra: str
) -> str:
    """The idempotency key of one invite mail (hashed when it would not fit the column)."""
    rid = recurrence_id.strftime("%Y%m%dT%H%M%S") if recurrence_id else "series"
    key = f"invite:{method}:{person_id}:{sequence}:{rid}:{extra}:{uid}"
    if len(key) > 255:
        key = "invite:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def message_id(key: str) -> str:
    """A Message-ID derived from the dedup key: the same logical mail keeps the same id."""
    domain = Address(addr_spec=current_app.config["MAIL_FROM"]).domain or "localhost"
    return f"<invite.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def locale_of(person: Person) -> str:
    """The invite language: English for people whose account chose English, else Dutch."""
    chosen = db.session.scalar(sa.select(User.locale).where(User.person_id == person.id))
    return "en" if (chosen or "").startswith("en") else "nl"


def _sent_sequence(series: TableSeries, person_id: int) -> int | None:
    """The highest SEQUENCE this person was sent for the series' master (``None``: nothing)."""
    return db.session.scalar(
        sa.select(SentSequence.sequence).where(
            SentSequence.series_id == series.id, SentSequence.person_id == person_id
        )
    )


def _record_sent(series: TableSeries, person_id: int, method: str, sequence: int) -> None:
    """Note a queued series-level mail in the ledger (same transaction as the outbox row).

    One upsert that only ever raises the stored SEQUENCE, so two transactions inviting the same
    person at once neither collide on the key nor lower what the other wrote.
    """
    insert = upsert_insert(db.session, SentSequence).values(
        series_id=series.id, person_id=person_id, sequence=sequence, method=method
    )
    higher = sa.case(
        (insert.excluded.sequence > SentSequence.sequence, insert.excluded.sequence),
        else_=SentSequence.sequence,
    )
    db.session.execute(
        insert.on_conflict_do_update(
            index_elements=[SentSequence.series_id, SentSequence.person_id],
            set_={"sequence": higher, "method": insert.excluded.method},
        )
    )


def _already_queued(key: str) -> bool:
    return (
        db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedup_key == key))
        is not None
    )


def _rsvp_links(
    data: mapping.SeriesData, holder: Holder, recurrence_id: datetime | None, now: datetime
) -> dict[str, str]:
    """Signed accept / decline (/ deputy) links for one occurrence: the given one, else the next."""
    end: datetime | None = None
    if recurrence_id is not None:
        end = occurrence_end_utc(data, recurrence_id)
    else:
        for item in occurrences(data, now, now + imip.NEXT_MEETING_HORIZON):
            if item.status is not Status.CANCELLED:
                recurrence_id, end = item.recurrence_id, item.end
                break
    if recurrence_id is None or end is None:
        return {}
    return rsvp_urls(holder.seat, holder.person.id, data.uid, recurrence_id, end)


def rsvp_urls(
    seat: Seat, person_id: int, series_uid: str, recurrence_id: datetime, expires_at: datetime
) -> dict[str, str]:
    """Signed accept / decline (and, when the seat has another deputy, deputy) links.

    For one occurrence of one seat holder; no login needed; they stop working at ``expires_at``
    (the occurrence's end).
    """
    actions = [rsvp.RsvpAction.ACCEPT, rsvp.RsvpAction.DECLINE]
    if seat.deputy is not None and seat.deputy_person_id != person_id:
        actions.append(rsvp.RsvpAction.DEPUTY)
    secret = current_app.config["SECRET_KEY"]
    return {
        action.value: external_url(
            "rsvp.respond",
            token=rsvp.make_token(
                secret,
                seat_id=seat.id,
                person_id=person_id,
                series_uid=series_uid,
                recurrence_id=recurrence_id,
                action=action,
                expires_at=expires_at.astimezone(UTC),
            ),
        )
        for action in actions
    }


def send(
    kind: InviteKind,
    series: TableSeries,
    holder: Holder,
    *,
    recurrence_id: datetime | None = None,
    is_update: bool = False,
    as_deputy: bool = False,
    extra: str = "",
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Queue one invite mail of ``kind`` to ``holder`` (``None`` when it was queued before)."""
    now = now or now_utc()
    attendee = holder.attendee
    data = mapping.series_data(series, [attendee])
    sent = _sent_sequence(series, holder.person.id) if recurrence_id is None else None
    if kind is InviteKind.CANCEL:
        # Above the series *and* every occurrence REQUEST sent before (a moved occurrence
        # carries its own, higher SEQUENCE), so no client keeps an occurrence as newer.
        highest = max([data.sequence, *(o.sequence or 0 for o in data.overrides)])
        # ... and above anything this person got before (a REQUEST after re-joining).
        data = replace(data, sequence=max(highest, sent or 0) + 1)
    elif kind is InviteKind.REQUEST and sent is not None and sent > data.sequence:
        # Someone who was removed and comes back: their client holds our CANCEL, and a REQUEST
        # below its SEQUENCE is "out of date" (Outlook) or ignored (Google). Equal SEQUENCE
        # with a later DTSTAMP is newer (RFC 5546 §2.1.5), and leaves the next update to every
        # holder above or equal to it. It also gives the mail a new dedup key. The ledger is
        # above the series' own SEQUENCE only after such a CANCEL (or a REQUEST raised by one).
        extra += f"s{data.sequence}:"  # each later update still gets its own key
        data = replace(data, sequence=sent)
    sequence = data.sequence
    if recurrence_id is not None:
        own = data.override_for(recurrence_id)
        sequence = max(sequence, (own.sequence or 0) if own else 0)
    method = _METHODS[kind]
    key = dedup_key(method, data.uid, recurrence_id, holder.person.id, sequence, extra + kind.value)
    if _already_queued(key):
        return None
    locale = locale_of(holder.person)
    links = (
        _rsvp_links(data, holder, recurrence_id, now)
        if kind in (InviteKind.REQUEST, InviteKind.OCCURRENCE) and not as_deputy
        else {}
    )
    message = imip.invite_message(
        kind,
        data,
        attendee,
        message_id=message_id(key),
        recurrence_id=recurrence_id,
        locale=locale,
        stamp=now,
        rsvp_links=links,
        rrule_text=mapping.rule_text(series, locale),
        is_update=is_update,
        as_deputy=as_deputy,
    )
    kind_name = KIND_REQUEST if method == "REQUEST" else KIND_CANCEL
    log.info("queue %s %s for person %s (%s)", kind_name, data.uid, holder.person.id, key)
    queued = outbox.queue(message, kind=kind_name, dedup_key=key)
    if recurrence_id is None and kind in (InviteKind.REQUEST, InviteKind.CANCEL):
        _record_sent(series, holder.person.id, method, sequence)
    return queued


def send_to_holders(
    kind: InviteKind,
    series: TableSeries,
    *,
    recurrence_id: datetime | None = None,
    is_update: bool = False,
) -> list[OutboxMessage]:
    """The same invite to every current holder of the series' table."""
    queued = [
        send(kind, series, holder, recurrence_id=recurrence_id, is_update=is_update)
        for holder in mapping.holders(series.table)
    ]
    return [m for m in queued if m is not None]


def running_series(table: Table) -> list[TableSeries]:
    """Series of the table that are not called off and still have a meeting ahead."""
    return [s for s in table.series if mapping.has_future(s)]


def invite_all_holders(table: Table) -> list[OutboxMessage]:
    """REQUEST every running series to every holder (idempotent: dedup keys; demo seeding)."""
    queued: list[OutboxMessage] = []
    for series in running_series(table):
        queued += send_to_holders(InviteKind.REQUEST, series)
    return queued


def send_to_deputy(
    seat: Seat, series: TableSeries, recurrence_id: datetime
) -> OutboxMessage | None:
    """ "Mijn vervanger gaat": the seat's deputy gets a REQUEST for that one occurrence."""
    assert seat.deputy is not None
    return send(
        InviteKind.OCCURRENCE,
        series,
        Holder(seat.deputy, seat),
        recurrence_id=recurrence_id,
        as_deputy=True,
        extra="deputy:",
    )


# --- subscribers ------------------------------------------------------------------------------


def on_seat_filled(seat: Seat, *, person: Person | None = None, **_: object) -> None:
    """Every holder of the new seat's role gets the running series (a role may have several)."""
    people = {p.id: p for p in seat.holders}
    if person is not None:
        people.setdefault(person.id, person)
    for holder in people.values():
        if not mapping.can_receive(holder):
            continue
        for series in running_series(seat.table):
            send(InviteKind.REQUEST, series, Holder(holder, seat))


def on_seat_handed_over(
    seat: Seat, *, old_person: Person | None, new_person: Person, **_: object
) -> None:
    table = seat.table
    still_there = {h.person.id for h in mapping.holders(table)}
    step = f"h{seat.id}.{len(seat.handovers)}:"
    for series in running_series(table):
        if (
            old_person is not None
            and mapping.has_address(old_person)
            and old_person.id not in still_there
        ):
            send(InviteKind.CANCEL, series, Holder(old_person, seat), extra=step)
        if mapping.can_receive(new_person):
            send(InviteKind.REQUEST, series, Holder(new_person, seat), extra=step)


def on_seat_removed(seat: Seat, **_: object) -> None:
    """Holders of a removed seat lose the table, unless they hold another seat at it."""
    still_there = {h.person.id for h in mapping.holders(seat.table)}
    for person in seat.holders:
        if person.id in still_there or not mapping.has_address(person):
            continue
        for series in running_series(seat.table):
            send(InviteKind.CANCEL, series, Holder(person, seat), extra=f"r{seat.id}:")


def on_series_changed(series: TableSeries, **_: object) -> None:
    if series.cancelled_at is not None:
        send_to_holders(InviteKind.CANCEL, series)
    else:
        send_to_holders(InviteKind.REQUEST, series, is_update=series.sequence > 0)


def on_occurrence_moved(series: TableSeries, *, change: OccurrenceChange, **_: object) -> None:
    send_to_holders(InviteKind.OCCURRENCE, series, recurrence_id=change.recurrence_id)


def on_occurrence_cancelled(series: TableSeries, *, change: OccurrenceChange, **_: object) -> None:
    send_to_holders(InviteKind.CANCEL_OCCURRENCE, series, recurrence_id=change.recurrence_id)


def on_series_split(
    table: Table, *, old_series: TableSeries, new_series: TableSeries, **_: object
) -> None:
    send_to_holders(InviteKind.REQUEST, old_series, is_update=True)
    send_to_holders(InviteKind.REQUEST, new_series)


def on_table_ended(table: Table, **_: object) -> None:
    for series in table.series:
        send_to_holders(InviteKind.CANCEL, series)


_SUBSCRIPTIONS = (
    (signals.seat_filled, on_seat_filled),
    (signals.seat_handed_over, on_seat_handed_over),
    (signals.seat_removed, on_seat_removed),
    (signals.series_changed, on_series_changed),
    (signals.occurrence_moved, on_occurrence_moved),
    (signals.occurrence_cancelled, on_occurrence_cancelled),
    (signals.series_split, on_series_split),
    (signals.table_ended, on_table_ended),
)


def connect_signals() -> None:
    """Subscribe to the tables' signals (idempotent: blinker keeps one entry per receiver)."""
    for signal, receiver in _SUBSCRIPTIONS:
        signal.connect(receiver)


__all__ = [
    "KIND_CANCEL",
    "KIND_REQUEST",
    "connect_signals",
    "invite_all_holders",
    "send",
    "send_to_deputy",
    "send_to_holders",
]
