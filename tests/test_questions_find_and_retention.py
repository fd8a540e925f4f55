"""Issue 7: finding resolved questions, and deleting old threads while keeping directory facts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from coordinator.directory.models import Responsibility
from coordinator.errors import DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.questions import services
from coordinator.questions.models import Answer, Question, QuestionRecipient, QuestionStatus
from coordinator.questions.retention import purge_expired_questions
from coordinator.questions.search import Filters, search_questions
from tests.question_fixtures import build_nieuw_west
from tests.test_questions import ASK


@pytest.fixture
def nw():
    return build_nieuw_west()


def resolved(nw, text: str, *, area: str = "nieuw-west", topic: str = "fietsles", answer=None):  # noqa: ANN001, ANN201
    question = services.ask_question(
        nw.asker, **{**ASK, "text": text, "area": area, "topic": topic}
    )
    if answer:
        services.answer_question(question, nw.centrum_holder, answer)
    services.resolve_question(question, nw.asker)
    return question


def found(nw, **filters) -> list[str]:  # noqa: ANN001
    return [q.text for q in search_questions(Filters(**filters), nw.asker)]


def test_only_resolved_questions_are_found_by_default(nw):
    resolved(nw, "Fietsles voor jongens?")
    services.ask_question(nw.asker, **{**ASK, "text": "Nog open: fietsles?"})
    assert found(nw) == ["Fietsles voor jongens?"]
    assert sorted(found(nw, status=None)) == ["Fietsles voor jongens?", "Nog open: fietsles?"]
    assert found(nw, status=QuestionStatus.OPEN) == ["Nog open: fietsles?"]


def test_find_by_topic_group_and_area_including_wijken(nw):
    resolved(nw, "Fietsles in Geuzenveld?", area="geuzenveld")
    resolved(nw, "Taalles in Zuidoost?", area="zuidoost", topic="taal")
    assert found(nw, topic="fietsles") == ["Fietsles in Geuzenveld?"]
    assert found(nw, area="nieuw-west") == ["Fietsles in Geuzenveld?"]  # the wijk is below
    assert found(nw, area="geuzenveld") == ["Fietsles in Geuzenveld?"]
    assert found(nw, area="zuidoost") == ["Taalles in Zuidoost?"]
    assert len(found(nw, target_group="statushouders")) == 2
    with pytest.raises(DomainError) as unknown:
        found(nw, area="atlantis")
    assert unknown.value.field == "area"


def test_find_by_text_in_question_or_answer_case_insensitively(nw):
    resolved(nw, "Waar leren vrouwen fietsen?", answer="Het Vrouwencentrum op WOENSDAG.")
    resolved(nw, "Fietsles met 100% korting?")
    assert found(nw, q="VROUWEN") == ["Waar leren vrouwen fietsen?"]
    assert found(nw, q="woensdag") == ["Waar leren vrouwen fietsen?"]  # in the answer
    assert found(nw, q="100%") == ["Fietsles met 100% korting?"]
    assert found(nw, q="%") == ["Fietsles met 100% korting?"]  # a literal, not a wildcard
    assert found(nw, q="zwemles") == []


def test_search_page(nw, client):
    from tests.factories import PASSWORD
    from tests.helpers import login

    resolved(nw, "Fietsles voor jongens?", answer="Bij het Centrum.")
    login(client, nw.quiet_holder.email, PASSWORD)
    page = client.get("/vragen/zoeken?topic=fietsles&area=nieuw-west&q=jongens")
    assert page.status_code == 200
    assert "Fietsles voor jongens?" in page.get_data(as_text=True)
    assert "Fietsles voor jongens?" not in client.get("/vragen/zoeken?q=meisjes").get_data(
        as_text=True
    )
    assert client.get("/vragen/zoeken?area=atlantis").status_code == 400
    assert client.get("/vragen/zoeken?status=weg").status_code == 400
    services.ask_question(
        nw.asker, **{**ASK, "text": "Nog open in Geuzenveld", "area": "geuzenveld"}
    )
    open_page = client.get("/vragen/zoeken?status=open&area=nieuw-west").get_data(as_text=True)
    assert "Nog open in Geuzenveld" in open_page
    assert "Fietsles voor jongens?" not in open_page


def test_search_is_for_members(nw):
    with pytest.raises(PermissionDenied):
        search_questions(Filters(), None)


def _age(question: Question, *, asked_days: int, resolved_days: int | None = None) -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    question.created_at = now - timedelta(days=asked_days)
    if resolved_days is not None:
        question.resolved_at = now - timedelta(days=resolved_days)
    db.session.commit()


TODAY = date(2026, 11, 23)


def test_retention_deletes_old_threads_and_keeps_directory_facts(nw):
    old = resolved(nw, "Oud en opgelost", answer="Bij het Centrum.")
    recent = resolved(nw, "Recent opgelost")
    stale_open = services.ask_question(nw.asker, **{**ASK, "text": "Lang open"})
    young_open = services.ask_question(nw.asker, **{**ASK, "text": "Net open"})
    _age(old, asked_days=200, resolved_days=92)
    _age(recent, asked_days=200, resolved_days=89)
    _age(stale_open, asked_days=182)
    _age(young_open, asked_days=179)
    kept_answer = old.answers[0]
    editor = nw.centrum_holder
    editor.role = "partner-redacteur"
    db.session.commit()
    fact = services.answer_to_responsibility(kept_answer, editor, summary="Fietsles")
    fact_id = fact.id
    old_id = old.id

    assert purge_expired_questions(TODAY) == 2
    db.session.expire_all()
    left = set(db.session.scalars(sa.select(Question.text)))
    assert left == {"Recent opgelost", "Net open"}
    assert (
        db.session.scalar(sa.select(sa.func.count(Answer.id)).where(Answer.question_id == old_id))
        == 0
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count(QuestionRecipient.id)).where(
                QuestionRecipient.question_id == old_id
            )
        )
        == 0
    )
    assert db.session.get(Responsibility, fact_id) is not None  # the directory fact stays
    assert purge_expired_questions(TODAY) == 0


def test_retention_counts_whole_local_days(nw):
    question = resolved(nw, "Grensgeval")
    # Resolved at 00:30 Amsterdam time on 25 August (still 24 August in UTC): the 90 full
    # days after that local day end on 23 November.
    question.resolved_at = datetime(2026, 8, 24, 22, 30, tzinfo=UTC)
    db.session.commit()
    assert purge_expired_questions(date(2026, 11, 23)) == 0
    assert purge_expired_questions(date(2026, 11, 24)) == 1


def test_retention_periods_are_configurable(nw, app):
    question = resolved(nw, "Kort bewaard")
    _age(question, asked_days=20, resolved_days=15)
    assert purge_expired_questions(TODAY) == 0
    app.config["QUESTION_RETENTION_RESOLVED_DAYS"] = 10
    try:
        assert purge_expired_questions(TODAY) == 1
    finally:
        app.config["QUESTION_RETENTION_RESOLVED_DAYS"] = 90
