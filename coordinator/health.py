"""``GET /healthz``: is the database reachable and fully migrated? No login needed."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from coordinator.extensions import db

bp = Blueprint("health", __name__)


def pending_migrations() -> list[str]:
    """Revisions in ``migrations/`` that the database has not applied yet."""
    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(script.get_heads())
    if heads <= applied:
        return []
    pending: list[str] = []
    for head in heads - applied:
        for rev in script.iterate_revisions(head, "base"):
            if rev.revision in applied:
                break
            pending.append(rev.revision)
    return pending


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        pending = pending_migrations()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        current_app.logger.warning("health check failed: %s", exc)
        return jsonify({"status": "error", "database": "unreachable"}), 503
    status = "ok" if not pending else "degraded"
    body = {"status": status, "database": "ok", "pending_migrations": pending}
    return jsonify(body), 200 if not pending else 503
