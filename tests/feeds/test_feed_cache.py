"""Versioned feed cache (issue 9): every kind of change shows in the next request after commit.

Each test warms the feed first (so a stale cached body would be served if the version missed
the change), commits a change through the real service, and checks the very next request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from icalendar import Calendar

from coordinator.calendaring import ics, mapping
from coordinator.db import now_utc
from coordinator.extensions import db
from coordinator.feeds import cache, content, revision, services
from coordinator.feeds.models import FeedCache, FeedScope
from coordinator.tables import schedule
from coordinator.tables import seats as seating
from coordinator.tables import services as table_services
from coordinator.tables.models import Table, TableSeries
from tests.factories import AreaFactory, AssignmentFactory, PersonFactory, UserFactory
from tests.invites.conftest import make_table
from tests.tables.conftest import SECOND_TUESDAY, next_year


def _second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


class Feed:
    """A live feed URL and the last answer it gave."""

    def __init__(self, client: FlaskClient, url: str) -> None:
        self.client = client
        self.path = urlsplit(url).path
        self.etag = ""

    def get(self) -> bytes:
        response = self.client.get(self.path)
        assert response.status_code == 200
        self.etag = response.headers["ETag"]
        return response.get_data()

    def calendar(self) -> Calendar:
        return Calendar.from_ical(self.get())

    def changed(self) -> bytes:
        """The next answer to a client that holds the previous ETag: must be a fresh 200."""
        old = self.etag
        response = self.client.get(self.path, headers={"If-None-Match": old})
        assert response.status_code == 200, "stale: the change did not change the version"
        self.etag = response.headers["ETag"]
        assert self.etag != old
        return response.get_data()


@pytest.fixture
def feed_for(client, network) -> Callable[[FeedScope, int], Feed]:  # noqa: ANN001
    def make(scope: FeedScope, target: int) -> Feed:
        if scope is FeedScope.PERSON:
            person = db.session.get(PersonFactory._meta.model, target)
            user = UserFactory(person=person, email=person.email)
        else:
            user = UserFactory()
        feed = Feed(client, services.create(user, scope, target).url)
        feed.get()  # warm: the body is now cached in the database and in memory
        return feed

    return make


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    cache.clear_memory()
    yield
    cache.clear_memory()


def _events(raw: bytes) -> list:  # noqa: ANN202 - icalendar components
    return list(Calendar.from_ical(raw).walk("VEVENT"))


ALL_SCOPES = ["person", "organisation", "table", "area"]


def _target(scope: str, network, table: Table) -> tuple[FeedScope, int]:  # noqa: ANN001
    return {
        "person": (FeedScope.PERSON, network.holders["ggd"].id),
        "organisation": (FeedScope.ORGANISATION, network.roles["ggd"].organisation_id),
        "table": (FeedScope.TABLE, table.id),
        "area": (FeedScope.AREA, network.area.id),
    }[scope]


# --- the table's own data: every scope ------------------------------------------------------


@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_table_details_show_at_once(feed_for, network, seated, scope):
    table, _ = seated
    feed = feed_for(*_target(scope, network, table))
    table_services.update_table(
        table,
        table_services.TableData(
            name="Matchtafel Zuidoost", area_id=network.area.id, location="Buurthuis De Kameel"
        ),
        network.coordinator,
    )
    raw = feed.changed()
    assert {str(e["LOCATION"]) for e in _events(raw)} == {"Buurthuis De Kameel"}


@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_moved_occurrence_shows_at_once(feed_for, network, seated, scope):
    table, _ = seated
    feed = feed_for(*_target(scope, network, table))
    day = _second_tuesday(next_year(), 5)
    original = schedule.find_occurrence(table, day).recurrence_id
    schedule.move_occurrence(
        table, day, new_start=original + timedelta(hours=3), actor=network.coordinator
    )
    moved = [e for e in _events(feed.changed()) if "RECURRENCE-ID" in e]
    assert [(e["RECURRENCE-ID"].dt.replace(tzinfo=None), e["DTSTART"].dt.hour) for e in moved] == [
        (original, 13)
    ]


def test_cancel_and_restore_occurrence_show_at_once(feed_for, network, seated):
    table, _ = seated
    feed = feed_for(FeedScope.TABLE, table.id)
    day = _second_tuesday(next_year(), 3)
    schedule.cancel_occurrence(table, day, actor=network.coordinator)
    cancelled = [e for e in _events(feed.changed()) if "RECURRENCE-ID" in e]
    assert [str(e["STATUS"]) for e in cancelled] == ["CANCELLED"]
    schedule.restore_occurrence(table, day, actor=network.coordinator)
    restored = [e for e in _events(feed.changed()) if "RECURRENCE-ID" in e]
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in restored)


def test_rule_change_shows_at_once(feed_for, network, seated):
    table, _ = seated
    feed = feed_for(FeedScope.ORGANISATION, network.roles["coa"].organisation_id)
    schedule.set_schedule(
        table,
        schedule.Schedule(SECOND_TUESDAY, date(next_year(), 1, 1), time(14, 0), 60),
        network.coordinator,
    )
    masters = [e for e in _events(feed.changed()) if "RRULE" in e]
    assert {e["DTSTART"].dt.hour for e in masters} == {14}


def test_ended_table_shows_as_cancelled_at_once(feed_for, network, seated):
    table, _ = seated
    feed = feed_for(FeedScope.AREA, network.area.id)
    before = feed.get()
    table_services.end_table(table, network.coordinator)
    after = feed.changed()
    assert after != before
    statuses = {str(e["STATUS"]) for e in _events(after) if "RECURRENCE-ID" not in e}
    assert statuses == {"CANCELLED"} or not _events(after)


# --- who sees what: seats, holders, areas, names --------------------------------------------


def test_new_seat_shows_in_organisation_feed_and_removed_seat_leaves_it(feed_for, network, seated):
    table, seats = seated
    org_id = network.roles["coa"].organisation_id
    feed = feed_for(FeedScope.ORGANISATION, org_id)
    other = make_table(network, name="Tweede tafel")
    new_seat = seating.add_seat(
        other,
        organisation_id=org_id,
        role_id=network.roles["coa"].id,
        actor=network.coordinator,
    )
    assert b"Tweede tafel" in feed.changed()
    seating.remove_seat(new_seat, network.coordinator)
    assert b"Tweede tafel" not in feed.changed()


def test_handover_moves_the_table_from_leaver_to_successor_feed(feed_for, network, seated):
    table, seats = seated
    leaver = network.holders["ggd"]
    successor = PersonFactory(organisation=leaver.organisation)
    leaver_feed = feed_for(FeedScope.PERSON, leaver.id)
    successor_feed = feed_for(FeedScope.PERSON, successor.id)
    assert _events(leaver_feed.get())
    assert not _events(successor_feed.get())
    seating.hand_over(seats["ggd"], network.coordinator, successor_person_id=successor.id)
    assert not _events(leaver_feed.changed())
    assert {str(e["UID"]) for e in _events(successor_feed.changed())} == {table.series[0].uid}


def test_new_assignment_to_a_seated_role_shows_in_person_feed(feed_for, network, seated):
    table, _ = seated
    newcomer = PersonFactory(organisation=network.holders["coa"].organisation)
    feed = feed_for(FeedScope.PERSON, newcomer.id)
    assert not _events(feed.get())
    AssignmentFactory(person=newcomer, role=network.roles["coa"], starts_on=date.today())  # noqa: DTZ011
    db.session.commit()
    assert _events(feed.changed())


def test_table_moved_to_another_area_leaves_the_area_feed(feed_for, network, seated):
    table, _ = seated
    feed = feed_for(FeedScope.AREA, network.area.id)
    elsewhere = AreaFactory()
    table.area_id = elsewhere.id
    db.session.commit()
    assert not _events(feed.changed())


def test_subarea_tables_join_the_area_feed(feed_for, network, seated):
    table, _ = seated
    wijk = AreaFactory(parent=network.area)
    feed = feed_for(FeedScope.AREA, network.area.id)
    table_services.create_table(
        table_services.TableData(name="Wijktafel", area_id=wijk.id),
        network.coordinator,
        schedule.Schedule(SECOND_TUESDAY, date(next_year(), 1, 1), time(9, 0), 60),
    )
    assert b"Wijktafel" in feed.changed()


def test_renamed_organisation_renames_the_feed(feed_for, network, seated):
    table, _ = seated
    organisation = network.roles["coa"].organisation
    feed = feed_for(FeedScope.ORGANISATION, organisation.id)
    organisation.name = "COA Amsterdam-Zuidoost"
    db.session.commit()
    assert str(Calendar.from_ical(feed.changed())["X-WR-CALNAME"]).endswith("Zuidoost")


# --- time passing ---------------------------------------------------------------------------


def test_window_start_passing_changes_the_version(network, seated):
    table, _ = seated
    token = services.create(UserFactory(), FeedScope.TABLE, table.id).token
    now = now_utc()
    today = content.version(token, now)
    assert content.version(token, now + timedelta(minutes=1)).etag == today.etag or (
        now.date() != (now + timedelta(minutes=1)).date()
    )
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(0, 1), tzinfo=now.tzinfo)
    assert content.version(token, tomorrow).etag != today.etag


# --- the cache itself -----------------------------------------------------------------------


def test_warm_request_sends_stored_bytes_without_building(
    client, feed_for, network, seated, monkeypatch
):
    table, _ = seated
    feed = feed_for(FeedScope.TABLE, table.id)
    first = feed.get()

    def explode(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a warm request must not build the calendar")

    monkeypatch.setattr(content, "body", explode)
    cache.clear_memory()  # another process: only the database row is shared
    assert feed.get() == first
    assert feed.get() == first  # and now from this process's memory


def test_304_reads_no_body(client, feed_for, network, seated, monkeypatch):
    table, _ = seated
    feed = feed_for(FeedScope.TABLE, table.id)

    def explode(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a 304 must not read or build the body")

    monkeypatch.setattr(cache, "get", explode)
    monkeypatch.setattr(content, "body", explode)
    response = client.get(feed.path, headers={"If-None-Match": feed.etag})
    assert response.status_code == 304
    assert response.headers["ETag"] == f'"{feed.etag.strip(chr(34))}"'


def test_one_row_per_feed_old_versions_are_replaced(feed_for, network, seated):
    table, _ = seated
    feed = feed_for(FeedScope.TABLE, table.id)
    day = _second_tuesday(next_year(), 4)
    schedule.cancel_occurrence(table, day, actor=network.coordinator)
    feed.changed()
    rows = db.session.scalars(
        sa.select(FeedCache).where(
            FeedCache.scope == FeedScope.TABLE, FeedCache.target_id == table.id
        )
    ).all()
    assert [r.version for r in rows] == [feed.etag.strip('"')]


def test_prune_drops_rows_nobody_rebuilt(feed_for, network, seated):
    table, _ = seated
    feed_for(FeedScope.TABLE, table.id)
    assert cache.prune() == 0
    assert cache.prune(now_utc() + cache.KEEP + timedelta(minutes=1)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedCache)) == 0


def test_version_is_one_query(app, network, seated):
    table, _ = seated
    holder = network.holders["ggd"]
    user = UserFactory(person=holder, email=holder.email)
    token = services.create(user, FeedScope.PERSON, holder.id).token
    assert token.created_at  # loaded, as after services.resolve() in a request
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002, ANN202
        seen.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        current = content.version(token)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(seen) == 1
    assert current.ids == (table.id,)


def test_body_is_two_queries_whatever_the_number_of_tables(app, network, seated):
    for n in range(3):
        make_table(network, name=f"Extra {n}")
    token = services.create(UserFactory(), FeedScope.AREA, network.area.id).token
    current = content.version(token)
    assert len(current.ids) == 4
    db.session.expire_all()
    seen: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN002, ANN202
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        content.body(token, current.ids, name=current.name)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(seen) == 2


def test_body_from_rows_equals_the_feed_of_the_orm_series(app, network, seated):
    # body() maps plain rows; invites map ORM objects: both must give the very same calendar
    table, _ = seated
    table.online_url = "https://meet.example.org/tafel"
    table.series[0].sequence = 3
    db.session.commit()
    year = next_year()
    schedule.cancel_occurrence(table, _second_tuesday(year, 2), actor=network.coordinator)
    moved = schedule.find_occurrence(table, _second_tuesday(year, 4)).recurrence_id
    schedule.move_occurrence(
        table,
        moved.date(),
        new_start=moved + timedelta(days=1, hours=3),
        location="Buurtkamer De Plint",
        duration_minutes=45,
        actor=network.coordinator,
    )  # the exceptions are the latest change: their time is the DTSTAMP
    make_table(network, name="Tweede tafel")
    token = services.create(UserFactory(), FeedScope.AREA, network.area.id).token
    current = content.version(token)
    assert len(current.ids) == 2
    now = now_utc()
    series = db.session.scalars(
        sa.select(TableSeries).where(TableSeries.table_id.in_(current.ids)).order_by(TableSeries.id)
    ).all()
    expected = ics.feed_bytes(
        [mapping.series_data(s) for s in series],
        name=current.name,
        tz=app.config["TIMEZONE"],
        window=content.window(now),
        stamp=now,
    )
    assert b"Buurtkamer De Plint" in expected
    assert b"STATUS:CANCELLED" in expected
    assert b"Online: https://meet.example.org/tafel" in expected.replace(b"\r\n ", b"")
    assert content.body(token, current.ids, now, name=current.name) == expected


def test_revision_rises_for_feed_content_only(network, seated):
    table, seats = seated
    before = table.feed_revision
    seating.set_deputy(seats["ggd"], None, network.coordinator)
    db.session.refresh(table)
    assert table.feed_revision == before
    schedule.cancel_occurrence(table, _second_tuesday(next_year(), 7), actor=network.coordinator)
    db.session.refresh(table)
    assert table.feed_revision == before + 1
    assert revision.touched_tables(db.session) == set()


def test_ended_assignment_takes_the_table_out_of_the_person_feed(feed_for, network, seated):
    holder = network.holders["buurtteam"]
    feed = feed_for(FeedScope.PERSON, holder.id)
    assert _events(feed.get())
    for assignment in holder.assignments:
        assignment.ends_on = date.today() - timedelta(days=1)  # noqa: DTZ011
    db.session.commit()
    assert not _events(feed.changed())


def test_prune_job_is_registered(app):
    from coordinator.scheduling.registry import load_jobs

    assert "prune-feed-cache" in load_jobs().names()
