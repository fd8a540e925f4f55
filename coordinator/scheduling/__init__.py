"""The scheduler process, its job registry and the operations page (outbox and job runs)."""

from flask import Blueprint

bp = Blueprint("operations", __name__, url_prefix="/beheer/verzending")

from coordinator.scheduling import views  # noqa: E402,F401
