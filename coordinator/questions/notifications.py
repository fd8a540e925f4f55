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


def question_dedup_key(question_id: int, user_id: int) -> str:
    return f"question:{question_id}:user:{user_id}"


def queue_question_mail(question: Question, route: Route) -> None:
    """Tell one recipient about a new question and why it reached them."""
    user = route.user
    with force_locale(user.locale):
        subject = _("Vraag aan het netwerk: %(topic)s", topic=question.topic.name)
    outbox.queue_templated(
        "question_new",
        to=user.email,
        subject=subject,
        kind=KIND_QUESTION,
        locale=user.locale,
        dedup_key=question_dedup_key(question.id, user.id),
        user=user,
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
