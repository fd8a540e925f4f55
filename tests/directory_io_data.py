"""Shared data for the directory import/export tests: taxonomy, users and the sample CSVs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coordinator.auth.models import AccountRole, User
from coordinator.directory.io.columns import Sheet
from coordinator.directory.models import Area, AreaKind, TargetGroup, Topic
from tests.factories import AreaFactory, TargetGroupFactory, TopicFactory, UserFactory

SAMPLES = Path(__file__).parent / "data" / "import"


@dataclass
class Taxonomy:
    city: Area
    zuidoost: Area
    west: Area
    topics: dict[str, Topic]
    groups: dict[str, TargetGroup]


def make_taxonomy() -> Taxonomy:
    city = AreaFactory(slug="amsterdam", name="Amsterdam", kind=AreaKind.CITY)
    zuidoost = AreaFactory(slug="zuidoost", name="Zuidoost", parent=city)
    west = AreaFactory(slug="west", name="West", parent=city)
    AreaFactory(slug="ganzenhoef", name="Ganzenhoef", kind=AreaKind.NEIGHBOURHOOD, parent=zuidoost)
    topics = {
        slug: TopicFactory(slug=slug, name=name, position=i)
        for i, (slug, name) in enumerate(
            [("huisvesting", "Huisvesting"), ("taal", "Taal en inburgering"), ("werk", "Werk")]
        )
    }
    groups = {
        slug: TargetGroupFactory(slug=slug, name=name, position=i)
        for i, (slug, name) in enumerate(
            [
                ("statushouders", "Statushouders"),
                ("ongedocumenteerden", "Ongedocumenteerden"),
                ("iedereen", "Iedereen"),
            ]
        )
    }
    return Taxonomy(city, zuidoost, west, topics, groups)


def admin() -> User:
    return UserFactory(role=AccountRole.ADMIN)


def coordinator_of(area: Area) -> User:
    return UserFactory(role=AccountRole.COORDINATOR, areas=[area])


def sample_files() -> dict[Sheet, bytes]:
    return {sheet: (SAMPLES / f"{sheet.value}.csv").read_bytes() for sheet in Sheet}
