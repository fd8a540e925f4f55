"""Small helpers shared by the table views."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from coordinator.errors import DomainError
from coordinator.tables.models import Table


def redirect_back(table: Table) -> Response:
    """Back to the same-site page named in the form's ``next``, else the table page."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("tables.show", table_id=table.id))


def flash_error(error: DomainError) -> None:
    flash(error.message, "error")
