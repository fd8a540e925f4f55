"""Directory endpoints of the JSON API (/api/v1): lookup, taxonomies, organisations, leaving."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from coordinator.api import bp
from coordinator.api.auth import api_user
from coordinator.directory import (
    api_docs,  # noqa: F401 - registers the OpenAPI paths
    browse,
    people,
    serialise,
    services,
)
from coordinator.directory.lookup import MAX_RESULTS, LookupQuery, lookup
from coordinator.directory.models import (
    Area,
    Infrastructure,
    OrganisationKind,
    Person,
    TargetGroup,
    Topic,
    Visibility,
)
from coordinator.directory.visibility import Viewer, organisation_visible
from coordinator.errors import DomainError, NotFound
from coordinator.extensions import db


def _viewer() -> Viewer:
    return Viewer.of(api_user())


def _json_body() -> dict[str, Any]:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise DomainError(_("Stuur een JSON-object mee."))
    return payload


def _parse_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("Gebruik een datum als JJJJ-MM-DD."), field=field) from None


def _parse_enum(enum_cls: type[Enum], value: Any, field: str) -> Enum:
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise DomainError(
            _("Ongeldige waarde; kies uit: %(allowed)s.", allowed=allowed), field=field
        ) from None


def _areas_by_slug(slugs: Any) -> list[Area]:
    if not isinstance(slugs, list):
        raise DomainError(_("Geef een lijst van gebieden (slugs)."), field="areas")
    found = {a.slug: a for a in db.session.scalars(sa.select(Area).where(Area.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise DomainError(
            _("Onbekend gebied: %(slug)s.", slug=", ".join(map(str, missing))), field="areas"
        )
    return [found[s] for s in slugs]


def organisation_values(payload: dict[str, Any]) -> dict[str, Any]:
    """Turn JSON into typed service values; unknown keys are left for the service to refuse."""
    values = dict(payload)
    enums = {"kind": OrganisationKind, "infrastructure": Infrastructure, "visibility": Visibility}
    for key, enum_cls in enums.items():
        if key in values:
            values[key] = _parse_enum(enum_cls, values[key], key)
    if "funding_ends_on" in values:
        values["funding_ends_on"] = _parse_date(values["funding_ends_on"], "funding_ends_on")
    if "areas" in values:
        values["areas"] = _areas_by_slug(values["areas"])
    for key in ("name", "sector", "description", "website", "email", "phone"):
        if key in values and values[key] is not None and not isinstance(values[key], str):
            raise DomainError(_("Dit veld moet tekst zijn."), field=key)
    return values


@bp.get("/lookup")
def lookup_endpoint() -> ResponseReturnValue:
    args = request.args
    query = LookupQuery(
        topic=args.get("topic", ""),
        target_group=args.get("target_group") or None,
        area=args.get("area") or None,
        language=args.get("language") or None,
    )
    try:
        limit = min(max(int(args.get("limit", MAX_RESULTS)), 1), 100)
    except ValueError:
        raise DomainError(_("limit moet een getal zijn."), field="limit") from None
    viewer = _viewer()
    return jsonify(serialise.lookup_result(lookup(query, viewer, limit=limit), viewer))


@bp.get("/topics")
def topics_endpoint() -> ResponseReturnValue:
    rows = db.session.scalars(sa.select(Topic).order_by(Topic.position, Topic.name))
    return jsonify([serialise.topic(t) for t in rows])


@bp.get("/target-groups")
def target_groups_endpoint() -> ResponseReturnValue:
    rows = db.session.scalars(sa.select(TargetGroup).order_by(TargetGroup.position))
    return jsonify([serialise.target_group(g) for g in rows])


@bp.get("/areas")
def areas_endpoint() -> ResponseReturnValue:
    rows = db.session.scalars(sa.select(Area).order_by(Area.kind, Area.name))
    return jsonify([serialise.area(a) for a in rows])


@bp.get("/organisations")
def organisations_endpoint() -> ResponseReturnValue:
    args = request.args
    filters = browse.Filters(
        q=args.get("q", ""),
        topic=args.get("topic") or None,
        area=args.get("area") or None,
        kind=args.get("kind") or None,
        language=args.get("language") or None,
    )
    viewer = _viewer()
    return jsonify(
        [
            serialise.organisation_summary(o, viewer)
            for o in browse.search_organisations(filters, viewer)
        ]
    )


@bp.get("/organisations/<int:organisation_id>")
def organisation_endpoint(organisation_id: int) -> ResponseReturnValue:
    viewer = _viewer()
    organisation = browse.get_organisation(organisation_id, viewer)
    view = browse.organisation_view(organisation, viewer)
    return jsonify(serialise.organisation_detail(view, viewer))


@bp.patch("/organisations/<int:organisation_id>")
def update_organisation_endpoint(organisation_id: int) -> ResponseReturnValue:
    viewer = _viewer()
    organisation = browse.get_organisation(organisation_id, viewer)
    values = organisation_values(_json_body())
    changed = services.update_organisation(organisation, values, api_user())
    view = browse.organisation_view(organisation, viewer)
    return jsonify(
        {"changed": changed, "organisation": serialise.organisation_detail(view, viewer)}
    )


@bp.post("/people/<int:person_id>/leave")
def leave_endpoint(person_id: int) -> ResponseReturnValue:
    viewer = _viewer()
    person = db.session.get(Person, person_id)
    if person is None or not organisation_visible(person.organisation, viewer):
        raise NotFound(_("Deze persoon bestaat niet."))
    payload = request.get_json(silent=True) or {}
    on_date = _parse_date(payload.get("on_date"), "on_date") or date.today()  # noqa: DTZ011
    people.leave(person, on_date, api_user())
    return jsonify(
        {
            "id": person.id,
            "left_on": person.left_on.isoformat() if person.left_on else None,
            "ended_assignments": [
                {"role_id": a.role_id, "ends_on": a.ends_on.isoformat() if a.ends_on else None}
                for a in person.assignments
            ],
        }
    )
