"""Reference data every installation needs: Amsterdam's areas and the two taxonomies.

Slugs are stable identifiers (URLs, the API, CSV imports); names may be edited later, so
loading this again only adds what is missing and never overwrites an edited name.
"""

from __future__ import annotations

import sqlalchemy as sa

from coordinator.directory.models import Area, AreaKind, TargetGroup, Topic
from coordinator.extensions import db

CITY = ("amsterdam", "Amsterdam")

#: Stadsdelen with some of their wijken (gebieden); more can be added in the app.
DISTRICTS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("centrum", "Centrum"): [("centrum-west", "Centrum-West"), ("centrum-oost", "Centrum-Oost")],
    ("noord", "Noord"): [("noord-west", "Noord-West"), ("noord-oost", "Noord-Oost")],
    ("oost", "Oost"): [("indische-buurt", "Indische Buurt"), ("ijburg", "IJburg")],
    ("west", "West"): [("bos-en-lommer", "Bos en Lommer"), ("de-baarsjes", "De Baarsjes")],
    ("zuid", "Zuid"): [("rivierenbuurt", "Rivierenbuurt"), ("buitenveldert", "Buitenveldert")],
    ("zuidoost", "Zuidoost"): [
        ("bijlmer-centrum", "Bijlmer-Centrum"),
        ("bijlmer-oost", "Bijlmer-Oost"),
        ("gaasperdam", "Gaasperdam"),
        ("driemond", "Driemond"),
    ],
    ("nieuw-west", "Nieuw-West"): [
        ("geuzenveld-slotermeer", "Geuzenveld-Slotermeer"),
        ("osdorp", "Osdorp"),
        ("de-aker-nieuw-sloten", "De Aker, Sloten en Nieuw-Sloten"),
        ("slotervaart", "Slotervaart"),
    ],
    ("weesp", "Weesp"): [],
}

#: (slug, Dutch name, English name, cluster: topics in one cluster are each other's neighbours)
TOPICS: list[tuple[str, str, str, str | None]] = [
    ("huisvesting", "Huisvesting", "Housing", "wonen"),
    ("taal-inburgering", "Taal en inburgering", "Language and civic integration", "leren"),
    ("werk", "Werk", "Work", "meedoen"),
    ("vrijwilligerswerk", "Vrijwilligerswerk", "Volunteering", "meedoen"),
    ("geld-schulden", "Geld en schulden", "Money and debt", "bestaanszekerheid"),
    ("zorg-gezondheid", "Zorg en gezondheid", "Care and health", "zorg"),
    ("psychische-hulp", "Psychische hulp", "Mental health support", "zorg"),
    ("juridisch", "Juridische hulp", "Legal help", "recht"),
    ("gezinshereniging", "Gezinshereniging", "Family reunification", "recht"),
    ("voedsel", "Voedsel", "Food", "bestaanszekerheid"),
    ("kleding", "Kleding", "Clothing", "bestaanszekerheid"),
    ("ontmoeting", "Ontmoeting", "Meeting people", "meedoen"),
    ("digitale-hulp", "Digitale hulp", "Digital help", "leren"),
    ("fietsen-zwemmen", "Fietsen en zwemmen", "Cycling and swimming", "meedoen"),
    ("kinderen-jongeren", "Kinderen en jongeren", "Children and young people", "leren"),
    ("onderwijs", "Onderwijs", "Education", "leren"),
]

TARGET_GROUPS: list[tuple[str, str, str]] = [
    ("statushouders", "Statushouders", "Status holders"),
    ("asielzoekers", "Asielzoekers", "Asylum seekers"),
    ("ongedocumenteerden", "Ongedocumenteerden", "Undocumented people"),
    ("oekraiense-ontheemden", "Oekraïense ontheemden", "Displaced Ukrainians"),
    ("arbeidsmigranten", "Arbeidsmigranten", "Labour migrants"),
    ("oudkomers", "Oudkomers", "Long-settled migrants"),
    ("iedereen", "Iedereen", "Everyone"),
]


def ensure_reference_data() -> int:
    """Add missing areas, topics and target groups; return how many rows were added."""
    added = 0
    city, created = _area(CITY[0], CITY[1], AreaKind.CITY, None)
    added += created
    for (slug, name), wijken in DISTRICTS.items():
        district, created = _area(slug, name, AreaKind.DISTRICT, city)
        added += created
        for wijk_slug, wijk_name in wijken:
            added += _area(wijk_slug, wijk_name, AreaKind.NEIGHBOURHOOD, district)[1]
    topics = {t.slug: t for t in db.session.scalars(sa.select(Topic))}
    for position, (slug, name, name_en, cluster) in enumerate(TOPICS):
        if slug not in topics:
            db.session.add(
                Topic(slug=slug, name=name, name_en=name_en, position=position, cluster=cluster)
            )
            added += 1
        elif topics[slug].cluster is None:
            topics[slug].cluster = cluster  # fill in, never overwrite an edited cluster
    groups = set(db.session.scalars(sa.select(TargetGroup.slug)))
    for position, (slug, name, name_en) in enumerate(TARGET_GROUPS):
        if slug not in groups:
            db.session.add(TargetGroup(slug=slug, name=name, name_en=name_en, position=position))
            added += 1
    db.session.flush()
    return added


def _area(slug: str, name: str, kind: AreaKind, parent: Area | None) -> tuple[Area, bool]:
    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is not None:
        return area, False
    area = Area(slug=slug, name=name, kind=kind, parent=parent)
    db.session.add(area)
    db.session.flush()
    return area, True
