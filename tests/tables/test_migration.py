"""Migration 0003 and the tables models agree (on whichever backend the suite runs)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coordinator.extensions import db


def test_tables_models_match_the_migrated_schema() -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    ours = {
        "tables", "table_series", "seats", "occurrence_changes", "meetings", "action_items",
        "attendances", "meeting_guests", "seat_handovers",
    }  # fmt: skip
    relevant = [d for d in diff if ours & set(str(d).replace("'", " ").replace(",", " ").split())]
    assert relevant == []
