"""The question board ("Vraag aan het netwerk"): questions, answers, who was notified, opt-ins.

Threads are temporary (see :mod:`coordinator.questions.retention`); what lasts is the directory
fact an answer can be turned into (``Answer.responsibility``), which lives in the directory.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.db import UTCDateTime, enum_column, now_utc
from coordinator.directory.models import (
    Area,
    Organisation,
    Person,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
)
from coordinator.extensions import db
from coordinator.tables.models import Table

if TYPE_CHECKING:
    from coordinator.auth.models import User


class QuestionStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "opgelost"


class RecipientReason(enum.StrEnum):
    """Why someone got the question."""

    #: Holds a role whose responsibility matches topic × group × area.
    ROLE = "taak"
    #: Edits an organisation whose organisation-wide responsibility matches.
    ORGANISATION = "organisatie"
    #: Sits at a table in the area and opted in.
    TABLE = "tafel"


class Question(db.Model):
    """A short question about offers and organisations (never about a resident)."""

    __tablename__ = "questions"
    __table_args__ = (sa.Index("ix_questions_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The account that asked; kept as the organisation when the account goes.
    asker_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    asker_organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id"), index=True)
    target_group_id: Mapped[int] = mapped_column(sa.ForeignKey("target_groups.id"), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[QuestionStatus] = mapped_column(
        enum_column(QuestionStatus), default=QuestionStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    asker: Mapped[User | None] = relationship("User")
    asker_organisation: Mapped[Organisation] = relationship()
    topic: Mapped[Topic] = relationship()
    target_group: Mapped[TargetGroup] = relationship()
    area: Mapped[Area] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="question",
        order_by="Answer.created_at, Answer.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    recipients: Mapped[list[QuestionRecipient]] = relationship(
        back_populates="question",
        order_by="QuestionRecipient.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_resolved(self) -> bool:
        return self.status == QuestionStatus.RESOLVED

    @property
    def best_answer(self) -> Answer | None:
        return next((a for a in self.answers if a.is_best), None)


class Answer(db.Model):
    """A reply in a question's thread, on behalf of the author's organisation."""

    __tablename__ = "question_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The answering organisation (the author's at the time); its editors can make it a fact.
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    is_best: Mapped[bool] = mapped_column(default=False)
    #: The directory fact made from this answer; it outlives the thread (retention).
    responsibility_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("responsibilities.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    question: Mapped[Question] = relationship(back_populates="answers")
    author: Mapped[User | None] = relationship("User")
    organisation: Mapped[Organisation] = relationship()
    responsibility: Mapped[Responsibility | None] = relationship()


class QuestionRecipient(db.Model):
    """One person a question was routed to: the "who was notified" line and, with an account,
    their inbox entry. Holders without an account are mailed at their work address only."""

    __tablename__ = "question_recipients"
    __table_args__ = (sa.UniqueConstraint("question_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    #: The account whose inbox shows the question; ``None`` for holders without an account.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[RecipientReason] = mapped_column(enum_column(RecipientReason))
    #: Shown to the asker instead of any name or address: organisation, role and/or table.
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roles.id", ondelete="SET NULL"))
    table_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tables.id", ondelete="SET NULL"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    question: Mapped[Question] = relationship(back_populates="recipients")
    person: Mapped[Person] = relationship()
    user: Mapped[User | None] = relationship("User")
    organisation: Mapped[Organisation] = relationship()
    role: Mapped[Role | None] = relationship()
    table: Mapped[Table | None] = relationship()


class QuestionPreference(db.Model):
    """Per-account board settings; without a row the defaults apply (no table mails)."""

    __tablename__ = "question_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Also receive questions for the areas of the tables where one holds a seat.
    notify_questions: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
