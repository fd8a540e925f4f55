"""Small helpers shared by the table views."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_wtf import FlaskForm
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


def flash_form_errors(form: FlaskForm) -> None:
    """Flash the errors of each invalid field, one message per field."""
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")


def run_action(
    action: Callable[[], object],
    *,
    back: Response,
    success: str | None = None,
    form: FlaskForm | None = None,
) -> Response:
    """A one-click POST: validate ``form``, run the service call ``action``, go ``back``.

    Form errors and a refusal (:class:`DomainError`) are flashed and change nothing;
    otherwise ``success`` is flashed. ``action`` only runs when the form is valid.
    """
    if form is not None and not form.validate():
        flash_form_errors(form)
        return back
    try:
        action()
    except DomainError as error:
        flash_error(error)
    else:
        if success:
            flash(success, "success")
    return back
