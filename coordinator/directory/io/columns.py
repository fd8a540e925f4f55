"""The four CSV sheets of the directory, shared by import, export and the documentation.

One row per organisation, role (functie), person-in-a-role and responsibility (taak). Rows refer
to each other by organisation slug and role name, so a sheet can be edited in a spreadsheet.
Lists inside a cell (areas, topics, languages) are separated by :data:`LIST_SEPARATOR`.
"""

from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: Separates values inside one cell: ``zuidoost;west``.
LIST_SEPARATOR = ";"


class Sheet(enum.StrEnum):
    """The sheets, in the order they are validated and applied."""

    ORGANISATIONS = "organisaties"
    ROLES = "functies"
    PEOPLE = "personen"
    RESPONSIBILITIES = "taken"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: object  # a lazy Dutch string
    example: str = ""


COLUMNS: dict[Sheet, tuple[Column, ...]] = {
    Sheet.ORGANISATIONS: (
        Column(
            "slug",
            False,
            _l("Vaste sleutel (kleine letters, cijfers, streepjes); leeg = afgeleid van de naam."),
            "buurtteam-zuidoost",
        ),
        Column("naam", True, _l("Naam van de organisatie."), "Buurtteam Zuidoost"),
        Column("soort", True, _l("formeel of informeel."), "formeel"),
        Column("infrastructuur", True, _l("aankomst, sociaal of beide."), "sociaal"),
        Column("sector", False, _l("Vrije indeling, bijv. welzijn, zorg, wonen."), "welzijn"),
        Column("beschrijving", False, _l("Wat de organisatie doet (geen bewonersgegevens)."), ""),
        Column("website", False, _l("Adres dat begint met http:// of https://."), ""),
        Column("email", False, _l("Functioneel e-mailadres."), "info@buurtteam.example.org"),
        Column("telefoon", False, _l("Functioneel telefoonnummer."), "020 123 4567"),
        Column(
            "zichtbaarheid", False, _l("openbaar, netwerk (standaard) of organisatie."), "netwerk"
        ),
        Column(
            "gebieden",
            False,
            _l("Slugs van gebieden (stad, stadsdelen, wijken), gescheiden door ';'."),
            "zuidoost",
        ),
        Column("subsidie_einddatum", False, _l("Datum JJJJ-MM-DD, optioneel."), "2027-12-31"),
    ),
    Sheet.ROLES: (
        Column("organisatie", True, _l("Slug van de organisatie."), "buurtteam-zuidoost"),
        Column("naam", True, _l("Naam van de functie."), "Brugfunctionaris"),
        Column("beschrijving", False, _l("Wat deze functie doet."), ""),
        Column("email", False, _l("Functioneel e-mailadres van de functie."), ""),
        Column("telefoon", False, _l("Functioneel telefoonnummer van de functie."), ""),
        Column("zichtbaarheid", False, _l("openbaar, netwerk (standaard) of organisatie."), ""),
    ),
    Sheet.PEOPLE: (
        Column("organisatie", True, _l("Slug van de organisatie."), "buurtteam-zuidoost"),
        Column("naam", True, _l("Naam van de professional of vrijwilliger."), "Sanne de Boer"),
        Column(
            "email",
            False,
            _l("Werk-e-mailadres; sleutel om dezelfde persoon bij te werken."),
            "s.deboer@buurtteam.example.org",
        ),
        Column("telefoon", False, _l("Werktelefoon."), ""),
        Column("soort", False, _l("medewerker (standaard), vrijwilliger of sleutelfiguur."), ""),
        Column(
            "zichtbaarheid_contact",
            False,
            _l("Wie de contactgegevens ziet: openbaar, netwerk (standaard) of organisatie."),
            "",
        ),
        Column(
            "toestemming_op",
            False,
            _l(
                "Datum van toestemming om buiten de eigen organisatie te tonen (vrijwilligers en sleutelfiguren)."
            ),
            "",
        ),
        Column(
            "talen",
            False,
            _l(
                "ISO 639-codes (twee letters, of drie als er geen code van twee is, zoals ber), gescheiden door ';'."
            ),
            "nl;ar",
        ),
        Column("focus", False, _l("Zelfgekozen aandachtsgebieden, gescheiden door ';'."), ""),
        Column(
            "functie",
            False,
            _l("Naam van de functie die de persoon vervult (een rij per functie)."),
            "Brugfunctionaris",
        ),
        Column("functie_vanaf", False, _l("Startdatum JJJJ-MM-DD (standaard vandaag)."), ""),
        Column("functie_tot", False, _l("Einddatum JJJJ-MM-DD, optioneel."), ""),
    ),
    Sheet.RESPONSIBILITIES: (
        Column(
            "id",
            False,
            _l(
                "Nummer van de taak in Matchtafel (staat in een export). Leeg of onbekend: "
                "de taak wordt herkend aan organisatie, functie, doet, thema's, doelgroepen en gebieden."
            ),
            "",
        ),
        Column("organisatie", True, _l("Slug van de organisatie."), "buurtteam-zuidoost"),
        Column("functie", False, _l("Functie die de taak draagt; leeg = de organisatie."), ""),
        Column("doet", True, _l("ja (doet dit) of nee (doet dit niet)."), "nee"),
        Column("samenvatting", False, _l("Korte omschrijving."), "Geen hulp zonder BSN"),
        Column("themas", True, _l("Slugs van thema's, gescheiden door ';'."), "huisvesting"),
        Column(
            "doelgroepen",
            True,
            _l("Slugs van doelgroepen, gescheiden door ';'."),
            "ongedocumenteerden",
        ),
        Column("gebieden", True, _l("Slugs van gebieden, gescheiden door ';'."), "zuidoost"),
        Column(
            "reden",
            False,
            _l("Waarom niet, of onder welke voorwaarde."),
            "geen BSN, geen hulp mogelijk",
        ),
        Column("doorverwijstips", False, _l("Hoe u goed doorverwijst (warme overdracht)."), ""),
        Column("openingstijden", False, _l("Wanneer bereikbaar."), ""),
        Column(
            "talen",
            False,
            _l(
                "ISO 639-codes (twee letters, of drie als er geen code van twee is, zoals ber), gescheiden door ';'."
            ),
            "",
        ),
        Column("wachttijd", False, _l("Indicatie van de wachttijd."), ""),
        Column("geldig_vanaf", False, _l("Datum JJJJ-MM-DD, optioneel."), ""),
        Column("geldig_tot", False, _l("Datum JJJJ-MM-DD, optioneel."), ""),
        Column("geverifieerd_op", False, _l("Datum van laatste controle, JJJJ-MM-DD."), ""),
    ),
}


def header(sheet: Sheet) -> list[str]:
    """The column names of ``sheet`` in their documented order."""
    return [column.name for column in COLUMNS[sheet]]


def template_csv(sheet: Sheet) -> str:
    """A sheet to start from: the header and one example row (the documented examples)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header(sheet))
    writer.writerow([column.example for column in COLUMNS[sheet]])
    return buffer.getvalue()
