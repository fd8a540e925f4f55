"""Issue 6: outbox delivery against a real SMTP server (aiosmtpd), in-process."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from coordinator import create_app
from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.mail import delivery
from coordinator.mail.delivery import claim_batch, deliver_due, retry_failed
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.mail.transports import transport_for
from tests.factories import OutboxMessageFactory
from tests.mailserver import RecordingHandler, free_port


def queue_many(count: int) -> list[OutboxMessage]:
    rows = OutboxMessageFactory.build_batch(count)
    db.session.add_all(rows)
    db.session.commit()
    return rows


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def later(monkeypatch: pytest.MonkeyPatch, delta: timedelta) -> None:
    """Move delivery's clock forward (claims, leases and backoff all read it)."""
    real = delivery.now_utc
    monkeypatch.setattr(delivery, "now_utc", lambda: real() + delta)


def test_queued_mail_arrives_once_with_its_message_id(app, smtp_server):
    queued = queue_many(3)

    report = deliver_due(app)
    again = deliver_due(app)

    assert (report.sent, again.claimed) == (3, 0)
    assert smtp_server.message_ids() == {row.message_id: 1 for row in queued}
    assert [r.rcpt_tos for r in smtp_server.received] == [(row.recipient,) for row in queued]
    assert all(r.status == OutboxStatus.SENT and r.sent_at is not None for r in rows())


def test_451_then_250_arrives_once_later(app, smtp_server, monkeypatch):
    (row,) = queue_many(1)
    smtp_server.handler.replies = ["451 4.3.0 Probeer het later opnieuw"]
    before = now_utc()

    first = deliver_due(app)
    (waiting,) = rows()
    assert (first.retried, len(smtp_server.received)) == (1, 0)
    assert waiting.status == OutboxStatus.QUEUED
    assert waiting.attempts == 1
    assert waiting.last_error.startswith("451")
    assert timedelta(seconds=29) <= waiting.due_at - before <= timedelta(seconds=35)

    assert deliver_due(app).claimed == 0  # not due yet: backoff holds
    assert smtp_server.received == []

    later(monkeypatch, timedelta(seconds=31))
    second = deliver_due(app)
    third = deliver_due(app)

    assert (second.sent, third.claimed) == (1, 0)
    assert smtp_server.message_ids() == {row.message_id: 1}
    assert smtp_server.handler.attempts == 2
    (sent,) = rows()
    assert (sent.status, sent.attempts, sent.last_error) == (OutboxStatus.SENT, 2, None)


def test_550_stays_failed(app, smtp_server, monkeypatch):
    queue_many(1)
    smtp_server.handler.default_reply = "550 5.1.1 Mailbox onbekend"

    report = deliver_due(app)
    later(monkeypatch, timedelta(days=2))
    again = deliver_due(app)

    (row,) = rows()
    assert (report.failed, again.claimed) == (1, 0)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert row.last_error == "550 5.1.1 Mailbox onbekend"
    assert smtp_server.received == []


def test_backoff_is_exponential_and_capped():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.backoff(40) == delivery.BACKOFF_MAX


def test_transient_failures_give_up_after_max_attempts_and_stay_visible(app, smtp_server):
    (row,) = queue_many(1)
    row.attempts = delivery.MAX_ATTEMPTS - 1
    db.session.commit()
    smtp_server.handler.default_reply = "452 4.2.2 Mailbox vol"

    report = deliver_due(app)

    (failed,) = rows()
    assert report.failed == 1
    assert (failed.status, failed.last_error) == (OutboxStatus.FAILED, "452 4.2.2 Mailbox vol")


def test_unreachable_server_defers_the_batch_without_losing_anything(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens: refused
    monkeypatch.setitem(app.config, "SMTP_TLS", "none")
    queue_many(3)
    before = now_utc()

    report = deliver_due(app)

    first, *rest = rows()
    assert (report.retried, report.released, report.failed) == (1, 2, 0)
    assert all(r.status == OutboxStatus.QUEUED and r.claimed_until is None for r in rows())
    assert first.attempts == 1
    assert "refused" in first.last_error.lower()
    assert [r.attempts for r in rest] == [0, 0]  # never tried: no attempt used up
    assert all(r.due_at - before >= timedelta(seconds=29) for r in rows())


def test_a_claim_holds_until_its_lease_expires(app):
    queue_many(2)
    now = now_utc()

    mine = claim_batch(10, worker="a", now=now)
    theirs = claim_batch(10, worker="b", now=now + timedelta(minutes=4))
    after_expiry = claim_batch(10, worker="b", now=now + delivery.LEASE + timedelta(seconds=1))

    assert len(mine) == 2
    assert theirs == []
    assert [m.id for m in after_expiry] == [m.id for m in mine]
    assert {r.claimed_by for r in rows()} == {"b"}


def test_resend_after_a_crash_reuses_the_message_id(app, smtp_server, monkeypatch):
    """Sent, then killed before recording it: the lease expires and the same bytes go again."""
    (row,) = queue_many(1)
    (claimed,) = claim_batch(10, worker="dead-process")
    transport = transport_for(app)
    transport.send(
        sender="matchtafel@example.org",
        recipient=claimed.recipient,
        raw=claimed.raw,
        message_id=claimed.message_id,
    )
    transport.close()

    assert deliver_due(app).claimed == 0  # the dead process still holds the lease
    later(monkeypatch, delivery.LEASE + timedelta(seconds=1))
    assert deliver_due(app).sent == 1

    assert smtp_server.message_ids() == {row.message_id: 2}
    first, second = smtp_server.received
    assert first.content == second.content


def test_concurrent_claims_never_overlap(app):
    """Several threads (own sessions, own connections) claim at once: each row exactly once."""
    queue_many(120)
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def claim(name: str) -> None:
        try:
            with app.app_context():
                barrier.wait()
                mine: list[int] = []
                while batch := claim_batch(7, worker=name):
                    mine.extend(mail.id for mail in batch)
                claimed[name] = mine
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == len(set(every)) == 120
    by_row = {r.id: r.claimed_by for r in rows()}
    assert all(by_row[i] == name for name, ids in claimed.items() for i in ids)


def test_retry_failed_requeues_with_the_same_message_id(app, smtp_server):
    (row,) = queue_many(1)
    smtp_server.handler.replies = ["554 5.7.1 Geweigerd"]
    deliver_due(app)

    retry_failed(row.id)
    (requeued,) = rows()
    assert (requeued.status, requeued.attempts) == (OutboxStatus.QUEUED, 0)
    deliver_due(app)

    assert smtp_server.message_ids() == {row.message_id: 1}


def test_retry_refuses_mail_that_did_not_fail(app):
    from coordinator.errors import Conflict, NotFound

    (row,) = queue_many(1)
    with pytest.raises(Conflict):
        retry_failed(row.id)
    with pytest.raises(NotFound):
        retry_failed(row.id + 1000)


def test_a_timeout_is_retried_and_the_resend_keeps_the_message_id(app, smtp_server, monkeypatch):
    """The server accepts only after our timeout: we cannot know, so we send again later."""
    queue_many(2)
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 0.3)
    smtp_server.handler.delay = 1.0

    report = deliver_due(app)

    assert (report.retried, report.released, report.sent) == (1, 1, 0)
    first, second = rows()
    assert (first.status, first.attempts) == (OutboxStatus.QUEUED, 1)
    assert "timed out" in first.last_error
    assert second.attempts == 0  # paused, not tried: the server hangs

    smtp_server.handler.delay = 0
    later(monkeypatch, timedelta(minutes=1))
    assert deliver_due(app).sent == 2
    # aiosmtpd drops a message whose client hung up; a server that kept it would now hold
    # two copies of the first mail, both with the same Message-ID.
    assert set(smtp_server.message_ids()) == {r.message_id for r in rows()}
    assert all(r.status == OutboxStatus.SENT for r in rows())


def test_a_batch_longer_than_its_lease_keeps_its_claims(app, smtp_server):
    """The lease is renewed while sending, so nobody else takes the rest of a slow batch."""
    queue_many(8)
    lease = timedelta(seconds=0.4)
    smtp_server.handler.delay = 0.1  # 8 mails take about twice the lease
    mails = claim_batch(10, worker="slow", lease=lease)
    stolen: list[int] = []
    done = threading.Event()

    def thief() -> None:
        with app.app_context():
            while not done.is_set():
                stolen.extend(m.id for m in claim_batch(10, worker="thief", lease=timedelta(1)))
                done.wait(0.05)
            db.session.remove()

    thread = threading.Thread(target=thief)
    thread.start()
    report = delivery.DeliveryReport()
    transport = transport_for(app)
    try:
        delivery.deliver_batch(
            mails, transport, sender="matchtafel@example.org", worker="slow", lease=lease,
            report=report,
        )  # fmt: skip
    finally:
        transport.close()
        done.set()
        thread.join()

    assert len(mails) == 8
    assert stolen == []
    assert report.sent == 8
    assert sorted(smtp_server.message_ids().values()) == [1] * 8


def test_a_numeric_looking_smtp_password_from_the_environment_logs_in(app, monkeypatch):
    """Environment values are parsed as JSON: ``COORDINATOR_SMTP_PASSWORD=1.50`` became 1.5.

    smtplib's AUTH LOGIN (and CRAM-MD5) need text; a number made every mail fail with
    "'float' object has no attribute 'encode'" and use up its attempts one by one (and as
    text, "1.5" is the wrong password).
    """
    handler = RecordingHandler()

    def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"1001", b"1.50"))

    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_require_tls=False,
        auth_exclude_mechanism=["PLAIN"],  # LOGIN only, as some providers offer
    )
    controller.start()
    try:
        monkeypatch.setenv("COORDINATOR_SMTP_USERNAME", "1001")
        monkeypatch.setenv("COORDINATOR_SMTP_PASSWORD", "1.50")
        env = create_app({"TESTING": True}, instance_path=app.instance_path).config
        for key in ("SMTP_USERNAME", "SMTP_PASSWORD"):
            monkeypatch.setitem(app.config, key, env[key])
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", controller.port)
        monkeypatch.setitem(app.config, "SMTP_TLS", "none")
        (row,) = queue_many(1)

        report = deliver_due(app)
    finally:
        controller.stop()

    assert (report.sent, report.retried) == (1, 0), rows()[0].last_error
    assert [mail.message_id for mail in handler.received] == [row.message_id]
