"""Vraag aan het netwerk: a question board routed through "Wie doet wat?", with a privacy guard."""

from flask import Blueprint

bp = Blueprint("questions", __name__, url_prefix="/vragen")

from coordinator.questions import views  # noqa: E402,F401
