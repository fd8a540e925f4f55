"""The English catalog is complete and current: every Dutch source string has a translation.

A string added to the code or templates without running ``make translations`` and translating it
fails here, as does a fuzzy or empty entry, or a translation that drops a placeholder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from coordinator.extensions import db
from tests.factories import PASSWORD, CoordinatorFactory, OrganisationFactory
from tests.helpers import login

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "coordinator" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*\}")


@pytest.fixture(scope="module")
def catalog():  # noqa: ANN201
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="en")


def _source_msgids() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: set[str] = set()
    for folder in ("coordinator", "templates"):
        # babel.cfg's patterns start with the folder ("templates/**.html"); extract_from_dir
        # matches them relative to the folder it walks, so the folder is taken off again.
        prefix = f"{folder}/"
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            method_map=[
                (pattern.removeprefix(prefix), method)
                for pattern, method in method_map
                if pattern.startswith(prefix)
            ],
            options_map={
                p.removeprefix(prefix): o for p, o in options_map.items() if p.startswith(prefix)
            },
            keywords=KEYWORDS,
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_source_strings_are_found() -> None:
    # Guards the check below: a pattern that matches nothing would make it pass vacuously.
    found = _source_msgids()
    assert len(found) > 500
    assert {"Tafels", "Mijn account", "Wie doet wat?"} <= found


def _translated(message) -> bool:  # noqa: ANN001
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def test_every_source_string_is_in_the_catalog(catalog) -> None:  # noqa: ANN001
    in_catalog = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}
    missing = sorted(_source_msgids() - in_catalog)
    assert not missing, f"run `make translations` and translate: {missing[:10]}"


def test_every_catalog_entry_is_translated_and_not_fuzzy(catalog) -> None:  # noqa: ANN001
    untranslated = [m.id for m in catalog if m.id and not _translated(m)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"fuzzy entries: {fuzzy[:5]}"


def test_translations_keep_their_placeholders(catalog) -> None:  # noqa: ANN001
    broken = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            # A singular form may drop the count ("one answer"); no form may invent a placeholder.
            if not set(PLACEHOLDER.findall(text)) <= expected or (
                len(ids) == 1 and set(PLACEHOLDER.findall(text)) != expected
            ):
                broken.append((ids[0], text))
    assert not broken, broken[:5]


def _english_coordinator(client: FlaskClient) -> None:
    user = CoordinatorFactory(locale="en")
    db.session.commit()
    login(client, user.email, PASSWORD)


@pytest.mark.parametrize(
    ("path", "english"),
    [
        ("/", "Tables"),
        ("/tafels/", "Tables"),
        ("/wie-doet-wat/", "Who does what?"),
        ("/wie-doet-wat/organisaties", "Organisations"),
        ("/feeds/", "Calendar"),
        ("/vragen/", "Questions"),
        ("/account/", "My account"),
    ],
)
def test_pages_speak_english_to_an_english_user(
    client: FlaskClient, path: str, english: str
) -> None:
    OrganisationFactory(name="Buurtteam Zuidoost")
    _english_coordinator(client)
    response = client.get(path, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, path
    assert '<html lang="en"' in html
    assert english in html
    for dutch in ("Uitloggen", "Naar de inhoud", "Mijn tafels", "Opslaan", "Zoeken"):
        assert dutch not in html, f"{path} still says {dutch!r}"
