"""Finding questions: by topic, target group, area (and the wijken below it) and text.

Text matching is a case-insensitive substring search on the question and its answers
(``ILIKE`` on PostgreSQL, ``lower() LIKE lower()`` on SQLite), with ``%`` and ``_`` escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from coordinator.directory.models import Area, TargetGroup, Topic
from coordinator.errors import DomainError
from coordinator.extensions import db
from coordinator.questions.models import Answer, Question, QuestionRecipient, QuestionStatus
from coordinator.questions.services import require_member

if TYPE_CHECKING:
    from coordinator.auth.models import User

MAX_RESULTS = 100


@dataclass(frozen=True)
class Filters:
    """A search; empty fields do not filter. ``status=None`` means open and resolved."""

    topic: str | None = None
    target_group: str | None = None
    area: str | None = None
    q: str = ""
    status: QuestionStatus | None = QuestionStatus.RESOLVED


def parse_status(value: str | None, default: QuestionStatus | None) -> QuestionStatus | None:
    """``"open"``, ``"opgelost"``, ``"alle"`` (or empty for the default)."""
    if not value:
        return default
    if value == "alle":
        return None
    try:
        return QuestionStatus(value)
    except ValueError:
        raise DomainError(
            _("Ongeldige status; kies uit: open, opgelost, alle."), field="status"
        ) from None


def _id_for(model: type[Any], slug: str, field: str, message: str) -> int:
    found = db.session.scalar(sa.select(model.id).where(model.slug == slug))
    if found is None:
        raise DomainError(message % {"slug": slug}, field=field)
    return found


def area_and_below(area_id: int) -> set[int]:
    """The area and every wijk below it (areas are few: one query)."""
    children: dict[int, list[int]] = {}
    for aid, parent_id in db.session.execute(sa.select(Area.id, Area.parent_id)):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(aid)
    ids, stack = set(), [area_id]
    while stack:
        current = stack.pop()
        if current not in ids:
            ids.add(current)
            stack.extend(children.get(current, []))
    return ids


def search_questions(
    filters: Filters, viewer: User | None, *, limit: int = MAX_RESULTS
) -> list[Question]:
    """Questions matching ``filters``, newest first; for network members only."""
    require_member(viewer)
    stmt = sa.select(Question)
    if filters.status is not None:
        stmt = stmt.where(Question.status == filters.status)
    if filters.topic:
        stmt = stmt.where(
            Question.topic_id
            == _id_for(Topic, filters.topic, "topic", _("Onbekend thema: %(slug)s."))
        )
    if filters.target_group:
        group_id = _id_for(
            TargetGroup,
            filters.target_group,
            "target_group",
            _("Onbekende doelgroep: %(slug)s."),
        )
        stmt = stmt.where(Question.target_group_id == group_id)
    if filters.area:
        area_id = _id_for(Area, filters.area, "area", _("Onbekend gebied: %(slug)s."))
        stmt = stmt.where(Question.area_id.in_(area_and_below(area_id)))
    term = filters.q.strip()
    if term:
        in_answers = sa.exists().where(
            Answer.question_id == Question.id, Answer.text.icontains(term, autoescape=True)
        )
        stmt = stmt.where(sa.or_(Question.text.icontains(term, autoescape=True), in_answers))
    order = (
        Question.resolved_at.desc()
        if filters.status == QuestionStatus.RESOLVED
        else Question.created_at.desc()
    )
    stmt = stmt.order_by(order, Question.id.desc()).limit(limit).options(*_list_options())
    return list(db.session.scalars(stmt))


def _list_options() -> list[Any]:
    return [
        selectinload(Question.topic),
        selectinload(Question.target_group),
        selectinload(Question.area),
        selectinload(Question.asker_organisation),
        selectinload(Question.answers),
    ]


def inbox(user: User) -> list[tuple[Question, QuestionRecipient]]:
    """Questions routed to ``user``, newest first, with the read mark."""
    rows = db.session.execute(
        sa.select(Question, QuestionRecipient)
        .join(QuestionRecipient, QuestionRecipient.question_id == Question.id)
        .where(QuestionRecipient.user_id == user.id)
        .order_by(Question.created_at.desc(), Question.id.desc())
        .limit(MAX_RESULTS)
        .options(*_list_options())
    )
    return [(q, r) for q, r in rows]


def unread(user: User, *, limit: int = 5) -> list[Question]:
    """Open questions routed to ``user`` that they have not opened yet, newest first."""
    return list(
        db.session.scalars(
            sa.select(Question)
            .join(QuestionRecipient, QuestionRecipient.question_id == Question.id)
            .where(
                QuestionRecipient.user_id == user.id,
                QuestionRecipient.read_at.is_(None),
                Question.status == QuestionStatus.OPEN,
            )
            .order_by(Question.created_at.desc(), Question.id.desc())
            .limit(limit)
            .options(*_list_options())
        )
    )


def asked_by(user: User) -> list[Question]:
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.asker_user_id == user.id)
            .order_by(Question.created_at.desc(), Question.id.desc())
            .limit(MAX_RESULTS)
            .options(*_list_options())
        )
    )
