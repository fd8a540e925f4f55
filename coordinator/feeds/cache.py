"""The shared cache of serialised feed bodies, keyed by (scope, target, version).

Bodies live in the ``feed_cache`` table, so every app process (gunicorn workers, hosts)
shares them; each process also keeps the few most recent bodies in memory. Both are keyed by
the data version, so a changed feed can never be answered from either: a new version misses,
is built once and replaces the old row (old versions are cleaned up on write). The
``prune-feed-cache`` job drops rows nobody has rebuilt for a while (targets that are gone).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from threading import Lock

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.feeds.models import FeedCache, FeedScope

#: Bodies kept in each process's memory (a person feed is ~60–240 KB).
MEMORY_ENTRIES = 128
#: Rows not rebuilt for this long are pruned (every live feed is rebuilt daily: the window moves).
KEEP = timedelta(days=3)

Key = tuple[FeedScope, int]
_memory: OrderedDict[Key, tuple[str, bytes]] = OrderedDict()
_lock = Lock()


def _remember(key: Key, version: str, body: bytes) -> None:
    with _lock:
        _memory[key] = (version, body)
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)


def get(scope: FeedScope, target_id: int, version: str) -> bytes | None:
    """The stored body of this feed at exactly ``version``, or ``None``."""
    key = (scope, target_id)
    with _lock:
        held = _memory.get(key)
    if held is not None and held[0] == version:
        return held[1]
    body = db.session.scalar(
        sa.select(FeedCache.body).where(
            FeedCache.scope == scope,
            FeedCache.target_id == target_id,
            FeedCache.version == version,
        )
    )
    if body is not None:
        body = bytes(body)
        _remember(key, version, body)
    return body


def put(scope: FeedScope, target_id: int, version: str, body: bytes) -> None:
    """Store ``body`` as this feed's current version (replacing any older one) and commit."""
    values = {
        "scope": scope,
        "target_id": target_id,
        "version": version,
        "body": body,
        "built_at": now_utc(),
    }
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(FeedCache)
        statement = insert.values(**values).on_conflict_do_update(
            index_elements=["scope", "target_id"],
            set_={k: insert.excluded[k] for k in ("version", "body", "built_at")},
        )
        db.session.execute(statement)
    else:  # pragma: no cover - other databases: not atomic, but still correct per version
        db.session.execute(
            sa.delete(FeedCache).where(FeedCache.scope == scope, FeedCache.target_id == target_id)
        )
        db.session.execute(sa.insert(FeedCache).values(**values))
    db.session.commit()
    _remember((scope, target_id), version, body)


def prune(now: datetime | None = None) -> int:
    """Drop rows not rebuilt within :data:`KEEP` (their feeds are gone or unused); commits."""
    cutoff = (now or now_utc()) - KEEP
    result = db.session.execute(sa.delete(FeedCache).where(FeedCache.built_at < cutoff))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def clear_memory() -> None:
    """Forget this process's in-memory bodies (tests, benchmarks)."""
    with _lock:
        _memory.clear()
