"""The board's mails, queued in the caller's transaction (one per recipient, deduplicated)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from coordinator.mail import outbox
from coordinator.urls import external_url

if TYPE_CHECKING:
    from coordinator.auth.models import User
    from coordinator.questions.models import Answer, Question
    from coordinator.questions.routing import Route

KIND_QUESTION = "question"
KIND_ANSWER = "question-answer"


def question_dedup_key(question_id: int, person_id: int) -> str:
    return f"question:{question_id}:person:{person_id}"


def queue_question_mail(question: Question, route: Route) -> None:
    """Tell one recipient about a new question and why it reached them.

    Holders without an account get the question at their work address, without a link they
    could not open; the mail tells them how to answer (via a colleague or the asker's team).
    """
    address = route.address
    if not address:
        return
    locale = route.user.locale if route.user is not None else "nl"
    with force_locale(locale):
        subject = _("Vraag aan het netwerk: %(topic)s", topic=question.topic.name)
    outbox.queue_templated(
        "question_new",
        to=address,
        subject=subject,
        kind=KIND_QUESTION,
        locale=locale,
        dedup_key=question_dedup_key(question.id, route.person.id),
        person=route.person,
        has_account=route.user is not None,
        question=question,
        route=route,
        link=external_url("questions.detail", question_id=question.id),
    )


def queue_answer_mail(answer: Answer, asker: User) -> None:
    """Tell the asker that their question got an answer."""
    question = answer.question
    with force_locale(asker.locale):
        subject = _("Nieuw antwoord op uw vraag: %(topic)s", topic=question.topic.name)
    outbox.queue_templated(
        "question_answer",
        to=asker.email,
        subject=subject,
        kind=KIND_ANSWER,
        locale=asker.locale,
        dedup_key=f"question-answer:{answer.id}",
        user=asker,
        question=question,
        answer=answer,
        link=external_url("questions.detail", question_id=question.id),
    )
