"""Table pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import login_required

from coordinator.extensions import db
from coordinator.tables import bp
from coordinator.tables.models import Table


@bp.route("/")
@login_required
def index() -> str:
    rows = db.session.scalars(sa.select(Table).order_by(Table.name)).all()
    return render_template("tables/index.html", tables=rows)
