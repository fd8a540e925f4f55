"""Shared fixtures: one app per session on SQLite (default) or PostgreSQL, schema via migrations.

Set ``COORDINATOR_TEST_DATABASE_URL=postgresql+psycopg://…`` to run the whole suite on
PostgreSQL. That database is wiped at the start of the run: point it at a test database only.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade

from coordinator import create_app
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage
from tests.mailserver import MailServer

TEST_DB_ENV = "COORDINATOR_TEST_DATABASE_URL"


def test_database_url(tmp_dir: Path) -> str:
    return os.environ.get(TEST_DB_ENV) or f"sqlite:///{tmp_dir / 'test.sqlite'}"


def is_postgres() -> bool:
    return (os.environ.get(TEST_DB_ENV) or "").startswith("postgresql")


def _wipe_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application, with the schema built by running every migration."""
    base = tmp_path_factory.mktemp("instance")
    url = test_database_url(base)
    if url.startswith("postgresql"):
        _wipe_postgres(url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_DIR": str(base / "mail"),
            "BASE_URL": "https://matchtafel.example.org",
            "MAIL_FROM": "matchtafel@example.org",
        },
        instance_path=str(base),
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _clear_tables() -> None:
    db.session.rollback()
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Every test runs in an app context against empty tables."""
    with app.app_context():
        yield
        _clear_tables()
        db.session.remove()


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, ``g`` and database session, as in production.

    Without this, requests would reuse the test's app context: ``g`` (and Flask-Login's cached
    user) would leak between requests and the test would share the request's session.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        def run():  # noqa: ANN202
            _cv_app.set(None)
            return super(IsolatedClient, self).open(*args, **kwargs)

        response = contextvars.copy_context().run(run)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailServer]:
    """A real SMTP server (aiosmtpd, plain SMTP on a free port); the app delivers to it."""
    server = MailServer().start()
    monkeypatch.setitem(app.config, "SMTP_HOST", server.host)
    monkeypatch.setitem(app.config, "SMTP_PORT", server.port)
    monkeypatch.setitem(app.config, "SMTP_TLS", "none")
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 10)
    yield server
    server.stop()


def queued_mail(kind: str | None = None) -> list[EmailMessage]:
    """Messages in the outbox, parsed, oldest first (optionally of one kind)."""
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return [
        message_from_bytes(row.raw, policy=policy.SMTP)  # type: ignore[misc]
        for row in db.session.scalars(query)
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` run only when the suite runs on PostgreSQL."""
    if is_postgres():
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL: set {TEST_DB_ENV}")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_vobject_timezones() -> Iterator[None]:
    """vobject, the second parser, keeps one VTIMEZONE per TZID for the whole process: the
    first calendar parsed would decide every later one's offsets. Each test starts empty."""
    import vobject.icalendar

    registry = vars(vobject.icalendar)["__tzidMap"]
    registry.clear()
    yield
    registry.clear()
