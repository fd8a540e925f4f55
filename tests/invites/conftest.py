"""Invites tests reuse the tables' network fixture and read the outbox back as parsed iMIP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import pytest
from icalendar import Calendar

from coordinator.extensions import db
from coordinator.tables import seats as seating
from coordinator.tables import services
from coordinator.tables.models import Seat, Table
from tests.conftest import queued_mail
from tests.tables.conftest import Network, network, second_tuesday_schedule  # noqa: F401

__all__ = ["Invite", "invites", "make_table", "network", "seat_everyone"]


@dataclass
class Invite:
    """One queued invite mail, parsed."""

    mail: EmailMessage
    calendar: Calendar
    raw_ics: bytes

    @property
    def to(self) -> str:
        return str(self.mail["To"].addresses[0].addr_spec)

    @property
    def method(self) -> str:
        return str(self.calendar["METHOD"])

    @property
    def events(self) -> list[Any]:
        return list(self.calendar.walk("VEVENT"))

    @property
    def recurrence_ids(self) -> list[datetime | None]:
        return [e["RECURRENCE-ID"].dt if "RECURRENCE-ID" in e else None for e in self.events]

    @property
    def uid(self) -> str:
        return str(self.events[0]["UID"])

    @property
    def sequence(self) -> int:
        return int(self.events[0]["SEQUENCE"])

    def text(self) -> str:
        body = self.mail.get_body(("plain",))
        assert body is not None
        return str(body.get_content())


def parse(mail: EmailMessage) -> Invite:
    parts = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    raw = parts[0].get_payload(decode=True)
    calendar = Calendar.from_ical(raw)
    assert parts[0].get_param("method") == str(calendar["METHOD"])
    return Invite(mail, calendar, raw)


def invites(since: int = 0) -> list[Invite]:
    """Invite mails in the outbox, oldest first, skipping the first ``since``."""
    mails = [
        m for m in queued_mail() if any(p.get_content_type() == "text/calendar" for p in m.walk())
    ]
    return [parse(m) for m in mails[since:]]


def make_table(network: Network, **overrides: Any) -> Table:  # noqa: F811
    data = services.TableData(
        name=overrides.pop("name", "Matchtafel Zuidoost"),
        area_id=network.area.id,
        location="Hushu House, Zuidoost",
        purpose="Wie doet wat voor nieuwkomers in Zuidoost.",
        **overrides,
    )
    return services.create_table(data, network.coordinator, second_tuesday_schedule())


def seat_everyone(network: Network, table: Table) -> dict[str, Seat]:  # noqa: F811
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
    db.session.expire_all()
    return seats


@pytest.fixture
def seated(network: Network) -> tuple[Table, dict[str, Seat]]:  # noqa: F811
    table = make_table(network)
    return table, seat_everyone(network, table)
