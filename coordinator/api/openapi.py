"""The OpenAPI 3 document. Each capability adds its paths with :func:`document`."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from coordinator.api import bp

_PATHS: dict[str, dict[str, Any]] = {}
_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "integer", "description": "HTTP status code"},
            "message": {
                "type": "string",
                "description": "Human-readable reason (Dutch by default)",
            },
            "field": {"type": "string", "description": "The input field the error is about"},
        },
    },
}


def document(path: str, method: str, operation: dict[str, Any]) -> None:
    """Describe one operation; ``path`` uses OpenAPI syntax (``/tables/{id}``)."""
    operation.setdefault("responses", {})
    operation["responses"].setdefault(
        "401", {"description": "Geen of ongeldig token", "content": _error_content()}
    )
    _PATHS.setdefault(path, {})[method.lower()] = operation


def schema(name: str, definition: dict[str, Any]) -> None:
    _SCHEMAS[name] = definition


def _error_content() -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def build_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Matchtafel API",
            "version": "1",
            "description": "Tafels, zetels, de sociale kaart (wie doet wat) en agenda-abonnementen.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": dict(_SCHEMAS),
        },
        "security": [{"bearer": []}],
        "paths": dict(sorted(_PATHS.items())),
    }


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return jsonify(build_document())


document(
    "/openapi.json",
    "get",
    {"summary": "Dit document", "security": [], "responses": {"200": {"description": "OpenAPI 3"}}},
)
