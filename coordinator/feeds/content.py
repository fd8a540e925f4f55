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
from sqlalchemy.orm import joinedload, selectinload

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
    """ETag and Last-Modified from one aggregate query, without building the calendar."""
    in_tables = TableSeries.table_id.in_(ids)
    change_rows = (
        sa.select(OccurrenceChange.sequence, OccurrenceChange.updated_at)
        .join(TableSeries, TableSeries.id == OccurrenceChange.series_id)
        .where(in_tables)
        .subquery()
    )
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.max(Table.updated_at)).where(Table.id.in_(ids)).scalar_subquery(),
            sa.select(sa.func.count()).where(in_tables).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(TableSeries.sequence), 0))
            .where(in_tables)
            .scalar_subquery(),
            sa.select(sa.func.max(TableSeries.id)).where(in_tables).scalar_subquery(),
            sa.select(sa.func.max(TableSeries.created_at)).where(in_tables).scalar_subquery(),
            sa.select(sa.func.count(TableSeries.cancelled_at)).where(in_tables).scalar_subquery(),
            sa.select(sa.func.count()).select_from(change_rows).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(change_rows.c.sequence), 0)).scalar_subquery(),
            sa.select(sa.func.max(change_rows.c.updated_at)).scalar_subquery(),
        )
    ).one()
    start, end = window(now)
    state = (FORMAT_VERSION, feed.id, feed_name(feed), tuple(ids), start, end, tuple(row))
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    stamps = [feed.created_at, row[0], row[4], row[8]]
    latest = max(_aware(_instant(s)) for s in stamps if s is not None)
    return Validators(etag=digest, last_modified=latest.replace(microsecond=0))


def _instant(value: object) -> datetime:
    """A timestamp from an aggregate: SQLite hands back text, PostgreSQL a datetime."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def body(feed: FeedToken, ids: list[int], now: datetime | None = None) -> bytes:
    """The iCalendar bytes: RRULE masters with overrides, clipped to the window, no people."""
    rows = db.session.scalars(
        sa.select(TableSeries)
        .where(TableSeries.table_id.in_(ids))
        .options(selectinload(TableSeries.changes), joinedload(TableSeries.table))
        .order_by(TableSeries.table_id, TableSeries.id)
    )
    return ics.feed_bytes(
        [mapping.series_data(s) for s in rows],
        name=feed_name(feed),
        tz=current_app.config["TIMEZONE"],
        window=window(now),
        stamp=now or now_utc(),
    )
