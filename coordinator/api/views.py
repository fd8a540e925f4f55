"""API endpoints about the caller; capability endpoints live beside their feature."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from coordinator.api import bp
from coordinator.api.auth import api_user
from coordinator.api.openapi import document


@bp.get("/me")
def me() -> ResponseReturnValue:
    user = api_user()
    return jsonify(
        {
            "id": user.id,
            "email": user.email,
            "role": user.role.value,
            "person": {"id": user.person.id, "name": user.person.name},
            "organisation": {
                "id": user.person.organisation.id,
                "name": user.person.organisation.name,
            },
            "areas": [area.slug for area in user.areas],
            "locale": user.locale,
        }
    )


document(
    "/me",
    "get",
    {
        "summary": "Het account achter het token",
        "responses": {"200": {"description": "Account, persoon, organisatie en stadsdelen"}},
    },
)
