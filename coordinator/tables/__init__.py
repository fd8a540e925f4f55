"""Tables: recurring meetings, their schedule, seats, agendas and actions."""

from flask import Blueprint

bp = Blueprint("tables", __name__, url_prefix="/tafels")

# seats subscribes to coordinator.signals.person_left on import.
from coordinator.tables import seats, views, views_meetings, views_seats  # noqa: E402,F401
