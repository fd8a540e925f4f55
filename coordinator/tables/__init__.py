"""Tables: recurring meetings, their schedule, seats, agendas and actions."""

from flask import Blueprint

bp = Blueprint("tables", __name__, url_prefix="/tafels")

from coordinator.tables import views  # noqa: E402,F401
