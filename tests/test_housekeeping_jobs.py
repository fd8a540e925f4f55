"""Daily housekeeping jobs: erasure of people who left, and old question-board threads."""

from __future__ import annotations

from datetime import timedelta

from coordinator.db import now_utc
from coordinator.directory.models import Person
from coordinator.extensions import db
from coordinator.questions.models import Question, QuestionStatus
from coordinator.scheduling.registry import load_jobs, local_today
from coordinator.scheduling.runs import run_job
from tests.factories import PersonFactory, QuestionFactory


def test_housekeeping_jobs_are_registered(app):
    names = set(load_jobs().names())
    assert {"erase-departed-people", "purge-expired-questions"} <= names


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
