"""The demo district: complete, idempotent, fictional, and never loaded over real data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from coordinator.auth.models import User
from coordinator.directory.models import Area, Organisation, Person, Responsibility, Role
from coordinator.directory.people import erase_departed_people
from coordinator.errors import Conflict
from coordinator.extensions import db
from coordinator.privacy.guard import scan
from coordinator.seed import data
from coordinator.seed.demo import seed_demo
from coordinator.tables.dashboard import continuity
from coordinator.tables.meetings import open_actions, since_last_time
from coordinator.tables.models import Meeting, Seat, Table
from tests.factories import OrganisationFactory
from tests.helpers import csrf_token, login

FAKE_PHONE = re.compile(r"^06 1234 56\d\d$")


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def seeded() -> None:
    seed_demo(today=date(2026, 11, 23))


@pytest.mark.usefixtures("seeded")
def test_demo_covers_both_districts_and_the_required_organisations():
    organisations = db.session.scalars(sa.select(Organisation)).all()
    assert len(organisations) >= 25
    served = {area.slug for org in organisations for area in org.areas}
    assert {"zuidoost", "nieuw-west"} <= served
    kinds = {org.kind.value for org in organisations}
    assert kinds == {"formeel", "informeel"}
    assert _count(Table) == 3
    for table in db.session.scalars(sa.select(Table)):
        assert len(table.active_seats) >= 5
        assert table.series
        assert table.series[0].rrule


@pytest.mark.usefixtures("seeded")
def test_every_seat_is_a_role_of_its_own_organisation():
    for seat in db.session.scalars(sa.select(Seat)):
        assert seat.role.organisation_id == seat.organisation_id


@pytest.mark.usefixtures("seeded")
def test_buurtteam_boundary_without_bsn_is_recorded():
    boundary = db.session.scalar(
        sa.select(Responsibility)
        .join(Organisation)
        .where(Organisation.slug == "buurtteam-zuidoost", Responsibility.handles.is_(False))
    )
    assert boundary is not None
    assert "BSN" in boundary.reason
    assert {g.slug for g in boundary.target_groups} == {"ongedocumenteerden"}


@pytest.mark.usefixtures("seeded")
def test_seeding_twice_changes_nothing():
    before = {m.__name__: _count(m) for m in (Area, Organisation, Role, Person, Table, User)}
    report = seed_demo(today=date(2026, 11, 23))
    assert report.total == 0
    assert "niets veranderd" in str(report)
    after = {m.__name__: _count(m) for m in (Area, Organisation, Role, Person, Table, User)}
    assert after == before


@pytest.mark.usefixtures("seeded")
def test_seeding_again_after_the_daily_erasure_does_not_bring_the_departed_back():
    """``make run`` seeds on every start; the scheduler then erases who left long ago.

    The erased demo person has no name or e-mail any more, but is still the same person: a new
    seed must not add them again (which the next erasure run would erase again, and so on).
    """
    assert erase_departed_people(date(2026, 11, 23), retention=30) == 1
    people = _count(Person)

    report = seed_demo(today=date(2026, 11, 24))

    assert report.total == 0, str(report)
    assert _count(Person) == people
    assert erase_departed_people(date(2026, 11, 24), retention=30) == 0


def test_refuses_a_database_with_real_data():
    OrganisationFactory(is_demo=False)
    with pytest.raises(Conflict, match="echte gegevens"):
        seed_demo()
    assert _count(Organisation) == 1
    assert _count(Area) == 0  # not even the reference data was added


def test_cli_reports_refusal_with_exit_code(runner):
    OrganisationFactory(is_demo=False)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "echte gegevens" in result.output


@pytest.mark.usefixtures("seeded")
def test_each_demo_account_logs_in_with_the_documented_password(client):
    for account in data.ACCOUNTS:
        response = login(client, account.email, data.DEMO_PASSWORD)
        assert response.status_code == 302, account.email
        assert response.headers["Location"].endswith("/")
        client.post("/account/logout", data={"csrf_token": csrf_token(client.get("/").text)})


def test_demo_data_is_fictional_and_free_of_resident_data():
    """Addresses under example.org, clearly fake numbers, and text the privacy guard accepts."""
    for organisation in data.ORGANISATIONS:
        assert organisation.domain.endswith("example.org")
        assert organisation.phone is None or FAKE_PHONE.match(organisation.phone)
        domains = [org.domain for org in data.ORGANISATIONS]
        texts = [organisation.description]
        for person in organisation.people:
            assert person.email.endswith("example.org")
            assert person.phone is None or FAKE_PHONE.match(person.phone)
        for task in organisation.tasks:
            texts += [task.summary, task.reason, task.tips]
        for text in texts:
            refused = [f for f in scan(text, allowed_email_domains=domains) if f.refused]
            assert not refused, (text, refused)


def test_demo_meeting_history_is_free_of_resident_data():
    domains = [org.domain for org in data.ORGANISATIONS]
    histories = [table.history for table in data.TABLES if table.history]
    texts = [h.minutes for h in histories] + [a.description for h in histories for a in h.actions]
    assert texts
    for text in texts:
        refused = [f for f in scan(text, allowed_email_domains=domains) if f.refused]
        assert not refused, (text, refused)


def test_demo_tables_have_a_recent_past_the_coordinator_can_see():
    """Past meetings with attendance and minutes, open afspraken on seats, a dashboard signal."""
    seed_demo(today=date(2026, 12, 6))
    zuidoost = db.session.scalar(sa.select(Table).where(Table.name == "Matchtafel Zuidoost"))
    meetings = db.session.scalars(
        sa.select(Meeting).where(Meeting.table_id == zuidoost.id).order_by(Meeting.recurrence_id)
    ).all()
    # Monthly on the second Tuesday: September, October and November 2026 lie in the past.
    # Recurrence ids are local wall-clock starts (naive).
    assert [m.recurrence_id.isoformat() for m in meetings] == [
        "2026-09-08T10:00:00",
        "2026-10-13T10:00:00",
        "2026-11-10T10:00:00",
    ]
    assert meetings[-1].minutes
    assert not meetings[0].minutes
    assert all(len(m.attendances) == len(zuidoost.active_seats) for m in meetings)

    coa_seat = next(s for s in zuidoost.active_seats if s.organisation.slug == "coa-zuidoost")
    coa_actions = [a for a in open_actions(zuidoost) if a.seat_id == coa_seat.id]
    assert len(coa_actions) == 2
    assert {a.meeting_id for a in coa_actions} == {meetings[-1].id}

    area = db.session.scalar(sa.select(Area).where(Area.slug == "zuidoost"))
    report = continuity(area, now=datetime(2026, 12, 6, 9, tzinfo=UTC))
    assert [(seat.organisation.slug, streak) for seat, streak in report.absent_seats] == [
        ("woonstichting-gaasperpoort", 3)
    ]
    assert not report.vacant_seats
    assert report.attendance_recorded

    # Seats date from before the first meeting; only the afspraken of last time are news.
    news = since_last_time(zuidoost, now=datetime(2026, 12, 6, 9, tzinfo=UTC))
    assert news.new_seats == []
    assert len(news.new_actions) == 4

    again = seed_demo(today=date(2026, 12, 6))
    assert again.total == 0
    assert _count(Meeting) == len(meetings) + 2 + 3  # Nieuw-West 2, Partnerspreekuur 3
