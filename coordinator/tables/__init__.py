"""Tables: recurring meetings, their schedule, seats, agendas and actions."""

from flask import Blueprint

bp = Blueprint("tables", __name__, url_prefix="/tafels")

from coordinator.tables import services, views  # noqa: E402,F401  (services subscribes to signals)
