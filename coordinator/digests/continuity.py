"""The weekly continuity digest: per coordinator, what is about to fall apart in their areas."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from coordinator.auth.models import AccountRole, User
from coordinator.db import now_utc
from coordinator.digests.periods import iso_week
from coordinator.directory.models import Area
from coordinator.extensions import db
from coordinator.mail import outbox
from coordinator.tables.dashboard import Continuity, continuity
from coordinator.urls import external_url

log = logging.getLogger("coordinator.digests")

KIND = "continuity-digest"


def digest_key(user_id: int, week: str) -> str:
    """One digest per coordinator per ISO week."""
    return f"{KIND}:user{user_id}:{week}"


def top_areas(areas: Iterable[Area]) -> list[Area]:
    """``areas`` without those lying inside another of them (a wijk below a chosen stadsdeel)."""
    chosen = list(areas)
    ids = {a.id for a in chosen}
    return [a for a in chosen if not any(up.id in ids for up in a.lineage()[1:])]


def coordinators() -> list[User]:
    """Enabled coordinator accounts of people still working, with at least one area."""
    users = db.session.scalars(
        sa.select(User)
        .where(User.role == AccountRole.COORDINATOR, User.disabled_at.is_(None))
        .order_by(User.id)
    )
    return [u for u in users if u.is_active and u.areas]


def _locale(user: User) -> str:
    config = current_app.config
    return user.locale if user.locale in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def reports_for(user: User, now: datetime, locale: str) -> list[Continuity]:
    with force_locale(locale):
        return [continuity(area, now=now, locale=locale) for area in top_areas(user.areas)]


def send_continuity_digests(now: datetime | None = None) -> dict[str, int]:
    """Queue this week's digest for every coordinator who has something to read.

    A coordinator whose areas are all clear gets no mail that week (``all_clear``); one who
    already got this week's digest gets nothing more (``already``).
    """
    moment = now or now_utc()
    week = iso_week(moment, ZoneInfo(current_app.config["TIMEZONE"]))
    users = coordinators()
    existing = outbox.queued_keys([digest_key(u.id, week) for u in users])
    counts = {"coordinators": len(users), "queued": 0, "already": 0, "all_clear": 0, "raced": 0}
    for user in users:
        key = digest_key(user.id, week)
        if key in existing:
            counts["already"] += 1
            continue
        locale = _locale(user)
        reports = reports_for(user, moment, locale)
        if all(report.all_clear for report in reports):
            counts["all_clear"] += 1
            continue
        with force_locale(locale):
            subject = _("Continuïteit deze week: %(areas)s") % {
                "areas": ", ".join(r.area.name for r in reports)
            }
        message = outbox.render_templated(
            "continuity_digest",
            to=user.email,
            subject=subject,
            locale=locale,
            user=user,
            reports=reports,
            links={r.area.id: external_url("tables.dashboard", slug=r.area.slug) for r in reports},
        )
        if outbox.queue_once(message, kind=KIND, dedup_key=key):
            counts["queued"] += 1
        else:
            counts["raced"] += 1
        db.session.commit()
    log.info("continuity digests %s: %s", week, counts)
    return counts
