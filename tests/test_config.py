"""Configuration layering and the refusal to run with a weak secret."""

from __future__ import annotations

import gc

import pytest

from coordinator import create_app
from coordinator.config import ConfigurationError


def test_missing_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("COORDINATOR_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY ontbreekt"):
        create_app(instance_path=str(tmp_path))


def test_weak_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("COORDINATOR_SECRET_KEY", "changeme")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(ConfigurationError, match="te zwak"):
        create_app(instance_path=str(tmp_path))


def test_layers_defaults_instance_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "k" * 40\nBASE_URL = "https://from-file.example.org"\nMAIL_FROM = "file@example.org"\n'
    )
    monkeypatch.setenv("COORDINATOR_MAIL_FROM", "env@example.org")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["BASE_URL"] == "https://from-file.example.org"
    assert app.config["MAIL_FROM"] == "env@example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'coordinator.sqlite'}"
    assert app.config["MAIL_DIR"] == str(tmp_path / "mail")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize(
    ("settings", "frozen"),
    [
        ({}, True),  # a production worker or the scheduler
        ({"TESTING": True}, False),  # tests build many apps: nothing is frozen for good
        ({"TESTING": True, "GC_FREEZE": True}, True),  # the benchmarks, as production
        ({"GC_FREEZE": False}, False),
    ],
)
def test_start_up_objects_are_frozen_outside_tests(tmp_path, settings, frozen):
    gc.unfreeze()
    try:
        create_app(
            {"SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings},
            instance_path=str(tmp_path),
        )
        assert (gc.get_freeze_count() > 0) is frozen
    finally:
        gc.unfreeze()
