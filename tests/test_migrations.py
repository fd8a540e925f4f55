"""The migrations build exactly the models' schema, and can be undone and redone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from coordinator import create_app
from coordinator.extensions import db
from tests.conftest import TEST_DB_ENV


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own empty database (a sibling database on PostgreSQL)."""
    url = os.environ.get(TEST_DB_ENV)
    admin = None
    if url and url.startswith("postgresql"):
        url_obj = make_url(url)
        name = f"{url_obj.database}_migrations"
        admin = sa.create_engine(url_obj.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = url_obj.set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite'}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": url},
        instance_path=str(tmp_path),
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def _differences() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(fresh_app):
    upgrade()
    assert _differences() == []


def test_upgrade_downgrade_upgrade(fresh_app):
    upgrade()
    expected = set(db.metadata.tables)
    assert _tables() == expected
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == expected
    assert _differences() == []
