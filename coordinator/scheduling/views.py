"""The operations page for beheerders: the outbox and the last run of every job."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from coordinator.db import now_utc
from coordinator.mail import delivery, status
from coordinator.permissions import admin_required
from coordinator.scheduling import bp
from coordinator.scheduling.registry import load_jobs
from coordinator.scheduling.runs import last_runs


def scheduler_seems_down(last_delivery_started: datetime | None) -> bool:
    """True when the delivery job has not started for four of its intervals (or never)."""
    if last_delivery_started is None:
        return True
    interval = float(current_app.config.get("SCHEDULER_DELIVERY_SECONDS", 15))
    return now_utc() - last_delivery_started > timedelta(seconds=max(4 * interval, 120))


@bp.route("/")
@login_required
@admin_required
def index() -> str:
    registry = load_jobs()
    runs = last_runs(registry.names())
    delivery_run = runs.get("deliver-outbox")
    return render_template(
        "admin/operations.html",
        counts=status.outbox_counts(),
        failed=status.failed_messages(),
        retrying=status.retrying_messages(),
        sent=status.recently_sent(),
        jobs=[(spec, runs[spec.name]) for spec in registry.jobs()],
        scheduler_down=scheduler_seems_down(delivery_run.started_at if delivery_run else None),
    )


@bp.route("/<int:message_id>/opnieuw", methods=["POST"])
@login_required
@admin_required
def retry(message_id: int) -> Response:
    row = delivery.retry_failed(message_id)
    flash(
        _("Het bericht aan %(recipient)s staat weer in de wachtrij.", recipient=row.recipient),
        "success",
    )
    return redirect(url_for("operations.index"))
