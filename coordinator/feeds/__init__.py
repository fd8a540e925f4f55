"""Secret-token iCalendar feeds per person, organisation, table and area."""

from flask import Blueprint

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

from coordinator.feeds import revision, views  # noqa: E402,F401

revision.install()
