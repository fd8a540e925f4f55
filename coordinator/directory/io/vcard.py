"""vCard 4.0 (RFC 6350) for a person, a role's current holder, or a whole organisation.

A small pure builder rather than ``vobject``, whose serialiser targets vCard 3.0. It escapes
TEXT values (``\\``, ``,``, ``;``, newlines; RFC 6350 §3.4), folds lines at 75 octets without
splitting a UTF-8 character (§3.2) and ends every line with CRLF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _

from coordinator.directory.io import visibility
from coordinator.directory.io.identifiers import stable_uuid
from coordinator.directory.models import Organisation, Person, Role

CRLF = "\r\n"
PRODID = "-//Matchtafel//Sociale kaart//NL"


def escape_text(value: str) -> str:
    """Escape a TEXT value or one component of a structured value."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _param(value: str) -> str:
    return f'"{value}"' if re.search(r"[:;,]", value) else value


def fold(line: str, limit: int = 75) -> str:
    """Split ``line`` into chunks of at most ``limit`` octets; continuations start with a space."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            chunks.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(char)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


@dataclass
class Card:
    """An ordered list of already-escaped property lines between BEGIN and END."""

    lines: list[str] = field(default_factory=list)

    def add(self, name: str, content: str, **params: str) -> Card:
        """Append ``content`` as given (already escaped or a URI); params are upper-cased."""
        rendered = "".join(f";{key.upper()}={_param(val)}" for key, val in params.items())
        self.lines.append(f"{name}{rendered}:{content}")
        return self

    def text(self, name: str, content: str | None, **params: str) -> Card:
        """Append a TEXT property, escaped; empty values are left out."""
        if content:
            self.add(name, escape_text(content), **params)
        return self

    def serialise(self) -> str:
        body = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:{PRODID}", *self.lines, "END:VCARD"]
        return "".join(fold(line) + CRLF for line in body)


def _tel(card: Card, number: str | None) -> None:
    """A ``tel:`` URI when the number normalises to E.164 (Dutch numbers get +31), else text."""
    if not number:
        return
    digits = re.sub(r"[^\d+]", "", number)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = "+31" + digits[1:]
    if re.fullmatch(r"\+\d{8,15}", digits):
        card.add("TEL", f"tel:{digits}", value="uri", type="work,voice")
    else:
        card.text("TEL", number, value="text", type="work,voice")


def _common(card: Card, uid: str, updated: datetime | None) -> None:
    card.add("UID", f"urn:uuid:{uid}")
    stamp = (updated or datetime.now(UTC)).astimezone(UTC)
    card.add("REV", stamp.strftime("%Y%m%dT%H%M%SZ"))


def person_card(person: Person, viewer: object | None, base_url: str) -> str:
    """A person with their current roles as TITLEs; personal contact only where visible.

    Where the person's own details are hidden, the functional contact of their role is given.
    """
    card = Card().add("KIND", "individual")
    card.text("FN", person.display_name)
    card.text("ORG", person.organisation.name)
    today = date.today()  # noqa: DTZ011 - a calendar day
    roles = [a.role for a in person.assignments if a.is_current(today)]
    roles = [role for role in roles if visibility.role_visible(viewer, role)]
    for role in roles:
        card.text("TITLE", role.name)
    if visibility.contact_visible(viewer, person):
        card.text("EMAIL", person.email, type="work")
        _tel(card, person.phone)
    else:
        for role in roles:
            if visibility.role_contact_visible(viewer, role):
                card.text("EMAIL", role.email, type="work")
                _tel(card, role.phone)
    for rank, code in enumerate(person.language_codes or [], start=1):
        card.add("LANG", code, pref=str(rank))
    _common(card, str(stable_uuid(base_url, "person", person.id)), person.created_at)
    return card.serialise()


def vacant_role_card(role: Role, viewer: object | None, base_url: str) -> str:
    """A role without a (visible) holder: its functional contact (for partners), marked vacant."""
    card = Card().add("KIND", "individual")
    card.text("FN", f"{role.name} ({role.organisation.name})")
    card.text("ORG", role.organisation.name)
    card.text("TITLE", role.name)
    own = visibility.role_contact_visible(viewer, role)
    org = visibility.organisation_contact_visible(viewer, role.organisation)
    card.text(
        "EMAIL",
        (role.email if own else None) or (role.organisation.email if org else None),
        type="work",
    )
    _tel(card, (role.phone if own else None) or (role.organisation.phone if org else None))
    card.text("NOTE", _("Functie is op dit moment niet bezet; gebruik het functionele contact."))
    _common(card, str(stable_uuid(base_url, "role", role.id)), None)
    return card.serialise()


def role_cards(role: Role, viewer: object | None, base_url: str) -> str:
    """The role's current holder(s) the viewer may see, else the vacant-role card."""
    holders = [p for p in role.holders if visibility.person_listed(viewer, p)]
    if not holders:
        return vacant_role_card(role, viewer, base_url)
    return "".join(person_card(person, viewer, base_url) for person in holders)


def organisation_card(organisation: Organisation, viewer: object | None, base_url: str) -> str:
    card = Card().add("KIND", "org")
    card.text("FN", organisation.name)
    card.text("ORG", organisation.name)
    if visibility.organisation_contact_visible(viewer, organisation):
        card.text("EMAIL", organisation.email, type="work")
        _tel(card, organisation.phone)
    if organisation.website:
        card.add("URL", organisation.website.replace("\n", ""), type="work")
    card.text("NOTE", organisation.description)
    _common(
        card, str(stable_uuid(base_url, "organisation", organisation.id)), organisation.updated_at
    )
    return card.serialise()


def organisation_cards(organisation: Organisation, viewer: object | None, base_url: str) -> str:
    """The organisation itself, then each visible role's holder(s) or vacant card."""
    parts = [organisation_card(organisation, viewer, base_url)]
    seen: set[int] = set()
    for role in _visible_roles(organisation.roles, viewer):
        holders = [p for p in role.holders if visibility.person_listed(viewer, p)]
        if not holders:
            parts.append(vacant_role_card(role, viewer, base_url))
        for person in holders:
            if person.id not in seen:
                seen.add(person.id)
                parts.append(person_card(person, viewer, base_url))
    return "".join(parts)


def _visible_roles(roles: Iterable[Role], viewer: object | None) -> list[Role]:
    return [role for role in roles if visibility.role_visible(viewer, role)]
