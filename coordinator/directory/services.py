"""Changing the directory: organisations, roles (functies) and responsibilities (taken).

Every function checks the actor's rights, validates before writing, records the audit log
and commits once. ``actor=None`` means the system (seed, import) and skips the rights check.
People, assignments and leaving live in :mod:`coordinator.directory.people`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator.db import now_utc
from coordinator.directory import audit
from coordinator.directory.access import can_create_organisation, require_edit
from coordinator.directory.models import (
    AuditAction,
    Organisation,
    Responsibility,
    Role,
)
from coordinator.errors import Conflict, DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.privacy import ensure_no_personal_data

if TYPE_CHECKING:
    from coordinator.auth.models import User

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "infrastructure",
    "sector",
    "description",
    "website",
    "email",
    "phone",
    "visibility",
    "funding_ends_on",
    "areas",
)
ROLE_FIELDS = ("name", "description", "email", "phone", "visibility")
RESPONSIBILITY_FIELDS = (
    "role",
    "handles",
    "summary",
    "reason",
    "referral_tips",
    "opening_hours",
    "language_codes",
    "waiting_time",
    "valid_from",
    "valid_until",
    "topics",
    "target_groups",
    "areas",
)
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def slugify(text: str) -> str:
    """``"Huis van de Wijk Osdorp"`` → ``"huis-van-de-wijk-osdorp"`` (ASCII, dashes)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisatie"


def _unique_slug(name: str) -> str:
    base = slugify(name)[:110]
    taken = set(
        db.session.scalars(sa.select(Organisation.slug).where(Organisation.slug.like(f"{base}%")))
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def clean_values(values: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise DomainError(
            _("Onbekend veld: %(name)s.", name=", ".join(sorted(unknown))),
            field=sorted(unknown)[0],
        )
    cleaned = {}
    for key, value in values.items():
        cleaned[key] = value.strip() if isinstance(value, str) else value
    return cleaned


def _require_text(values: dict[str, Any], field: str, message: str) -> None:
    if field in values and not values[field]:
        raise DomainError(message, field=field)


def normalise_language_codes(codes: list[str] | str | None) -> list[str]:
    """``"NL, ar"`` or ``["nl", "ar"]`` → ``["nl", "ar"]``; refuses what is not ISO 639."""
    if codes is None:
        return []
    items = codes.split(",") if isinstance(codes, str) else codes
    result: list[str] = []
    for item in items:
        code = str(item).strip().lower()
        if not code:
            continue
        if not _LANGUAGE_CODE.match(code):
            raise DomainError(
                _("'%(code)s' is geen taalcode (ISO 639, bijv. nl, ar, ti).", code=code),
                field="language_codes",
            )
        if code not in result:
            result.append(code)
    return result


# --- organisations -------------------------------------------------------------------------


def _validate_organisation(values: dict[str, Any]) -> None:
    _require_text(values, "name", _("Vul de naam van de organisatie in."))
    if "description" in values:
        ensure_no_personal_data(values["description"] or "", field="description")
    for key in ("sector", "website", "email", "phone"):
        if key in values and values[key] == "":
            values[key] = None
    if values.get("email") and "@" not in values["email"]:
        raise DomainError(_("Dit is geen geldig e-mailadres."), field="email")


def create_organisation(values: Mapping[str, Any], actor: User | None) -> Organisation:
    """Add an organisation (beheerders and coördinatoren)."""
    if actor is not None and not can_create_organisation(actor):
        raise PermissionDenied(_("Alleen beheerders en coördinatoren voegen organisaties toe."))
    data = clean_values(values, ORGANISATION_FIELDS)
    if not data.get("name"):
        raise DomainError(_("Vul de naam van de organisatie in."), field="name")
    _validate_organisation(data)
    organisation = Organisation(slug=_unique_slug(data["name"]), description="", areas=[])
    audit.add_created(
        organisation,
        data,
        actor,
        organisation=organisation,
        entity_type="organisation",
        label=attrgetter("name"),
    )
    db.session.commit()
    return organisation


def update_organisation(
    organisation: Organisation, values: Mapping[str, Any], actor: User | None
) -> list[str]:
    """Change an organisation's listing; returns the changed field names."""
    if actor is not None:
        require_edit(actor, organisation)
    data = clean_values(values, ORGANISATION_FIELDS)
    _validate_organisation(data)
    changed = _apply_to_organisation(organisation, data, actor)
    db.session.commit()
    return changed


def mark_organisation_verified(organisation: Organisation, actor: User | None) -> None:
    if actor is not None:
        require_edit(actor, organisation)
    _apply_to_organisation(organisation, {"verified_at": now_utc()}, actor)
    db.session.commit()


def _apply_to_organisation(
    organisation: Organisation, changes: Mapping[str, Any], actor: User | None
) -> list[str]:
    return audit.apply_changes(
        organisation,
        changes,
        actor,
        organisation_id=organisation.id,
        entity_type="organisation",
        label=organisation.name,
    )


# --- roles ---------------------------------------------------------------------------------


def _validate_role(organisation: Organisation, values: dict[str, Any], role: Role | None) -> None:
    _require_text(values, "name", _("Vul de naam van de functie in."))
    if "description" in values:
        ensure_no_personal_data(values["description"] or "", field="description")
    for key in ("email", "phone"):
        if key in values and values[key] == "":
            values[key] = None
    if values.get("name"):
        clash = db.session.scalar(
            sa.select(Role.id).where(
                Role.organisation_id == organisation.id,
                Role.name == values["name"],
                Role.id != (role.id if role is not None else -1),
            )
        )
        if clash is not None:
            raise Conflict(_("Deze organisatie heeft al een functie met die naam."), field="name")


def create_role(organisation: Organisation, values: Mapping[str, Any], actor: User | None) -> Role:
    if actor is not None:
        require_edit(actor, organisation)
    data = clean_values(values, ROLE_FIELDS)
    if not data.get("name"):
        raise DomainError(_("Vul de naam van de functie in."), field="name")
    _validate_role(organisation, data, None)
    role = audit.add_created(
        Role(organisation=organisation, description=""),
        data,
        actor,
        organisation=organisation,
        entity_type="role",
        label=attrgetter("name"),
    )
    db.session.commit()
    return role


def update_role(role: Role, values: Mapping[str, Any], actor: User | None) -> list[str]:
    if actor is not None:
        require_edit(actor, role.organisation)
    data = clean_values(values, ROLE_FIELDS)
    _validate_role(role.organisation, data, role)
    changed = audit.apply_changes(
        role,
        data,
        actor,
        organisation_id=role.organisation_id,
        entity_type="role",
        label=role.name,
    )
    db.session.commit()
    return changed


# --- responsibilities ----------------------------------------------------------------------


def _validate_responsibility(
    organisation: Organisation, data: dict[str, Any], current: Responsibility | None
) -> None:
    def value(key: str) -> Any:
        return data[key] if key in data else getattr(current, key, None)

    for key in ("summary", "reason", "referral_tips", "opening_hours", "waiting_time"):
        if key in data:
            data[key] = data[key] or ""
            ensure_no_personal_data(data[key], field=key)
    if "language_codes" in data:
        data["language_codes"] = normalise_language_codes(data["language_codes"])
    if not value("topics"):
        raise DomainError(_("Kies minstens één thema."), field="topics")
    if value("handles") is False and not (value("reason") or "").strip():
        raise DomainError(
            _("Leg uit waarom deze organisatie dit niet doet (bijv. 'geen BSN, geen hulp')."),
            field="reason",
        )
    role = value("role")
    if role is not None and role.organisation_id != organisation.id:
        raise DomainError(_("Deze functie hoort niet bij deze organisatie."), field="role")
    starts, ends = value("valid_from"), value("valid_until")
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        raise DomainError(_("De einddatum ligt voor de begindatum."), field="valid_until")


def responsibility_label(resp: Responsibility) -> str:
    verb = _("doet") if resp.handles else _("doet niet")
    topics = ", ".join(t.name for t in resp.topics)
    return f"{verb}: {topics}" + (f" ({resp.summary})" if resp.summary else "")


def create_responsibility(
    organisation: Organisation, values: Mapping[str, Any], actor: User | None
) -> Responsibility:
    """Record that the organisation (or one of its roles) does, or does not, handle something."""
    if actor is not None:
        require_edit(actor, organisation)
    data = clean_values(values, RESPONSIBILITY_FIELDS)
    data.setdefault("handles", True)
    _validate_responsibility(organisation, data, None)
    new = Responsibility(
        organisation=organisation,
        summary="",
        reason="",
        referral_tips="",
        opening_hours="",
        waiting_time="",
        language_codes=[],
        topics=[],
        target_groups=[],
        areas=[],
        verified_at=now_utc(),
        verified_by=actor.person if actor is not None else None,
    )
    resp = audit.add_created(
        new,
        data,
        actor,
        organisation=organisation,
        entity_type="responsibility",
        label=responsibility_label,
    )
    db.session.commit()
    return resp


def update_responsibility(
    resp: Responsibility, values: Mapping[str, Any], actor: User | None
) -> list[str]:
    """Change a responsibility; a saved change counts as a fresh verification."""
    if actor is not None:
        require_edit(actor, resp.organisation)
    data = clean_values(values, RESPONSIBILITY_FIELDS)
    _validate_responsibility(resp.organisation, data, resp)
    changed = audit.apply_changes(
        resp,
        data,
        actor,
        organisation_id=resp.organisation_id,
        entity_type="responsibility",
        label=responsibility_label(resp),
    )
    if changed:
        resp.verified_at = now_utc()
        resp.verified_by = actor.person if actor is not None else None
    db.session.commit()
    return changed


def verify_responsibility(resp: Responsibility, actor: User | None) -> None:
    """Confirm an entry is still correct (resets the "possibly outdated" mark)."""
    if actor is not None:
        require_edit(actor, resp.organisation)
    resp.verified_at = now_utc()
    resp.verified_by = actor.person if actor is not None else None
    audit.record(
        actor,
        organisation_id=resp.organisation_id,
        entity_type="responsibility",
        entity_id=resp.id,
        action=AuditAction.UPDATE,
        label=responsibility_label(resp),
        field="verified_at",
        new=resp.verified_at,
    )
    db.session.commit()


def delete_responsibility(resp: Responsibility, actor: User | None) -> None:
    if actor is not None:
        require_edit(actor, resp.organisation)
    audit.record(
        actor,
        organisation_id=resp.organisation_id,
        entity_type="responsibility",
        entity_id=resp.id,
        action=AuditAction.DELETE,
        label=responsibility_label(resp),
    )
    db.session.delete(resp)
    db.session.commit()
