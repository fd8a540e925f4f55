"""HSDS 3.0 (Open Referral) JSON export: the directory as fully nested organisations.

The shape is HSDS's ``organization_package``: a list of organizations, each with its
``services``. Mapping:

* organisation → ``organization`` (functional e-mail, phone, website; kind, infrastructure,
  sector and funding end date as attributes); each visible role → a ``contact``;
* responsibility that *handles* → ``service`` with topics, target groups and the
  "doet dit" term as ``attributes``, areas as ``service_areas``, languages, opening hours
  (as a schedule description), waiting time, referral tips (``application_process``) and
  the last verification (``assured_date``);
* responsibility that does *not* handle → an ``attribute`` of the organization with the term
  "Doet dit niet" (``link_type`` ``does_not_handle``) whose value names the topics, target
  groups, areas and reason. Exclusions are deliberately not services, so a reader that does
  not know this taxonomy never lists them as a door to send people to.

Identifiers are stable UUIDs (v5) derived from the installation's base URL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from coordinator.directory.io import visibility
from coordinator.directory.io.identifiers import stable_uuid
from coordinator.directory.models import (
    Area,
    Assignment,
    Organisation,
    Responsibility,
    Role,
    TargetGroup,
    Topic,
)
from coordinator.extensions import db

HSDS_VERSION = "3.0"
#: The taxonomies Matchtafel's attributes use (``taxonomy_term.taxonomy``).
TAXONOMIES = {
    "topic": "matchtafel-thema",
    "target_group": "matchtafel-doelgroep",
    "scope": "matchtafel-taakafbakening",
    "organisation": "matchtafel-organisatie",
}


class HsdsBuilder:
    """Builds the package for one viewer; every id is a stable UUID string."""

    def __init__(self, viewer: object | None, base_url: str, today: date | None = None) -> None:
        self.viewer = visibility.viewer_of(viewer)
        self.base_url = base_url
        self.today = today or date.today()  # noqa: DTZ011 - a calendar day

    def uid(self, kind: str, key: object) -> str:
        return str(stable_uuid(self.base_url, kind, key))

    # --- taxonomy ---------------------------------------------------------------------------

    def term(self, taxonomy: str, code: str, name: str, description: str | None = None) -> dict:
        return {
            "id": self.uid(f"taxonomy-term/{taxonomy}", code),
            "code": code,
            "name": name,
            "description": description or name,
            "taxonomy": TAXONOMIES[taxonomy],
            "language": "nl",
        }

    def attribute(
        self, link_entity: str, link_id: str, link_type: str, term: dict, value: str | None = None
    ) -> dict:
        attribute = {
            "id": str(uuid.uuid5(uuid.UUID(link_id), f"{link_type}/{term['id']}/{value or ''}")),
            "link_id": link_id,
            "link_type": link_type,
            "link_entity": link_entity,
            "taxonomy_term_id": term["id"],
            "taxonomy_term": term,
        }
        if value:
            attribute["value"] = value
        return attribute

    def topic_term(self, topic: Topic) -> dict:
        return self.term("topic", topic.slug, topic.name)

    def group_term(self, group: TargetGroup) -> dict:
        return self.term("target_group", group.slug, group.name)

    # --- organisation -----------------------------------------------------------------------

    def organisation(self, org: Organisation) -> dict:
        org_id = self.uid("organisation", org.id)
        record: dict[str, Any] = {
            "id": org_id,
            "name": org.name,
            "alternate_name": org.slug,
            "description": org.description or org.name,
        }
        # Functional e-mail and phone are partner information (hidden from anonymous viewers).
        functional = visibility.organisation_contact_visible(self.viewer, org)
        if functional and org.email:
            record["email"] = org.email
        if org.website:
            record["website"] = org.website
        record["phones"] = self.phones(org.phone if functional else None, "organization_id", org_id)
        record["contacts"] = [
            self.contact(role, org_id)
            for role in org.roles
            if visibility.role_visible(self.viewer, role)
        ]
        record["attributes"] = self.organisation_attributes(org, org_id)
        record["services"] = [
            self.service(r, org_id)
            for r in org.responsibilities
            if r.handles and visibility.responsibility_visible(self.viewer, r)
        ]
        return record

    def phones(self, number: str | None, link: str, link_id: str) -> list[dict]:
        if not number:
            return []
        return [
            {
                "id": self.uid(f"phone/{link}", f"{link_id}/{number}"),
                link: link_id,
                "number": number,
                "type": "voice",
            }
        ]

    def organisation_attributes(self, org: Organisation, org_id: str) -> list[dict]:
        attributes = [
            self.attribute(
                "organization",
                org_id,
                "kind",
                self.term("organisation", f"soort-{org.kind.value}", org.kind.value),
            ),
            self.attribute(
                "organization",
                org_id,
                "infrastructure",
                self.term(
                    "organisation",
                    f"infrastructuur-{org.infrastructure.value}",
                    org.infrastructure.value,
                ),
            ),
        ]
        if org.sector:
            attributes.append(
                self.attribute(
                    "organization",
                    org_id,
                    "sector",
                    self.term("organisation", "sector", "Sector"),
                    org.sector,
                )
            )
        if org.funding_ends_on:
            attributes.append(
                self.attribute(
                    "organization",
                    org_id,
                    "funding_ends_on",
                    self.term("organisation", "subsidie-einddatum", "Subsidie einddatum"),
                    org.funding_ends_on.isoformat(),
                )
            )
        not_handled = self.term(
            "scope",
            "doet-dit-niet",
            "Doet dit niet",
            "Deze organisatie of functie doet dit uitdrukkelijk niet; verwijs niet hierheen.",
        )
        for responsibility in org.responsibilities:
            if responsibility.handles or not visibility.responsibility_visible(
                self.viewer, responsibility
            ):
                continue
            attributes.append(
                self.attribute(
                    "organization",
                    org_id,
                    "does_not_handle",
                    not_handled,
                    exclusion_text(responsibility),
                )
            )
        return attributes

    def contact(self, role: Role, org_id: str, service_id: str | None = None) -> dict:
        """The role as a contact: its title, visible holder names and functional e-mail."""
        key = f"{role.id}/{service_id}" if service_id else role.id
        contact_id = self.uid("role", key)
        record: dict[str, Any] = {"id": contact_id, "organization_id": org_id, "title": role.name}
        if service_id:
            record["service_id"] = service_id
        holders = [p for p in role.holders if visibility.person_listed(self.viewer, p)]
        if holders:
            record["name"] = ", ".join(p.display_name for p in holders)
        functional = visibility.role_contact_visible(self.viewer, role)
        email = (role.email if functional else None) or next(
            (p.email for p in holders if p.email and visibility.contact_visible(self.viewer, p)),
            None,
        )
        if email:
            record["email"] = email
        record["phones"] = self.phones(role.phone if functional else None, "contact_id", contact_id)
        return record

    # --- services ---------------------------------------------------------------------------

    def service(self, r: Responsibility, org_id: str) -> dict:
        service_id = self.uid("responsibility", r.id)
        active = (r.valid_from is None or r.valid_from <= self.today) and (
            r.valid_until is None or r.valid_until >= self.today
        )
        topics = ", ".join(t.name for t in r.topics)
        groups = ", ".join(g.name for g in r.target_groups)
        record: dict[str, Any] = {
            "id": service_id,
            "organization_id": org_id,
            "name": r.summary or f"{topics} ({groups})",
            "description": _service_description(r),
            "status": "active" if active else "inactive",
            "eligibility_description": groups,
            "last_modified": r.created_at.isoformat(),
        }
        email = (
            r.role.email
            if r.role and visibility.role_contact_visible(self.viewer, r.role)
            else None
        ) or (
            r.organisation.email
            if visibility.organisation_contact_visible(self.viewer, r.organisation)
            else None
        )
        if email:
            record["email"] = email
        if r.organisation.website:
            record["url"] = r.organisation.website
        if r.referral_tips:
            record["application_process"] = r.referral_tips
        if r.waiting_time:
            record["wait_time"] = r.waiting_time
        if r.verified_at:
            record["assured_date"] = r.verified_at.date().isoformat()
        record["languages"] = [
            {
                "id": self.uid("language", f"{service_id}/{code}"),
                "service_id": service_id,
                "code": code,
            }
            for code in r.language_codes or []
        ]
        record["service_areas"] = [self.service_area(area, service_id) for area in r.areas]
        record["schedules"] = (
            [
                {
                    "id": self.uid("schedule", service_id),
                    "service_id": service_id,
                    "description": r.opening_hours,
                }
            ]
            if r.opening_hours
            else []
        )
        record["contacts"] = (
            [self.contact(r.role, org_id, service_id)]
            if r.role and visibility.role_visible(self.viewer, r.role)
            else []
        )
        handles = self.term(
            "scope", "doet-dit", "Doet dit", "Deze organisatie of functie helpt hierbij."
        )
        record["attributes"] = [
            self.attribute("service", service_id, "handles", handles),
            *(self.attribute("service", service_id, "topic", self.topic_term(t)) for t in r.topics),
            *(
                self.attribute("service", service_id, "eligibility", self.group_term(g))
                for g in r.target_groups
            ),
        ]
        return record

    def service_area(self, area: Area, service_id: str) -> dict:
        return {
            "id": self.uid("service-area", f"{service_id}/{area.slug}"),
            "service_id": service_id,
            "name": area.name,
            "description": area.kind.value,
            "uri": f"{self.base_url.rstrip('/')}/wie-doet-wat/sociale-kaart/{area.slug}/afdrukken",
        }


def exclusion_text(r: Responsibility) -> str:
    """ "Huisvesting voor Ongedocumenteerden in Zuidoost (Brugfunctionaris): geen BSN, …"."""
    topics = ", ".join(t.name for t in r.topics)
    groups = ", ".join(g.name for g in r.target_groups)
    areas = ", ".join(a.name for a in r.areas)
    role = f" ({r.role.name})" if r.role else ""
    scope = f"{topics} voor {groups}" + (f" in {areas}" if areas else "") + role
    return f"{scope}: {r.reason}" if r.reason else scope


def _service_description(r: Responsibility) -> str:
    parts = [r.summary] if r.summary else []
    if r.role:
        parts.append(f"Functie: {r.role.name}.")
    if r.reason:
        parts.append(r.reason)
    return " ".join(parts) or r.organisation.name


def _organisations(viewer: object | None) -> Iterable[Organisation]:
    return db.session.scalars(
        sa.select(Organisation)
        .where(visibility.organisation_clause(viewer))
        .order_by(Organisation.name, Organisation.id)
        .options(
            selectinload(Organisation.roles)
            .selectinload(Role.assignments)
            .selectinload(Assignment.person),
            selectinload(Organisation.responsibilities).options(
                selectinload(Responsibility.topics),
                selectinload(Responsibility.target_groups),
                selectinload(Responsibility.areas),
                selectinload(Responsibility.role),
            ),
        )
    )


def build_package(viewer: object | None, base_url: str, today: date | None = None) -> list[dict]:
    """Every organisation the viewer may see, fully nested (HSDS ``organization_package``)."""
    viewer = visibility.viewer_of(viewer)
    builder = HsdsBuilder(viewer, base_url, today)
    return [
        builder.organisation(org)
        for org in _organisations(viewer)
        if visibility.organisation_visible(viewer, org)
    ]
