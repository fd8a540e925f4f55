"""Raise ``Table.feed_revision`` whenever a flush changes what a feed shows of a table.

A feed shows a table's details, its series (rule, DTSTART, SEQUENCE, cancellation) and their
exceptions. Any flush that inserts, changes or deletes one of those raises the table's
``feed_revision`` with an SQL ``+ 1`` (atomic under concurrent writers) in the same
transaction, so the feed's data version changes exactly when the change commits. A
``before_flush`` hook catches every writer (services, CLI, seeds, imports) without each of them
having to remember it. Which tables a feed shows (seats, assignments, areas) is not counted
here: the version query reads those rows itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from coordinator.db import now_utc
from coordinator.tables.models import OccurrenceChange, Table, TableSeries

_installed = False


def _table_of(session: Session, obj: object) -> Table | None:
    if isinstance(obj, Table):
        return obj
    if isinstance(obj, TableSeries):
        if obj.table is not None:
            return obj.table
        return session.get(Table, obj.table_id) if obj.table_id is not None else None
    if isinstance(obj, OccurrenceChange):
        series = obj.series
        if series is None and obj.series_id is not None:
            series = session.get(TableSeries, obj.series_id)
        return _table_of(session, series) if series is not None else None
    return None


def touched_tables(session: Session) -> set[Table]:
    """Persistent tables whose feed content this flush changes (new tables start at 0)."""
    objects: Iterable[object] = [*session.new, *session.deleted]
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    found: set[Table] = set()
    with session.no_autoflush:
        for obj in [*objects, *dirty]:
            if not isinstance(obj, Table | TableSeries | OccurrenceChange):
                continue
            table = _table_of(session, obj)
            if table is not None and table.id is not None and table not in session.deleted:
                found.add(table)
    return found


def bump(session: Session, _context: object = None, _instances: object = None) -> None:
    """``before_flush`` hook: raise the revision of every table the flush touches."""
    for table in touched_tables(session):
        table.feed_revision = Table.feed_revision + 1  # type: ignore[assignment]
        table.feed_changed_at = now_utc()


def install() -> None:
    """Install the hook once per process (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", bump)
        _installed = True
