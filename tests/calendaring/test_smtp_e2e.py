"""End to end: invites go through a real SMTP server (aiosmtpd) and are parsed on arrival."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from coordinator.calendaring import imip
from coordinator.calendaring.render import InviteKind
from coordinator.mail.transports import SmtpTransport
from tests.calendaring.conftest import KHALID, ORGANIZER, STAMP, ZOE, wall, weekly_series
from tests.calendaring.wire import assert_wire_format


class Sink:
    """An SMTP handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    # aiosmtpd's Controller(port=0) cannot probe its own readiness (aio-libs/aiosmtpd#276)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def test_invites_and_cancel_arrive_intact_one_per_recipient(smtp):
    sink, port = smtp
    series = weekly_series()
    sent = []
    for number, (kind, rid, person) in enumerate(
        [
            (InviteKind.REQUEST, None, ZOE),
            (InviteKind.REQUEST, None, KHALID),
            (InviteKind.OCCURRENCE, wall(2026, 3, 23, 10), ZOE),
            (InviteKind.CANCEL, None, KHALID),  # e.g. Khalid hands his seat over
        ]
    ):
        msg = imip.invite_message(
            kind,
            series,
            person,
            message_id=f"<e2e-{number}@matchtafel.example.org>",
            recurrence_id=rid,
            stamp=STAMP,
        )
        sent.append((kind, person, msg["Message-ID"]))
        transport = SmtpTransport("127.0.0.1", port, tls="none", timeout=10)
        try:
            transport.send(
                sender=ORGANIZER.email,
                recipient=person.email,
                raw=msg.as_bytes(),
                message_id=msg["Message-ID"],
            )
        finally:
            transport.close()

    assert len(sink.envelopes) == 4
    for envelope, (kind, person, message_id) in zip(sink.envelopes, sent, strict=True):
        assert envelope.mail_from == ORGANIZER.email
        assert envelope.rcpt_tos == [person.email]
        received = message_from_bytes(envelope.original_content, policy=policy.default)
        assert received["Message-ID"] == message_id
        assert [a.addr_spec for a in received["To"].addresses] == [person.email]
        assert received.get_content_type() == "multipart/alternative"
        part = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
        body = part.get_payload(decode=True)
        assert_wire_format(body)
        cal = Calendar.from_ical(body)
        assert part.get_param("method") == cal["METHOD"]
        expected = "CANCEL" if kind is InviteKind.CANCEL else "REQUEST"
        assert cal["METHOD"] == expected
        for event in cal.walk("VEVENT"):
            assert event["UID"] == series.uid
            assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
        other = ({ZOE.email, KHALID.email} - {person.email}).pop()
        assert other.encode() not in envelope.original_content
        assert other not in body.decode()
