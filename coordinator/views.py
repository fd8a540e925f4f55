"""Blueprint registry and the start page."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

main = Blueprint("main", __name__)


@main.route("/")
def index() -> Response | str:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    from coordinator.directory.forms import LookupForm
    from coordinator.questions import search as questions
    from coordinator.tables import overview

    lookup = LookupForm(formdata=None)
    lookup.fill_choices()
    return render_template(
        "index.html",
        meetings=overview.next_meetings(current_user),
        actions=overview.open_actions(current_user),
        unread=questions.unread(current_user),
        lookup=lookup,
    )


def register_blueprints(app: Flask) -> None:
    """Every HTML capability, explicitly."""
    from coordinator.auth import bp as auth_bp
    from coordinator.directory import bp as directory_bp
    from coordinator.directory.taxonomy_views import bp as taxonomy_bp
    from coordinator.feeds import bp as feeds_bp
    from coordinator.health import bp as health_bp
    from coordinator.questions import bp as questions_bp
    from coordinator.rsvp import bp as rsvp_bp
    from coordinator.scheduling import bp as operations_bp
    from coordinator.tables import bp as tables_bp

    app.register_blueprint(main)
    app.register_blueprint(auth_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(tables_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(operations_bp)
    app.register_blueprint(taxonomy_bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(rsvp_bp)
