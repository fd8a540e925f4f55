"""Issue 7: the question board, end to end through the pages, and its rules."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from coordinator.db import now_utc
from coordinator.directory.lookup import LookupQuery, lookup
from coordinator.directory.models import Responsibility
from coordinator.directory.visibility import Viewer
from coordinator.errors import Conflict, DomainError, PermissionDenied
from coordinator.extensions import db
from coordinator.mail.models import OutboxMessage
from coordinator.privacy import PersonalDataRefused
from coordinator.questions import services
from coordinator.questions.models import Answer, Question, QuestionRecipient, QuestionStatus
from tests.conftest import IsolatedClient, queued_mail
from tests.factories import PASSWORD, AnswerFactory, QuestionFactory, UserFactory
from tests.helpers import csrf_token, login, post_form
from tests.question_fixtures import build_nieuw_west

ASK = {
    "topic": "fietsles",
    "target_group": "statushouders",
    "area": "nieuw-west",
    "text": "Drie jongens willen leren fietsen. Waar kunnen ze terecht?",
}


@pytest.fixture
def nw():
    return build_nieuw_west()


@pytest.fixture
def browser(app):
    """A fresh logged-in browser per user."""

    app.test_client_class = IsolatedClient

    def open_as(user):  # noqa: ANN001, ANN202
        client = app.test_client()
        assert login(client, user.email, PASSWORD).status_code == 302
        return client

    return open_as


def counts() -> tuple[int, int, int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(Question.id))),
        db.session.scalar(sa.select(sa.func.count(Answer.id))),
        db.session.scalar(sa.select(sa.func.count(QuestionRecipient.id))),
        db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))),
    )


def handled_by(topic: str, group: str, area: str) -> list[str]:
    result = lookup(LookupQuery(topic, group, area), Viewer(authenticated=True))
    return [m.organisation.name for m in result.handles]


def test_issue_7_done_when_fietsles_statushouders_nieuw_west(nw, browser):
    asker = browser(nw.asker)

    # Ask: first the directory's answer, nothing stored or sent yet.
    page = post_form(asker, "/vragen/nieuw", {**ASK, "action": "preview"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Misschien staat het antwoord al in Wie doet wat?" in html
    assert "Centrum voor nieuwkomers" in html
    assert "Buurtteam Nieuw-West" in html  # under "doet dit niet", with its reason
    assert "verwijzen door naar het buurthuis" in html
    assert "Vraag toch versturen" in html
    assert counts() == (0, 0, 0, 0)

    # Route: post it; the matching holders, the listing keeper and the opted-in seat get it.
    sent = asker.post(
        "/vragen/nieuw", data={**ASK, "action": "send", "csrf_token": csrf_token(html)}
    )
    assert sent.status_code == 302
    question = db.session.scalars(sa.select(Question)).one()
    mails = queued_mail("question")
    assert {m["To"] for m in mails} == nw.expected_recipients
    assert len(mails) == len(nw.expected_recipients)  # one mail per recipient
    assert all("fietsen" in m.get_body(("plain",)).get_content() for m in mails)
    keys = set(db.session.scalars(sa.select(OutboxMessage.dedup_key)))
    people = (nw.centrum_holder.person, nw.welzijn_editor.person, nw.vrouwencentrum_holder.person)
    assert keys == {
        f"question:{question.id}:person:{p.id}" for p in (*people, nw.no_account_holder)
    }

    # The asker sees who was notified by role and organisation, never an address.
    detail = asker.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Centrum voor nieuwkomers – Coördinator fietsles" in detail
    assert "Matchtafel Geuzenveld: Vrouwencentrum Geuzenveld – Activiteitenbegeleider" in detail
    assert "Welzijn West" in detail
    for email in nw.expected_recipients:
        assert email not in detail

    # The seat holder finds it in the inbox, unread, and answers.
    seat = browser(nw.vrouwencentrum_holder)
    inbox = seat.get("/vragen/").get_data(as_text=True)
    assert "Drie jongens willen leren fietsen" in inbox
    assert "Voor mij (1 nieuw)" in inbox
    assert "nieuw" in inbox
    answer_text = "Wij geven fietsles aan statushouders, woensdag 10 uur in het buurthuis."
    answered = post_form(
        seat,
        f"/vragen/{question.id}/antwoorden",
        {"text": answer_text},
        page=f"/vragen/{question.id}",
    )
    assert answered.status_code == 302
    answer = db.session.scalars(sa.select(Answer)).one()
    assert answer.organisation_id == nw.vrouwencentrum.id
    assert [m["To"] for m in queued_mail("question-answer")] == [nw.asker.email]
    recipient = db.session.scalars(
        sa.select(QuestionRecipient).where(QuestionRecipient.user_id == nw.vrouwencentrum_holder.id)
    ).one()
    assert recipient.read_at is not None

    # The asker marks the best answer and the question resolved.
    resolved = post_form(
        asker,
        f"/vragen/{question.id}/opgelost",
        {"best_answer_id": str(answer.id)},
        page=f"/vragen/{question.id}",
    )
    assert resolved.status_code == 302
    db.session.refresh(question)
    assert question.status == QuestionStatus.RESOLVED
    assert question.best_answer.id == answer.id

    # A redacteur of the answering organisation turns it into a responsibility...
    assert "Vrouwencentrum Geuzenveld" not in handled_by("fietsles", "statushouders", "geuzenveld")
    editor = browser(nw.vrouwencentrum_editor)
    keep_url = f"/vragen/antwoorden/{answer.id}/vastleggen"
    form_page = editor.get(keep_url).get_data(as_text=True)
    assert answer_text[:40] in form_page
    kept = editor.post(
        keep_url,
        data={
            "handles": "ja",
            "role": "",
            "summary": "Fietsles voor statushouders",
            "referral_tips": "Loop de eerste keer mee.",
            "csrf_token": csrf_token(form_page),
        },
    )
    assert kept.status_code == 302
    db.session.refresh(answer)
    fact = answer.responsibility
    assert fact is not None
    assert fact.handles
    assert fact.organisation_id == nw.vrouwencentrum.id
    assert [t.slug for t in fact.topics] == ["fietsles"]
    assert [a.slug for a in fact.areas] == ["nieuw-west"]
    assert editor.get(keep_url).status_code == 409  # once only
    # ...which "Wie doet wat?" then shows.
    assert "Vrouwencentrum Geuzenveld" in handled_by("fietsles", "statushouders", "geuzenveld")


def test_routing_skips_what_does_not_match(nw):
    question = services.ask_question(nw.asker, **ASK)
    notified = {r.person.email for r in question.recipients}
    assert notified == nw.expected_recipients
    assert {r.user.email for r in question.recipients if r.user} == nw.expected_inbox
    for outsider in (
        nw.asker,  # never oneself
        nw.welzijn_partner,  # not a listing keeper
        nw.quiet_holder,  # seat holder who did not opt in
        nw.zuidoost_holder,  # opted in, but a table in another stadsdeel
        nw.fietsschool_holder,  # handles it, but in Zuidoost
        nw.buurtteam_holder,  # explicit boundary
        nw.left_holder,  # has left
        nw.hidden_holder,  # role the asker may not see
    ):
        assert outsider.email not in notified


def test_a_wijk_question_reaches_the_stadsdeel_and_the_wijk_table(nw):
    question = services.ask_question(nw.asker, **{**ASK, "area": "geuzenveld"})
    assert {r.person.email for r in question.recipients} == nw.expected_recipients


def test_holders_without_an_account_are_mailed_but_disabled_accounts_are_not(nw):
    nw.centrum_holder.disabled_at = now_utc()
    db.session.commit()
    question = services.ask_question(nw.asker, **ASK)
    notified = {r.person.email for r in question.recipients}
    assert nw.centrum_holder.email not in notified  # not even at the work address
    assert nw.no_account_holder.email in notified
    mails = {m["To"]: m.get_body(("plain",)).get_content() for m in queued_mail("question")}
    assert "nog geen account" in mails[nw.no_account_holder.email]
    assert "nog geen account" not in mails[nw.welzijn_editor.email]
    inbox = [r for r in question.recipients if r.person_id == nw.no_account_holder.id]
    assert inbox[0].user_id is None


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("Wie helpt iemand met BSN 111222333 aan fietsles?", "burgerservicenummer"),
        ("Bel mij even op 06-12345678 over fietsles.", "telefoonnummer"),
        ("Bel +31 20 123 4567 voor de fietsles.", "telefoonnummer"),
    ],
)
def test_personal_data_is_refused_and_nothing_stored_or_sent(nw, browser, text, explained):
    with pytest.raises(PersonalDataRefused) as refused:
        services.ask_question(nw.asker, **{**ASK, "text": text})
    assert explained in refused.value.message
    assert refused.value.field == "text"
    assert counts() == (0, 0, 0, 0)

    client = browser(nw.asker)
    for action in ("preview", "send"):
        page = post_form(client, "/vragen/nieuw", {**ASK, "text": text, "action": action})
        html = page.get_data(as_text=True)
        assert page.status_code == 400
        assert explained in html
        assert "nooit over bewoners" in html
    assert counts() == (0, 0, 0, 0)


def test_answer_with_personal_data_is_refused(nw, browser):
    question = services.ask_question(nw.asker, **ASK)
    before = counts()
    client = browser(nw.centrum_holder)
    page = post_form(
        client,
        f"/vragen/{question.id}/antwoorden",
        {"text": "Zijn BSN is 111222333, stuur hem maar."},
        page=f"/vragen/{question.id}",
    )
    assert page.status_code == 400
    assert "burgerservicenummer" in page.get_data(as_text=True)
    assert counts() == before


def test_status_with_name_warns_but_posts(nw, browser):
    text = "Ahmed is statushouder en zoekt fietsles, wie weet iets?"
    preview = services.preview_question(nw.asker, "fietsles", "statushouders", "nieuw-west", text)
    assert preview.warnings
    page = post_form(browser(nw.asker), "/vragen/nieuw", {**ASK, "text": text, "action": "preview"})
    assert "Laat namen van bewoners weg" in page.get_data(as_text=True)


def test_answer_with_status_and_name_warns_and_asks_to_confirm(nw, browser):
    question = services.ask_question(nw.asker, **ASK)
    text = "Meneer Haile is ongedocumenteerd; wij hebben woensdag fietsles."
    assert [w.kind.value for w in services.preview_answer(question, nw.centrum_holder, text)] == [
        "status_with_name"
    ]
    before = counts()
    client = browser(nw.centrum_holder)
    url, page_url = f"/vragen/{question.id}/antwoorden", f"/vragen/{question.id}"

    page = post_form(client, url, {"text": text}, page=page_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Laat namen van bewoners weg" in html
    assert "Antwoord toch plaatsen" in html
    assert "ongedocumenteerd" in html  # the text is kept for editing
    assert counts() == before  # nothing stored or mailed yet

    page = post_form(client, url, {"text": text, "action": "preview"}, page=page_url)
    assert "Laat namen van bewoners weg" in page.get_data(as_text=True)
    assert counts() == before

    page = post_form(client, url, {"text": text, "action": "send"}, page=page_url)
    assert page.status_code == 302
    assert [a.text for a in question.answers] == [text]


def test_answer_without_warnings_posts_at_once(nw, browser):
    question = services.ask_question(nw.asker, **ASK)
    page = post_form(
        browser(nw.centrum_holder),
        f"/vragen/{question.id}/antwoorden",
        {"text": "Woensdag fietsles bij ons.", "action": "preview"},
        page=f"/vragen/{question.id}",
    )
    assert page.status_code == 302
    assert [a.text for a in question.answers] == ["Woensdag fietsles bij ons."]


def test_missing_and_unknown_choices_are_refused(nw):
    with pytest.raises(DomainError) as missing:
        services.ask_question(nw.asker, "fietsles", "", "nieuw-west", "Waar?")
    assert missing.value.field == "target_group"
    with pytest.raises(DomainError) as unknown:
        services.ask_question(nw.asker, "fietsles", "statushouders", "atlantis", "Waar?")
    assert unknown.value.field == "area"
    with pytest.raises(DomainError) as long:
        services.ask_question(nw.asker, **{**ASK, "text": "x" * 1001})
    assert long.value.field == "text"
    assert counts() == (0, 0, 0, 0)


def test_board_is_for_logged_in_members_only(client, nw):
    question = QuestionFactory(asker=nw.asker)
    for url in ("/vragen/", "/vragen/nieuw", f"/vragen/{question.id}", "/vragen/zoeken"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]
    with pytest.raises(PermissionDenied):
        services.ask_question(None, **ASK)


def test_only_the_asker_or_a_beheerder_resolves(nw, browser):
    question = services.ask_question(nw.asker, **ASK)
    other = browser(nw.centrum_holder)
    response = post_form(
        other, f"/vragen/{question.id}/opgelost", {}, page=f"/vragen/{question.id}"
    )
    assert response.status_code == 403
    db.session.refresh(question)
    assert question.status == QuestionStatus.OPEN
    admin = UserFactory(role="beheerder")
    services.resolve_question(question, admin)
    assert question.is_resolved
    assert question.best_answer is None
    with pytest.raises(Conflict):
        services.resolve_question(question, nw.asker)


def test_best_answer_must_belong_to_the_question(nw):
    question = services.ask_question(nw.asker, **ASK)
    stranger = AnswerFactory()
    with pytest.raises(DomainError):
        services.resolve_question(question, nw.asker, stranger.id)
    assert not question.is_resolved


def test_resolved_questions_take_no_more_answers(nw):
    question = services.ask_question(nw.asker, **ASK)
    services.resolve_question(question, nw.asker)
    with pytest.raises(Conflict):
        services.answer_question(question, nw.centrum_holder, "Nog een tip.")


def test_only_editors_of_the_answering_organisation_keep_an_answer(nw, browser):
    question = services.ask_question(nw.asker, **ASK)
    answer = services.answer_question(question, nw.vrouwencentrum_holder, "Woensdag fietsles.")
    url = f"/vragen/antwoorden/{answer.id}/vastleggen"
    # A plain partner of that organisation, and a redacteur of another one, may not.
    for user in (nw.vrouwencentrum_holder, nw.welzijn_editor):
        client = browser(user)
        detail = client.get(f"/vragen/{question.id}").get_data(as_text=True)
        assert url not in detail
        assert client.get(url).status_code == 403
        response = post_form(
            client, url, {"handles": "ja", "summary": "Fietsles"}, page=f"/vragen/{question.id}"
        )
        assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Responsibility.id))) == 8
    assert url in browser(nw.vrouwencentrum_editor).get(f"/vragen/{question.id}").get_data(
        as_text=True
    )


def test_an_answer_becomes_a_boundary_with_its_reason_once(nw):
    question = services.ask_question(nw.asker, **ASK)
    answer = services.answer_question(
        question, nw.centrum_holder, "Wij doen geen les voor kinderen."
    )
    with pytest.raises(DomainError) as no_reason:
        services.answer_to_responsibility(answer, nw.welzijn_editor, handles=False)
    assert isinstance(no_reason.value, PermissionDenied)
    editor = UserFactory(person__organisation=nw.centrum, role="partner-redacteur")
    with pytest.raises(DomainError) as missing_reason:
        services.answer_to_responsibility(answer, editor, handles=False, summary="Kinderles")
    assert missing_reason.value.field == "reason"
    assert answer.responsibility_id is None
    fact = services.answer_to_responsibility(
        answer, editor, handles=False, summary="Kinderles", reason="Alleen volwassenen."
    )
    assert fact.handles is False
    assert fact.reason == "Alleen volwassenen."
    with pytest.raises(Conflict):
        services.answer_to_responsibility(answer, editor, handles=True, summary="Nog eens")


def test_keeping_an_answer_refuses_personal_data(nw):
    question = services.ask_question(nw.asker, **ASK)
    answer = services.answer_question(question, nw.vrouwencentrum_holder, "Woensdag fietsles.")
    before = db.session.scalar(sa.select(sa.func.count(Responsibility.id)))
    with pytest.raises(PersonalDataRefused):
        services.answer_to_responsibility(
            answer, nw.vrouwencentrum_editor, summary="Bel 06-12345678"
        )
    assert db.session.scalar(sa.select(sa.func.count(Responsibility.id))) == before
    assert answer.responsibility_id is None


def test_opting_in_through_the_settings_page(nw, browser):
    client = browser(nw.quiet_holder)
    page = client.get("/vragen/instellingen").get_data(as_text=True)
    assert not re.search(r'name="notify_questions"[^>]*checked', page)
    saved = post_form(client, "/vragen/instellingen", {"notify_questions": "y"})
    assert saved.status_code == 302
    assert services.notify_questions_enabled(nw.quiet_holder)
    question = services.ask_question(nw.asker, **ASK)
    assert nw.quiet_holder.email in {r.person.email for r in question.recipients}
    post_form(client, "/vragen/instellingen", {})
    assert not services.notify_questions_enabled(nw.quiet_holder)


def test_board_lists_inbox_own_and_open_questions(nw, browser):
    mine = services.ask_question(nw.asker, **ASK)
    page = browser(nw.asker).get("/vragen/").get_data(as_text=True)
    assert f"/vragen/{mine.id}" in page
    assert "Er zijn geen vragen naar u gestuurd." in page
    nav = browser(nw.quiet_holder).get("/").get_data(as_text=True)
    assert 'href="/vragen/"' in nav


def test_the_ask_form_gives_its_privacy_hint_once(nw, browser):
    client = browser(nw.asker)
    hint = "Over aanbod en organisaties, nooit over een bewoner: geen namen"
    assert client.get("/vragen/nieuw").get_data(as_text=True).count(hint) == 1
    preview = post_form(client, "/vragen/nieuw", {**ASK, "action": "preview"})
    assert preview.get_data(as_text=True).count(hint) == 1
