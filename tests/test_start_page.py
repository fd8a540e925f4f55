"""The start page: the user's next meetings, their seats' open actions, unread questions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from coordinator.extensions import db
from coordinator.questions.models import QuestionRecipient, RecipientReason
from coordinator.tables import overview
from coordinator.tables.models import ActionStatus, TableStatus
from tests.factories import (
    PASSWORD,
    ActionItemFactory,
    AssignmentFactory,
    QuestionFactory,
    SeatFactory,
    TableSeriesFactory,
    UserFactory,
)
from tests.helpers import login


def _seat_holder():
    user = UserFactory()
    assignment = AssignmentFactory(person=user.person)
    series = TableSeriesFactory(table__name="Matchtafel Gein")
    seat = SeatFactory(table=series.table, role=assignment.role)
    db.session.commit()
    return user, seat


def test_next_meetings_are_those_of_the_users_seats(app):
    user, seat = _seat_holder()
    other = TableSeriesFactory(table__name="Andere tafel")
    db.session.commit()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    meetings = overview.next_meetings(user, now=now)
    assert [t.name for t, _o in meetings] == ["Matchtafel Gein"] * 3
    assert meetings[0][1].start.date() == date(2026, 12, 8)  # second Tuesday of December
    assert other.table not in {t for t, _o in meetings}


def test_ended_tables_and_removed_seats_are_left_out(app):
    user, seat = _seat_holder()
    seat.table.status = TableStatus.ENDED
    db.session.commit()
    assert overview.my_seats(user) == []
    assert overview.next_meetings(user) == []


def test_open_actions_of_own_seats_only_open_ones_due_first(app):
    user, seat = _seat_holder()
    later = ActionItemFactory(seat=seat, description="Zonder datum")
    soon = ActionItemFactory(seat=seat, description="Met datum", due_on=date(2026, 12, 20))
    ActionItemFactory(seat=seat, description="Klaar", status=ActionStatus.DONE)
    ActionItemFactory(description="Van een ander")
    db.session.commit()
    assert overview.open_actions(user) == [soon, later]


def test_start_page_shows_meetings_actions_unread_questions_and_lookup(client):
    user, seat = _seat_holder()
    ActionItemFactory(seat=seat, description="Folder over taalles rondsturen")
    question = QuestionFactory(text="Wie geeft zwemles aan volwassen nieuwkomers?")
    read = QuestionFactory(text="Al gelezen vraag")
    for q, read_at in ((question, None), (read, datetime.now(UTC) - timedelta(hours=1))):
        db.session.add(
            QuestionRecipient(
                question=q,
                person_id=user.person_id,
                user_id=user.id,
                organisation_id=user.person.organisation_id,
                reason=RecipientReason.ROLE,
                read_at=read_at,
            )
        )
    db.session.commit()
    login(client, user.email, PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Uw volgende bijeenkomsten" in html
    assert "Matchtafel Gein" in html
    assert "Folder over taalles rondsturen" in html
    assert "Wie geeft zwemles aan volwassen nieuwkomers?" in html
    assert "Al gelezen vraag" not in html
    assert 'action="/wie-doet-wat/"' in html


def test_start_page_empty_states_say_what_to_do(client):
    user = UserFactory()
    db.session.commit()
    login(client, user.email, PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Bekijk alle tafels" in html
    assert "Geen open afspraken." in html
    assert "Stel zelf een vraag aan het netwerk" in html
