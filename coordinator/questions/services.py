"""The question board's domain logic: ask, answer, resolve, keep an answer, preferences.

Every change validates first (including the privacy guard), then writes and commits once, with
its mails queued in the same transaction: refused input stores nothing and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator.db import now_utc
from coordinator.directory import services as directory_services
from coordinator.directory.access import can_edit_listing
from coordinator.directory.lookup import LookupQuery, LookupResult, lookup
from coordinator.directory.models import Area, Responsibility, Role, TargetGroup, Topic
from coordinator.directory.visibility import Viewer
from coordinator.errors import Conflict, DomainError, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.permissions import is_admin
from coordinator.privacy import ensure_no_personal_data
from coordinator.privacy.guard import Finding
from coordinator.questions import notifications
from coordinator.questions.models import (
    Answer,
    Question,
    QuestionPreference,
    QuestionRecipient,
    QuestionStatus,
)
from coordinator.questions.routing import Route, plan_routes

if TYPE_CHECKING:
    from coordinator.auth.models import User

#: A question is short, like a chat message; an answer may say a bit more.
QUESTION_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 4000


def require_member(user: User | None) -> User:
    """Only logged-in, active network members use the board."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Het vragenbord is alleen voor leden van het netwerk."))
    return user


def clean_text(text: str | None, *, field: str, max_length: int, empty: str) -> list[Finding]:
    """Refuse empty, too long or personal text; return the guard's warnings."""
    text = (text or "").strip()
    if not text:
        raise DomainError(empty, field=field)
    if len(text) > max_length:
        raise DomainError(_("Houd het kort: hooguit %(n)d tekens.", n=max_length), field=field)
    return ensure_no_personal_data(text, field=field)


@dataclass(frozen=True)
class Subject:
    """What a question is about, resolved from slugs."""

    topic: Topic
    target_group: TargetGroup
    area: Area


def _by_slug(
    model: type[Any], slug: str | None, field_name: str, missing: str, unknown: str
) -> Any:
    if not slug:
        raise DomainError(missing, field=field_name)
    found = db.session.scalar(sa.select(model).where(model.slug == slug))
    if found is None:
        raise DomainError(unknown % {"slug": slug}, field=field_name)
    return found


def resolve_subject(topic: str | None, target_group: str | None, area: str | None) -> Subject:
    return Subject(
        _by_slug(Topic, topic, "topic", _("Kies een thema."), _("Onbekend thema: %(slug)s.")),
        _by_slug(
            TargetGroup,
            target_group,
            "target_group",
            _("Kies een doelgroep."),
            _("Onbekende doelgroep: %(slug)s."),
        ),
        _by_slug(Area, area, "area", _("Kies een gebied."), _("Onbekend gebied: %(slug)s.")),
    )


@dataclass
class Preview:
    """What the asker sees before posting: the directory's answer and who would be asked."""

    subject: Subject
    known: LookupResult
    routes: list[Route]
    warnings: list[Finding] = field(default_factory=list)


def preview_question(
    asker: User | None,
    topic: str | None,
    target_group: str | None,
    area: str | None,
    text: str | None,
    *,
    today: date | None = None,
) -> Preview:
    """Check the question and show what "Wie doet wat?" already knows; writes nothing."""
    asker = require_member(asker)
    subject = resolve_subject(topic, target_group, area)
    warnings = clean_text(
        text, field="text", max_length=QUESTION_MAX_LENGTH, empty=_("Typ uw vraag.")
    )
    known = lookup(
        LookupQuery(subject.topic.slug, subject.target_group.slug, subject.area.slug),
        Viewer.of(asker),
        today=today,
    )
    routes = plan_routes(
        subject.topic, subject.target_group, subject.area, asker, today=today, result=known
    )
    return Preview(subject, known, routes, warnings)


def ask_question(
    asker: User | None,
    topic: str | None,
    target_group: str | None,
    area: str | None,
    text: str | None,
    *,
    today: date | None = None,
) -> Question:
    """Post a question, route it, and queue one mail per recipient, all in one transaction."""
    preview = preview_question(asker, topic, target_group, area, text, today=today)
    assert asker is not None  # checked by preview_question
    question = Question(
        asker=asker,
        asker_organisation_id=asker.organisation_id,
        topic=preview.subject.topic,
        target_group=preview.subject.target_group,
        area=preview.subject.area,
        text=(text or "").strip(),
        status=QuestionStatus.OPEN,
    )
    db.session.add(question)
    db.session.flush()
    for route in preview.routes:
        db.session.add(
            QuestionRecipient(
                question=question,
                person=route.person,
                user=route.user,
                reason=route.reason,
                organisation=route.organisation,
                role=route.role,
                table=route.table,
            )
        )
        notifications.queue_question_mail(question, route)
    db.session.commit()
    return question


def get_question(question_id: int, viewer: User | None) -> Question:
    require_member(viewer)
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound(_("Deze vraag bestaat niet (meer)."))
    return question


def mark_read(question: Question, user: User) -> None:
    """Opening a question from the inbox marks it read."""
    recipient = next((r for r in question.recipients if r.user_id == user.id), None)
    if recipient is not None and recipient.read_at is None:
        recipient.read_at = now_utc()
        db.session.commit()


def preview_answer(question: Question, author: User | None, text: str | None) -> list[Finding]:
    """Check an answer like :func:`answer_question` would; writes nothing, returns warnings.

    The answer form shows these warnings and asks to confirm, as the question form does.
    """
    require_member(author)
    if question.is_resolved:
        raise Conflict(_("Deze vraag is al opgelost; er kan niet meer op worden geantwoord."))
    return clean_text(text, field="text", max_length=ANSWER_MAX_LENGTH, empty=_("Typ uw antwoord."))


def answer_question(question: Question, author: User | None, text: str | None) -> Answer:
    """Add an answer on behalf of the author's organisation; the asker gets a mail."""
    preview_answer(question, author, text)
    assert author is not None  # checked by preview_answer
    answer = Answer(
        question=question,
        author=author,
        organisation_id=author.organisation_id,
        text=(text or "").strip(),
    )
    db.session.add(answer)
    db.session.flush()
    asker = question.asker
    if asker is not None and asker.id != author.id and asker.is_active:
        notifications.queue_answer_mail(answer, asker)
    db.session.commit()
    return answer


def can_resolve(user: User | None, question: Question) -> bool:
    return user is not None and (
        is_admin(user) or (question.asker_user_id is not None and question.asker_user_id == user.id)
    )


def resolve_question(
    question: Question, actor: User | None, best_answer_id: int | None = None
) -> Question:
    """The asker closes the question, optionally marking the best answer."""
    actor = require_member(actor)
    if not can_resolve(actor, question):
        raise PermissionDenied(_("Alleen wie de vraag stelde kan hem oplossen."))
    if question.is_resolved:
        raise Conflict(_("Deze vraag is al opgelost."))
    best = None
    if best_answer_id is not None:
        best = next((a for a in question.answers if a.id == best_answer_id), None)
        if best is None:
            raise DomainError(_("Dit antwoord hoort niet bij deze vraag."), field="best_answer_id")
    for answer in question.answers:
        answer.is_best = answer is best
    question.status = QuestionStatus.RESOLVED
    question.resolved_at = now_utc()
    db.session.commit()
    return question


def can_keep_answer(user: User | None, answer: Answer) -> bool:
    """Whether ``user`` may turn the answer into a directory fact of the answering organisation."""
    return answer.responsibility_id is None and can_edit_listing(user, answer.organisation)


def require_can_keep(user: User | None, answer: Answer) -> User:
    """Refuse unless ``user`` may still turn ``answer`` into a directory fact."""
    user = require_member(user)
    if answer.responsibility_id is not None:
        raise Conflict(_("Van dit antwoord is al een taak in Wie doet wat? gemaakt."))
    if not can_edit_listing(user, answer.organisation):
        raise PermissionDenied(
            _("U mag de gegevens van %(name)s niet wijzigen.", name=answer.organisation.name)
        )
    return user


def answer_to_responsibility(
    answer: Answer,
    actor: User | None,
    *,
    handles: bool = True,
    summary: str | None = None,
    reason: str = "",
    referral_tips: str = "",
    role: Role | None = None,
) -> Responsibility:
    """Record the answer as "does" or "does not" (boundary) for the question's combination.

    The responsibility is created through the directory services (rights, privacy guard,
    audit log) and linked to the answer; it stays in the directory when the thread is purged.
    """
    actor = require_can_keep(actor, answer)
    question = answer.question
    values: dict[str, Any] = {
        "handles": handles,
        "summary": (summary if summary is not None else answer.text)[:300],
        "reason": reason,
        "referral_tips": referral_tips,
        "role": role,
        "topics": [question.topic],
        "target_groups": [question.target_group],
        "areas": [question.area],
    }
    responsibility = directory_services.create_responsibility(answer.organisation, values, actor)
    # The directory service commits on its own; the link is a second, small commit.
    answer.responsibility = responsibility
    db.session.commit()
    return responsibility


def notify_questions_enabled(user: User) -> bool:
    pref = db.session.get(QuestionPreference, user.id)
    return bool(pref and pref.notify_questions)


def set_notify_questions(user: User | None, enabled: bool) -> None:
    """Opt in to (or out of) questions for the areas of one's tables."""
    user = require_member(user)
    pref = db.session.get(QuestionPreference, user.id)
    if pref is None:
        pref = QuestionPreference(user_id=user.id)
        db.session.add(pref)
    pref.notify_questions = bool(enabled)
    db.session.commit()
