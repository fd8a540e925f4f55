"""A small Amsterdam for directory tests: city → stadsdelen → wijken, topics and groups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from coordinator.db import now_utc
from coordinator.directory.models import Area, AreaKind, Organisation, Responsibility, Visibility
from tests.factories import (
    AreaFactory,
    OrganisationFactory,
    ResponsibilityFactory,
    TargetGroupFactory,
    TopicFactory,
)


@dataclass
class City:
    amsterdam: Area
    zuidoost: Area
    bijlmer: Area
    holendrecht: Area
    noord: Area
    topics: dict
    groups: dict


def build_city() -> City:
    amsterdam = AreaFactory(slug="amsterdam", name="Amsterdam", kind=AreaKind.CITY)
    zuidoost = AreaFactory(slug="zuidoost", name="Zuidoost", parent=amsterdam)
    noord = AreaFactory(slug="noord", name="Noord", parent=amsterdam)
    bijlmer = AreaFactory(
        slug="bijlmer-centrum", name="Bijlmer-Centrum", kind=AreaKind.NEIGHBOURHOOD, parent=zuidoost
    )
    holendrecht = AreaFactory(
        slug="holendrecht", name="Holendrecht", kind=AreaKind.NEIGHBOURHOOD, parent=zuidoost
    )
    topics = {
        slug: TopicFactory(slug=slug, name=name, cluster=cluster, position=i)
        for i, (slug, name, cluster) in enumerate(
            [
                ("huisvesting", "Huisvesting", "wonen"),
                ("taal", "Taal en inburgering", None),
                ("zorg", "Zorg en gezondheid", "zorg"),
                ("psychische-hulp", "Psychische hulp", "zorg"),
            ]
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
    return City(amsterdam, zuidoost, bijlmer, holendrecht, noord, topics, groups)


def responsibility(
    organisation: Organisation,
    *,
    topics: list,
    groups: list,
    areas: list,
    handles: bool = True,
    verified_days_ago: int = 10,
    **kwargs: object,
) -> Responsibility:
    return ResponsibilityFactory(
        organisation=organisation,
        handles=handles,
        topics=topics,
        target_groups=groups,
        areas=areas,
        verified_at=now_utc() - timedelta(days=verified_days_ago),
        **kwargs,
    )


def organisation(name: str, **kwargs: object) -> Organisation:
    kwargs.setdefault("visibility", Visibility.NETWORK)
    return OrganisationFactory(name=name, **kwargs)
