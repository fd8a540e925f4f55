"""Import, export and print pages of the directory (thin: the work is in ``directory.io``)."""

from __future__ import annotations

import json
import time
from datetime import date

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound as HTTPNotFound

from coordinator.directory import bp
from coordinator.directory.io import cli as _cli  # noqa: F401 - registers `flask directory import-csv`
from coordinator.directory.io import csv_export, hsds, staging, vcard, visibility
from coordinator.directory.io.columns import COLUMNS, LIST_SEPARATOR, Sheet, template_csv
from coordinator.directory.io.csv_import import import_directory, may_import, plan_import
from coordinator.directory.io.forms import ConfirmImportForm, ImportForm
from coordinator.directory.io.kaart import sociale_kaart
from coordinator.directory.models import Area, Organisation, Person, Responsibility, Role
from coordinator.extensions import db
from coordinator.permissions import require

CSV_TYPE = "text/csv; charset=utf-8"
VCARD_TYPE = "text/vcard; charset=utf-8"


def _download(body: str | bytes, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _base_url() -> str:
    return current_app.config["BASE_URL"]


# --- import --------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_upload() -> str:
    """Step 1 and 2: upload the sheets, then see the dry run (counts and every problem)."""
    require(lambda: may_import(current_user))
    form = ImportForm()
    if form.validate_on_submit():
        files = form.uploaded()
        if not files:
            form.form_errors.append(_("Kies minstens één CSV-bestand om te importeren."))
        else:
            started = time.perf_counter()
            plan = plan_import(files, current_user)
            elapsed_ms = round((time.perf_counter() - started) * 1000)
            confirm = None
            if plan.ok:
                confirm = ConfirmImportForm(
                    token=staging.stage(files, current_user.id), formdata=None
                )
            return render_template(
                "directory/io/import_preview.html",
                plan=plan,
                sheets=list(Sheet),
                confirm=confirm,
                elapsed_ms=elapsed_ms,
            )
    return render_template(
        "directory/io/import.html", form=form, columns=COLUMNS, separator=LIST_SEPARATOR
    )


@bp.route("/import/bevestigen", methods=["POST"])
@login_required
def import_confirm() -> Response:
    """Step 3: validate the staged files again and commit all rows, or nothing."""
    require(lambda: may_import(current_user))
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("De bevestiging is ongeldig; upload de bestanden opnieuw."), "error")
        return redirect(url_for("directory.import_upload"))
    files = staging.load(form.token.data, current_user.id)
    plan = import_directory(files, current_user)
    staging.discard(form.token.data)
    flash(
        _("Import voltooid: %(n)s rijen verwerkt.", n=plan.total_rows),
        "success",
    )
    return redirect(url_for("directory.import_upload"))


@bp.route("/import/sjabloon/<any(organisaties, functies, personen, taken):sheet>.csv")
@login_required
def import_template(sheet: str) -> Response:
    """An empty sheet with its header and one example row."""
    body = template_csv(Sheet(sheet)).encode("utf-8-sig")
    return _download(body, CSV_TYPE, f"sjabloon-{sheet}.csv")


# --- exports -------------------------------------------------------------------------------


@bp.route("/export/<any(organisaties, functies, personen, taken):sheet>.csv")
@login_required
def export_csv(sheet: str) -> Response:
    body = csv_export.export_sheet(Sheet(sheet), current_user).encode("utf-8-sig")
    return _download(body, CSV_TYPE, f"matchtafel-{sheet}.csv")


@bp.route("/export/sociale-kaart.zip")
@login_required
def export_zip() -> Response:
    return _download(
        csv_export.export_zip(current_user), "application/zip", "matchtafel-sociale-kaart.zip"
    )


#: Public HSDS exports kept per directory fingerprint, at most this long (seconds).
HSDS_CACHE_SECONDS = 600
_public_hsds: dict[tuple, tuple[float, bytes]] = {}


def _fingerprint() -> tuple:
    """Cheap summary that changes when organisations or tasks are added, removed or edited."""
    org = db.session.execute(
        sa.select(sa.func.count(Organisation.id), sa.func.max(Organisation.updated_at))
    ).one()
    tasks = db.session.execute(
        sa.select(sa.func.count(Responsibility.id), sa.func.max(Responsibility.id))
    ).one()
    return (current_app.config["BASE_URL"], *org, *tasks)


def _hsds_body() -> bytes:
    def build() -> bytes:
        package = hsds.build_package(current_user, _base_url())
        return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode()

    if current_user.is_authenticated:
        return build()  # tiers differ per organisation: not shared
    key = _fingerprint()
    cached = _public_hsds.get(key)
    if cached is None or cached[0] < time.monotonic() - HSDS_CACHE_SECONDS:
        _public_hsds.clear()
        cached = (time.monotonic(), build())
        _public_hsds[key] = cached
    return cached[1]


@bp.route("/export/hsds.json")
def export_hsds() -> Response:
    """HSDS 3 ``organization_package``; anonymous callers get the public entries only.

    The public variant takes seconds at city scale, so it is kept for up to ten minutes (and
    rebuilt sooner when organisations or tasks are added, removed or an organisation changes).
    """
    response = Response(_hsds_body(), mimetype="application/json")
    response.headers["Cache-Control"] = (
        "private, max-age=300" if current_user.is_authenticated else "public, max-age=600"
    )
    return response


def _visible_or_404(allowed: bool) -> None:
    if not allowed:
        raise HTTPNotFound()


@bp.route("/vcard/organisatie/<slug>.vcf")
def vcard_organisation(slug: str) -> Response:
    org = db.session.scalar(sa.select(Organisation).filter_by(slug=slug))
    _visible_or_404(org is not None and visibility.organisation_visible(current_user, org))
    body = vcard.organisation_cards(org, current_user, _base_url())
    return _download(body, VCARD_TYPE, f"{slug}.vcf")


@bp.route("/vcard/functie/<int:role_id>.vcf")
def vcard_role(role_id: int) -> Response:
    role = db.session.get(Role, role_id)
    _visible_or_404(role is not None and visibility.role_visible(current_user, role))
    return _download(
        vcard.role_cards(role, current_user, _base_url()), VCARD_TYPE, f"functie-{role_id}.vcf"
    )


@bp.route("/vcard/persoon/<int:person_id>.vcf")
def vcard_person(person_id: int) -> Response:
    person = db.session.get(Person, person_id)
    _visible_or_404(person is not None and visibility.person_listed(current_user, person))
    return _download(
        vcard.person_card(person, current_user, _base_url()), VCARD_TYPE, f"persoon-{person_id}.vcf"
    )


# --- print ---------------------------------------------------------------------------------


@bp.route("/sociale-kaart/<slug>/afdrukken")
def print_kaart(slug: str) -> str:
    """A print-friendly sociale kaart; logged-out visitors see the public entries only."""
    area = db.session.scalar(sa.select(Area).filter_by(slug=slug))
    if area is None:
        raise HTTPNotFound()
    return render_template(
        "directory/io/sociale_kaart_print.html",
        area=area,
        entries=sociale_kaart(area, current_user),
        today=date.today(),  # noqa: DTZ011 - a calendar day
    )
