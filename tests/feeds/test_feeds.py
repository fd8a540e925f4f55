"""Secret iCalendar feeds: content rules, validators and 304, revocation, rotation, leavers, API."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from coordinator.auth.services import create_api_token
from coordinator.extensions import db
from coordinator.feeds import content, services
from coordinator.feeds.models import FeedScope, FeedToken
from coordinator.tables import schedule
from coordinator.tables import services as table_services
from tests.factories import PASSWORD, AreaFactory, UserFactory
from tests.helpers import csrf_token, login
from tests.invites.conftest import make_table
from tests.tables.conftest import next_year


def _path(url: str) -> str:
    return urlsplit(url).path


def _user_for(person):  # noqa: ANN001, ANN202
    return UserFactory(person=person, email=person.email)


def _second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


@pytest.fixture
def person_feed(network, seated):  # noqa: ANN001, ANN201
    holder = network.holders["ggd"]
    return services.create(_user_for(holder), FeedScope.PERSON, holder.id)


def test_person_feed_shows_their_tables_without_people(client, network, seated, person_feed):
    table, _ = seated
    response = client.get(_path(person_feed.url), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"
    raw = response.get_data()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    cal = Calendar.from_ical(raw)
    assert "METHOD" not in cal
    assert str(cal["X-WR-CALNAME"]).startswith("Matchtafel")
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Amsterdam"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in raw
    assert b"X-PUBLISHED-TTL:PT1H" in raw
    events = list(cal.walk("VEVENT"))
    assert {str(e["UID"]) for e in events} == {table.series[0].uid}
    assert all("ATTENDEE" not in e and "ORGANIZER" not in e for e in events)
    for person in network.holders.values():
        assert person.email.encode() not in raw


def test_cancelled_occurrence_stays_in_the_feed_as_cancelled(client, network, seated, person_feed):
    table, _ = seated
    day = _second_tuesday(next_year(), 3)
    schedule.cancel_occurrence(table, day, actor=network.coordinator)
    cal = Calendar.from_ical(client.get(_path(person_feed.url)).get_data())
    overrides = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert [(e["RECURRENCE-ID"].dt.date(), str(e["STATUS"])) for e in overrides] == [
        (day, "CANCELLED")
    ]


def test_etag_gives_304_without_building_and_changes_with_the_data(
    client, network, seated, person_feed, monkeypatch
):
    table, _ = seated
    first = client.get(_path(person_feed.url))
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]

    def explode(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the 304 path must not build the calendar")

    monkeypatch.setattr(content, "body", explode)
    again = client.get(_path(person_feed.url), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    monkeypatch.undo()

    day = _second_tuesday(next_year(), 6)
    schedule.move_occurrence(
        table,
        day,
        new_start=schedule.find_occurrence(table, day).recurrence_id + timedelta(hours=2),
        actor=network.coordinator,
    )
    changed = client.get(_path(person_feed.url), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_same_data_gives_the_same_bytes(client, person_feed):
    assert (
        client.get(_path(person_feed.url)).get_data()
        == client.get(_path(person_feed.url)).get_data()
    )


def test_revoked_rotated_and_unknown_tokens_all_get_a_bare_404(client, network, person_feed):
    user = person_feed.token.created_by
    unknown = client.get("/feeds/mtf_" + "A" * 43 + ".ics")
    assert unknown.status_code == 404
    rotated = services.rotate(user, person_feed.token.id)
    old = client.get(_path(person_feed.url))
    assert old.status_code == 404
    assert old.get_data() == unknown.get_data()
    assert client.get(_path(rotated.url)).status_code == 200
    services.revoke(user, rotated.token.id)
    assert client.get(_path(rotated.url)).status_code == 404


def test_a_person_who_leaves_loses_their_person_feed(client, network, person_feed):
    assert client.get(_path(person_feed.url)).status_code == 200
    holder = network.holders["ggd"]
    holder.left_on = date.today()  # noqa: DTZ011 - a calendar day
    db.session.commit()
    assert client.get(_path(person_feed.url)).status_code == 404


def test_organisation_table_and_area_feeds(client, network, seated):
    table, _ = seated
    other_area = AreaFactory()
    elsewhere = table_services.create_table(
        table_services.TableData(name="Elders", area_id=other_area.id),
        _admin(),
    )
    user = UserFactory()
    for scope, target in [
        (FeedScope.ORGANISATION, network.roles["coa"].organisation_id),
        (FeedScope.TABLE, table.id),
        (FeedScope.AREA, network.area.id),
    ]:
        feed = services.create(user, scope, target)
        raw = client.get(_path(feed.url)).get_data()
        assert table.series[0].uid.encode() in raw
        assert b"Elders" not in raw
    assert elsewhere.id


def _admin():  # noqa: ANN202
    from coordinator.auth.models import AccountRole

    return UserFactory(role=AccountRole.ADMIN)


def test_only_your_own_person_feed(network, seated):
    from coordinator.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create(UserFactory(), FeedScope.PERSON, network.holders["coa"].id)


def test_api_creates_once_and_deletes(client, network, seated):
    user = _user_for(network.holders["coa"])
    _token, bearer = create_api_token(user, "agenda")
    headers = {"Authorization": f"Bearer {bearer}"}
    response = client.post(
        "/api/v1/feed-tokens", json={"scope": "person", "id": user.person_id}, headers=headers
    )
    assert response.status_code == 201
    body = response.json
    assert body["url"].startswith("https://matchtafel.example.org/feeds/mtf_")
    assert body["url"].endswith(".ics")
    assert body["webcal_url"] == "webcal://" + body["url"].removeprefix("https://")
    assert client.get(_path(body["url"])).status_code == 200
    stored = db.session.get(FeedToken, body["id"])
    assert body["url"].split("/")[-1].removesuffix(".ics") not in (stored.token_hash, stored.prefix)
    bad = client.post("/api/v1/feed-tokens", json={"scope": "stad", "id": 1}, headers=headers)
    assert bad.status_code == 400
    assert bad.json["field"] == "scope"
    other = client.post(
        "/api/v1/feed-tokens",
        json={"scope": "person", "id": network.holders["ggd"].id},
        headers=headers,
    )
    assert other.status_code == 403
    assert client.delete(f"/api/v1/feed-tokens/{body['id']}", headers=headers).status_code == 204
    assert client.get(_path(body["url"])).status_code == 404
    assert client.delete(f"/api/v1/feed-tokens/{body['id']}", headers=headers).status_code == 404


def test_subscribe_page_shows_https_and_webcal_once(client, network, seated):
    user = _user_for(network.holders["welzijn"])
    login(client, user.email, PASSWORD)
    page = client.get("/feeds/")
    assert page.status_code == 200
    response = client.post(
        "/feeds/nieuw",
        data={"scope": "person", "id": user.person_id, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 200
    assert "https://matchtafel.example.org/feeds/mtf_" in response.text
    assert "webcal://matchtafel.example.org/feeds/mtf_" in response.text
    assert "Google" in response.text
    assert "8 tot 24 uur" in response.text
    assert (
        "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fmatchtafel.example.org%2Ffeeds%2Fmtf_"
        in (response.text)
    )
    listing = client.get("/feeds/")
    assert "https://matchtafel.example.org/feeds/mtf_" not in listing.text
    feed = services.list_for(user)[0]
    assert feed.prefix in listing.text
    rotated = client.post(
        f"/feeds/{feed.id}/vernieuwen", data={"csrf_token": csrf_token(listing.text)}
    )
    assert "webcal://" in rotated.text
    assert db.session.get(FeedToken, feed.id).revoked_at is not None


def test_feed_buttons_on_table_and_account_pages(client, network, seated):
    table, _ = seated
    login(client, network.coordinator.email, PASSWORD)
    show = client.get(f"/tafels/{table.id}")
    assert 'name="scope" value="table"' in show.text
    account = client.get("/account/")
    assert 'name="scope" value="person"' in account.text
    area_page = client.get(f"/tafels/?gebied={network.area.slug}")
    assert 'name="scope" value="area"' in area_page.text
    slug = next(iter(network.roles.values())).organisation.slug
    organisation = client.get(f"/wie-doet-wat/organisaties/{slug}")
    assert 'name="scope" value="organisation"' in organisation.text


def test_feed_expands_in_an_independent_library_to_our_occurrences(
    client, network, seated, person_feed
):
    """recurring-ical-events reads the served feed back as Matchtafel's own occurrences."""
    from coordinator.db import now_utc
    from tests.calendaring.wire import assert_wire_format, expand

    table, _ = seated
    year = next_year()
    schedule.cancel_occurrence(table, _second_tuesday(year, 2), actor=network.coordinator)
    moved = schedule.find_occurrence(table, _second_tuesday(year, 4)).recurrence_id
    schedule.move_occurrence(
        table,
        moved.date(),
        new_start=moved + timedelta(days=1, hours=3),
        location="Buurtkamer De Plint",
        actor=network.coordinator,
    )
    raw = client.get(_path(person_feed.url)).get_data()
    assert_wire_format(raw)
    start, end = content.window(now_utc())
    ours = sorted(
        (o.start, o.end, "CONFIRMED" if o.is_happening else "CANCELLED")
        for o in schedule.occurrences(table, start, end)
    )
    theirs = expand(raw, start, end)
    assert len(ours) >= 12
    assert [(s.astimezone(UTC), e.astimezone(UTC), st) for s, e, st in theirs] == [
        (s.astimezone(UTC), e.astimezone(UTC), st) for s, e, st in ours
    ]


def test_a_new_seat_changes_the_person_feed_even_for_if_modified_since(client, network, seated):
    from coordinator.tables import seats as seating
    from tests.factories import AssignmentFactory, RoleFactory

    holder = network.holders["ggd"]
    feed = services.create(_user_for(holder), FeedScope.PERSON, holder.id)
    first = client.get(_path(feed.url))
    other = make_table(network, name="Tweede tafel")
    role = RoleFactory(organisation=holder.organisation)
    AssignmentFactory(person=holder, role=role)
    seating.add_seat(
        other, organisation_id=role.organisation_id, role_id=role.id, actor=network.coordinator
    )
    headers = {
        "If-None-Match": first.headers["ETag"],
        "If-Modified-Since": first.headers["Last-Modified"],
    }
    assert client.get(_path(feed.url), headers=headers).status_code == 200
    only_date = client.get(
        _path(feed.url), headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert only_date.status_code == 200
    assert b"Tweede tafel" in only_date.get_data()
