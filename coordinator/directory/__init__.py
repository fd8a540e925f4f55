"""The shared directory ("wie doet wat"): organisations, roles, people and boundaries."""

from flask import Blueprint

bp = Blueprint("directory", __name__, url_prefix="/wie-doet-wat")

from coordinator.directory import edit_views, views  # noqa: E402,F401
