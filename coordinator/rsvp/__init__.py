"""Answering an invite without logging in: signed accept / decline / "mijn vervanger gaat" links."""

from flask import Blueprint

bp = Blueprint("rsvp", __name__, url_prefix="/rsvp")

from coordinator.rsvp import views  # noqa: E402,F401
