"""Scheduler job: delete question-board threads past their retention."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from coordinator.questions.retention import purge_expired_questions
from coordinator.scheduling.registry import daily_at, local_today, register_job


def purge_questions(app: Flask) -> Mapping[str, int]:
    return {"deleted": purge_expired_questions(local_today(app))}


register_job(
    "purge-expired-questions",
    purge_questions,
    daily_at(4, 0),
    description=_l("Verwijdert oude vragen van het vragenbord na de bewaartermijn"),
)
