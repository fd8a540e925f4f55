"""Imports every model module so metadata is complete (Alembic, tests), and engine tweaks."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

from coordinator.auth import models as auth_models  # noqa: F401
from coordinator.calendaring import models as calendaring_models  # noqa: F401
from coordinator.directory import models as directory_models  # noqa: F401
from coordinator.feeds import models as feed_models  # noqa: F401
from coordinator.mail import models as mail_models  # noqa: F401
from coordinator.questions import models as question_models  # noqa: F401
from coordinator.scheduling import models as scheduling_models  # noqa: F401
from coordinator.tables import models as table_models  # noqa: F401

_registered = False


def _configure_sqlite(dbapi_connection: object, _record: object) -> None:
    """Foreign keys on, WAL for concurrent readers, and wait instead of failing when busy."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def register_engine_events() -> None:
    """Install the SQLite connection hook once per process."""
    global _registered
    if not _registered:
        event.listen(Engine, "connect", _configure_sqlite)
        _registered = True
