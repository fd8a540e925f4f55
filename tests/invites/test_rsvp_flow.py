"""RSVP without login: the links in the invites, the confirm page, the attendance register."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coordinator.calendaring import rsvp
from coordinator.extensions import db
from coordinator.tables import schedule
from coordinator.tables import seats as seating
from coordinator.tables.models import Attendance, AttendanceStatus
from tests.factories import PersonFactory, UserFactory
from tests.helpers import csrf_token
from tests.invites.conftest import invites

_LINK = re.compile(r"https://matchtafel\.example\.org(/rsvp/\S+)")


def _links(email: str) -> dict[str, str]:
    invite = next(i for i in invites() if i.to == email and i.method == "REQUEST")
    text = invite.text()
    found = {}
    for label, action in [
        ("Ik kom:", "accept"),
        ("Ik kom niet:", "decline"),
        ("vervanger gaat:", "deputy"),
    ]:
        line = next((x for x in text.splitlines() if label in x), None)
        if line:
            match = _LINK.search(line)
            assert match
            found[action] = match.group(1)
    return found


def _attendance() -> list[tuple[int, AttendanceStatus]]:
    return [(a.seat_id, a.status) for a in db.session.scalars(sa.select(Attendance))]


def _answer(client, path: str):  # noqa: ANN001, ANN202
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_token(page.text)})


def test_accept_link_confirms_then_records_present(client, network, seated) -> None:
    _, seats = seated
    links = _links(network.holders["ggd"].email)
    assert set(links) == {"accept", "decline"}  # no deputy at this seat
    page = client.get(links["accept"])
    assert page.status_code == 200
    assert "Bevestig: ik kom" in page.text
    assert _attendance() == []  # GET changes nothing
    done = client.post(links["accept"], data={"csrf_token": csrf_token(page.text)})
    assert done.status_code == 200
    assert _attendance() == [(seats["ggd"].id, AttendanceStatus.PRESENT)]


def test_decline_records_excused_and_answering_again_overwrites(client, network, seated) -> None:
    _, seats = seated
    links = _links(network.holders["buurtteam"].email)
    _answer(client, links["accept"])
    _answer(client, links["decline"])
    assert _attendance() == [(seats["buurtteam"].id, AttendanceStatus.EXCUSED)]


def test_post_without_csrf_is_refused(client, network, seated) -> None:
    links = _links(network.holders["ggd"].email)
    client.get(links["accept"])
    assert client.post(links["accept"]).status_code == 400
    assert _attendance() == []


def test_my_deputy_goes_invites_the_deputy_for_that_occurrence(client, network, seated) -> None:
    _, seats = seated
    links = _links(network.holders["coa"].email)
    before = len(invites())
    done = _answer(client, links["deputy"])
    assert done.status_code == 200
    assert _attendance() == [(seats["coa"].id, AttendanceStatus.DEPUTY)]
    new = invites()[before:]
    assert [(i.method, i.to) for i in new] == [("REQUEST", network.coa_deputy.email)]
    assert len(new[0].events) == 1
    assert new[0].recurrence_ids[0] is not None
    assert "/rsvp/" not in new[0].text()
    assert new[0].mail["Subject"].startswith("Uitnodiging als vervanger: ")
    _answer(client, links["deputy"])  # answering twice sends no second invite
    assert len(invites()) == before + 1


def test_forged_and_damaged_links_get_a_dutch_refusal(client, network, seated) -> None:
    links = _links(network.holders["ggd"].email)
    forged = rsvp.make_token(
        "not-the-secret-key-not-the-secret-key",
        seat_id=1,
        person_id=1,
        series_uid="x",
        recurrence_id=None,
        action="accept",
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    for path in (f"/rsvp/{forged}", links["accept"][:-3] + "abc"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Deze link is ongeldig" in response.text


def test_link_of_a_seat_the_person_left_no_longer_works(client, network, seated) -> None:
    _, seats = seated
    links = _links(network.holders["buurtteam"].email)
    successor = PersonFactory(organisation=seats["buurtteam"].organisation)
    seating.hand_over(seats["buurtteam"], network.coordinator, successor_person_id=successor.id)
    response = client.get(links["accept"])
    assert response.status_code == 403
    assert "niet (meer) op deze zetel" in response.text


def test_expired_link_and_cancelled_occurrence(client, network, seated, app) -> None:
    table, seats = seated
    series = table.series[0]
    found = schedule.upcoming(table, days=400)[0]
    token = rsvp.make_token(
        app.config["SECRET_KEY"],
        seat_id=seats["ggd"].id,
        person_id=network.holders["ggd"].id,
        series_uid=series.uid,
        recurrence_id=found.recurrence_id,
        action="accept",
        expires_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    expired = client.get(f"/rsvp/{token}")
    assert expired.status_code == 410
    assert "verlopen" in expired.text
    links = _links(network.holders["ggd"].email)
    schedule.cancel_occurrence(table, found.recurrence_id.date(), actor=network.coordinator)
    cancelled = client.get(links["accept"])
    assert cancelled.status_code == 409
    assert "gaat niet door" in cancelled.text


def test_rsvp_page_speaks_the_language_of_the_invite(client, network, seated) -> None:
    """Not the browser's: a Dutch invite opened in an English browser stays Dutch."""
    holder = network.holders["ggd"]
    link = _links(holder.email)["accept"]
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    assert "Bevestig: ik kom" in client.get(link, headers=english_browser).text

    UserFactory(person=holder, locale="en")
    db.session.commit()
    assert "Confirm: I will attend" in client.get(link).text

    # A visitor who picked a language with the switch keeps it.
    with client.session_transaction() as session:
        session["locale"] = "nl"
    assert "Bevestig: ik kom" in client.get(link, headers=english_browser).text
