"""On SQLite only one scheduler process may run: a lock file next to the database enforces it.

PostgreSQL needs no such lock: delivery claims rows with ``FOR UPDATE SKIP LOCKED`` and every
job is safe to run concurrently. On SQLite two schedulers would fight over the single write
lock ("database is locked"). ``flock`` is released by the kernel when the process dies, even on
SIGKILL, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class AlreadyRunning(RuntimeError):
    """Another scheduler process holds the lock for this SQLite database."""


def lock_path(database_uri: str | URL) -> Path | None:
    """The lock file for a file-based SQLite database; None for other databases.

    Pass the engine's URL (``db.engine.url``), not the configured string: Flask-SQLAlchemy opens
    a relative SQLite path inside the instance folder, whatever the working directory.
    """
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(f"{url.database}.scheduler.lock")


@contextmanager
def single_scheduler(database_uri: str | URL) -> Iterator[None]:
    """Hold the SQLite scheduler lock for the duration; raise :class:`AlreadyRunning` if taken."""
    path = lock_path(database_uri)
    if path is None:
        yield
        return
    with path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadyRunning(str(path)) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
