"""The privacy guard for free text, in Dutch: refuse resident data, warn on status + name.

Use :func:`ensure_no_personal_data` in services (raises) and :class:`NoPersonalData` on form
fields. The detection itself is pure and lives in :mod:`coordinator.privacy.guard`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError

from coordinator.errors import DomainError
from coordinator.privacy.guard import Finding, Kind, is_public_mail_domain, scan

#: Why each kind is refused and how to rephrase (shown to the user).
EXPLANATIONS = {
    Kind.BSN: _l("een burgerservicenummer (BSN)"),
    Kind.PHONE: _l("een telefoonnummer"),
    Kind.EMAIL: _l("een e-mailadres van buiten het netwerk"),
    Kind.IBAN: _l("een bankrekeningnummer (IBAN)"),
    Kind.BIRTH_DATE: _l("een geboortedatum"),
    Kind.POSTCODE_HOUSE_NUMBER: _l("een postcode met huisnummer"),
}


class PersonalDataRefused(DomainError):
    """Free text contained resident personal data; nothing was stored or sent."""

    def __init__(self, findings: list[Finding], *, field: str | None = None) -> None:
        self.findings = findings
        super().__init__(refusal_message(findings), field=field)


def refusal_message(findings: list[Finding]) -> str:
    kinds = list(dict.fromkeys(f.kind for f in findings if f.refused))
    what = ", ".join(str(EXPLANATIONS[k]) for k in kinds)
    return _(
        "Deze tekst lijkt persoonsgegevens van een bewoner te bevatten: %(what)s. "
        "Matchtafel gaat over organisaties en aanbod, nooit over bewoners. Beschrijf de vraag "
        "zonder gegevens die iemand herkenbaar maken, bijvoorbeeld 'een gezin met twee "
        "kinderen in Zuidoost' in plaats van naam, nummer of adres. Contactgegevens van "
        "collega's staan al in de sociale kaart.",
        what=what,
    )


def warning_message() -> str:
    return _(
        "Let op: u noemt een verblijfsstatus in combinatie met wat op een naam lijkt. "
        "Laat namen van bewoners weg; beschrijf alleen wat er nodig is."
    )


def network_email_domains() -> set[str]:
    """Domains of the network's own organisations and staff, plus Matchtafel's own.

    Public mail providers (gmail.com, hotmail.com, …) never count: one volunteer with a gmail
    address must not let every gmail address through. Their exact addresses are in
    :func:`network_email_addresses`.
    """
    from coordinator.directory.models import Organisation, Person
    from coordinator.extensions import db

    domains = {current_app.config["MAIL_FROM"].rpartition("@")[2].lower()}
    for email, website in db.session.execute(sa.select(Organisation.email, Organisation.website)):
        if email and "@" in email:
            domains.add(email.rpartition("@")[2].lower())
        if website:
            host = urlsplit(website if "//" in website else f"//{website}").hostname or ""
            if host:
                domains.add(host.removeprefix("www.").lower())
    for (email,) in db.session.execute(sa.select(Person.email).where(Person.email.is_not(None))):
        if "@" in email:
            domains.add(email.rpartition("@")[2].lower())
    return {d for d in domains if d and not is_public_mail_domain(d)}


def network_email_addresses() -> set[str]:
    """Exact e-mail addresses of the network's organisations and staff."""
    from coordinator.directory.models import Organisation, Person
    from coordinator.extensions import db

    addresses: set[str] = set()
    for model in (Organisation, Person):
        query = sa.select(model.email).where(model.email.is_not(None))
        addresses.update(e.strip().lower() for (e,) in db.session.execute(query) if "@" in e)
    return addresses


def check(text: str) -> list[Finding]:
    """Scan ``text`` against the network's current e-mail domains and addresses."""
    if not text:
        return []
    return scan(
        text,
        allowed_email_domains=network_email_domains(),
        allowed_email_addresses=network_email_addresses() if "@" in text else (),
    )


def ensure_no_personal_data(text: str, *, field: str | None = None) -> list[Finding]:
    """Raise :class:`PersonalDataRefused` on refused findings; return the warnings otherwise."""
    findings = check(text)
    refused = [f for f in findings if f.refused]
    if refused:
        raise PersonalDataRefused(refused, field=field)
    return [f for f in findings if f.kind == Kind.STATUS_WITH_NAME]


class NoPersonalData:
    """WTForms validator: refuses resident personal data with the Dutch explanation."""

    def __call__(self, form: Any, field: Any) -> None:
        findings = [f for f in check(field.data or "") if f.refused]
        if findings:
            raise ValidationError(refusal_message(findings))
