"""The editable taxonomies: thema's, doelgroepen and gebieden (stadsdelen with wijken below).

Only beheerders add or rename them. A slug is generated once from the first name and never
changes afterwards (URLs, the API and imports rely on it); renaming changes the name only.
Each change is recorded in the directory audit log (without an organisation) and committed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from coordinator.directory import audit
from coordinator.directory.models import Area, AreaKind, AuditAction, TargetGroup, Topic
from coordinator.directory.services import slugify
from coordinator.errors import DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.permissions import is_admin

if TYPE_CHECKING:
    from coordinator.auth.models import User

Taxonomy = Topic | TargetGroup | Area

#: URL name of each taxonomy → its model and the audit log's entity type.
KINDS: dict[str, tuple[type[Any], str]] = {
    "thema": (Topic, "topic"),
    "doelgroep": (TargetGroup, "target_group"),
    "gebied": (Area, "area"),
}
#: The kind of area that goes below each kind of parent.
CHILD_KIND = {AreaKind.CITY: AreaKind.DISTRICT, AreaKind.DISTRICT: AreaKind.NEIGHBOURHOOD}


def model_for(kind: str) -> type[Any]:
    return KINDS[kind][0]


def _entity_type(obj: Taxonomy) -> str:
    return next(entity for model, entity in KINDS.values() if isinstance(obj, model))


def _require_admin(actor: User | None) -> None:
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("Alleen beheerders wijzigen thema's, doelgroepen en gebieden."))


def _clean_name(name: str | None) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise DomainError(_("Vul een naam in."), field="name")
    if len(cleaned) > 120:
        raise DomainError(_("De naam is te lang (hoogstens 120 tekens)."), field="name")
    return cleaned


def _refuse_duplicate(model: type[Any], name: str, *, exclude_id: int | None = None) -> None:
    query = sa.select(model.id).where(sa.func.lower(model.name) == name.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalars(query).first() is not None:
        raise DomainError(_("Deze naam bestaat al: %(name)s.", name=name), field="name")


def _unique_slug(model: type[Any], name: str) -> str:
    base = slugify(name)[:70]
    taken = set(db.session.scalars(sa.select(model.slug).where(model.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def topics() -> list[Topic]:
    return list(db.session.scalars(sa.select(Topic).order_by(Topic.position, Topic.name)))


def target_groups() -> list[TargetGroup]:
    query = sa.select(TargetGroup).order_by(TargetGroup.position, TargetGroup.name)
    return list(db.session.scalars(query))


def areas() -> list[Area]:
    """Every area, each stadsdeel followed by its wijken (a depth-first walk of the tree)."""
    rows = list(db.session.scalars(sa.select(Area).order_by(Area.name)))
    children: dict[int | None, list[Area]] = {}
    for area in rows:
        children.setdefault(area.parent_id, []).append(area)
    result: list[Area] = []

    def walk(parent_id: int | None) -> None:
        for area in children.get(parent_id, []):
            result.append(area)
            walk(area.id)

    walk(None)
    return result


def create(kind: str, name: str, actor: User | None, *, parent_id: int | None = None) -> Any:
    """Add a thema, doelgroep or gebied (below ``parent_id``); its slug is fixed from now on."""
    _require_admin(actor)
    model, entity_type = KINDS[kind]
    cleaned = _clean_name(name)
    _refuse_duplicate(model, cleaned)
    values: dict[str, Any] = {"slug": _unique_slug(model, cleaned), "name": cleaned}
    if model is Area:
        parent = db.session.get(Area, parent_id) if parent_id is not None else None
        if parent is None:
            raise DomainError(_("Kies waar dit gebied onder valt."), field="parent")
        if parent.kind not in CHILD_KIND:
            raise DomainError(_("Onder een wijk kunnen geen gebieden staan."), field="parent")
        values.update(parent=parent, kind=CHILD_KIND[parent.kind])
    else:
        last = db.session.scalar(sa.select(sa.func.max(model.position)))
        values["position"] = (last or 0) + 1
    obj = model(**values)
    db.session.add(obj)
    db.session.flush()
    audit.record(
        actor,
        organisation_id=None,
        entity_type=entity_type,
        entity_id=obj.id,
        action=AuditAction.CREATE,
        label=obj.name,
        new=obj.name,
    )
    db.session.commit()
    return obj


def rename(obj: Taxonomy, name: str, actor: User | None) -> bool:
    """Give ``obj`` a new name (the slug stays); returns whether anything changed."""
    _require_admin(actor)
    cleaned = _clean_name(name)
    _refuse_duplicate(type(obj), cleaned, exclude_id=obj.id)
    changed = audit.apply_changes(
        obj,
        {"name": cleaned},
        actor,
        organisation_id=None,
        entity_type=_entity_type(obj),
        label=obj.name,
    )
    db.session.commit()
    return bool(changed)
