"""INTEROP items 9, 15–19 over HTTP: what Google, Outlook and Apple get from a feed URL.

See ``tests/calendaring/test_interop_catalogue.py`` for the item → test table.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import vobject

from coordinator.feeds import services
from coordinator.feeds.models import FeedScope
from coordinator.tables import services as table_services
from tests.calendaring.wire import assert_wire_format
from tests.factories import PASSWORD, UserFactory
from tests.helpers import csrf_token, login


@pytest.fixture
def table_feed(network, seated):  # noqa: ANN001, ANN201
    table, _ = seated
    return services.create(UserFactory(), FeedScope.TABLE, table.id)


def _path(url: str) -> str:
    return urlsplit(url).path


def test_google_style_request_without_accept_header(client, table_feed) -> None:
    response = client.get(_path(table_feed.url))
    sent = response.request.headers
    assert "Accept" not in sent
    assert "Accept-Encoding" not in sent
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in response.headers
    raw = response.get_data()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert_wire_format(raw)
    cal = vobject.readOne(raw.decode("utf-8"))
    assert "method" not in cal.contents
    assert cal.contents["x-wr-calname"][0].value.startswith("Matchtafel – ")
    for event in cal.vevent_list:
        assert "attendee" not in event.contents
        assert "organizer" not in event.contents


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Accept-Encoding": "gzip"},
        {"Accept-Encoding": "gzip, deflate, br", "Accept": "*/*"},
        {"Accept": "text/calendar"},
    ],
)
def test_no_content_encoding_and_304_with_gzip_and_no_accept(client, table_feed, headers) -> None:
    first = client.get(_path(table_feed.url), headers=headers)
    assert first.status_code == 200
    assert "Content-Encoding" not in first.headers
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.get_data().startswith(b"BEGIN:VCALENDAR")
    etag = first.headers["ETag"]
    again = client.get(_path(table_feed.url), headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert "Content-Encoding" not in again.headers


def test_rotated_and_revoked_tokens_404_without_accept_header(client, network, table_feed) -> None:
    user = table_feed.token.created_by
    rotated = services.rotate(user, table_feed.token.id)
    assert client.get(_path(table_feed.url)).status_code == 404
    assert client.get(_path(rotated.url)).status_code == 200
    services.revoke(user, rotated.token.id)
    gone = client.get(_path(rotated.url), headers={"Accept-Encoding": "gzip"})
    assert gone.status_code == 404
    assert b"VCALENDAR" not in gone.get_data()


def test_subscribe_page_links_and_warnings(client, network, seated) -> None:
    user = UserFactory(person=network.holders["welzijn"], email=network.holders["welzijn"].email)
    login(client, user.email, PASSWORD)
    page = client.get("/feeds/")
    response = client.post(
        "/feeds/nieuw",
        data={"scope": "person", "id": user.person_id, "csrf_token": csrf_token(page.text)},
    )
    text = response.text
    assert 'href="webcal://matchtafel.example.org/feeds/mtf_' in text  # item 16
    assert "webcals://" not in text
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fmatchtafel.example.org" in text
    assert "cid=https" not in text
    assert "8 tot 24 uur" in text  # item 15: Google refresh latency
    assert "ook als uitnodiging per e-mail" in text
    assert "Gmail zet uitnodigingen alleen vanzelf in uw agenda als u de afzender kent" in text
    assert "matchtafel@example.org" in text  # item 9: whom to add to the contacts


def test_feed_name_with_a_comma_survives_a_second_parser(client, network, seated) -> None:
    table, _ = seated
    data = table_services.TableData(
        name="Matchtafel Zuidoost, statushouders; taal", area_id=table.area_id
    )
    table_services.update_table(table, data, network.coordinator)
    feed = services.create(UserFactory(), FeedScope.TABLE, table.id)
    cal = vobject.readOne(client.get(_path(feed.url)).get_data().decode("utf-8"))
    name = cal.contents["x-wr-calname"][0].value
    assert name == "Matchtafel – Matchtafel Zuidoost, statushouders; taal"
