"""OpenAPI descriptions of the directory endpoints in :mod:`coordinator.directory.api`."""

from __future__ import annotations

from typing import Any

from coordinator.api.openapi import document, schema

_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _param(name: str, description: str, *, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


schema(
    "LookupEntry",
    {
        "type": "object",
        "required": ["id", "handles", "organisation", "stale", "match"],
        "properties": {
            "id": {"type": "integer"},
            "handles": {"type": "boolean"},
            "summary": {"type": "string"},
            "reason": {"type": "string", "description": "Waarom niet / onder welke voorwaarde"},
            "referral_tips": {"type": "string", "description": "Hoe warm door te verwijzen"},
            "opening_hours": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "waiting_time": {"type": "string"},
            "verified_at": {"type": "string", "format": "date-time", "nullable": True},
            "verified_by": {
                "type": "string",
                "nullable": True,
                "description": "Wie het laatst bevestigde: naam, of de organisatie als die persoon"
                " niet zichtbaar is voor u; null als onbekend of gewist",
            },
            "stale": {"type": "boolean", "description": "Langer dan 6 maanden niet bevestigd"},
            "topics": {"type": "array", "items": {"type": "string"}},
            "target_groups": {"type": "array", "items": {"type": "string"}},
            "areas": {"type": "array", "items": {"type": "string"}},
            "organisation": {"type": "object"},
            "role": {"type": "object", "nullable": True},
            "match": {
                "type": "object",
                "properties": {
                    "area": {
                        "type": "string",
                        "enum": ["exact", "stadsdeel", "deelgebied", "stad", "overal"],
                    },
                    "target_group": {"type": "string", "enum": ["exact", "iedereen", "alle"]},
                    "language": {"type": "boolean", "nullable": True},
                    "score": {"type": "integer"},
                },
            },
        },
    },
)
schema(
    "Lookup",
    {
        "type": "object",
        "required": ["handles", "does_not_handle", "empty"],
        "properties": {
            "query": {"type": "object"},
            "empty": {"type": "boolean"},
            "handles_total": {"type": "integer"},
            "does_not_handle_total": {"type": "integer"},
            "handles": {"type": "array", "items": {"$ref": "#/components/schemas/LookupEntry"}},
            "does_not_handle": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/LookupEntry"},
            },
            "alternatives": {
                "type": "array",
                "items": {
                    "allOf": [
                        {"$ref": "#/components/schemas/LookupEntry"},
                        {
                            "type": "object",
                            "properties": {
                                "suggested_because": {
                                    "type": "string",
                                    "description": "Waarom dit alternatief: 'Zelfde vraag, in"
                                    " een ander gebied' of 'Verwant thema'",
                                }
                            },
                        },
                    ]
                },
            },
            "coordinators": {"type": "array", "items": {"type": "object"}},
        },
    },
)
document(
    "/lookup",
    "get",
    {
        "summary": "Wie doet wat? Wie helpt bij dit thema, voor deze doelgroep, in dit gebied",
        "description": (
            "Een wijk omvat ook zijn stadsdeel en stadsbrede aanbieders. `handles` is gerangschikt "
            "op hoe precies het antwoord past (`match.score`); `does_not_handle` noemt wie dit "
            "uitdrukkelijk níet doet en waarom (`reason`). Items die 6 maanden niet zijn "
            "bevestigd hebben `stale: true`. Bij een leeg antwoord staan er alternatieven en de "
            "coördinator van het gebied in."
        ),
        "parameters": [
            _param("topic", "Slug van het thema (GET /topics)", required=True),
            _param("target_group", "Slug van de doelgroep (GET /target-groups)"),
            _param("area", "Slug van wijk of stadsdeel (GET /areas)"),
            _param("language", "ISO 639-1 taalcode; weegt mee in de rangorde"),
            _param("limit", "Hoogstens zoveel per lijst (1-100, standaard 25)"),
        ],
        "responses": {
            "200": {
                "description": "{handles, does_not_handle, alternatives, coordinators, empty}",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Lookup"}}
                },
            },
            "400": {"description": "Geen thema gekozen", "content": _ERROR},
            "404": {"description": "Onbekende slug (`field` zegt welke)", "content": _ERROR},
        },
    },
)
for _path, _summary in [
    ("/topics", "Thema's (slugs voor de lookup)"),
    ("/target-groups", "Doelgroepen (slugs voor de lookup)"),
    ("/areas", "Stad, stadsdelen en wijken (slugs, met bovenliggend gebied)"),
]:
    document(_path, "get", {"summary": _summary, "responses": {"200": {"description": "Lijst"}}})
document(
    "/organisations",
    "get",
    {
        "summary": "Organisaties zoeken (alleen wat u mag zien)",
        "parameters": [
            _param("q", "Zoekterm in naam en beschrijving"),
            _param("topic", "Alleen organisaties die dit thema doen"),
            _param("area", "Werkzaam in dit gebied (of erboven/eronder)"),
            _param("kind", "formeel of informeel"),
            _param("language", "Iemand of een aanbod in deze taal (ISO 639-1)"),
        ],
        "responses": {"200": {"description": "Lijst van organisaties"}},
    },
)
document(
    "/organisations/{organisation_id}",
    "get",
    {
        "summary": "Een organisatie met functies, huidige bezetting, taken, grenzen en tafels",
        "parameters": [_path_id("organisation_id")],
        "responses": {
            "200": {"description": "De organisatie"},
            "404": {"description": "Bestaat niet of is niet zichtbaar", "content": _ERROR},
        },
    },
)
document(
    "/organisations/{organisation_id}",
    "patch",
    {
        "summary": "Gegevens van een organisatie wijzigen (redacteur van de organisatie, "
        "coördinator van het gebied, beheerder)",
        "parameters": [_path_id("organisation_id")],
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "kind": {"type": "string", "enum": ["formeel", "informeel"]},
                            "infrastructure": {
                                "type": "string",
                                "enum": ["aankomst", "sociaal", "beide"],
                            },
                            "sector": {"type": "string"},
                            "description": {"type": "string"},
                            "website": {"type": "string"},
                            "email": {"type": "string"},
                            "phone": {"type": "string"},
                            "visibility": {
                                "type": "string",
                                "enum": ["openbaar", "netwerk", "organisatie"],
                            },
                            "funding_ends_on": {"type": "string", "format": "date"},
                            "areas": {"type": "array", "items": {"type": "string"}},
                        },
                        "additionalProperties": False,
                    }
                }
            }
        },
        "responses": {
            "200": {"description": "Gewijzigde velden en de organisatie"},
            "400": {"description": "Ongeldige invoer; er is niets gewijzigd", "content": _ERROR},
            "403": {"description": "Geen rechten; er is niets gewijzigd", "content": _ERROR},
        },
    },
)
document(
    "/people/{person_id}/leave",
    "post",
    {
        "summary": "Uit dienst melden: beëindigt toewijzingen en accounttoegang op een datum",
        "parameters": [_path_id("person_id")],
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "on_date": {
                                "type": "string",
                                "format": "date",
                                "description": "Laatste werkdag (standaard vandaag)",
                            }
                        },
                    }
                }
            }
        },
        "responses": {
            "200": {"description": "De persoon met beëindigde toewijzingen"},
            "400": {"description": "Ongeldige datum of al uit dienst", "content": _ERROR},
            "403": {"description": "Geen rechten", "content": _ERROR},
            "404": {"description": "Onbekende persoon", "content": _ERROR},
        },
    },
)
