"""Feed tokens over the JSON API: create (the URL is answered once) and revoke."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from coordinator.api import bp
from coordinator.api.auth import api_user
from coordinator.api.openapi import document, schema
from coordinator.feeds import services


@bp.post("/feed-tokens")
def create_feed_token() -> ResponseReturnValue:
    payload = request.get_json(silent=True)
    payload = payload if isinstance(payload, dict) else {}
    new = services.create(api_user(), payload.get("scope", ""), payload.get("id"))
    body = {
        "id": new.token.id,
        "scope": new.token.scope.value,
        "target_id": new.token.target_id,
        "url": new.url,
        "webcal_url": new.webcal_url,
    }
    return jsonify(body), 201


@bp.delete("/feed-tokens/<int:token_id>")
def delete_feed_token(token_id: int) -> ResponseReturnValue:
    services.revoke(api_user(), token_id)
    return "", 204


schema(
    "FeedTokenCreate",
    {
        "type": "object",
        "required": ["scope", "id"],
        "properties": {
            "scope": {"type": "string", "enum": ["person", "organisation", "table", "area"]},
            "id": {
                "type": "integer",
                "description": "Id van de persoon, organisatie, tafel of het gebied",
            },
        },
    },
)
schema(
    "FeedTokenCreated",
    {
        "type": "object",
        "required": ["id", "url", "webcal_url"],
        "properties": {
            "id": {"type": "integer"},
            "scope": {"type": "string"},
            "target_id": {"type": "integer"},
            "url": {"type": "string", "description": "https-feed; alleen in dit antwoord"},
            "webcal_url": {"type": "string", "description": "webcal://-vorm van dezelfde URL"},
        },
    },
)
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
document(
    "/feed-tokens",
    "post",
    {
        "summary": "Agenda-abonnement aanmaken (de URL staat alleen in dit antwoord)",
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/FeedTokenCreate"}}
            },
        },
        "responses": {
            "201": {
                "description": "Aangemaakt",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/FeedTokenCreated"}
                    }
                },
            },
            "400": {"description": "Ongeldige scope of id", "content": _ERROR},
            "403": {
                "description": "Niet toegestaan (persoonsfeed van een ander)",
                "content": _ERROR,
            },
            "404": {
                "description": "Persoon, organisatie, tafel of gebied bestaat niet",
                "content": _ERROR,
            },
        },
    },
)
document(
    "/feed-tokens/{token_id}",
    "delete",
    {
        "summary": "Agenda-abonnement intrekken (de URL geeft daarna 404)",
        "parameters": [
            {"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "responses": {
            "204": {"description": "Ingetrokken"},
            "404": {"description": "Onbekend, al ingetrokken of van een ander", "content": _ERROR},
        },
    },
)
