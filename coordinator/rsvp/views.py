"""RSVP pages: GET shows what the link will record, POST (with CSRF) records it."""

from __future__ import annotations

from flask import g, render_template
from flask_babel import refresh

from coordinator.calendaring.invites import locale_of
from coordinator.rsvp import bp, services
from coordinator.rsvp.services import RsvpRequest


def _in_invite_language(answer: RsvpRequest) -> None:
    """Answer in the language the invite was written in (unless the visitor chose one)."""
    g.page_locale = locale_of(answer.person)
    refresh()


@bp.get("/<token>")
def respond(token: str) -> str:
    answer = services.check(token)
    _in_invite_language(answer)
    return render_template("rsvp/confirm.html", rsvp=answer, token=token)


@bp.post("/<token>")
def confirm(token: str) -> str:
    answer = services.respond(token)
    _in_invite_language(answer)
    return render_template("rsvp/done.html", rsvp=answer)
