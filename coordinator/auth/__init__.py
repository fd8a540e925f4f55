"""Accounts: login, invitations, password reset, language choice and personal API tokens."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/account")

from coordinator.auth import views  # noqa: E402,F401
