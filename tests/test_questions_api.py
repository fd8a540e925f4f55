"""Issue 7 through /api/v1/questions: same guard, same routing, same permissions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coordinator.extensions import db
from coordinator.questions import services
from tests.conftest import queued_mail
from tests.question_fixtures import build_nieuw_west
from tests.test_directory_api import bearer
from tests.test_questions import ASK, counts


@pytest.fixture
def nw():
    return build_nieuw_west()


def test_ask_answer_and_find_through_the_api(client, nw):
    created = client.post("/api/v1/questions", json=ASK, headers=bearer(nw.asker))
    assert created.status_code == 201
    body = created.get_json()
    assert body["status"] == "open"
    assert body["topic"] == "fietsles"
    assert body["organisation"]["name"] == "Dynamo Welzijn"
    assert "Centrum voor nieuwkomers – Coördinator fietsles" in body["notified"]
    assert len(body["notified"]) == 4  # two Centrum roles, Welzijn, the Geuzenveld seat
    assert not any("@" in label for label in body["notified"])  # roles, never addresses
    assert {m["To"] for m in queued_mail("question")} == nw.expected_recipients

    answered = client.post(
        f"/api/v1/questions/{body['id']}/answers",
        json={"text": "Woensdag om 10 uur in het buurthuis."},
        headers=bearer(nw.centrum_holder),
    )
    assert answered.status_code == 201
    assert answered.get_json()["organisation"]["name"] == "Centrum voor nieuwkomers"
    assert [m["To"] for m in queued_mail("question-answer")] == [nw.asker.email]

    detail = client.get(f"/api/v1/questions/{body['id']}", headers=bearer(nw.quiet_holder))
    assert [a["text"] for a in detail.get_json()["answers"]] == [
        "Woensdag om 10 uur in het buurthuis."
    ]

    headers = bearer(nw.quiet_holder)
    assert client.get("/api/v1/questions", headers=headers).get_json() == []  # not resolved yet
    open_list = client.get("/api/v1/questions?status=open", headers=headers).get_json()
    assert [q["id"] for q in open_list] == [body["id"]]
    question = services.get_question(body["id"], nw.asker)
    services.resolve_question(question, nw.asker)
    found = client.get(
        "/api/v1/questions?topic=fietsles&target_group=statushouders&area=nieuw-west&q=buurthuis",
        headers=headers,
    ).get_json()
    assert [q["id"] for q in found] == [body["id"]]
    assert found[0]["status"] == "opgelost"

    closed = client.post(
        f"/api/v1/questions/{body['id']}/answers", json={"text": "Te laat"}, headers=headers
    )
    assert closed.status_code == 409


@pytest.mark.parametrize(
    "text", ["Mijn cliënt heeft BSN 111222333, waar kan hij fietsen?", "Bel 0612345678 even."]
)
def test_api_refuses_personal_data_and_stores_nothing(client, nw, text):
    response = client.post(
        "/api/v1/questions", json={**ASK, "text": text}, headers=bearer(nw.asker)
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "text"
    assert "nooit over bewoners" in body["message"]
    assert counts() == (0, 0, 0, 0)


def test_api_refuses_personal_data_in_answers(client, nw):
    question = services.ask_question(nw.asker, **ASK)
    before = counts()
    response = client.post(
        f"/api/v1/questions/{question.id}/answers",
        json={"text": "Mail naar jan.jansen@gmail.com"},
        headers=bearer(nw.centrum_holder),
    )
    assert response.status_code == 400
    assert "e-mailadres" in response.get_json()["message"]
    assert counts() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**ASK, "topic": "onbekend"}, "topic"),
        ({**ASK, "area": ""}, "area"),
        ({**ASK, "text": 12}, "text"),
        ({k: v for k, v in ASK.items() if k != "text"}, "text"),
    ],
)
def test_api_bad_input_changes_nothing(client, nw, payload, field):
    response = client.post("/api/v1/questions", json=payload, headers=bearer(nw.asker))
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    assert counts() == (0, 0, 0, 0)


def test_api_needs_a_token_of_an_active_member(client, nw):
    assert client.get("/api/v1/questions").status_code == 401
    assert client.post("/api/v1/questions", json=ASK).status_code == 401
    headers = bearer(nw.left_holder)  # the person has left: the token no longer works
    assert client.post("/api/v1/questions", json=ASK, headers=headers).status_code == 401
    assert client.get("/api/v1/questions/999", headers=bearer(nw.asker)).status_code == 404
    assert client.get("/api/v1/questions?status=weg", headers=bearer(nw.asker)).status_code == 400
    assert db.session.scalar(sa.text("select count(*) from questions")) == 0


def test_openapi_documents_the_question_board(client):
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert set(paths["/questions"]) == {"get", "post"}
    assert "post" in paths["/questions/{question_id}/answers"]
    assert "get" in paths["/questions/{question_id}"]
    assert "privacybewaker" in paths["/questions"]["post"]["description"]
    assert {"Question", "Answer"} <= set(document["components"]["schemas"])
