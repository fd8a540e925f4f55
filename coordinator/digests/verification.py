"""The monthly "controleer uw gegevens" mail to partner-redacteuren with stale entries.

An entry (the organisation itself, or one of its responsibilities) is stale when it was last
verified — or, never verified, created — more than ``STALE_AFTER_DAYS`` ago.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from coordinator.auth.models import AccountRole, User
from coordinator.db import now_utc
from coordinator.digests.periods import month
from coordinator.directory.models import Organisation, Responsibility
from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.urls import external_url

log = logging.getLogger("coordinator.digests")

KIND = "verify-entries"
#: Default of ``STALE_AFTER_DAYS`` (about six months).
STALE_AFTER_DAYS = 183


def verification_key(user_id: int, period: str) -> str:
    """One request per redacteur per month."""
    return f"{KIND}:user{user_id}:{period}"


def last_checked(verified_at: datetime | None, created_at: datetime) -> datetime:
    """When an entry was last known to be right: verified, else created."""
    return verified_at or created_at


@dataclass(frozen=True)
class StaleEntries:
    organisation: Organisation
    #: The organisation's own listing is stale.
    listing: bool
    responsibilities: list[Responsibility]

    @property
    def any(self) -> bool:
        return self.listing or bool(self.responsibilities)


def stale_entries(organisation: Organisation, cutoff: datetime) -> StaleEntries:
    """What of ``organisation`` was last checked before ``cutoff``."""
    responsibilities = [
        r
        for r in sorted(organisation.responsibilities, key=lambda r: r.id)
        if last_checked(r.verified_at, r.created_at) < cutoff
    ]
    listing = last_checked(organisation.verified_at, organisation.created_at) < cutoff
    return StaleEntries(organisation, listing, responsibilities)


def editors() -> list[User]:
    """Enabled partner-redacteur accounts of people still working there."""
    users = db.session.scalars(
        sa.select(User)
        .where(User.role == AccountRole.EDITOR, User.disabled_at.is_(None))
        .order_by(User.id)
    )
    return [u for u in users if u.is_active]


def organisation_url(organisation: Organisation) -> str:
    """The organisation's page; the organisation list where that page does not exist (yet)."""
    try:
        return external_url("directory.organisation", slug=organisation.slug)
    except BuildError:
        return external_url("directory.organisations")


def send_verification_requests(now: datetime | None = None) -> dict[str, int]:
    """Queue this month's request for every redacteur whose organisation has stale entries."""
    moment = now or now_utc()
    config = current_app.config
    days = int(config.get("STALE_AFTER_DAYS", STALE_AFTER_DAYS))
    cutoff = moment - timedelta(days=days)
    period = month(moment, ZoneInfo(config["TIMEZONE"]))
    users = editors()
    existing = outbox.queued_keys([verification_key(u.id, period) for u in users])
    counts = {"editors": len(users), "queued": 0, "already": 0, "up_to_date": 0, "raced": 0}
    for user in users:
        key = verification_key(user.id, period)
        if key in existing:
            counts["already"] += 1
            continue
        stale = stale_entries(user.person.organisation, cutoff)
        if not stale.any:
            counts["up_to_date"] += 1
            continue
        locale = user.locale if user.locale in config["LANGUAGES"] else "nl"
        with force_locale(locale):
            subject = _("Controleer uw gegevens: %(organisation)s") % {
                "organisation": stale.organisation.name
            }
        message = outbox.render_templated(
            "verify_entries",
            to=user.email,
            subject=subject,
            locale=locale,
            user=user,
            stale=stale,
            months=round(days / 30.5),
            link=organisation_url(stale.organisation),
        )
        if outbox.queue_once(message, kind=KIND, dedup_key=key):
            counts["queued"] += 1
        else:
            counts["raced"] += 1
        db.session.commit()
    log.info("verification requests %s: %s", period, counts)
    return counts
