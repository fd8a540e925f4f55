"""Directory pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import login_required

from coordinator.directory import bp
from coordinator.directory.models import Organisation
from coordinator.extensions import db


@bp.route("/organisaties")
@login_required
def organisations() -> str:
    rows = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render_template("directory/organisations.html", organisations=rows)
