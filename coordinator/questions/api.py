"""Question-board endpoints of the JSON API (/api/v1/questions), with the same guard and rules."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from coordinator.api import bp
from coordinator.api.auth import api_user
from coordinator.api.openapi import document, schema
from coordinator.errors import DomainError
from coordinator.questions import search, services
from coordinator.questions.models import Answer, Question, QuestionStatus
from coordinator.questions.routing import route_label


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _text_field(payload: dict[str, Any], key: str) -> str | None:
    value = payload.get(key)
    if value is not None and not isinstance(value, str):
        raise DomainError(_("Dit veld moet tekst zijn."), field=key)
    return value


def _json_body() -> dict[str, Any]:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise DomainError(_("Stuur een JSON-object mee."))
    return payload


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "text": answer.text,
        "organisation": {"id": answer.organisation.id, "name": answer.organisation.name},
        "is_best": answer.is_best,
        "responsibility_id": answer.responsibility_id,
        "created_at": _iso(answer.created_at),
    }


def question_json(question: Question, *, full: bool = False) -> dict[str, Any]:
    """A question as the network sees it: organisations and roles, never addresses."""
    data: dict[str, Any] = {
        "id": question.id,
        "text": question.text,
        "status": question.status.value,
        "topic": question.topic.slug,
        "target_group": question.target_group.slug,
        "area": question.area.slug,
        "organisation": {
            "id": question.asker_organisation.id,
            "name": question.asker_organisation.name,
        },
        "created_at": _iso(question.created_at),
        "resolved_at": _iso(question.resolved_at),
        "answer_count": len(question.answers),
    }
    if full:
        data["notified"] = list(
            dict.fromkeys(route_label(r.organisation, r.role, r.table) for r in question.recipients)
        )
        data["answers"] = [answer_json(a) for a in question.answers]
    return data


@bp.get("/questions")
def questions_endpoint() -> ResponseReturnValue:
    args = request.args
    filters = search.Filters(
        topic=args.get("topic") or None,
        target_group=args.get("target_group") or None,
        area=args.get("area") or None,
        q=args.get("q", ""),
        status=search.parse_status(args.get("status"), QuestionStatus.RESOLVED),
    )
    return jsonify([question_json(q) for q in search.search_questions(filters, api_user())])


@bp.post("/questions")
def ask_endpoint() -> ResponseReturnValue:
    payload = _json_body()
    question = services.ask_question(
        api_user(),
        _text_field(payload, "topic"),
        _text_field(payload, "target_group"),
        _text_field(payload, "area"),
        _text_field(payload, "text"),
    )
    return jsonify(question_json(question, full=True)), 201


@bp.get("/questions/<int:question_id>")
def question_endpoint(question_id: int) -> ResponseReturnValue:
    return jsonify(question_json(services.get_question(question_id, api_user()), full=True))


@bp.post("/questions/<int:question_id>/answers")
def answer_endpoint(question_id: int) -> ResponseReturnValue:
    user = api_user()
    question = services.get_question(question_id, user)
    answer = services.answer_question(question, user, _text_field(_json_body(), "text"))
    return jsonify(answer_json(answer)), 201


# --- OpenAPI -------------------------------------------------------------------------------

_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_PRIVACY = (
    "Vrije tekst gaat langs de privacybewaker: een geldig BSN, telefoonnummer, e-mailadres van "
    "buiten het netwerk, IBAN, geboortedatum of postcode met huisnummer wordt geweigerd (400, "
    "`field: text`, uitleg in het Nederlands) en er wordt niets opgeslagen of verstuurd."
)


def _json(ref: str, *, many: bool = False) -> dict[str, Any]:
    item = {"$ref": f"#/components/schemas/{ref}"}
    return {"application/json": {"schema": {"type": "array", "items": item} if many else item}}


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


_QUESTION_ID = {
    "name": "question_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}

schema(
    "Answer",
    {
        "type": "object",
        "required": ["id", "text", "organisation", "is_best"],
        "properties": {
            "id": {"type": "integer"},
            "text": {"type": "string"},
            "organisation": {"type": "object"},
            "is_best": {"type": "boolean"},
            "responsibility_id": {
                "type": "integer",
                "nullable": True,
                "description": "De taak in Wie doet wat? die van dit antwoord is gemaakt",
            },
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
)
schema(
    "Question",
    {
        "type": "object",
        "required": ["id", "text", "status", "topic", "target_group", "area"],
        "properties": {
            "id": {"type": "integer"},
            "text": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "opgelost"]},
            "topic": {"type": "string", "description": "Slug van het thema"},
            "target_group": {"type": "string", "description": "Slug van de doelgroep"},
            "area": {"type": "string", "description": "Slug van het gebied"},
            "organisation": {"type": "object", "description": "De organisatie die vroeg"},
            "created_at": {"type": "string", "format": "date-time"},
            "resolved_at": {"type": "string", "format": "date-time", "nullable": True},
            "answer_count": {"type": "integer"},
            "notified": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Naar wie de vraag ging, als organisatie – functie (geen adressen)",
            },
            "answers": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"}},
        },
    },
)
document(
    "/questions",
    "get",
    {
        "summary": "Vragen zoeken (standaard de opgeloste)",
        "parameters": [
            _query("status", "open, opgelost (standaard) of alle"),
            _query("topic", "Slug van het thema"),
            _query("target_group", "Slug van de doelgroep"),
            _query("area", "Slug van het gebied; omvat de wijken eronder"),
            _query("q", "Zoekwoord in vraag en antwoorden"),
        ],
        "responses": {
            "200": {
                "description": "Vragen, nieuwste eerst",
                "content": _json("Question", many=True),
            },
            "400": {"description": "Onbekende slug of status", "content": _ERROR},
        },
    },
)
document(
    "/questions",
    "post",
    {
        "summary": "Een vraag stellen aan het netwerk",
        "description": (
            "De vraag gaat naar de houders van functies die dit thema voor deze doelgroep in dit "
            "gebied doen (zoals GET /lookup ze vindt), en naar tafelleden in het gebied die dat "
            "willen, per e-mail en in hun vragenbak. " + _PRIVACY
        ),
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["topic", "target_group", "area", "text"],
                        "properties": {
                            "topic": {"type": "string"},
                            "target_group": {"type": "string"},
                            "area": {"type": "string"},
                            "text": {"type": "string", "maxLength": services.QUESTION_MAX_LENGTH},
                        },
                    }
                }
            },
        },
        "responses": {
            "201": {"description": "De vraag, met naar wie hij ging", "content": _json("Question")},
            "400": {"description": "Ongeldige invoer of persoonsgegevens", "content": _ERROR},
        },
    },
)
document(
    "/questions/{question_id}",
    "get",
    {
        "summary": "Een vraag met antwoorden en naar wie hij ging",
        "parameters": [_QUESTION_ID],
        "responses": {
            "200": {"description": "De vraag", "content": _json("Question")},
            "404": {"description": "Bestaat niet (meer)", "content": _ERROR},
        },
    },
)
document(
    "/questions/{question_id}/answers",
    "post",
    {
        "summary": "Een vraag beantwoorden (namens uw organisatie)",
        "description": _PRIVACY,
        "parameters": [_QUESTION_ID],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["text"],
                        "properties": {
                            "text": {"type": "string", "maxLength": services.ANSWER_MAX_LENGTH}
                        },
                    }
                }
            },
        },
        "responses": {
            "201": {"description": "Het antwoord", "content": _json("Answer")},
            "400": {"description": "Ongeldige invoer of persoonsgegevens", "content": _ERROR},
            "404": {"description": "Onbekende vraag", "content": _ERROR},
            "409": {"description": "De vraag is al opgelost", "content": _ERROR},
        },
    },
)
