"""RSVP pages: GET shows what the link will record, POST (with CSRF) records it."""

from __future__ import annotations

from flask import render_template

from coordinator.rsvp import bp, services


@bp.get("/<token>")
def respond(token: str) -> str:
    answer = services.check(token)
    return render_template("rsvp/confirm.html", rsvp=answer, token=token)


@bp.post("/<token>")
def confirm(token: str) -> str:
    answer = services.respond(token)
    return render_template("rsvp/done.html", rsvp=answer)
