"""The directory's audit log: record changes (who, when, old → new) and read them back.

Services call :func:`apply_changes` / :func:`record` inside their transaction; the entry is
committed together with the change. Values are stored as display text via :func:`as_text`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coordinator.directory.models import AuditAction, AuditEntry
from coordinator.extensions import db

if TYPE_CHECKING:
    from coordinator.auth.models import User
    from coordinator.directory.models import Organisation

M = TypeVar("M")


#: Dutch labels of audited fields, for the history table.
FIELD_LABELS = {
    "name": _l("naam"),
    "kind": _l("soort"),
    "infrastructure": _l("infrastructuur"),
    "sector": _l("sector"),
    "description": _l("omschrijving"),
    "website": _l("website"),
    "email": _l("e-mailadres"),
    "phone": _l("telefoon"),
    "visibility": _l("zichtbaarheid"),
    "funding_ends_on": _l("einddatum subsidie"),
    "areas": _l("gebieden"),
    "verified_at": _l("bevestigd"),
    "role": _l("functie"),
    "handles": _l("doet dit"),
    "summary": _l("omschrijving"),
    "reason": _l("reden"),
    "referral_tips": _l("verwijstips"),
    "opening_hours": _l("openingstijden"),
    "language_codes": _l("talen"),
    "waiting_time": _l("wachttijd"),
    "valid_from": _l("geldig vanaf"),
    "valid_until": _l("geldig tot"),
    "topics": _l("thema's"),
    "target_groups": _l("doelgroepen"),
    "contact_visibility": _l("zichtbaarheid contactgegevens"),
    "consent_given_on": _l("toestemming"),
    "focus_tags": _l("aandachtsgebieden"),
    "left_on": _l("uit dienst"),
    "erased_at": _l("gegevens verwijderd"),
    "starts_on": _l("begint"),
    "ends_on": _l("eindigt"),
}
ACTION_LABELS = {
    AuditAction.CREATE: _l("aangemaakt"),
    AuditAction.UPDATE: _l("gewijzigd"),
    AuditAction.DELETE: _l("verwijderd"),
}


def field_label(field: str | None) -> str:
    return str(FIELD_LABELS.get(field, field)) if field else ""


def action_label(action: AuditAction) -> str:
    return str(ACTION_LABELS[action])


def as_text(value: Any) -> str:
    """A stable, readable rendering of a field value for the history."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return ", ".join(as_text(v) for v in value)
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name
    return str(value)


def _identity(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_identity(v) for v in value]
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return (type(value).__name__, value.id)
    if isinstance(value, enum.Enum):
        return value.value
    if value == "":
        return None
    return value


def same_value(old: Any, new: Any) -> bool:
    """Whether a field really changes (models by id, enums by value, "" equals None)."""
    return _identity(old) == _identity(new)


def record(
    actor: User | None,
    *,
    organisation_id: int | None,
    entity_type: str,
    entity_id: int,
    action: AuditAction,
    label: str = "",
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> AuditEntry:
    """Add one entry to the session (the caller commits)."""
    entry = AuditEntry(
        actor_user_id=actor.id if actor is not None else None,
        organisation_id=organisation_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        entity_label=label[:300],
        field=field,
        old_value=None if old is None else as_text(old),
        new_value=None if new is None else as_text(new),
    )
    db.session.add(entry)
    return entry


def add_created(
    obj: M,
    values: Mapping[str, Any],
    actor: User | None,
    *,
    organisation: Organisation,
    entity_type: str,
    label: Callable[[M], str],
    new: Callable[[M], Any] | None = None,
) -> M:
    """Set ``values`` on the new ``obj``, add it to the session and log its creation.

    The entry goes to ``organisation``'s history (``obj`` itself for a new organisation).
    ``label`` and ``new`` (the value shown in the log) read ``obj`` once it has its id.
    The caller commits.
    """
    for field, value in values.items():
        setattr(obj, field, value)
    db.session.add(obj)
    db.session.flush()
    record(
        actor,
        organisation_id=organisation.id,
        entity_type=entity_type,
        entity_id=obj.id,
        action=AuditAction.CREATE,
        label=label(obj),
        new=new(obj) if new is not None else None,
    )
    return obj


def apply_changes(
    obj: Any,
    changes: Mapping[str, Any],
    actor: User | None,
    *,
    organisation_id: int | None,
    entity_type: str,
    label: str,
    private_fields: Iterable[str] = (),
) -> list[str]:
    """Set each changed attribute on ``obj`` and log it; returns the names that changed.

    Fields in ``private_fields`` (personal contact details) are logged without their values.
    """
    private = set(private_fields)
    changed: list[str] = []
    for field, new in changes.items():
        old = getattr(obj, field)
        if same_value(old, new):
            continue
        if isinstance(old, list):
            old = list(old)
        setattr(obj, field, new)
        changed.append(field)
        if obj.id is not None:
            record(
                actor,
                organisation_id=organisation_id,
                entity_type=entity_type,
                entity_id=obj.id,
                action=AuditAction.UPDATE,
                label=label,
                field=field,
                old=None if field in private else old,
                new=None if field in private else new,
            )
    return changed


def history(organisation_id: int, *, limit: int = 200) -> list[AuditEntry]:
    """Newest first: everything recorded for an organisation and its roles, people and tasks."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.organisation_id == organisation_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
