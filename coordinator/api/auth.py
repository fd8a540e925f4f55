"""Bearer-token authentication for every API endpoint except the OpenAPI document."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from coordinator.api import bp
from coordinator.auth.models import User
from coordinator.auth.services import user_for_api_token

#: Endpoints anyone may call.
PUBLIC_ENDPOINTS = {"api.openapi_document"}


def _unauthorised(message: str) -> ResponseReturnValue:
    response = jsonify({"error": 401, "message": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="matchtafel"'
    return response


@bp.before_request
def authenticate_bearer() -> ResponseReturnValue | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _unauthorised(_("Geef een API-token mee in de header 'Authorization: Bearer …'."))
    user = user_for_api_token(value.strip())
    if user is None:
        return _unauthorised(_("Dit API-token is onbekend of ingetrokken."))
    g.api_user = user
    # Flask-Login reads the request's user from here: permission rules shared with the UI
    # (which use ``current_user``) then apply to the token's owner, without any session.
    g._login_user = user
    return None


def api_user() -> User:
    """The authenticated user of the current API request."""
    return g.api_user
