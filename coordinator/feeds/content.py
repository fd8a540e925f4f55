"""What a feed shows, its validators (ETag, Last-Modified) and its bytes.

The data version (ETag) comes from one indexed query over the feed's tables and their
``feed_revision``, so a poll that ends in 304, or one served from the body cache
(:mod:`coordinator.feeds.cache`), never builds the calendar.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from coordinator.calendaring import ics, mapping
from coordinator.db import now_utc
from coordinator.directory.models import Area, Assignment, Organisation, Person
from coordinator.extensions import db
from coordinator.feeds.models import FeedScope, FeedToken
from coordinator.tables.models import OccurrenceChange, Seat, Table, TableSeries

#: Bump when the feed's shape changes, so every client fetches it again.
FORMAT_VERSION = 1


def tables_filter(
    scope: FeedScope, target: int | sa.BindParameter[int], day: date | sa.BindParameter[date]
) -> sa.ColumnElement[bool]:
    """Which tables a feed shows, as a condition on ``Table.id`` (no query of its own)."""
    if scope is FeedScope.TABLE:
        return Table.id == target
    if scope is FeedScope.ORGANISATION:
        return Table.id.in_(
            sa.select(Seat.table_id).where(
                Seat.organisation_id == target, Seat.removed_at.is_(None)
            )
        )
    if scope is FeedScope.AREA:
        subtree = sa.select(Area.id).where(Area.id == target).cte("subtree", recursive=True)
        subtree = subtree.union(sa.select(Area.id).where(Area.parent_id == subtree.c.id))
        return Table.area_id.in_(sa.select(subtree.c.id))
    return Table.id.in_(
        sa.select(Seat.table_id)
        .join(Assignment, Assignment.role_id == Seat.role_id)
        .where(
            Assignment.person_id == target,
            Seat.removed_at.is_(None),
            Assignment.starts_on <= day,
            sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= day),
        )
    )


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


@dataclass(frozen=True)
class Version:
    """A feed's data version: the ETag, Last-Modified, the tables it shows and its name."""

    etag: str
    last_modified: datetime
    ids: tuple[int, ...]
    name: str


@lru_cache(maxsize=8)
def _version_statement(scope: FeedScope) -> sa.Select[Any]:
    """The version query of a scope, built once per process (``target`` and ``day`` bound)."""
    target = sa.bindparam("target", type_=sa.Integer)
    columns: list[Any] = [
        Table.id,
        Table.feed_revision,
        sa.func.coalesce(Table.feed_changed_at, Table.updated_at),
        Table.name,
        Table.created_at,
    ]
    named = {FeedScope.PERSON: Person, FeedScope.ORGANISATION: Organisation, FeedScope.AREA: Area}
    if scope in named:  # what the feed's name shows (a table feed's is in the rows)
        entity = named[scope]
        columns.append(sa.select(entity.name).where(entity.id == target).scalar_subquery())
    day = sa.bindparam("day", type_=sa.Date)
    return sa.select(*columns).where(tables_filter(scope, target, day)).order_by(Table.id)


def _settings() -> tuple[object, ...]:
    """App settings the body depends on (window length, zone, URLs, language)."""
    config = current_app.config
    return (
        FORMAT_VERSION,
        config["FEED_PAST_DAYS"],
        config["FEED_FUTURE_DAYS"],
        config["TIMEZONE"],
        config["BASE_URL"],
        str(get_locale()),
    )


def version(feed: FeedToken, now: datetime | None = None) -> Version:
    """The feed's data version from one indexed query, without building the calendar.

    Each row is a table the feed shows with its ``feed_revision`` (raised on every change to
    the table, its series or their exceptions, see :mod:`coordinator.feeds.revision`); which
    rows come back follows seats, assignments and areas; the window's start day makes the
    version change when the window moves, and the settings cover language and URLs.
    """
    now = now or now_utc()
    start, end = window(now)
    params = {"target": feed.target_id, "day": now.astimezone(UTC).date()}
    if feed.scope is not FeedScope.PERSON:
        params.pop("day")
    rows = db.session.execute(_version_statement(feed.scope), params).all()
    if feed.scope is FeedScope.TABLE:
        name = f"Matchtafel – {rows[0][3]}" if rows else feed_name(feed)
    elif rows:
        raw = rows[0][5]
        name = _name(feed.scope, raw)
    else:
        name = feed_name(feed)
    ids = tuple(r[0] for r in rows)
    state = (
        _settings(),
        feed.scope.value,
        feed.target_id,
        name,
        start,
        end,
        tuple((r[0], r[1], str(r[4])) for r in rows),  # created_at: ids can be reused
    )
    digest = hashlib.sha256(repr(state).encode()).hexdigest()[:32]
    stamps = [_aware(_instant(r[2])) for r in rows if r[2] is not None]
    latest = max([_aware(feed.created_at), *stamps])
    return Version(etag=digest, last_modified=latest.replace(microsecond=0), ids=ids, name=name)


def _name(scope: FeedScope, raw: str | None) -> str:
    if scope is FeedScope.PERSON:
        label = _("tafels van %(name)s") % {"name": raw or "(gegevens verwijderd)"}
    else:
        label = str(raw or "")
    return f"Matchtafel – {label}"


def _instant(value: object) -> datetime:
    """A timestamp from an aggregate: SQLite hands back text, PostgreSQL a datetime."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def body(
    feed: FeedToken, ids: Sequence[int], now: datetime | None = None, *, name: str | None = None
) -> bytes:
    """The iCalendar bytes: RRULE masters with overrides, clipped to the window, no people.

    Two queries whatever the size (the series with their tables, and all their exceptions), as
    plain rows: the feed needs no ORM objects.
    """
    changes: dict[int, list[sa.Row[Any]]] = defaultdict(list)
    for change in db.session.execute(
        sa.select(*mapping.FEED_CHANGE_COLUMNS)
        .join(TableSeries, TableSeries.id == OccurrenceChange.series_id)
        .where(TableSeries.table_id.in_(ids))
        .order_by(OccurrenceChange.series_id, OccurrenceChange.recurrence_id)
    ):
        changes[change.series_id].append(change)
    rows = db.session.execute(
        sa.select(*mapping.FEED_COLUMNS)
        .join(Table, Table.id == TableSeries.table_id)
        .where(TableSeries.table_id.in_(ids))
        .order_by(TableSeries.table_id, TableSeries.id)
    )
    sender, labels = mapping.organizer(), mapping.Labels.current()
    return ics.feed_bytes(
        [mapping.feed_series(row, changes[row.id], sender, labels) for row in rows],
        name=name if name is not None else feed_name(feed),
        tz=current_app.config["TIMEZONE"],
        window=window(now),
        stamp=now or now_utc(),
    )
