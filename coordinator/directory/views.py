"""Directory pages for reading: the lookup, browsing, organisation pages, the public map."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_login import current_user, login_required

from coordinator.directory import audit, bp, browse
from coordinator.directory.access import can_create_organisation, can_edit_listing
from coordinator.directory.forms import LookupForm, SearchForm
from coordinator.directory.lookup import LookupQuery, area_scope, lookup
from coordinator.directory.models import (
    Area,
    AreaKind,
    Organisation,
    Responsibility,
    Visibility,
    organisation_areas,
    responsibility_areas,
)
from coordinator.directory.visibility import ANONYMOUS, Viewer
from coordinator.errors import DomainError
from coordinator.extensions import db


def viewer() -> Viewer:
    return Viewer.of(current_user)


bp.add_app_template_filter(audit.field_label, "audit_field")
bp.add_app_template_filter(audit.action_label, "audit_action")


@bp.route("/")
@login_required
def lookup_page() -> tuple[str, int] | str:
    """Wie doet wat? Ask by topic, target group, area and language."""
    form = LookupForm(request.args)
    form.fill_choices()
    result = None
    status = 200
    if request.args.get("topic") is not None:
        if form.validate():
            query = LookupQuery(
                topic=form.topic.data,
                target_group=form.target_group.data or None,
                area=form.area.data or None,
                language=form.language.data or None,
            )
            try:
                result = lookup(query, viewer())
            except DomainError as exc:
                form.form_errors.append(exc.message)
                status = exc.status_code
        else:
            status = 400
    return render_template("directory/lookup.html", form=form, result=result), status


@bp.route("/organisaties")
@login_required
def organisations() -> str:
    form = SearchForm(request.args)
    form.fill_choices()
    filters = browse.Filters(
        q=form.q.data or "",
        topic=form.topic.data or None,
        area=form.area.data or None,
        kind=form.kind.data or None,
        language=(form.language.data or "").strip().lower() or None,
    )
    who = viewer()
    return render_template(
        "directory/organisations.html",
        form=form,
        organisations=browse.search_organisations(filters, who),
        roles=browse.search_roles(filters, who),
        people=browse.search_people(filters, who),
        can_create=can_create_organisation(current_user),
    )


@bp.route("/organisaties/<slug>")
def organisation(slug: str) -> str:
    """Open to anonymous visitors for public organisations (the sociale kaart links here)."""
    who = viewer()
    org = browse.get_organisation(slug, who)
    view = browse.organisation_view(org, who, with_history=who.authenticated)
    return render_template(
        "directory/organisation.html",
        view=view,
        org=org,
        can_edit=can_edit_listing(current_user, org),
    )


@bp.route("/sociale-kaart/")
def public_index() -> str:
    """Login-free: the areas that have a public sociale kaart."""
    areas = db.session.scalars(
        sa.select(Area).where(Area.kind != AreaKind.NEIGHBOURHOOD).order_by(Area.kind, Area.name)
    ).all()
    return render_template("directory/public_index.html", areas=areas)


@bp.route("/sociale-kaart/<area_slug>")
def public_map(area_slug: str) -> str:
    """Login-free sociale kaart of one area: only *openbaar* organisations and their entries."""
    area = db.session.scalar(sa.select(Area).where(Area.slug == area_slug))
    if area is None:
        abort(404)
    scope = area_scope(area, list(db.session.scalars(sa.select(Area))))
    area_ids = list(scope.kinds)
    in_area = sa.or_(
        Organisation.id.in_(
            sa.select(organisation_areas.c.organisation_id).where(
                organisation_areas.c.area_id.in_(area_ids)
            )
        ),
        Organisation.id.in_(
            sa.select(Responsibility.organisation_id)
            .join(
                responsibility_areas,
                responsibility_areas.c.responsibility_id == Responsibility.id,
            )
            .where(responsibility_areas.c.area_id.in_(area_ids))
        ),
    )
    orgs = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.visibility == Visibility.PUBLIC, in_area)
        .order_by(Organisation.name)
    ).all()
    views = [browse.organisation_view(o, ANONYMOUS) for o in orgs]
    return render_template("directory/public_map.html", area=area, views=views)
