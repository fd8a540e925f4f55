"""Session login wiring and response headers that every page gets."""

from __future__ import annotations

from flask import Flask, Response
from flask_babel import lazy_gettext as _l

from coordinator.extensions import db, login_manager


def _load_user(session_id: str):  # noqa: ANN202 - Flask-Login callback
    from coordinator.auth.models import User

    user_id, _, stamp = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.security_stamp != stamp:
        return None
    return user


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    return response


def init_app(app: Flask) -> None:
    """Configure Flask-Login and default security headers."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om deze pagina te bekijken.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    app.after_request(_security_headers)
