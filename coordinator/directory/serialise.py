"""JSON shapes of directory entries for the API, already cut to what the viewer may see."""

from __future__ import annotations

from typing import Any

from coordinator.directory.browse import OrganisationView, RoleView
from coordinator.directory.lookup import Alternative, LookupResult, Match
from coordinator.directory.models import (
    Area,
    Organisation,
    Person,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
)
from coordinator.directory.visibility import (
    Viewer,
    organisation_contact_visible,
    verifier_name,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def topic(t: Topic) -> dict[str, Any]:
    return {"slug": t.slug, "name": t.name, "name_en": t.name_en, "cluster": t.cluster}


def target_group(g: TargetGroup) -> dict[str, Any]:
    return {"slug": g.slug, "name": g.name, "name_en": g.name_en}


def area(a: Area) -> dict[str, Any]:
    return {
        "slug": a.slug,
        "name": a.name,
        "kind": a.kind.value,
        "parent": a.parent.slug if a.parent is not None else None,
    }


def organisation_summary(org: Organisation, viewer: Viewer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": org.id,
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind.value,
        "infrastructure": org.infrastructure.value,
        "sector": org.sector,
        "website": org.website,
        "visibility": org.visibility.value,
        "areas": [a.slug for a in org.areas],
        "verified_at": _iso(org.verified_at),
    }
    if organisation_contact_visible(org, viewer):
        data.update(email=org.email, phone=org.phone, funding_ends_on=_iso(org.funding_ends_on))
    return data


def person(p: Person, contact_visible: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": p.id,
        "name": p.display_name,
        "kind": p.kind.value,
        "languages": list(p.language_codes or []),
        "focus_tags": list(p.focus_tags or []),
    }
    if contact_visible:
        data.update(email=p.email, phone=p.phone)
    return data


def role(r: Role, holders: list[Person], contacts: set[int], viewer: Viewer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": r.id,
        "name": r.name,
        "description": r.description,
        "vacant": not holders,
        "holders": [person(p, p.id in contacts) for p in holders],
    }
    if viewer.authenticated:
        data.update(email=r.email, phone=r.phone)
    return data


def responsibility(resp: Responsibility, viewer: Viewer) -> dict[str, Any]:
    return {
        "id": resp.id,
        "handles": resp.handles,
        "summary": resp.summary,
        "reason": resp.reason,
        "referral_tips": resp.referral_tips,
        "opening_hours": resp.opening_hours,
        "languages": list(resp.language_codes or []),
        "waiting_time": resp.waiting_time,
        "valid_from": _iso(resp.valid_from),
        "valid_until": _iso(resp.valid_until),
        "verified_at": _iso(resp.verified_at),
        "verified_by": verifier_name(resp, viewer),
        "topics": [t.slug for t in resp.topics],
        "target_groups": [g.slug for g in resp.target_groups],
        "areas": [a.slug for a in resp.areas],
        "role_id": resp.role_id,
    }


def match(m: Match, viewer: Viewer) -> dict[str, Any]:
    data = responsibility(m.responsibility, viewer)
    data.update(
        stale=m.stale,
        organisation=organisation_summary(m.organisation, viewer),
        role=role(m.role, m.holders, m.holder_contacts, viewer) if m.role is not None else None,
        match={
            "area": m.area_match,
            "target_group": m.group_match,
            "language": m.language_match,
            "score": m.score,
        },
    )
    return data


def alternative(a: Alternative, viewer: Viewer) -> dict[str, Any]:
    # ``reason`` is the entry's own (why not / on which condition); say apart why it is offered.
    return {**match(a.match, viewer), "suggested_because": a.reason}


def lookup_result(result: LookupResult, viewer: Viewer) -> dict[str, Any]:
    return {
        "query": {
            "topic": result.topic.slug,
            "target_group": result.target_group.slug if result.target_group else None,
            "area": result.area.slug if result.area else None,
            "language": result.language,
        },
        "empty": result.empty,
        "handles_total": result.handles_total,
        "does_not_handle_total": result.does_not_handle_total,
        "handles": [match(m, viewer) for m in result.handles],
        "does_not_handle": [match(m, viewer) for m in result.does_not_handle],
        "alternatives": [alternative(a, viewer) for a in result.alternatives],
        "coordinators": [
            {
                **person(p, p.id in result.coordinator_contacts),
                "organisation": p.organisation.name,
            }
            for p in result.coordinators
        ],
    }


def _visible_role(data: dict[str, Any], view: OrganisationView) -> dict[str, Any]:
    if data["role_id"] not in view.visible_role_ids:
        data["role_id"] = None
    return data


def organisation_detail(view: OrganisationView, viewer: Viewer) -> dict[str, Any]:
    org = view.organisation
    data = organisation_summary(org, viewer)

    def role_entry(rv: RoleView) -> dict[str, Any]:
        return role(rv.role, rv.holders, rv.contacts, viewer)

    data.update(
        description=org.description,
        roles=[role_entry(rv) for rv in view.roles],
        handles=[_visible_role(responsibility(r, viewer), view) for r in view.handles],
        does_not_handle=[
            _visible_role(responsibility(r, viewer), view) for r in view.does_not_handle
        ],
        tables=[{"id": t.id, "name": t.name} for t in view.tables],
    )
    return data
