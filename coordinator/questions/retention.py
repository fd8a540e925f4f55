"""Threads are temporary: delete them after a while, keep the directory facts made from them.

Resolved questions go ``QUESTION_RETENTION_RESOLVED_DAYS`` (default 90) full days after their
resolution day, unresolved ones ``QUESTION_RETENTION_UNRESOLVED_DAYS`` (default 180) after the
day they were asked; days are Europe/Amsterdam calendar days. Responsibilities created from
answers live in the directory and are not touched (the answer only points at them).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from coordinator.extensions import db
from coordinator.questions.models import Answer, Question, QuestionRecipient, QuestionStatus

DEFAULT_RESOLVED_DAYS = 90
DEFAULT_UNRESOLVED_DAYS = 180


def cutoff(today: date, days: int, zone: ZoneInfo) -> datetime:
    """Instants before this are older than ``days`` full local days on ``today`` (pure)."""
    return datetime.combine(today - timedelta(days=days), time.min, tzinfo=zone)


def purge_expired_questions(today: date) -> int:
    """Delete expired threads (answers, inbox entries); returns how many questions went."""
    config = current_app.config
    zone = ZoneInfo(config.get("TIMEZONE", "Europe/Amsterdam"))
    resolved_days = int(config.get("QUESTION_RETENTION_RESOLVED_DAYS", DEFAULT_RESOLVED_DAYS))
    open_days = int(config.get("QUESTION_RETENTION_UNRESOLVED_DAYS", DEFAULT_UNRESOLVED_DAYS))
    expired = sa.select(Question.id).where(
        sa.or_(
            sa.and_(
                Question.status == QuestionStatus.RESOLVED,
                Question.resolved_at < cutoff(today, resolved_days, zone),
            ),
            sa.and_(
                Question.status == QuestionStatus.OPEN,
                Question.created_at < cutoff(today, open_days, zone),
            ),
        )
    )
    ids = list(db.session.scalars(expired))
    if not ids:
        return 0
    # Explicit child deletes: no reliance on ON DELETE CASCADE being enforced by the backend.
    db.session.execute(sa.delete(Answer).where(Answer.question_id.in_(ids)))
    db.session.execute(sa.delete(QuestionRecipient).where(QuestionRecipient.question_id.in_(ids)))
    db.session.execute(sa.delete(Question).where(Question.id.in_(ids)))
    db.session.commit()
    db.session.expire_all()
    return len(ids)
