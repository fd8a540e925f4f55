"""OpenAPI description of the tables endpoints (:mod:`coordinator.tables.api`)."""

from __future__ import annotations

from typing import Any

from coordinator.api.openapi import document, schema

schema(
    "Seat",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "label": {"type": "string", "example": "COA – participatie"},
            "organisation": {"type": "object"},
            "role": {"type": "object"},
            "holders": {"type": "array", "items": {"type": "object"}},
            "deputy": {"type": "object", "nullable": True},
            "is_coordinator": {"type": "boolean"},
            "vacant": {"type": "boolean"},
            "needs_successor_since": {"type": "string", "format": "date", "nullable": True},
            "open_action_items": {"type": "integer"},
        },
    },
)
schema(
    "Table",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "kind": {
                "type": "string",
                "enum": [
                    "matchtafel",
                    "netwerkbijeenkomst",
                    "participatiebijeenkomst",
                    "rondleiding",
                    "spreekuur",
                    "intervisie",
                ],
            },
            "area": {"type": "object"},
            "purpose": {"type": "string"},
            "location": {"type": "string"},
            "online_url": {"type": "string", "nullable": True},
            "status": {"type": "string", "enum": ["actief", "gepauzeerd", "beeindigd"]},
            "funding_ends_on": {"type": "string", "format": "date", "nullable": True},
            "timezone": {"type": "string", "example": "Europe/Amsterdam"},
            "rrule": {
                "type": "string",
                "nullable": True,
                "description": "RFC 5545 RRULE of the current series",
                "example": "FREQ=MONTHLY;BYDAY=2TU",
            },
            "dtstart": {
                "type": "string",
                "nullable": True,
                "description": "Local wall-clock start of the current series (no offset)",
                "example": "2027-01-12T10:00",
            },
            "duration_minutes": {"type": "integer", "nullable": True},
            "description": {"type": "string", "nullable": True},
            "series": {"type": "array", "items": {"type": "object"}},
            "seats": {"type": "array", "items": {"$ref": "#/components/schemas/Seat"}},
        },
    },
)
schema(
    "TableInput",
    {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "kind": {"type": "string"},
            "area": {"type": "string", "description": "Area slug (or give area_id)"},
            "area_id": {"type": "integer"},
            "purpose": {"type": "string"},
            "location": {"type": "string"},
            "online_url": {"type": "string"},
            "timezone": {"type": "string", "description": "IANA zone; fixed once scheduled"},
            "funding_ends_on": {"type": "string", "format": "date"},
            "agenda_template": {"type": "string"},
            "reminder_days_before": {"type": "integer"},
            "rrule": {"type": "string", "example": "FREQ=MONTHLY;BYDAY=2TU"},
            "dtstart": {"type": "string", "example": "2027-01-12T10:00"},
            "duration_minutes": {"type": "integer", "example": 90},
        },
    },
)
schema(
    "Occurrence",
    {
        "type": "object",
        "properties": {
            "uid": {"type": "string"},
            "recurrence_id": {"type": "string", "description": "Original local start"},
            "date": {"type": "string", "format": "date", "description": "Original local date"},
            "start": {"type": "string", "format": "date-time"},
            "end": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["gepland", "afgelast", "overgeslagen"]},
            "location": {"type": "string"},
            "moved": {"type": "boolean"},
            "reason": {"type": "string", "nullable": True},
            "holiday": {"type": "string", "nullable": True},
        },
    },
)


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


_ERROR = {"content": _json("Error")}
_TABLE_ID = {"name": "table_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_DATE = {
    "name": "occurrence_date",
    "in": "path",
    "required": True,
    "description": "Original local date (JJJJ-MM-DD) or local start (JJJJ-MM-DDTHH:MM)",
    "schema": {"type": "string"},
}

document(
    "/tables",
    "get",
    {
        "summary": "Tafels (optioneel per gebied)",
        "parameters": [{"name": "area", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Tafels", "content": {"application/json": {}}}},
    },
)
document(
    "/tables",
    "post",
    {
        "summary": "Tafel aanmaken, met schema (rrule, dtstart lokaal, duration_minutes)",
        "requestBody": {"required": True, "content": _json("TableInput")},
        "responses": {
            "201": {"description": "Aangemaakt", "content": _json("Table")},
            "400": {"description": "Ongeldige invoer (Nederlandse melding)", **_ERROR},
            "403": {"description": "Geen coördinator van dit gebied", **_ERROR},
        },
    },
)
document(
    "/tables/{table_id}",
    "get",
    {
        "summary": "Eén tafel met schema en zetels",
        "parameters": [_TABLE_ID],
        "responses": {
            "200": {"description": "Tafel", "content": _json("Table")},
            "404": {"description": "Onbekend", **_ERROR},
        },
    },
)
document(
    "/tables/{table_id}",
    "patch",
    {
        "summary": "Tafel of schema wijzigen; een lopend schema wordt gesplitst (nieuwe UID)",
        "parameters": [_TABLE_ID],
        "requestBody": {"required": True, "content": _json("TableInput")},
        "responses": {
            "200": {"description": "Gewijzigd", "content": _json("Table")},
            "400": {"description": "Ongeldige invoer; er is niets veranderd", **_ERROR},
            "403": {"description": "Geen rechten", **_ERROR},
            "409": {"description": "Conflict (bijv. beëindigde tafel)", **_ERROR},
        },
    },
)
document(
    "/tables/{table_id}/seats",
    "post",
    {
        "summary": "Zetel toevoegen (functie moet bij de organisatie horen)",
        "parameters": [_TABLE_ID],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["organisation_id", "role_id"],
                        "properties": {
                            "organisation_id": {"type": "integer"},
                            "role_id": {"type": "integer"},
                            "deputy_person_id": {"type": "integer"},
                            "is_coordinator": {"type": "boolean"},
                        },
                    }
                }
            },
        },
        "responses": {
            "201": {"description": "Zetel", "content": _json("Seat")},
            "400": {"description": "Ongeldige invoer", **_ERROR},
            "409": {"description": "Zetel bestaat al", **_ERROR},
        },
    },
)
document(
    "/tables/{table_id}/occurrences",
    "get",
    {
        "summary": "Bijeenkomsten in een periode (start/end in ISO 8601 met offset)",
        "parameters": [
            _TABLE_ID,
            {
                "name": "from",
                "in": "query",
                "description": "ISO 8601 met offset; standaard nu",
                "schema": {"type": "string", "format": "date-time"},
            },
            {
                "name": "to",
                "in": "query",
                "description": "ISO 8601 met offset; standaard from + 90 dagen; hooguit 2 jaar",
                "schema": {"type": "string", "format": "date-time"},
            },
        ],
        "responses": {
            "200": {
                "description": "Bijeenkomsten",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "occurrences": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Occurrence"},
                                }
                            },
                        }
                    }
                },
            },
            "400": {"description": "Ongeldige periode", **_ERROR},
        },
    },
)
document(
    "/tables/{table_id}/occurrences/{occurrence_date}/move",
    "post",
    {
        "summary": "Eén bijeenkomst verplaatsen (datum, tijd, duur, locatie)",
        "parameters": [_TABLE_ID, _DATE],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["start"],
                        "properties": {
                            "start": {"type": "string", "example": "2027-12-21T14:00"},
                            "duration_minutes": {"type": "integer"},
                            "location": {"type": "string"},
                        },
                    }
                }
            },
        },
        "responses": {
            "200": {"description": "Verplaatst", "content": _json("Occurrence")},
            "400": {"description": "Ongeldige invoer", **_ERROR},
            "404": {"description": "Geen bijeenkomst op die datum", **_ERROR},
            "409": {"description": "Al geweest of afgelast", **_ERROR},
        },
    },
)
document(
    "/tables/{table_id}/occurrences/{occurrence_date}/cancel",
    "post",
    {
        "summary": "Eén bijeenkomst afgelasten of overslaan (skipped: true)",
        "parameters": [_TABLE_ID, _DATE],
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "reason": {"type": "string"},
                            "skipped": {"type": "boolean"},
                        },
                    }
                }
            }
        },
        "responses": {
            "200": {"description": "Afgelast", "content": _json("Occurrence")},
            "404": {"description": "Geen bijeenkomst op die datum", **_ERROR},
            "409": {"description": "Al geweest of al afgelast", **_ERROR},
        },
    },
)
document(
    "/seats/{seat_id}/handover",
    "post",
    {
        "summary": "Zetel overdragen aan een opvolger of de vervanger",
        "parameters": [
            {"name": "seat_id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "successor_person_id": {"type": "integer"},
                            "promote_deputy": {"type": "boolean"},
                            "note": {"type": "string"},
                            "from_person_id": {
                                "type": "integer",
                                "description": "Who leaves the seat (default: the recorded "
                                "leaver or the one other holder)",
                            },
                        },
                    }
                }
            },
        },
        "responses": {
            "200": {"description": "Overgedragen", "content": {"application/json": {}}},
            "400": {"description": "Ongeldige opvolger of notitie", **_ERROR},
            "403": {"description": "Geen coördinator of redacteur", **_ERROR},
        },
    },
)
