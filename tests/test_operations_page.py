"""Issue 6: the beheerder's operations page shows the outbox and job runs; retry works."""

from __future__ import annotations

from coordinator.auth.models import AccountRole
from coordinator.extensions import db
from coordinator.mail.delivery import deliver_due
from coordinator.mail.models import OutboxMessage, OutboxStatus
from coordinator.scheduling.models import JobRun, JobRunStatus
from tests.factories import PASSWORD, OutboxMessageFactory, UserFactory
from tests.helpers import csrf_token, login

PAGE = "/beheer/verzending/"


def test_550_is_visible_with_its_error_and_can_be_retried(app, client, smtp_server):
    row = OutboxMessageFactory(recipient="onbekend@partner.example.org")
    smtp_server.handler.replies = ["550 5.1.1 Mailbox bestaat niet"]
    deliver_due(app)
    admin = UserFactory(role=AccountRole.ADMIN)
    login(client, admin.email, PASSWORD)

    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "550 5.1.1 Mailbox bestaat niet" in html
    assert "onbekend@partner.example.org" in html
    assert "Opnieuw proberen" in html
    assert 'id="count-failed">1<' in html

    response = client.post(f"{PAGE}{row.id}/opnieuw", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.QUEUED

    deliver_due(app)
    assert smtp_server.message_ids() == {row.message_id: 1}
    assert 'id="count-sent">1<' in client.get(PAGE).get_data(as_text=True)


def test_retry_needs_a_csrf_token(app, client):
    row = OutboxMessageFactory(status=OutboxStatus.FAILED, last_error="550 nee")
    admin = UserFactory(role=AccountRole.ADMIN)
    login(client, admin.email, PASSWORD)

    response = client.post(f"{PAGE}{row.id}/opnieuw")

    assert response.status_code == 400
    assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.FAILED


def test_page_shows_the_last_run_of_each_job(app, client):
    db.session.add(
        JobRun(job="deliver-outbox", worker="host:42", status=JobRunStatus.OK, counts={"sent": 7})
    )
    db.session.add(
        JobRun(job="erase-expired-auth-data", worker="host:42", status=JobRunStatus.FAILED,
               error="OperationalError: database is locked")
    )  # fmt: skip
    db.session.commit()
    admin = UserFactory(role=AccountRole.ADMIN)
    login(client, admin.email, PASSWORD)

    html = client.get(PAGE).get_data(as_text=True)

    assert "sent: 7" in html
    assert "OperationalError: database is locked" in html
    assert "prune-job-runs" in html
    assert "Nog nooit uitgevoerd." in html
    assert "De planner lijkt niet te draaien" not in html


def test_warns_when_the_scheduler_is_not_running(app, client):
    admin = UserFactory(role=AccountRole.ADMIN)
    login(client, admin.email, PASSWORD)

    assert "De planner lijkt niet te draaien" in client.get(PAGE).get_data(as_text=True)


def test_only_beheerders_see_the_page(app, client):
    for role in (AccountRole.COORDINATOR, AccountRole.EDITOR, AccountRole.PARTNER):
        user = UserFactory(role=role)
        login(client, user.email, PASSWORD)
        assert client.get(PAGE).status_code == 403
        row = OutboxMessageFactory(status=OutboxStatus.FAILED)
        html = client.get("/account/").get_data(as_text=True)
        response = client.post(f"{PAGE}{row.id}/opnieuw", data={"csrf_token": csrf_token(html)})
        assert response.status_code == 403
        assert db.session.get(OutboxMessage, row.id).status == OutboxStatus.FAILED
        client.post("/account/logout", data={"csrf_token": csrf_token(html)})


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
