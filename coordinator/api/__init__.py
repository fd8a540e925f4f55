"""JSON API under /api/v1, authenticated with personal access tokens."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from coordinator.api import auth, openapi, views  # noqa: E402,F401
from coordinator.directory import api as directory_api  # noqa: E402,F401
from coordinator.feeds import api as feeds_api  # noqa: E402,F401
from coordinator.questions import api as questions_api  # noqa: E402,F401
from coordinator.tables import api as tables_api  # noqa: E402,F401


def register_api(app: Flask) -> None:
    """Register the API; bearer-token requests carry no cookies, so CSRF does not apply."""
    from coordinator.extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
