"""Directory pages that change things: thin wrappers around the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from coordinator.directory import bp, browse, people, services
from coordinator.directory.access import can_create_organisation, require_edit
from coordinator.directory.forms import (
    AssignForm,
    ConfirmForm,
    LeaveForm,
    OrganisationForm,
    PersonForm,
    ResponsibilityForm,
    RoleForm,
)
from coordinator.directory.models import (
    Area,
    Infrastructure,
    Organisation,
    OrganisationKind,
    Person,
    PersonKind,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
    Visibility,
)
from coordinator.directory.views import viewer
from coordinator.errors import DomainError, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.permissions import require


def _attempt(form: FlaskForm, action: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service call; show a refusal on its field (or the form) instead of raising."""
    try:
        return True, action()
    except (PermissionDenied, NotFound):
        raise
    except DomainError as exc:
        target = getattr(form, exc.field, None) if exc.field else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, exc.message]
        else:
            form.form_errors.append(exc.message)
        return False, None


def _form_page(
    form: FlaskForm,
    action: Callable[[], Any],
    *,
    success: str,
    org: Organisation | None,
    title: str,
    **context: Any,
) -> Any:
    """A directory form page: on a valid submit run ``action`` (the service call), flash
    ``success`` and go back to the organisation (``org``, or the one ``action`` created);
    otherwise show the form with its errors (status 400 after a refused submit).
    """
    if form.validate_on_submit():
        ok, result = _attempt(form, action)
        if ok:
            flash(success, "success")
            return _back(org if org is not None else result)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "directory/form.html", form=form, title=title, org=org, **context
    ), status


def _org(slug: str) -> Organisation:
    org = browse.get_organisation(slug, viewer())
    require_edit(current_user, org)
    return org


def _owned(model: type[Any], ident: int, org: Organisation) -> Any:
    obj = db.session.get(model, ident)
    if obj is None or obj.organisation_id != org.id:
        raise NotFound(_("Niet gevonden bij deze organisatie."))
    return obj


def _by_ids(model: type[Any], ids: list[int]) -> list[Any]:
    if not ids:
        return []
    rows = {r.id: r for r in db.session.scalars(sa.select(model).where(model.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def _by_slugs(model: type[Any], slugs: list[str]) -> list[Any]:
    if not slugs:
        return []
    rows = {r.slug: r for r in db.session.scalars(sa.select(model).where(model.slug.in_(slugs)))}
    return [rows[s] for s in slugs if s in rows]


def _back(org: Organisation) -> Response:
    return redirect(url_for("directory.organisation", slug=org.slug))


# --- organisations -------------------------------------------------------------------------


def _organisation_values(form: OrganisationForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "kind": OrganisationKind(form.kind.data),
        "infrastructure": Infrastructure(form.infrastructure.data),
        "sector": form.sector.data,
        "description": form.description.data or "",
        "website": form.website.data,
        "email": form.email.data,
        "phone": form.phone.data,
        "visibility": Visibility(form.visibility.data),
        "funding_ends_on": form.funding_ends_on.data,
        "areas": _by_ids(Area, form.areas.data or []),
    }


@bp.route("/organisaties/nieuw", methods=["GET", "POST"])
@login_required
def new_organisation() -> Any:
    require(lambda: can_create_organisation(current_user))
    form = OrganisationForm()
    form.fill_choices()
    return _form_page(
        form,
        lambda: services.create_organisation(_organisation_values(form), current_user),
        success=_("De organisatie is toegevoegd."),
        org=None,
        title=_("Nieuwe organisatie"),
    )


@bp.route("/organisaties/<slug>/bewerken", methods=["GET", "POST"])
@login_required
def edit_organisation(slug: str) -> Any:
    org = _org(slug)
    form = OrganisationForm(obj=org)
    form.fill_choices()
    if not form.is_submitted():
        form.kind.data = org.kind.value
        form.infrastructure.data = org.infrastructure.value
        form.visibility.data = org.visibility.value
        form.areas.data = [a.id for a in org.areas]
    return _form_page(
        form,
        lambda: services.update_organisation(org, _organisation_values(form), current_user),
        success=_("De wijzigingen zijn opgeslagen."),
        org=org,
        title=_("%(name)s bewerken", name=org.name),
    )


@bp.route("/organisaties/<slug>/bevestigen", methods=["POST"])
@login_required
def verify_organisation(slug: str) -> Response:
    org = _org(slug)
    if ConfirmForm().validate_on_submit():
        services.mark_organisation_verified(org, current_user)
        flash(_("Bevestigd: de gegevens kloppen nog."), "success")
    return _back(org)


# --- roles ---------------------------------------------------------------------------------


def _role_values(form: RoleForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "description": form.description.data or "",
        "email": form.email.data,
        "phone": form.phone.data,
        "visibility": Visibility(form.visibility.data),
    }


@bp.route("/organisaties/<slug>/functies/nieuw", methods=["GET", "POST"])
@login_required
def new_role(slug: str) -> Any:
    org = _org(slug)
    form = RoleForm()
    if not form.is_submitted():
        form.visibility.data = Visibility.NETWORK.value
    return _form_page(
        form,
        lambda: services.create_role(org, _role_values(form), current_user),
        success=_("De functie is toegevoegd."),
        org=org,
        title=_("Nieuwe functie"),
    )


@bp.route("/organisaties/<slug>/functies/<int:role_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_role(slug: str, role_id: int) -> Any:
    org = _org(slug)
    role = _owned(Role, role_id, org)
    form = RoleForm(obj=role)
    if not form.is_submitted():
        form.visibility.data = role.visibility.value
    return _form_page(
        form,
        lambda: services.update_role(role, _role_values(form), current_user),
        success=_("De wijzigingen zijn opgeslagen."),
        org=org,
        title=_("Functie %(name)s", name=role.name),
    )


@bp.route("/organisaties/<slug>/functies/<int:role_id>/toewijzen", methods=["GET", "POST"])
@login_required
def assign_role(slug: str, role_id: int) -> Any:
    org = _org(slug)
    role = _owned(Role, role_id, org)
    form = AssignForm()
    form.person.choices = [
        SelectChoice(p.id, p.display_name)
        for p in org.people
        if p.left_on is None and p.erased_at is None
    ]
    return _form_page(
        form,
        lambda: people.assign(
            _owned(Person, form.person.data, org), role, form.starts_on.data, current_user
        ),
        success=_("De functie is toegewezen."),
        org=org,
        title=_("Wie vervult %(name)s?", name=role.name),
    )


# --- people --------------------------------------------------------------------------------


def _person_values(form: PersonForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "kind": PersonKind(form.kind.data),
        "email": form.email.data,
        "phone": form.phone.data,
        "contact_visibility": Visibility(form.contact_visibility.data),
        "consent_given_on": form.consent_given_on.data,
        "language_codes": form.language_codes.data or "",
        "focus_tags": form.focus_tags.data or "",
    }


@bp.route("/organisaties/<slug>/mensen/nieuw", methods=["GET", "POST"])
@login_required
def new_person(slug: str) -> Any:
    org = _org(slug)
    form = PersonForm()
    if not form.is_submitted():
        form.contact_visibility.data = Visibility.NETWORK.value
    return _form_page(
        form,
        lambda: people.create_person(org, _person_values(form), current_user),
        success=_("De persoon is toegevoegd."),
        org=org,
        title=_("Nieuwe persoon"),
    )


@bp.route("/organisaties/<slug>/mensen/<int:person_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_person(slug: str, person_id: int) -> Any:
    org = _org(slug)
    person = _owned(Person, person_id, org)
    form = PersonForm(obj=person)
    if not form.is_submitted():
        form.kind.data = person.kind.value
        form.contact_visibility.data = person.contact_visibility.value
        form.language_codes.data = ", ".join(person.language_codes or [])
        form.focus_tags.data = ", ".join(person.focus_tags or [])
    return _form_page(
        form,
        lambda: people.update_person(person, _person_values(form), current_user),
        success=_("De wijzigingen zijn opgeslagen."),
        org=org,
        title=person.display_name,
    )


@bp.route("/organisaties/<slug>/mensen/<int:person_id>/uit-dienst", methods=["GET", "POST"])
@login_required
def leave_person(slug: str, person_id: int) -> Any:
    org = _org(slug)
    person = _owned(Person, person_id, org)
    form = LeaveForm()
    return _form_page(
        form,
        lambda: people.leave(person, form.on_date.data, current_user),
        success=_(
            "%(name)s is uit dienst gemeld. De functies blijven bij de organisatie en "
            "staan open tot iemand ze overneemt.",
            name=person.display_name,
        ),
        org=org,
        title=_("%(name)s uit dienst melden", name=person.display_name),
        submit_label=_("Uit dienst melden"),
        danger=True,
        intro=_(
            "Op deze datum eindigen alle functies en de toegang tot Matchtafel. Persoonlijke "
            "contactgegevens worden daarna automatisch verwijderd."
        ),
    )


# --- responsibilities ----------------------------------------------------------------------


def _responsibility_values(form: ResponsibilityForm, org: Organisation) -> dict[str, Any]:
    role = _owned(Role, form.role.data, org) if form.role.data else None
    return {
        "handles": form.handles.data == "1",
        "role": role,
        "topics": _by_slugs(Topic, form.topics.data or []),
        "target_groups": _by_slugs(TargetGroup, form.target_groups.data or []),
        "areas": _by_slugs(Area, form.areas.data or []),
        "summary": form.summary.data or "",
        "reason": form.reason.data or "",
        "referral_tips": form.referral_tips.data or "",
        "opening_hours": form.opening_hours.data or "",
        "language_codes": form.language_codes.data or "",
        "waiting_time": form.waiting_time.data or "",
        "valid_from": form.valid_from.data,
        "valid_until": form.valid_until.data,
    }


@bp.route("/organisaties/<slug>/taken/nieuw", methods=["GET", "POST"])
@login_required
def new_responsibility(slug: str) -> Any:
    org = _org(slug)
    form = ResponsibilityForm()
    form.fill_choices(org.roles)
    return _form_page(
        form,
        lambda: services.create_responsibility(
            org, _responsibility_values(form, org), current_user
        ),
        success=_("De taak is toegevoegd."),
        org=org,
        title=_("Wat doet %(name)s (niet)?", name=org.name),
    )


@bp.route("/organisaties/<slug>/taken/<int:resp_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_responsibility(slug: str, resp_id: int) -> Any:
    org = _org(slug)
    resp = _owned(Responsibility, resp_id, org)
    form = ResponsibilityForm(obj=resp)
    form.fill_choices(org.roles)
    if not form.is_submitted():
        form.handles.data = "1" if resp.handles else "0"
        form.role.data = resp.role_id or 0
        form.topics.data = [t.slug for t in resp.topics]
        form.target_groups.data = [g.slug for g in resp.target_groups]
        form.areas.data = [a.slug for a in resp.areas]
        form.language_codes.data = ", ".join(resp.language_codes or [])
    return _form_page(
        form,
        lambda: services.update_responsibility(
            resp, _responsibility_values(form, org), current_user
        ),
        success=_("De wijzigingen zijn opgeslagen."),
        org=org,
        title=_("Taak bewerken"),
    )


@bp.route("/organisaties/<slug>/taken/<int:resp_id>/bevestigen", methods=["POST"])
@login_required
def verify_responsibility(slug: str, resp_id: int) -> Response:
    org = _org(slug)
    resp = _owned(Responsibility, resp_id, org)
    if ConfirmForm().validate_on_submit():
        services.verify_responsibility(resp, current_user)
        flash(_("Bevestigd: deze taak klopt nog."), "success")
    return _back(org)


@bp.route("/organisaties/<slug>/taken/<int:resp_id>/verwijderen", methods=["POST"])
@login_required
def delete_responsibility(slug: str, resp_id: int) -> Response:
    org = _org(slug)
    resp = _owned(Responsibility, resp_id, org)
    if ConfirmForm().validate_on_submit():
        services.delete_responsibility(resp, current_user)
        flash(_("De taak is verwijderd."), "success")
    return _back(org)
