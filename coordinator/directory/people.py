"""People in the directory: adding and editing them, assignments, leaving and erasure.

Roles stay with the organisation; people come and go. :func:`leave` ends a person's
assignments and account access on a date (the role shows as vacant), and
:func:`erase_departed_people` removes personal contact details once the retention period
after leaving has passed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from coordinator.db import now_utc
from coordinator.directory import audit
from coordinator.directory.access import require_edit
from coordinator.directory.models import (
    Assignment,
    AuditAction,
    Organisation,
    Person,
    Role,
)
from coordinator.directory.services import clean_values, normalise_language_codes
from coordinator.errors import DomainError
from coordinator.extensions import db
from coordinator.signals import person_left

if TYPE_CHECKING:
    from coordinator.auth.models import User

PERSON_FIELDS = (
    "name",
    "email",
    "phone",
    "kind",
    "contact_visibility",
    "consent_given_on",
    "language_codes",
    "focus_tags",
)
#: Never copied into the audit log.
PRIVATE_FIELDS = ("name", "email", "phone", "focus_tags")


def _label(person: Person) -> str:
    return _("persoon #%(id)s", id=person.id)


def _validate_person(data: dict[str, Any]) -> None:
    if "name" in data and not data["name"]:
        raise DomainError(_("Vul een naam in."), field="name")
    for key in ("email", "phone"):
        if key in data and not data[key]:
            data[key] = None
    if data.get("email") and "@" not in data["email"]:
        raise DomainError(_("Dit is geen geldig e-mailadres."), field="email")
    if "language_codes" in data:
        data["language_codes"] = normalise_language_codes(data["language_codes"])
    consent = data.get("consent_given_on")
    if consent is not None and consent > date.today():  # noqa: DTZ011 - a calendar day
        raise DomainError(
            _("Toestemming kan niet in de toekomst gegeven zijn."), field="consent_given_on"
        )
    if "focus_tags" in data:
        tags = data["focus_tags"] or []
        if isinstance(tags, str):
            tags = tags.split(",")
        data["focus_tags"] = [t.strip() for t in tags if t and t.strip()]


def create_person(
    organisation: Organisation, values: Mapping[str, Any], actor: User | None
) -> Person:
    """Add a professional, volunteer or key figure to an organisation."""
    if actor is not None:
        require_edit(actor, organisation)
    data = clean_values(values, PERSON_FIELDS)
    if not data.get("name"):
        raise DomainError(_("Vul een naam in."), field="name")
    _validate_person(data)
    person = audit.add_created(
        Person(organisation=organisation, language_codes=[], focus_tags=[]),
        data,
        actor,
        organisation=organisation,
        entity_type="person",
        label=_label,
        new=attrgetter("kind"),
    )
    db.session.commit()
    return person


def update_person(person: Person, values: Mapping[str, Any], actor: User | None) -> list[str]:
    if actor is not None:
        require_edit(actor, person.organisation)
    if person.erased_at is not None:
        raise DomainError(_("De gegevens van deze persoon zijn verwijderd."))
    data = clean_values(values, PERSON_FIELDS)
    _validate_person(data)
    changed = _apply_changes(person, data, actor)
    db.session.commit()
    return changed


def _apply_changes(person: Person, changes: Mapping[str, Any], actor: User | None) -> list[str]:
    """Change the person and log each changed field (contact details without their values)."""
    return audit.apply_changes(
        person,
        changes,
        actor,
        organisation_id=person.organisation_id,
        entity_type="person",
        label=_label(person),
        private_fields=PRIVATE_FIELDS,
    )


def assign(person: Person, role: Role, starts_on: date, actor: User | None) -> Assignment:
    """Let ``person`` hold ``role`` from ``starts_on`` (a role of their own organisation)."""
    if actor is not None:
        require_edit(actor, role.organisation)
    if role.organisation_id != person.organisation_id:
        raise DomainError(_("Deze functie hoort bij een andere organisatie."), field="role")
    if person.left_on is not None or person.erased_at is not None:
        raise DomainError(_("Deze persoon is uit dienst."), field="person")
    if any(a.role_id == role.id and a.ends_on is None for a in person.assignments):
        raise DomainError(_("Deze persoon vervult deze functie al."), field="role")
    assignment = Assignment(person=person, role=role, starts_on=starts_on)
    db.session.add(assignment)
    db.session.flush()
    record_assignment(assignment, actor, AuditAction.CREATE, field="starts_on", new=starts_on)
    db.session.commit()
    return assignment


def record_assignment(
    assignment: Assignment,
    actor: User | None,
    action: AuditAction,
    *,
    label: str | None = None,
    **change: Any,
) -> None:
    """Log an assignment's entry (labelled with its role unless ``label`` is given).

    ``change`` is field/old/new.
    """
    role = assignment.role
    audit.record(
        actor,
        organisation_id=role.organisation_id,
        entity_type="assignment",
        entity_id=assignment.id,
        action=action,
        label=label or role.name,
        **change,
    )


def _end_assignment(assignment: Assignment, on_date: date, actor: User | None) -> None:
    if assignment.starts_on > on_date:
        record_assignment(assignment, actor, AuditAction.DELETE)
        db.session.delete(assignment)
        return
    old = assignment.ends_on
    assignment.ends_on = on_date
    record_assignment(assignment, actor, AuditAction.UPDATE, field="ends_on", old=old, new=on_date)


def end_assignment(assignment: Assignment, on_date: date, actor: User | None) -> None:
    """The person stops holding the role after ``on_date``; the role may become vacant."""
    if actor is not None:
        require_edit(actor, assignment.role.organisation)
    if assignment.ends_on is not None and assignment.ends_on <= on_date:
        raise DomainError(_("Deze toewijzing is dan al beëindigd."), field="ends_on")
    _end_assignment(assignment, on_date, actor)
    db.session.commit()


def leave(person: Person, on_date: date, actor: User | None) -> None:
    """Uit dienst melden: end every assignment on ``on_date`` and the person's account access.

    The roles stay with the organisation (vacant until filled). Receivers of
    :data:`coordinator.signals.person_left` run before the commit, in the same transaction.
    """
    from coordinator.auth.models import ApiToken, User, new_security_stamp

    if actor is not None:
        require_edit(actor, person.organisation)
    if person.erased_at is not None:
        raise DomainError(_("De gegevens van deze persoon zijn al verwijderd."))
    if person.left_on is not None and person.left_on <= on_date:
        raise DomainError(_("Deze persoon is al uit dienst gemeld."), field="on_date")
    _apply_changes(person, {"left_on": on_date}, actor)
    for assignment in list(person.assignments):
        if assignment.ends_on is None or assignment.ends_on > on_date:
            _end_assignment(assignment, on_date, actor)
    user = db.session.scalar(sa.select(User).where(User.person_id == person.id))
    if user is not None and on_date <= date.today():  # noqa: DTZ011 - a calendar day
        # The account stops working via Person.has_left; also end sessions and tokens now.
        user.security_stamp = new_security_stamp()
        now = now_utc()
        db.session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    person_left.send(person, on_date=on_date, actor=actor)
    db.session.commit()


def retention_days() -> int:
    return int(current_app.config["PERSONAL_DATA_RETENTION_DAYS"])


def erase_departed_people(today: date, *, retention: int | None = None) -> int:
    """Erase personal contact details of people who left more than ``retention`` days ago.

    Idempotent; meant to be called daily by the scheduler. Keeps the person row (history and
    assignments refer to it) but removes name, e-mail, phone, languages and focus tags, and
    anonymises their login account. Returns how many people were erased.
    """
    from coordinator.auth.models import User

    days = retention_days() if retention is None else retention
    cutoff = today - timedelta(days=days)
    people = db.session.scalars(
        sa.select(Person).where(
            Person.left_on.is_not(None), Person.left_on <= cutoff, Person.erased_at.is_(None)
        )
    ).all()
    now = now_utc()
    for person in people:
        person.name = None
        person.email = None
        person.phone = None
        person.language_codes = []
        person.focus_tags = []
        user = db.session.scalar(sa.select(User).where(User.person_id == person.id))
        if user is not None:
            user.email = f"verwijderd-{user.id}@invalid.invalid"
            user.password_hash = None
            user.disabled_at = user.disabled_at or now
        _apply_changes(person, {"erased_at": now}, None)
    db.session.commit()
    return len(people)
