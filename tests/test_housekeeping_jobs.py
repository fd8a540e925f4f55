"""Daily housekeeping jobs: erasure of people who left, old question-board threads, sent mail."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coordinator.db import now_utc
from coordinator.directory.models import Person
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.questions.models import Question, QuestionStatus
from coordinator.scheduling.registry import load_jobs, local_today
from coordinator.scheduling.runs import run_job
from tests.factories import PersonFactory, QuestionFactory


def test_housekeeping_jobs_are_registered(app):
    names = set(load_jobs().names())
    assert {"erase-departed-people", "purge-expired-questions", "purge-sent-mail"} <= names


def test_erase_departed_people_job_respects_the_retention(app):
    today = local_today(app)
    gone = PersonFactory(
        name="Oud Collega", email="oud@org.example.org", left_on=today - timedelta(days=31)
    )
    recent = PersonFactory(
        name="Net Weg", email="net@org.example.org", left_on=today - timedelta(days=5)
    )
    db.session.commit()
    gone_id, recent_id = gone.id, recent.id
    run_job(app, load_jobs().get("erase-departed-people"))
    run_job(app, load_jobs().get("erase-departed-people"))  # idempotent
    db.session.expunge_all()  # the job ran in its own session
    gone, recent = db.session.get(Person, gone_id), db.session.get(Person, recent_id)
    assert (gone.name, gone.email, gone.erased_at is not None) == (None, None, True)
    assert (recent.name, recent.email, recent.erased_at) == ("Net Weg", "net@org.example.org", None)


def test_purge_questions_job_deletes_only_expired_threads(app):
    old = QuestionFactory(
        status=QuestionStatus.RESOLVED, resolved_at=now_utc() - timedelta(days=120)
    )
    fresh = QuestionFactory(
        status=QuestionStatus.RESOLVED, resolved_at=now_utc() - timedelta(days=10)
    )
    db.session.commit()
    old_id, fresh_id = old.id, fresh.id
    run_job(app, load_jobs().get("purge-expired-questions"))
    db.session.expunge_all()  # the job ran in its own session
    assert db.session.get(Question, old_id) is None
    assert db.session.get(Question, fresh_id) is not None


def _mail(name: str, status: OutboxStatus, days_ago: int | None, **kwargs: object) -> None:
    moment = now_utc() - timedelta(days=days_ago or 0)
    db.session.add(
        OutboxMessage(
            message_id=f"<{name}@matchtafel.test>",
            kind="question-answer",
            recipient="collega@org.example.org",
            subject=name,
            raw=b"Subject: " + name.encode() + b"\r\n\r\nHet antwoord op uw vraag.",
            status=status,
            created_at=moment,
            due_at=moment,
            sent_at=moment if status == OutboxStatus.SENT else None,
            **kwargs,
        )
    )


def _subjects() -> set[str]:
    db.session.expunge_all()  # the job ran in its own session
    return set(db.session.scalars(sa.select(OutboxMessage.subject)))


def test_purge_sent_mail_deletes_only_sent_mail_past_the_retention(app):
    _mail("old-sent", OutboxStatus.SENT, 45)
    _mail("recent-sent", OutboxStatus.SENT, 10)
    _mail("old-queued", OutboxStatus.QUEUED, 45)
    _mail("old-retrying", OutboxStatus.QUEUED, 45, attempts=3, last_error="timeout")
    _mail("old-failed", OutboxStatus.FAILED, 45, attempts=8, last_error="550")
    db.session.commit()

    job = load_jobs().get("purge-sent-mail")
    run_job(app, job)
    assert _subjects() == {"recent-sent", "old-queued", "old-retrying", "old-failed"}
    run_job(app, job)  # idempotent
    assert _subjects() == {"recent-sent", "old-queued", "old-retrying", "old-failed"}


def test_purge_sent_mail_follows_the_configured_retention(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_RETENTION_DAYS", 5)
    _mail("week-old", OutboxStatus.SENT, 7)
    _mail("yesterday", OutboxStatus.SENT, 1)
    db.session.commit()
    run_job(app, load_jobs().get("purge-sent-mail"))
    assert _subjects() == {"yesterday"}


def test_purge_sent_mail_keeps_dedup_keys_long_enough_to_prevent_a_second_send(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_RETENTION_DAYS", 5)
    _mail("this-month", OutboxStatus.SENT, 7, dedup_key="verify-entries:user1:2026-11")
    _mail("long-ago", OutboxStatus.SENT, 40, dedup_key="verify-entries:user1:2026-10")
    db.session.commit()
    run_job(app, load_jobs().get("purge-sent-mail"))
    assert _subjects() == {"this-month"}
