"""Domain exceptions and the error pages / JSON errors they become."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A refused action with a user-facing (Dutch) message; nothing has been changed."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _json_error(status: int, message: str, **extra: object):  # noqa: ANN202
    return jsonify({"error": status, "message": message, **extra}), status


def register_error_handlers(app: Flask) -> None:
    """Render HTTP errors as Dutch pages, or JSON under /api/."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # noqa: ANN202
        message = _(
            "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens."
        )
        if wants_json():
            return _json_error(400, message)
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):  # noqa: ANN202
        if wants_json():
            extra = {"field": error.field} if error.field else {}
            return _json_error(error.status_code, error.message, **extra)
        return render_template(
            "errors/error.html", code=error.status_code, message=error.message
        ), error.status_code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202
        code = error.code or 500
        messages = {
            400: _("Het verzoek is ongeldig."),
            401: _("U moet inloggen."),
            403: _("U heeft geen toegang tot deze pagina."),
            404: _("Deze pagina bestaat niet (meer)."),
            405: _("Deze handeling is hier niet toegestaan."),
            429: _("Te veel pogingen. Wacht even en probeer het opnieuw."),
        }
        message = messages.get(code, _("Er ging iets mis. Probeer het later opnieuw."))
        if wants_json():
            return _json_error(code, message)
        return render_template("errors/error.html", code=code, message=message), code
