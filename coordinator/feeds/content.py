"""What a feed shows, its validators (ETag, Last-Modified) and its bytes.

The validators come from a few aggregate queries over ids, sequences and timestamps, so a
client's poll that ends in 304 never builds the calendar.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from coordinator.calendaring import ics, mapping
from coordinator.db import now_utc
from coordinator.directory.models import Area, Assignment, Organisation, Person
from coordinator.extensions import db
from coordinator.feeds.models import FeedScope, FeedToken
from coordinator.tables.dashboard import area_ids
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries

#: Bump when the feed's shape changes, so every client fetches it again.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime


def table_ids(feed: FeedToken, today: datetime | None = None) -> list[int]:
    """Ids of the tables in the feed, sorted."""
    scope, target = feed.scope, feed.target_id
    if scope is FeedScope.TABLE:
        query = sa.select(Table.id).where(Table.id == target)
    elif scope is FeedScope.ORGANISATION:
        query = (
            sa.select(Seat.table_id)
            .where(Seat.organisation_id == target, Seat.removed_at.is_(None))
            .distinct()
        )
    elif scope is FeedScope.AREA:
        area = db.session.get(Area, target)
        ids = area_ids(area) if area is not None else set()
        query = sa.select(Table.id).where(Table.area_id.in_(ids))
    else:
        day = (today or now_utc()).date()
        query = (
            sa.select(Seat.table_id)
            .join(Assignment, Assignment.role_id == Seat.role_id)
            .where(
                Assignment.person_id == target,
                Seat.removed_at.is_(None),
                Assignment.starts_on <= day,
                sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= day),
            )
            .distinct()
        )
    return sorted(db.session.scalars(query))


def window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The feed window, anchored on today's UTC midnight so it moves once a day."""
    config = current_app.config
    midnight = datetime.combine((now or now_utc()).astimezone(UTC).date(), time.min, tzinfo=UTC)
    return (
        midnight - timedelta(days=int(config["FEED_PAST_DAYS"])),
        midnight + timedelta(days=int(config["FEED_FUTURE_DAYS"])),
    )


def feed_name(feed: FeedToken) -> str:
    """X-WR-CALNAME: "Matchtafel – <what it shows>"."""
    model = {
        FeedScope.PERSON: Person,
        FeedScope.ORGANISATION: Organisation,
        FeedScope.TABLE: Table,
        FeedScope.AREA: Area,
    }[feed.scope]
    target = db.session.get(model, feed.target_id)
    if isinstance(target, Person):
        label = _("tafels van %(name)s") % {"name": target.display_name}
    else:
        label = str(getattr(target, "name", ""))
    return f"Matchtafel – {label}"


def validators(feed: FeedToken, ids: list[int], now: datetime | None = None) -> Validators:
    """ETag and Last-Modified from the database, without building the calendar."""
    tables = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(Table.updated_at)).where(Table.id.in_(ids))
    ).one()
    series = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(TableSeries.sequence), 0),
            sa.func.max(TableSeries.id),
            sa.func.max(TableSeries.created_at),
            sa.func.count(TableSeries.cancelled_at),
        ).where(TableSeries.table_id.in_(ids))
    ).one()
    changes = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(OccurrenceChange.sequence), 0),
            sa.func.max(OccurrenceChange.updated_at),
        )
        .join(TableSeries, TableSeries.id == OccurrenceChange.series_id)
        .where(TableSeries.table_id.in_(ids))
    ).one()
    start, end = window(now)
    state = (
        FORMAT_VERSION,
        feed.id,
        feed_name(feed),
        tuple(ids),
        start.isoformat(),
        end.isoformat(),
        tuple(tables),
        tuple(series),
        tuple(changes),
    )
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    stamps = [feed.created_at, tables[1], series[3], changes[2]]
    latest = max(_aware(s) for s in stamps if s is not None)
    return Validators(etag=digest, last_modified=latest.replace(microsecond=0))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def body(feed: FeedToken, ids: list[int], now: datetime | None = None) -> bytes:
    """The iCalendar bytes: RRULE masters with overrides, clipped to the window, no people."""
    tables = db.session.scalars(sa.select(Table).where(Table.id.in_(ids)).order_by(Table.id))
    series = [mapping.series_data(s) for t in tables for s in t.series]
    return ics.feed_bytes(
        series,
        name=feed_name(feed),
        tz=current_app.config["TIMEZONE"],
        window=window(now),
        stamp=now or now_utc(),
    )
