"""``/healthz`` tells a load balancer whether the database is reachable and migrated."""

from __future__ import annotations

from coordinator import health


def test_healthz_needs_no_login_and_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "pending_migrations": []}


def test_healthz_is_unavailable_with_pending_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "pending_migrations", lambda: ["0099"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["pending_migrations"] == ["0099"]


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    def broken() -> list[str]:
        raise ConnectionError("database gone")

    monkeypatch.setattr(health, "pending_migrations", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_check_db_command(runner):
    result = runner.invoke(args=["check-db"])
    assert result.exit_code == 0
    assert "database ok" in result.output
