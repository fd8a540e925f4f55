"""The beheerder's taxonomy page: list, add and rename thema's, doelgroepen and gebieden."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordinator.directory import taxonomy
from coordinator.directory.edit_views import _attempt
from coordinator.directory.forms import AreaNameForm, TaxonomyNameForm
from coordinator.errors import NotFound
from coordinator.extensions import db
from coordinator.permissions import admin_required

bp = Blueprint("taxonomy", __name__, url_prefix="/beheer/taxonomie")


def _titles() -> dict[str, tuple[str, str]]:
    """Per kind: the title of the add page and of the rename page."""
    return {
        "thema": (_("Thema toevoegen"), _("Thema hernoemen")),
        "doelgroep": (_("Doelgroep toevoegen"), _("Doelgroep hernoemen")),
        "gebied": (_("Gebied toevoegen"), _("Gebied hernoemen")),
    }


def _kind(kind: str) -> str:
    if kind not in taxonomy.KINDS:
        raise NotFound(_("Deze lijst bestaat niet."))
    return kind


def _form_page(form: Any, title: str, status: int) -> tuple[str, int]:
    return render_template(
        "directory/form.html",
        form=form,
        title=title,
        intro=_("De korte naam in links en de API (slug) blijft altijd gelijk, ook na hernoemen."),
        cancel=url_for("taxonomy.index"),
    ), status


@bp.route("/")
@login_required
@admin_required
def index() -> str:
    return render_template(
        "admin/taxonomy.html",
        topics=taxonomy.topics(),
        target_groups=taxonomy.target_groups(),
        areas=taxonomy.areas(),
    )


@bp.route("/<kind>/nieuw", methods=["GET", "POST"])
@login_required
@admin_required
def new(kind: str) -> Any:
    kind = _kind(kind)
    form = AreaNameForm() if kind == "gebied" else TaxonomyNameForm()
    if isinstance(form, AreaNameForm):
        form.fill_choices()
    if form.validate_on_submit():
        parent = form.parent.data if isinstance(form, AreaNameForm) else None
        ok, created = _attempt(
            form,
            lambda: taxonomy.create(
                kind, form.name.data, current_user, parent_id=int(parent) if parent else None
            ),
        )
        if ok:
            flash(_("%(name)s is toegevoegd.", name=created.name), "success")
            return redirect(url_for("taxonomy.index"))
    status = 400 if form.errors or form.form_errors else 200
    return _form_page(form, _titles()[kind][0], status)


@bp.route("/<kind>/<int:ident>/naam", methods=["GET", "POST"])
@login_required
@admin_required
def rename(kind: str, ident: int) -> Any:
    kind = _kind(kind)
    obj = db.session.get(taxonomy.model_for(kind), ident)
    if obj is None:
        raise NotFound(_("Niet gevonden."))
    form = TaxonomyNameForm(data={"name": obj.name})
    if form.validate_on_submit():
        ok, _changed = _attempt(form, lambda: taxonomy.rename(obj, form.name.data, current_user))
        if ok:
            flash(_("De naam is opgeslagen."), "success")
            return redirect(url_for("taxonomy.index"))
    status = 400 if form.errors or form.form_errors else 200
    return _form_page(form, _titles()[kind][1], status)
