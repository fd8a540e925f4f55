"""Pure rules of the question board: who can be reached, retention cut-offs, recipient labels."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from coordinator.questions.retention import cutoff
from coordinator.questions.routing import reachable, route_label

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def person(*, left: bool = False, erased: bool = False, email: str | None = "werk@org.example"):
    return SimpleNamespace(
        has_left=left, erased_at=datetime(2026, 1, 1, tzinfo=UTC) if erased else None, email=email
    )


def account(active: bool = True):
    return SimpleNamespace(is_active=active)


@pytest.mark.parametrize(
    ("holder", "login", "expected_ok", "via_account"),
    [
        (person(), account(), True, True),
        (person(), account(active=False), False, False),  # disabled: not even the work address
        (person(), None, True, False),  # no account: mail to the work address
        (person(email=None), None, False, False),  # nowhere to write to
        (person(left=True), None, False, False),
        (person(erased=True), None, False, False),
        (person(left=True), account(), False, False),
    ],
)
def test_reachable(holder, login, expected_ok, via_account):
    ok, user = reachable(holder, login)
    assert ok is expected_ok
    assert (user is login and login is not None) is via_account


def test_cutoff_is_local_midnight_days_before_today():
    assert cutoff(date(2026, 11, 23), 90, AMSTERDAM) == datetime(2026, 8, 25, tzinfo=AMSTERDAM)
    # Across the switch to winter time the cut-off stays at local midnight.
    assert cutoff(date(2026, 11, 1), 7, AMSTERDAM).utcoffset().total_seconds() == 7200
    assert cutoff(date(2026, 11, 1), 0, AMSTERDAM).utcoffset().total_seconds() == 3600


def test_route_label_names_table_organisation_and_role_only():
    org = SimpleNamespace(name="GGD")
    role = SimpleNamespace(name="Jeugdverpleegkundige")
    table = SimpleNamespace(name="Matchtafel Osdorp")
    assert route_label(org, None, None) == "GGD"
    assert route_label(org, role, None) == "GGD – Jeugdverpleegkundige"
    assert route_label(org, role, table) == "Matchtafel Osdorp: GGD – Jeugdverpleegkundige"
