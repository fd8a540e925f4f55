"""The shared directory ("wie doet wat"): organisations, roles, people and boundaries."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/wie-doet-wat")

import coordinator.directory.io_views  # noqa: E402,F401  (import, export, print)
from coordinator.directory import views  # noqa: E402,F401
