"""Tables: recurring meetings, their schedule, seats, agendas and actions."""

from flask import Blueprint

bp = Blueprint("tables", __name__, url_prefix="/tafels")

# services subscribes to coordinator.signals.person_left on import.
from coordinator.tables import services, views, views_meetings  # noqa: E402,F401
